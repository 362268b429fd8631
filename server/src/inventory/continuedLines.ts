// Lines of modprobe.d and ifupdown files as their own readers join them. Both take a line whose last
// character is a backslash as continued: the backslash and the line feed go, and the next line is
// appended as it is (nothing put between, its leading blanks kept; a backslash followed by a blank
// continues nothing). They differ on comments, as kmod 30 (`modprobe -C DIR --showconfig`) and
// ifupdown 0.8.41 (`ifquery -i FILE`) show: kmod joins first and then drops a line starting with '#',
// so a comment ending in a backslash swallows the next line (an `options` line there never applies);
// ifupdown drops a comment line first, so its trailing backslash continues nothing.
// The script sends every line of these files with its number (a continued line's last part may name
// nothing of interest); a line is joined to the next one only when that one's number follows.

export interface NumberedLine {
  /** host path relative to / */
  file: string;
  /** the number of its first line in the file */
  line: number;
  text: string;
}

/** `grep -n`'s "N:LINE" as the script sends these files' lines; null for anything else. */
export function numberedLine(file: string, content: string): NumberedLine | null {
  const m = /^(\d{1,9}):(.*)$/s.exec(content);
  return m ? { file, line: parseInt(m[1], 10), text: m[2] } : null;
}

/** The logical lines of `lines` (each file's lines in order, as grep prints them). */
export function joinContinued(lines: readonly NumberedLine[], comments: 'kmod' | 'ifupdown'): NumberedLine[] {
  const joined: NumberedLine[] = [];
  // the open logical line's parts, joined once it ends: a line continued many times costs no copy per part
  let open: { line: NumberedLine; parts: string[]; last: number } | null = null;
  const close = () => {
    if (open !== null) open.line.text = open.parts.join('');
    open = null;
  };
  for (const l of lines) {
    // a backslash before a CRLF's carriage return continues nothing (kmod and ifupdown look for "\\\n")
    const continues = l.text.endsWith('\\');
    const part = continues ? l.text.slice(0, -1) : l.text.replace(/\r$/, '');
    if (open !== null && open.line.file === l.file && open.last + 1 === l.line) {
      open.parts.push(part);
      open.last = l.line;
    } else {
      close();
      const line = { ...l };
      joined.push(line);
      if (comments === 'ifupdown' && /^\s*#/.test(l.text)) continue;
      open = { line, parts: [part], last: l.line };
    }
    if (!continues) close();
  }
  close();
  return joined;
}

/** The most of a logical line a message shows: a continued line may run to megabytes. */
const SHOWN_CHARS = 300;

/** A logical line as a message shows it: blanks (of the joins too) as one space, its first SHOWN_CHARS characters. */
export function shownLine(text: string): string {
  const shown = text
    .slice(0, SHOWN_CHARS * 4)
    .trim()
    .replace(/\s+/g, ' ');
  return shown.length > SHOWN_CHARS || text.length > SHOWN_CHARS * 4 ? `${shown.slice(0, SHOWN_CHARS)}…` : shown;
}
