// What a host's login shell is given. sshd runs an exec's command with the user's login shell
// (`$SHELL -c COMMAND`), and that may be fish, tcsh or zsh, which read quotes, `\`, `!` and a
// leading `=` otherwise than POSIX sh: a command quoted for sh could run a name's text in fish.
// So the login shell is given only LOGIN_SHELL_COMMAND, which every shell runs alike, and sh reads
// the command from its standard input, with the command's own input as a quoted here-document
// (sh and BusyBox read ahead on a pipe: input that followed the command would be read as commands).
import { randomBytes } from 'node:crypto';

/** the whole command line a host's login shell parses */
export const LOGIN_SHELL_COMMAND = 'sh -s';

/**
 * What `sh -s` reads to run `command` (POSIX sh text) with `stdin` as its standard input (none: empty).
 * A `command` that is LOGIN_SHELL_COMMAND itself reads `stdin` as its script, as it is. Input that does
 * not end in a line feed gets one (a here-document's text ends with one).
 */
export function loginShellInput(command: string, stdin?: string): string {
  if (command === LOGIN_SHELL_COMMAND) return stdin ?? '';
  if (stdin === undefined || stdin === '') return `{\n${command}\n} </dev/null\n`;
  const lines = new Set(stdin.split('\n'));
  let end: string;
  do end = `LIBVIRT_HOSTDEV_${randomBytes(12).toString('hex')}`;
  while (lines.has(end));
  return `{\n${command}\n} <<'${end}'\n${stdin.endsWith('\n') ? stdin : `${stdin}\n`}${end}\n`;
}
