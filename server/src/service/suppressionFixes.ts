// Quick fixes around disable-next-line comments (suppressions.ts): a misspelt code rewritten as the
// code it most likely meant, and for a problem on a line the comment that takes its code off that line
// (ESLint's "Disable … for this line"). The second is never preferred: the fix of the problem comes first.
import type { FixEnv, Fixer, QuickFix } from './quickFix';
import { DISABLE_NEXT_LINE, codesOf, nearestCode } from './suppressions';
import type { DiagnosticCode, Problem } from './types';
import { commentSpans, type CommentSpan } from './xml/sections';
import { LineTable } from './xml/lines';

/** Codes a comment would hide to no purpose: libvirt refuses the whole document, or nothing is wrong on the line. */
const NOT_FOR_A_LINE: ReadonlySet<DiagnosticCode> = new Set<DiagnosticCode>([
  'xml-syntax',
  'document-size',
  'not-libvirt',
  'disable-comment',
  'inventory-unavailable',
]);

export const useNearestCode: Fixer = (p, _d, env) => {
  const near = nearestCode(env.text.slice(p.span.start, p.span.end));
  return near ? [{ title: `Change to '${near}'`, edits: [{ span: p.span, newText: near }], isPreferred: true }] : [];
};

/**
 * The comments of one text (xml/sections.ts), found on first use: every problem of a code action
 * request looks up its line in the same list.
 */
export class CommentSpans {
  private spans: CommentSpan[] | null = null;

  constructor(private readonly text: string) {}

  /** The index of the last comment that opens before `offset`, or -1. */
  lastOpeningBefore(offset: number): number {
    const spans = this.all();
    let lo = -1;
    let hi = spans.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (spans[mid].start < offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  get(i: number): CommentSpan {
    return this.all()[i];
  }

  private all(): CommentSpan[] {
    return (this.spans ??= commentSpans(this.text));
  }
}

const DISABLE_COMMENT = /^<!--\s*libvirt-hostdev-disable-next-line\b([\s\S]*?)-->$/;

/** The comment that takes `problem`'s code off its line, or null where none can (or one already does). */
export function disableForLine(problem: Problem, env: FixEnv, lines: LineTable, comments: CommentSpans): QuickFix | null {
  const code = problem.code;
  if (NOT_FOR_A_LINE.has(code)) return null;
  const line = lines.lineOf(problem.span.start);
  const start = lines.lineStart(line);
  // a line that starts inside a start tag (an attribute on a line of its own) takes no comment before it
  if (env.startTags.holding(start)) return null;
  // nor one inside a comment (the new one would end it), nor one before the XML declaration (it must come first)
  const last = comments.lastOpeningBefore(start);
  if (last >= 0 && comments.get(last).end > start) return null;
  if (/^\uFEFF?<\?xml\s/.test(env.text.slice(start, start + 7))) return null;
  const title = `Disable ${code} for this line`;
  // A disable comment that ends on the line before covers this line already, whatever follows it there
  // or however many lines it spans: it takes the code too. A new line between them would leave its
  // codes covering the new comment instead.
  for (let i = last; line > 0 && i >= 0 && lines.lineOf(comments.get(i).end) === line - 1; i--) {
    const c = comments.get(i);
    const m = DISABLE_COMMENT.exec(env.text.slice(c.start, c.end));
    if (!m) continue;
    const codes = codesOf(m[1]);
    const names = codes.split(/[\s,]+/).filter((n) => n !== '');
    // no codes: it takes every code off already
    if (names.length === 0 || names.includes(code)) return null;
    const at = c.end - 3 - m[1].length + codes.trimEnd().length;
    return { title, edits: [{ span: { start: at, end: at }, newText: `, ${code}` }] };
  }
  const indent = /^[ \t]*/.exec(env.text.slice(start, start + 256))![0];
  // the line's own break, read at its end: a search from its start would cross a line of megabytes per problem
  const ends = lines.lineWithBreak(line);
  const lineBreak = ends.endsWith('\r\n') ? '\r\n' : ends.endsWith('\r') ? '\r' : '\n';
  return { title, edits: [{ span: { start, end: start }, newText: `${indent}<!-- ${DISABLE_NEXT_LINE} ${code} -->${lineBreak}` }] };
}
