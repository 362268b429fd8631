// The comments, CDATA sections and processing instructions of a text, as libxml2 reads them for
// libvirt: whatever one holds is its text ('<!--' inside a CDATA section opens no comment), as the
// parser's scanner reads each as a single token. For readers that need no tree (disable comments, the
// place of a character XML forbids): one pass, each terminator found by a native search, so many
// unterminated openings cost no more than one.
import type { Span } from '../types';

export type SectionKind = 'comment' | 'cdata' | 'pi';

/** From its opening to after its terminator; an unterminated one (the last) ends with the text. */
export interface MarkupSection extends Span {
  kind: SectionKind;
  closed: boolean;
}

export type CommentSpan = MarkupSection;

/** the openings of the sections (a pattern: a g regular expression keeps state) */
const OPENINGS = '<!--|<!\\[CDATA\\[|<\\?';
const TERMINATORS: Record<SectionKind, string> = { comment: '-->', cdata: ']]>', pi: '?>' };

/** The sections of `text`, in order. */
export function markupSections(text: string): MarkupSection[] {
  const sections: MarkupSection[] = [];
  const openings = new RegExp(OPENINGS, 'g');
  for (let m = openings.exec(text); m !== null; m = openings.exec(text)) {
    const start = m.index;
    const kind: SectionKind = m[0] === '<!--' ? 'comment' : m[0] === '<?' ? 'pi' : 'cdata';
    const terminator = TERMINATORS[kind];
    const close = text.indexOf(terminator, start + m[0].length);
    const end = close < 0 ? text.length : close + terminator.length;
    sections.push({ start, end, kind, closed: close >= 0 });
    if (close < 0) break;
    openings.lastIndex = end;
  }
  return sections;
}

/** The comments of `text`, in order. */
export function commentSpans(text: string): CommentSpan[] {
  return markupSections(text).filter((s) => s.kind === 'comment');
}
