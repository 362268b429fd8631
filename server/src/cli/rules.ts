// The diagnostic codes as SARIF lists its rules, from the service's rule catalog; the generated rules
// page gives each its documentation link (none while the manifest names no real repository).
import { RULES } from '../service/catalog';
import { ruleHref } from '../../../shared/ruleDocs';
import type { SarifRule } from './sarif';

export function sarifRules(): SarifRule[] {
  return Object.entries(RULES).map(([code, rule]) => {
    const helpUri = ruleHref(code);
    return { code, severity: rule.severity, summary: rule.summary, ...(helpUri !== undefined ? { helpUri } : {}) };
  });
}
