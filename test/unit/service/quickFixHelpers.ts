// What the quick-fix tests share: the fixes for one problem of a document, and a hostdev interface
// to put problems in.
import assert from 'node:assert/strict';
import { applyEdits, codeActions, validate } from '../../../server/src/service/index';
import type { DiagnosticCode, ServiceContext } from '../../../server/src/service/types';

/** Validates, takes the one problem with `code`, asks for its fixes; `apply(i)` gives the fixed text. */
export function fixesFor(text: string, code: DiagnosticCode, ctx: ServiceContext = {}) {
  const problems = validate(text, ctx);
  const mine = problems.filter((p) => p.code === code);
  assert.equal(mine.length, 1, `expected one ${code}, got ${JSON.stringify(problems.map((p) => p.code))}`);
  const actions = fixActions(text, mine[0].span, problems, ctx).filter((a) => a.fixes.includes(code));
  for (const a of actions) assert.deepEqual(a.diagnosticSpan, mine[0].span);
  return {
    actions,
    titles: actions.map((a) => a.title),
    apply(i: number): string {
      return applyEdits(text, actions[i].edits);
    },
  };
}

/** The code actions that fix (the service also offers to take each problem off its line: suppressionFixes.test.ts tests those). */
export function fixActions(...args: Parameters<typeof codeActions>): ReturnType<typeof codeActions> {
  return codeActions(...args).filter((a) => !a.suppression);
}

export function codesOf(text: string, ctx: ServiceContext = {}): DiagnosticCode[] {
  return validate(text, ctx).map((p) => p.code);
}

export const iface = (body: string, open = "<interface type='hostdev' managed='yes'>") => `${open}\n${body}</interface>\n`;
export const SOURCE_104 = "  <source>\n    <address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x4'/>\n  </source>\n";
export const MAC = "  <mac address='52:54:00:6d:90:02'/>\n";
