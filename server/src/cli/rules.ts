// The diagnostic codes as SARIF lists its rules, from the service's rule catalog: a code scanning alert
// shows the explanation `libvirt-hostdev rules CODE` prints, and the generated rules page gives each its
// documentation link (none while the manifest names no real repository).
import { RULES, type DiagnosticCode } from '../service/catalog';
import { ruleExplanation, ruleReport } from '../project/ruleExplanation';
import { ruleHref } from '../../../shared/ruleDocs';
import type { SarifRule } from './sarif';

export function sarifRules(): SarifRule[] {
  return (Object.keys(RULES) as DiagnosticCode[]).map((code) => {
    const report = ruleReport(code, null);
    const helpUri = ruleHref(code);
    return {
      code,
      severity: report.defaultSeverity,
      summary: report.summary,
      description: report.description,
      help: ruleExplanation(report),
      ...(helpUri !== undefined ? { helpUri } : {}),
    };
  });
}
