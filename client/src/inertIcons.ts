// Text for the places where VS Code shows `$(name)` as an icon (the status bar item, a quick pick item's
// label): a backslash before `$(` shows it as written. Names from a host or the settings (guests, networks,
// hosts, snapshots) go through this there, so a guest called `$(alert)` is shown by its name.

export function inertIcons(text: string): string {
  return text.replace(/\$\(/g, '\\$(');
}
