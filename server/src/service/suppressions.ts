// Inline suppression comments, as ESLint's `eslint-disable-next-line`:
//   <!-- libvirt-hostdev-disable-next-line vf-in-use, mac-missing - the lab host keeps this VF -->
// takes the named codes (all codes when none is named) off the line after the comment. A reason for
// people may follow the codes after a ' - ': ESLint's ' -- ' cannot be used, as XML forbids '--' inside
// a comment (libvirt refuses the document). A code that does not exist is a `disable-comment`
// warning: a misspelt suppression must not look like one that works. The editor and the CLI both go
// through here; the CLI reports what was taken off instead of dropping it silently.
import { DIAGNOSTIC_CODES, isDiagnosticCode } from './catalog';
import type { Problem } from './types';
import { commentSpans, type CommentSpan } from './xml/sections';
import type { LineTable } from './xml/lines';
import { nearestWord } from '../../../shared/nearestWord';

export const DISABLE_NEXT_LINE = 'libvirt-hostdev-disable-next-line';

/**
 * The comments (commentSpans) that open with what looks like a directive of this tool (ESLint's
 * `disable-line`, `disable`, `enable`; a plural): its name and where the name starts. Only
 * DISABLE_NEXT_LINE is one.
 */
function directiveLikeComments(text: string, comments: readonly CommentSpan[]): { name: string; start: number }[] {
  const opening = /<!--\s*(libvirt-hostdev-(?:disable|enable)[\w-]*)/y;
  const found: { name: string; start: number }[] = [];
  for (const c of comments) {
    opening.lastIndex = c.start;
    const m = opening.exec(text);
    if (m) found.push({ name: m[1], start: opening.lastIndex - m[1].length });
  }
  return found;
}

/** A disable-next-line comment: where it is, and what follows its keyword (the codes, then perhaps a reason). */
export interface DisableComment {
  start: number;
  end: number;
  body: string;
  bodyStart: number;
}

/** The terminated disable-next-line comments among `comments` (commentSpans of `text`). */
export function disableComments(text: string, comments: readonly CommentSpan[]): DisableComment[] {
  const keyword = /<!--\s*libvirt-hostdev-disable-next-line\b/y;
  const found: DisableComment[] = [];
  for (const c of comments) {
    if (!c.closed) continue;
    keyword.lastIndex = c.start;
    if (!keyword.test(text)) continue;
    const bodyStart = keyword.lastIndex;
    found.push({ start: c.start, end: c.end, body: text.slice(bodyStart, c.end - 3), bodyStart });
  }
  return found;
}

/** The codes of a comment's body (separated by commas or blanks), without the reason after ' - ' (or ESLint's ' -- '). */
export function codesOf(body: string): string {
  return body.split(REASON_SEPARATOR)[0];
}

/** What a comment's body says after its codes and the ' - ' (or ' -- '), blanks trimmed; '' when nothing. */
function reasonOf(body: string): string {
  const at = REASON_SEPARATOR.exec(body);
  return at === null ? '' : body.slice(at.index + at[0].length).trim();
}

/** Between a comment's codes and its reason: ' - ', or ESLint's ' -- ' */
const REASON_SEPARATOR = /\s--?\s/;

/** A problem that a suppression (comment, --disable, config file) took out of the results. */
export interface SuppressedProblem extends Problem {
  /** why, in words: `comment on line 12`, `--disable`, `/path/.libvirt-hostdev.json` */
  suppressedBy: string;
  /** what a disable comment says after its codes (` - the lab host keeps this VF`), when it says something */
  reason?: string;
}

interface InlineSuppression {
  /** 0-based line the comment covers */
  line: number;
  /** null: every code */
  codes: Set<string> | null;
  /** the comment, in words: `comment on line 3`, `comment on lines 3-5` (1-based, as editors count) */
  words: string;
  /** the comment's reason after its codes; '' when none */
  reason: string;
}

/** Problems on lines named by a disable-next-line comment go to `suppressed`; the rest stay in order, with a warning for each code such a comment names that does not exist. */
export function splitInlineSuppressions(
  lines: LineTable,
  problems: readonly Problem[],
): { problems: Problem[]; suppressed: SuppressedProblem[] } {
  const text = lines.text;
  if (!text.includes('libvirt-hostdev-')) return { problems: [...problems], suppressed: [] };
  const lineOf = (offset: number): number => lines.lineOf(offset);
  const byLine = new Map<number, InlineSuppression[]>();
  const unknown: Problem[] = [];
  const comments = commentSpans(text);
  for (const d of directiveLikeComments(text, comments)) {
    // (the real one, also when a code is glued to it: disableComments reads that code)
    if (/^libvirt-hostdev-disable-next-line\b/.test(d.name)) continue;
    unknown.push({
      code: 'disable-comment',
      severity: 'warning',
      message: `Unknown directive '${d.name}' — nothing is taken off; the one directive is '${DISABLE_NEXT_LINE}', which takes codes off the line after the comment`,
      span: { start: d.start, end: d.start + d.name.length },
    });
  }
  for (const comment of disableComments(text, comments)) {
    const startLine = lineOf(comment.start);
    const endLine = lineOf(comment.end);
    const names: string[] = [];
    for (const code of codesOf(comment.body).matchAll(/[^\s,]+/g)) {
      names.push(code[0]);
      if (!isDiagnosticCode(code[0])) unknown.push(unknownCodeProblem(code[0], comment.bodyStart + code.index));
    }
    const s: InlineSuppression = {
      line: endLine + 1,
      codes: names.length > 0 ? new Set(names) : null,
      words: startLine === endLine ? `comment on line ${endLine + 1}` : `comment on lines ${startLine + 1}-${endLine + 1}`,
      reason: reasonOf(comment.body),
    };
    byLine.set(s.line, [...(byLine.get(s.line) ?? []), s]);
  }
  const kept: Problem[] = [];
  const suppressed: SuppressedProblem[] = [];
  for (const p of problems) {
    const hit = byLine.get(lineOf(p.span.start))?.find((s) => s.codes === null || s.codes.has(p.code));
    if (hit) suppressed.push(hit.reason !== '' ? { ...p, suppressedBy: hit.words, reason: hit.reason } : { ...p, suppressedBy: hit.words });
    else kept.push(p);
  }
  if (unknown.length > 0) {
    kept.push(...unknown);
    kept.sort((a, b) => a.span.start - b.span.start);
  }
  return { problems: kept, suppressed };
}

function unknownCodeProblem(name: string, start: number): Problem {
  const near = nearestCode(name);
  return {
    code: 'disable-comment',
    severity: 'warning',
    message: `Unknown code '${name}' in a disable comment — nothing is taken off for it${near ? `; did you mean '${near}'?` : ''}`,
    span: { start, end: start + name.length },
  };
}

/** The code a misspelling most likely meant: the fewest edits, at most a third of the name (ties: none). */
export function nearestCode(name: string): string | null {
  return nearestWord(name, DIAGNOSTIC_CODES);
}
