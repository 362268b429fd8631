// Inline suppression comments, as ESLint's `eslint-disable-next-line`:
//   <!-- libvirt-hostdev-disable-next-line vf-in-use, mac-missing -->
// takes the named codes (all codes when none is named) off the line after the comment. The editor and
// the CLI both go through here; the CLI reports what was taken off instead of dropping it silently.
import type { Problem } from './types';
import type { LineTable } from './xml/lines';

export const DISABLE_NEXT_LINE = 'libvirt-hostdev-disable-next-line';

/** A problem that a suppression (comment, --disable, config file) took out of the results. */
export interface SuppressedProblem extends Problem {
  /** why, in words: `comment on line 12`, `--disable`, `/path/.libvirt-hostdev.json` */
  suppressedBy: string;
}

interface InlineSuppression {
  /** 0-based line the comment covers */
  line: number;
  /** null: every code */
  codes: Set<string> | null;
}

/** Problems on lines named by a disable-next-line comment go to `suppressed`; the rest stay in order. */
export function splitInlineSuppressions(
  lines: LineTable,
  problems: readonly Problem[],
): { problems: Problem[]; suppressed: SuppressedProblem[] } {
  const text = lines.text;
  if (!text.includes(DISABLE_NEXT_LINE) || problems.length === 0) return { problems: [...problems], suppressed: [] };
  const lineOf = (offset: number): number => lines.lineOf(offset);
  const byLine = new Map<number, InlineSuppression[]>();
  for (const m of text.matchAll(/<!--\s*libvirt-hostdev-disable-next-line\b([\s\S]*?)-->/g)) {
    const endLine = lineOf(m.index! + m[0].length);
    // Codes are separated by commas or blanks; `-- reason` after them is a note for people (as ESLint).
    const names = m[1]
      .split(/\s--\s/)[0]
      .split(/[\s,]+/)
      .filter((c) => c !== '');
    const s: InlineSuppression = { line: endLine + 1, codes: names.length > 0 ? new Set(names) : null };
    byLine.set(s.line, [...(byLine.get(s.line) ?? []), s]);
  }
  const kept: Problem[] = [];
  const suppressed: SuppressedProblem[] = [];
  for (const p of problems) {
    const line = lineOf(p.span.start);
    const hit = byLine.get(line)?.some((s) => s.codes === null || s.codes.has(p.code));
    if (hit) suppressed.push({ ...p, suppressedBy: `comment on line ${line}` });
    else kept.push(p);
  }
  return { problems: kept, suppressed };
}
