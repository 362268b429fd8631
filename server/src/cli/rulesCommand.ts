// `libvirt-hostdev rules [CODE...]`: the diagnostic codes from the rule catalog (severity, one line,
// the libvirt functions each follows, a quick fix or not) and the README's description of each
// (shared/ruleDocs.ts), under the severities the project's config sets. What a code in a CI log
// means, and why the gate does or does not report it, without leaving the terminal.
import { RULES, isDiagnosticCode, type DiagnosticCode } from '../service/catalog';
import type { Severity } from '../service/types';
import { RULE_DOCS, ruleHref } from '../../../shared/ruleDocs';
import { CONFIG_FILE_NAME, ConfigError, didYouMean, type ProjectConfig } from '../project/projectConfig';
import { SERVICE_CODES } from '../project/projectPolicy';
import { DISABLE_NEXT_LINE } from '../service/suppressions';
import { RULES_COMMAND } from './commandSpecs';
import { configLookupFrom } from './configOption';
import type { CliIO } from './io';
import { parseCommand, stringOption } from './options';
import { UsageError } from './util';
import { inertControls } from '../../../shared/inertControls';

/** One code as this command reports it (the json format's objects). */
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

export async function runRulesCommand(args: string[], io: CliIO): Promise<number> {
  const { values: v, positionals } = parseCommand(RULES_COMMAND, args);
  const format = stringOption(v, 'format') ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, not '${format}'`);
  for (const code of positionals)
    if (!isDiagnosticCode(code)) throw new UsageError(`unknown diagnostic code '${code}'${didYouMean(SERVICE_CODES, code)}`);
  const lookup = configLookupFrom(v);
  let config: ProjectConfig | null;
  try {
    config = lookup.forDirectory(io.cwd ?? process.cwd());
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    io.stderr(`libvirt-hostdev: ${e.message}\n`);
    return 2;
  }
  const codes = positionals.length > 0 ? [...new Set(positionals as DiagnosticCode[])] : (Object.keys(RULES) as DiagnosticCode[]);
  const reports = codes.map((code) => ruleReport(code, config));
  if (format === 'json') io.stdout(JSON.stringify({ config: config?.file ?? null, rules: reports }, null, 2) + '\n');
  else io.stdout(positionals.length > 0 ? reports.map(explanation).join('\n') : list(reports, config));
  return 0;
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

/** Every code, those checked from the text first, in the catalog's order: `code  severity  summary`. */
function list(reports: readonly RuleReport[], config: ProjectConfig | null): string {
  const codeWidth = Math.max(...reports.map((r) => r.code.length)) + 2;
  const severityWidth = Math.max(...reports.map((r) => r.severity.length)) + 2;
  const line = (r: RuleReport): string =>
    `  ${r.code.padEnd(codeWidth)}${r.severity.padEnd(severityWidth)}${r.summary}${r.setBy ? ` (${r.defaultSeverity} by default)` : ''}`;
  const offline = reports.filter((r) => !r.needsInventory);
  const withHost = reports.filter((r) => r.needsInventory);
  return [
    // a directory name may hold terminal controls (the text format only: json escapes them)
    ...(config ? [`Severities as ${inertControls(config.file)} sets them.`, ''] : []),
    'Checked from the text:',
    ...offline.map(line),
    '',
    "Checked against a host's inventory (check --inventory FILE or --host TARGET; in the editor, a host or a snapshot):",
    ...withHost.map(line),
    '',
    "Run 'libvirt-hostdev rules CODE' for what a code means and how to turn it off.",
    '',
  ].join('\n');
}

/** One code in full. */
function explanation(r: RuleReport): string {
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
