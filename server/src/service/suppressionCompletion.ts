// Completion inside a disable-next-line comment: the codes it can name, each with its summary, while
// the cursor is among the codes (before a ' - ' reason). Elsewhere in a comment nothing is offered.
import { RULES, type DiagnosticCode } from './catalog';
import { DISABLE_NEXT_LINE } from './suppressions';
import type { CompletionCandidate } from './types';
import { commentSpans } from './xml/sections';

/** The codes for the cursor at `offset`, or null when it is not among a disable comment's codes. */
export function disableCommentCodes(text: string, offset: number): CompletionCandidate[] | null {
  const open = text.lastIndexOf('<!--', offset - 1);
  if (open < 0) return null;
  const typed = text.slice(open, offset);
  // (the cursor may be inside the '<!--' itself)
  const head = /^<!--\s*/.exec(typed)?.[0].length;
  if (head === undefined || !typed.startsWith(DISABLE_NEXT_LINE, head) || typed.includes('-->')) return null;
  const body = typed.slice(head + DISABLE_NEXT_LINE.length);
  // right after the keyword, or past the codes into the reason
  if (!/^\s/.test(body) || /\s--?\s/.test(body)) return null;
  // a '<!--' in a CDATA section or a processing instruction is their text (looked at last: it reads the whole text)
  if (!commentSpans(text).some((c) => c.start === open)) return null;
  const wordStart = offset - /[^\s,]*$/.exec(body)![0].length;
  // (a code has no '--': one that touches the comment's '-->' ends before it)
  const wordEnd = wordStart + /^(?:(?!--)[^\s,])*/.exec(text.slice(wordStart, wordStart + 64))![0].length;
  const named = new Set(body.split(/[\s,]+/));
  return (Object.keys(RULES) as DiagnosticCode[])
    .filter((code) => !named.has(code) || text.slice(wordStart, wordEnd) === code)
    .map((code) => ({
      label: code,
      kind: 'value',
      detail: `${RULES[code].severity}: ${RULES[code].summary}`,
      insertText: code,
      span: { start: wordStart, end: wordEnd },
    }));
}
