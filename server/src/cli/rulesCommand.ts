// `libvirt-hostdev rules [CODE...]`: the diagnostic codes from the rule catalog (severity, one line,
// the libvirt functions each follows, a quick fix or not) and the README's description of each
// (shared/ruleDocs.ts), under the severities the project's config sets. What a code in a CI log
// means, and why the gate does or does not report it, without leaving the terminal.
import { RULES, isDiagnosticCode, type DiagnosticCode } from '../service/catalog';
import { ConfigError, didYouMean, type ProjectConfig } from '../project/projectConfig';
import { SERVICE_CODES } from '../project/projectPolicy';
import { ruleExplanation, ruleReport, type RuleReport } from '../project/ruleExplanation';
import { RULES_COMMAND } from './commandSpecs';
import { configLookupFrom } from './configOption';
import type { CliIO } from './io';
import { choiceOption, parseCommand, TEXT_OR_JSON } from './options';
import { oneLine, UsageError } from './util';
import { inertControls } from '../../../shared/inertControls';

export async function runRulesCommand(args: string[], io: CliIO): Promise<number> {
  const { values: v, positionals } = parseCommand(RULES_COMMAND, args);
  const format = choiceOption(v, 'format', TEXT_OR_JSON) ?? 'text';
  for (const code of positionals)
    if (!isDiagnosticCode(code)) throw new UsageError(`unknown diagnostic code '${code}'${didYouMean(SERVICE_CODES, code)}`);
  const lookup = configLookupFrom(v);
  let config: ProjectConfig | null;
  try {
    config = lookup.forDirectory(io.cwd ?? process.cwd());
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    io.stderr(`libvirt-hostdev: ${oneLine(e)}\n`);
    return 2;
  }
  const codes = positionals.length > 0 ? [...new Set(positionals as DiagnosticCode[])] : (Object.keys(RULES) as DiagnosticCode[]);
  const reports = codes.map((code) => ruleReport(code, config));
  if (format === 'json') io.stdout(JSON.stringify({ config: config?.file ?? null, rules: reports }, null, 2) + '\n');
  else io.stdout(positionals.length > 0 ? reports.map(ruleExplanation).join('\n') : list(reports, config));
  return 0;
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
