// What the CLI knows about the diagnostic codes (shared/ruleDocs.ts, generated from the README's rule
// tables): which exist (a misspelt --disable or config entry is refused) and what SARIF lists as rules.
import { RULE_DOCS, ruleHref } from '../../../shared/ruleDocs';
import type { SarifRule } from './sarif';

export function isKnownCode(code: string): boolean {
  return Object.prototype.hasOwnProperty.call(RULE_DOCS, code);
}

export function sarifRules(): SarifRule[] {
  return Object.entries(RULE_DOCS).map(([code, doc]) => ({ code, severity: doc.severity, summary: doc.summary, helpUri: ruleHref(code) }));
}
