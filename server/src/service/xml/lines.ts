// Offsets to lines and positions as the editor shows them: \n, \r\n and a lone \r each end a line, as
// in LSP. (libxml2 counts only \n in its own messages; ours name the line the user sees.)

/** A 0-based line and a column in UTF-16 code units, as LSP and SARIF count them. */
export interface LinePosition {
  line: number;
  character: number;
}

/**
 * The line starts of one text, found on first use and kept: every message, suppression comment and
 * report line of a document reads the same table.
 */
export class LineTable {
  private table: Int32Array | null = null;

  constructor(readonly text: string) {}

  /** 0-based line of an offset; offsets before the text are on line 0, past it on the last line */
  lineOf(offset: number): number {
    const starts = this.starts();
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /**
   * The position of an offset, as LSP's TextDocument.positionAt gives it: the offset is clamped to the
   * text, and one between the \r and the \n of a line end is moved before the \r.
   */
  positionAt(offset: number): LinePosition {
    const text = this.text;
    let at = Math.max(0, Math.min(offset, text.length));
    const line = this.lineOf(at);
    const start = this.starts()[line];
    while (at > start && isLineBreak(text.charCodeAt(at - 1))) at--;
    return { line, character: at - start };
  }

  /** The offset a 0-based line starts at */
  lineStart(line: number): number {
    return this.starts()[line];
  }

  /** The text of a 0-based line, with its line break */
  lineWithBreak(line: number): string {
    const starts = this.starts();
    return this.text.substring(starts[line], line + 1 < starts.length ? starts[line + 1] : this.text.length);
  }

  private starts(): Int32Array {
    return (this.table ??= lineStarts(this.text));
  }
}

function isLineBreak(c: number): boolean {
  return c === 10 || c === 13;
}

// indexOf searches natively: a half-megabyte document is a few thousand calls instead of a loop over
// every character, which matters most in a short-lived process whose code is never optimised. The
// starts go into a typed array grown by doubling: a plain array grown by push was copied as it grew
// (0.37 MB for the 0.12 it kept on a 15,000-line document), all of it for the garbage collector.
function lineStarts(text: string): Int32Array {
  let starts = new Int32Array(64);
  let count = 1;
  const add = (offset: number): void => {
    if (count === starts.length) {
      const grown = new Int32Array(count * 2);
      grown.set(starts);
      starts = grown;
    }
    starts[count++] = offset;
  };
  let lf = text.indexOf('\n');
  let cr = text.indexOf('\r');
  // Most files end their lines with \n alone: one search per line instead of two, and no comparisons
  if (cr === -1) {
    while (lf !== -1) {
      add(lf + 1);
      lf = text.indexOf('\n', lf + 1);
    }
    return starts.subarray(0, count);
  }
  while (lf !== -1 || cr !== -1) {
    if (cr !== -1 && (lf === -1 || cr < lf)) {
      // \r\n is one line end; a lone \r is one too
      if (cr + 1 === lf) {
        add(lf + 1);
        lf = text.indexOf('\n', lf + 1);
      } else add(cr + 1);
      cr = text.indexOf('\r', cr + 1);
    } else {
      add(lf + 1);
      lf = text.indexOf('\n', lf + 1);
    }
  }
  return starts.subarray(0, count);
}
