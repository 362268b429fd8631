// Text for a VS Code notification (window.show…Message, and window/showMessage from the language
// server, which VS Code's client shows the same way): VS Code makes `[label](https://…)`, `[label](command:…)`
// and `[label](file:…)` in a notification's message a link, and a click on a command link runs the command.
// Host data and the workspace's files (guest and network names, libvirt's messages, a config file's
// contents and path) must never become one. A zero-width space between the `]` and the `(` stops the link
// and leaves the text as it reads; text without that sequence is returned unchanged.
const LINK_OPENING = /\]\((?=https?:\/\/|command:|file:)/gi;

/** `text` with nothing VS Code would show as a link in a notification. */
export function inertLinks(text: string): string {
  return text.replace(LINK_OPENING, ']\u200b(');
}
