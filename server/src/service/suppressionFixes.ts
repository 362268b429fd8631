// Quick fixes around disable-next-line comments (suppressions.ts): a misspelt code rewritten as the
// code it most likely meant, and for a problem on a line the comment that takes its code off that line
// (ESLint's "Disable … for this line"). The second is never preferred: the fix of the problem comes first.
import { elementPath } from './featureSupport';
import type { FixEnv, Fixer, QuickFix } from './quickFix';
import { DISABLE_NEXT_LINE, codesOf, disableComments, nearestCode } from './suppressions';
import type { DiagnosticCode, Problem } from './types';
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

/** The comment that takes `problem`'s code off its line, or null where none can (or one already does). */
export function disableForLine(problem: Problem, env: FixEnv, lines: LineTable): QuickFix | null {
  const code = problem.code;
  if (NOT_FOR_A_LINE.has(code)) return null;
  const line = lines.lineOf(problem.span.start);
  const start = lines.lineStart(line);
  // a line that starts inside a start tag (an attribute on a line of its own) takes no comment before it
  const path = elementPath(env.model.xml.roots, start);
  const around = path[path.length - 1];
  if (around && start > around.start && start < around.startTagEnd) return null;
  const title = `Disable ${code} for this line`;
  if (line > 0) {
    const before = lines.lineWithBreak(line - 1);
    const m = [...disableComments(before)].pop();
    if (m && before.slice(m.index + m[0].length).trim() === '') {
      const codes = codesOf(m[1]);
      const names = codes.split(/[\s,]+/).filter((c) => c !== '');
      // no codes: it takes every code off already
      if (names.length === 0 || names.includes(code)) return null;
      const at = lines.lineStart(line - 1) + m.index + m[0].length - 3 - m[1].length + codes.trimEnd().length;
      return { title, edits: [{ span: { start: at, end: at }, newText: `, ${code}` }] };
    }
  }
  const indent = /^[ \t]*/.exec(env.text.slice(start, start + 256))![0];
  const lineBreak = /\r\n?|\n/.exec(lines.lineWithBreak(line))?.[0] ?? '\n';
  return { title, edits: [{ span: { start, end: start }, newText: `${indent}<!-- ${DISABLE_NEXT_LINE} ${code} -->${lineBreak}` }] };
}
