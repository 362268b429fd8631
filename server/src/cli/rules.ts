// What the CLI knows about the diagnostic codes: the service's rule catalog says which exist (a misspelt
// --disable or config entry is refused) and what SARIF lists as rules; the generated rules page gives
// each its documentation link (none while the manifest names no real repository).
import { isDiagnosticCode, RULES } from '../service/catalog';
import { ruleHref } from '../../../shared/ruleDocs';
import type { SarifRule } from './sarif';

export const isKnownCode = isDiagnosticCode;

export function sarifRules(): SarifRule[] {
  return Object.entries(RULES).map(([code, rule]) => {
    const helpUri = ruleHref(code);
    return { code, severity: rule.severity, summary: rule.summary, ...(helpUri !== undefined ? { helpUri } : {}) };
  });
}
