// Where a text's comments are, as libxml2 reads them for libvirt: a '<!--' inside a CDATA section or a
// processing instruction is part of that section's text, not a comment (the parser's scanner reads
// those constructs as single tokens in the same way). For the readers of disable comments, which look
// at comments only and need no tree: one pass, each construct's terminator found by a native search,
// so many unterminated constructs cost no more than one.
import type { Span } from '../types';

/** the openings of the constructs whose text may hold a '<!--' (a pattern: a g regular expression keeps state) */
const OPENINGS = '<!--|<!\\[CDATA\\[|<\\?';

/** A comment from its '<!--' to after its '-->'; an unterminated one (the last) ends with the text. */
export interface CommentSpan extends Span {
  closed: boolean;
}

/** The comments of `text`, in order. */
export function commentSpans(text: string): CommentSpan[] {
  const spans: CommentSpan[] = [];
  const openings = new RegExp(OPENINGS, 'g');
  for (let m = openings.exec(text); m !== null; m = openings.exec(text)) {
    const start = m.index;
    const terminator = m[0] === '<!--' ? '-->' : m[0] === '<?' ? '?>' : ']]>';
    const close = text.indexOf(terminator, start + m[0].length);
    const end = close < 0 ? text.length : close + terminator.length;
    if (terminator === '-->') spans.push({ start, end, closed: close >= 0 });
    if (close < 0) break;
    openings.lastIndex = end;
  }
  return spans;
}
