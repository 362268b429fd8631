// The one place that quotes values for a POSIX shell: the commands the host layer runs and the
// commands the service, the readiness checks and the CLI print for the user to run. A plain word
// (sriov-pool, qemu:///session, /tmp/x.xml) stays as it is; anything else goes in single quotes,
// which keep every byte literal, and an embedded single quote becomes '\'' (close, escaped quote,
// reopen). Newlines, $(), ;, spaces and backticks all survive as data.

/** characters no POSIX shell treats specially anywhere in an argument */
const PLAIN_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

export function shellQuote(value: string): string {
  if (value === '') return "''";
  // a word ending in '.' is quoted too: printed before a sentence's full stop, `virsh net-start pool.`
  // would read as a network named "pool"; and one starting with '=', which zsh (a user's shell, where
  // a printed command is pasted) expands to a program's path (`=sh` is /usr/bin/sh)
  if (PLAIN_WORD.test(value) && !value.endsWith('.') && !value.startsWith('=')) return value;
  return "'" + value.replace(/'/g, "'\\''") + "'";
}

export function shellJoin(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ');
}
