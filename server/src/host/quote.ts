// The one place that quotes values for a POSIX shell. Single quotes keep every byte literal; an
// embedded single quote becomes '\'' (close, escaped quote, reopen). Newlines, $(), ;, spaces and
// backticks all survive as data.

export function shellQuote(value: string): string {
  if (value === '') return "''";
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(value)) return value;
  return "'" + value.replace(/'/g, "'\\''") + "'";
}

export function shellJoin(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ');
}
