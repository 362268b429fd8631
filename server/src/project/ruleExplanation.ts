// A diagnostic code explained: its severity under a project's config, what it reports (the README's
// words, shared/ruleDocs.ts), the libvirt functions whose checks it follows (the rule catalog), whether
// the editor fixes it and how to turn it off. `libvirt-hostdev rules CODE` prints it; the editor's
// "Show documentation for CODE" shows it.
import { RULES, type DiagnosticCode } from '../service/catalog';
import type { Severity } from '../service/types';
import { DISABLE_NEXT_LINE } from '../service/suppressions';
import { RULE_DOCS, ruleHref } from '../../../shared/ruleDocs';
import { inertControls } from '../../../shared/inertControls';
import { CONFIG_FILE_NAME, type ProjectConfig } from './projectConfig';

/** One code under a project's config (`rules --format json` prints these objects). */
export interface RuleReport {
  code: DiagnosticCode;
  /** under the project's config: 'off' when it disables the code */
  severity: Severity | 'off';
  defaultSeverity: Severity;
  /** the config file that changes the severity, when one does */
  setBy?: string;
  summary: string;
  description: string;
  libvirt: string;
  needsInventory: boolean;
  quickFix: boolean;
}

export function ruleReport(code: DiagnosticCode, config: ProjectConfig | null): RuleReport {
  const rule = RULES[code];
  const severity = config?.disable.has(code) ? 'off' : (config?.severity.get(code) ?? rule.severity);
  return {
    code,
    severity,
    defaultSeverity: rule.severity,
    ...(severity !== rule.severity ? { setBy: config!.file } : {}),
    summary: rule.summary,
    // the README's words, without its Markdown emphasis (backticks read well in a terminal)
    description: RULE_DOCS[code].summary.replace(/\*\*/g, ''),
    libvirt: rule.libvirt,
    needsInventory: rule.needsInventory,
    quickFix: rule.fixable,
  };
}

/** One code in full: what `libvirt-hostdev rules CODE` prints and the editor's "Show documentation" shows. */
export function ruleExplanation(r: RuleReport): string {
  const href = ruleHref(r.code);
  const lines = [
    `${r.code}: ${r.severity}${r.setBy ? ` (set by ${inertControls(r.setBy)}; ${r.defaultSeverity} by default)` : ''}`,
    `  ${r.description}`,
    r.needsInventory
      ? "  Checked against a host's inventory: check --inventory FILE or --host TARGET; in the editor, a host or a snapshot."
      : '  Checked from the text alone.',
    `  libvirt: ${r.libvirt}`,
    `  Quick fix in the editor: ${r.quickFix ? 'yes' : 'no'}`,
    `  Turn it off: --disable ${r.code}, "severity": { "${r.code}": "off" } in ${CONFIG_FILE_NAME}, or <!-- ${DISABLE_NEXT_LINE} ${r.code} --> on the line before.`,
    ...(href !== undefined ? [`  More: ${href}`] : []),
  ];
  return lines.join('\n') + '\n';
}
