// `libvirt-hostdev check`: validates files like a compiler would, against an optional inventory
// (snapshot file or live host). Exit codes: 0 no error-severity diagnostic, 1 at least one,
// 2 usage / unreadable file / bad inventory / host failure.
import { TextDocument } from 'vscode-languageserver-textdocument';
import { readInventoryFile } from '../inventory/fileProvider';
import { DISABLE_NEXT_LINE, validateWithSuppressions, type Inventory } from '../service/index';
import { fetchInventoryForCli, hostOptionsFrom, type CliIO } from './hostCommands';
import { expandInputs, InputError, readInput, type Input } from './inputs';
import { countOption, flagOption, HOST_OPTIONS, listOption, parseCommand, stringOption, type CommandSpec } from './options';
import { applyPolicy, CONFIG_FILE_NAME, ConfigError, ConfigFinder, readProjectConfig, type ProjectConfig } from './policy';
import { isKnownCode, sarifRules } from './rules';
import { countBySeverity, formatGithub, formatJson, formatText, OUTPUT_FORMATS, type FileResult, type OutputFormat } from './report';
import { formatSarif } from './sarif';
import { cliVersion } from './version';
import { oneLine, UsageError } from './util';

export const CHECK_COMMAND: CommandSpec = {
  name: 'check',
  synopsis: '[--inventory FILE | --host TARGET [host options]] [--format FORMAT] FILE|DIR|-...',
  summary: 'check domain XML / device snippets',
  description: `Checks libvirt domain XML (or bare <interface type='hostdev'> / <hostdev> snippets) against
libvirt's rules and, with --inventory or --host, against the host's SR-IOV VFs, guests and networks.
A DIR is searched for *.xml recursively; - reads standard input; a quoted pattern ('guests/**/*.xml')
is expanded without the shell.`,
  options: [
    { name: 'inventory', type: 'string', value: 'FILE', help: 'an inventory snapshot (libvirt-hostdev-inventory/1 JSON)' },
    ...HOST_OPTIONS,
    {
      name: 'format',
      short: 'f',
      type: 'string',
      value: 'FORMAT',
      help: 'text (default), json, sarif (SARIF 2.1.0) or github (workflow commands)',
    },
    { name: 'stdin-filename', type: 'string', value: 'NAME', help: 'the name shown for standard input (default <stdin>)' },
    { name: 'max-warnings', type: 'string', value: 'N', help: 'exit 1 when there are more than N warnings' },
    {
      name: 'disable',
      type: 'string',
      multiple: true,
      value: 'CODE[,CODE]',
      help: 'do not report these codes (listed as suppressed in json/sarif)',
    },
    { name: 'config', type: 'string', value: 'FILE', help: `use FILE instead of the nearest ${CONFIG_FILE_NAME} above each file` },
    { name: 'no-config', type: 'boolean', help: `do not read any ${CONFIG_FILE_NAME}` },
  ],
  epilogue: `Policy: ${CONFIG_FILE_NAME} (the nearest above each file) holds
  { "disable": ["mac-missing"], "severity": { "pci-decimal": "off", "vf-driver": "error" } };
<!-- ${DISABLE_NEXT_LINE} CODE[, CODE] --> in the XML takes those codes off the next line.

Exit status: 0 no errors (and no more warnings than --max-warnings), 1 errors found or too many warnings,
2 usage error, unreadable file, bad config, bad inventory or host failure.`,
};

export async function runCheck(args: string[], io: CliIO): Promise<number> {
  const { values: v, positionals } = parseCommand(CHECK_COMMAND, args);
  const format = (stringOption(v, 'format') ?? 'text') as OutputFormat;
  if (!OUTPUT_FORMATS.includes(format)) throw new UsageError(`--format must be one of ${OUTPUT_FORMATS.join(', ')}, not '${format}'`);
  const inventoryFile = stringOption(v, 'inventory');
  if (inventoryFile !== undefined && v.host !== undefined) throw new UsageError('--inventory and --host cannot be used together');
  const host = hostOptionsFrom(v, 'check', false);
  if (positionals.length === 0) throw new UsageError('no FILE to check');
  const maxWarnings = countOption(v, 'max-warnings');
  const disabled = new Set(listOption(v, 'disable'));
  for (const code of disabled) if (!isKnownCode(code)) throw new UsageError(`--disable: unknown diagnostic code '${code}'`);
  const explicitConfig = stringOption(v, 'config');
  if (explicitConfig !== undefined && flagOption(v, 'no-config')) throw new UsageError('--config and --no-config cannot be used together');

  let inputs;
  try {
    inputs = expandInputs(positionals, stringOption(v, 'stdin-filename') ?? '<stdin>');
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    io.stderr(`libvirt-hostdev: ${e.message}\n`);
    return 2;
  }

  // The config is read before the host is contacted: a typo in it fails fast.
  let configFor: (input: Input) => ProjectConfig | null;
  try {
    if (flagOption(v, 'no-config')) configFor = () => null;
    else if (explicitConfig !== undefined) {
      const config = readProjectConfig(explicitConfig, isKnownCode);
      configFor = () => config;
    } else {
      const finder = new ConfigFinder(isKnownCode);
      const cwd = io.cwd ?? process.cwd();
      configFor = (input) => (input.stdin ? finder.forDirectory(cwd) : finder.forFile(input.name));
      for (const input of inputs) configFor(input);
    }
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    io.stderr(`libvirt-hostdev: ${e.message}\n`);
    return 2;
  }

  let inventory: Inventory | null = null;
  try {
    if (inventoryFile !== undefined) inventory = await readInventoryFile(inventoryFile);
    else if (host !== undefined) inventory = await fetchInventoryForCli(host, io);
  } catch (e) {
    io.stderr(`libvirt-hostdev: ${oneLine(e)}\n`);
    return 2;
  }

  let unreadable = false;
  const results: FileResult[] = [];
  for (const input of inputs) {
    const text = await readInput(input, io);
    if (text === null) {
      unreadable = true;
      continue;
    }
    const inline = validateWithSuppressions(text, { inventory });
    const policed = applyPolicy(inline.problems, { disabled, config: configFor(input) });
    const suppressed = [...inline.suppressed, ...policed.suppressed].sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
    results.push({ file: input.name, document: TextDocument.create(input.name, 'xml', 1, text), problems: policed.problems, suppressed });
  }

  switch (format) {
    case 'json':
      io.stdout(formatJson(results));
      break;
    case 'github':
      io.stdout(formatGithub(results));
      break;
    case 'sarif':
      io.stdout(formatSarif(results, { version: cliVersion(), rules: sarifRules() }, io.cwd ?? process.cwd()));
      break;
    default:
      io.stdout(formatText(results, inputs.length, io.colour ?? false));
  }

  if (unreadable) return 2;
  const count = countBySeverity(results);
  if (maxWarnings !== undefined && count.warning > maxWarnings) {
    io.stderr(`libvirt-hostdev: ${count.warning} warning${count.warning === 1 ? '' : 's'}, more than --max-warnings ${maxWarnings}\n`);
    return 1;
  }
  return count.error > 0 ? 1 : 0;
}
