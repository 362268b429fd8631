// The diagnostics one document sends to the editor. VS Code shows at most 1,000 per file (errors first,
// then warnings, information, hints) and drops the rest in its extension host; a 4 MiB document can
// have hundreds of thousands of problems (280,000 for 140,000 empty hostdev interfaces: a 90 MB
// message, seconds of the server's and the extension host's time for nothing shown). The same budget
// is kept here, the same way, so no client gets a flood; the CLI lists every problem.
import { Diagnostic, DiagnosticSeverity } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { DIAGNOSTIC_SOURCE, notShownMessage } from '../../../shared/diagnostics';
import type { Problem, Severity } from '../service/index';
import { toDiagnostic } from './convert';

/** VS Code's own limit per file (ExtHostDiagnostics) */
export const MAX_DIAGNOSTICS_PER_DOCUMENT = 1000;

const SEVERITY_ORDER: readonly Severity[] = ['error', 'warning', 'information', 'hint'];

/**
 * The diagnostics of `problems`: all of them within the budget; past it one line at the top of the
 * document saying how many more there are, and the first of each severity in turn, in document order,
 * as many as the budget leaves (the line counts: VS Code would drop an Information line that made 1,001).
 */
export function budgetedDiagnostics(doc: TextDocument, problems: readonly Problem[], budget = MAX_DIAGNOSTICS_PER_DOCUMENT): Diagnostic[] {
  if (problems.length <= budget) return problems.map((p) => toDiagnostic(doc, p));
  const sent = budget - 1;
  const shown = new Array<boolean>(problems.length).fill(false);
  let left = sent;
  for (const severity of SEVERITY_ORDER)
    for (let i = 0; i < problems.length && left > 0; i++)
      if (problems[i].severity === severity) {
        shown[i] = true;
        left--;
      }
  const diagnostics = problems.filter((_, i) => shown[i]).map((p) => toDiagnostic(doc, p));
  const more = problems.length - sent;
  const note = Diagnostic.create(
    { start: { line: 0, character: 0 }, end: doc.positionAt(doc.getText().search(/\r|\n|$/)) },
    notShownMessage(more, budget, problems.length),
    DiagnosticSeverity.Information,
    undefined,
    DIAGNOSTIC_SOURCE,
  );
  return [note, ...diagnostics];
}
