// `libvirt-hostdev check`: validates files like a compiler would, against an optional inventory
// (snapshot file or live host). Exit codes: 0 no error-severity diagnostic, 1 at least one,
// 2 usage / unreadable file / bad inventory / host failure.
import * as path from 'node:path';
import { readInventoryFileSync } from '../inventory/fileProvider';
import { documentSizeProblem, isDiagnosticCode, LineTable, validateWithSuppressions, type Inventory, type Problem } from '../service/index';
import type { GuestDefinition } from '../inventory/parseOutput';
import { inertLine } from '../../../shared/inertControls';
import { quotedName } from '../../../shared/quotedName';
import { CHECK_COMMAND, CHECK_FORMATS } from './commandSpecs';
import { expandInputs, InputError, readInput, UNNAMED_STDIN, type Input, type NotChecked } from './inputs';
import type { CliIO } from './io';
import { loadHostCommands } from './lazy';
import { misspeltRootProblem, notLibvirtProblem, skippedVocabulary } from './notLibvirt';
import { choiceOption, countOption, flagOption, hostOptionsFrom, listOption, parseCommand, stringOption } from './options';
import { applyPolicy, ConfigError, didYouMean, type ProjectConfig } from '../project/projectConfig';
import { configLookupFrom } from './configOption';
import { SERVICE_CODES } from '../project/projectPolicy';
import { sarifRules } from './rules';
import { countBySeverity, formatGithub, formatJson, formatText, type FileResult } from './report';
import { formatSarif } from './sarif';
import { gitlabPaths, sarifPaths } from './ciPaths';
import { formatGitlab } from './gitlab';
import { cliVersion } from './version';
import { oneLine, plural, UsageError } from './util';
import { firstCheckDone } from '../runtime/v8Settings';

export async function runCheck(args: string[], io: CliIO): Promise<number> {
  const { values: v, positionals } = parseCommand(CHECK_COMMAND, args);
  const format = choiceOption(v, 'format', CHECK_FORMATS) ?? 'text';
  const inventoryFile = stringOption(v, 'inventory');
  if (inventoryFile !== undefined && v.host !== undefined) throw new UsageError('--inventory and --host cannot be used together');
  const host = hostOptionsFrom(v, 'check', false);
  const guests = flagOption(v, 'guests');
  if (guests && host === undefined)
    throw new UsageError('--guests needs --host: it checks the definitions of the guests on that host (a snapshot holds none)');
  const maxWarnings = countOption(v, 'max-warnings', { minusOneIsNone: true });
  const disabled = new Set(listOption(v, 'disable'));
  // `--disable ''` (an unset variable in a script) would otherwise take nothing off without a word
  if (v.disable !== undefined && disabled.size === 0) throw new UsageError('--disable needs a CODE (it is empty)');
  for (const code of disabled)
    if (!isDiagnosticCode(code)) throw new UsageError(`--disable: unknown diagnostic code '${code}'${didYouMean(SERVICE_CODES, code)}`);

  const lookup = configLookupFrom(v);
  const stdinFilename = stringOption(v, 'stdin-filename');
  if (stdinFilename === '') throw new UsageError('--stdin-filename needs a NAME (it is empty)');
  if (stdinFilename !== undefined && !positionals.includes('-'))
    throw new UsageError("--stdin-filename names standard input, which is read when '-' is given as a FILE (none is)");
  if (positionals.length === 0 && !guests) throw new UsageError('no FILE to check');

  let inputs: Input[] = [];
  try {
    if (positionals.length > 0) inputs = expandInputs(positionals, stdinFilename ?? UNNAMED_STDIN);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    io.stderr(`libvirt-hostdev: ${oneLine(e)}\n`);
    return 2;
  }

  // The config is read before the host is contacted: a typo in it fails fast.
  let configFor: (input: Input) => ProjectConfig | null;
  // a guest's definition is checked under the working directory's config, as unnamed standard input
  let guestConfig: ProjectConfig | null = null;
  const cwd = io.cwd ?? process.cwd();
  try {
    if (guests) guestConfig = lookup.forDirectory(cwd);
    // standard input named by --stdin-filename gets the config a file at that path would (as ESLint's
    // and Prettier's --stdin-filepath); unnamed, the one of the working directory
    configFor = (input) =>
      !input.stdin
        ? lookup.forFile(input.name)
        : stdinFilename !== undefined
          ? lookup.forFile(path.resolve(cwd, stdinFilename))
          : lookup.forDirectory(cwd);
    for (const input of inputs) configFor(input);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    io.stderr(`libvirt-hostdev: ${oneLine(e)}\n`);
    return 2;
  }

  let inventory: Inventory | null = null;
  let definitions: readonly GuestDefinition[] = [];
  let hostName = '';
  try {
    if (inventoryFile !== undefined) inventory = readInventoryFileSync(inventoryFile);
    else if (host !== undefined) ({ inventory, definitions, hostName } = await loadHostCommands().fetchInventoryForCli(host, io));
  } catch (e) {
    io.stderr(`libvirt-hostdev: ${oneLine(e)}\n`);
    // a pipeline's report file (SARIF, GitLab, JSON, annotations) says it too: each file is named as not checked
    if (format !== 'text') {
      const reason = `the inventory could not be read: ${inertLine(oneLine(e))}`;
      const named = inputs.length > 0 ? inputs.map((i) => i.name) : [inertLine(inventoryFile ?? host?.host ?? '')];
      writeReport(named.map((file) => notCheckedResult(file, { reason })));
    }
    return 2;
  }

  let unreadable = false;
  const results: FileResult[] = [];
  for (const input of inputs) {
    // The optimizing compilers work as V8 has them from the second document on (runtime/v8Settings.ts).
    // A run of one document writes its report with them still held back: it runs the formats' code once,
    // and compiling it would cost more than it saves (the 15,000-line domain's text report: 10.7 -> 5.3 ms of CPU).
    if (results.length > 0) firstCheckDone();
    const read = await readInput(input, io);
    if ('reason' in read) {
      unreadable = true;
      results.push(notCheckedResult(input.name, read));
      continue;
    }
    // skipped before anything is checked: a file libvirt is never given has no libvirt failure, not even its encoding's
    const skipped = skippedVocabulary(read.text);
    if (skipped !== null) {
      io.stderr(`libvirt-hostdev: ${inertLine(input.name)}: skipped, ${inertLine(skipped)}\n`);
      results.push({ file: input.name, lines: new LineTable(''), problems: [], suppressed: [], skipped });
      continue;
    }
    results.push(checkText(input.name, read.text, configFor(input), read.decodingProblems));
  }
  // --guests: each persistent guest's definition, as its next start will read it
  // as a pattern that yields no file: a gate that checked nothing does not pass
  const nothingFromGuests = guests && definitions.length === 0;
  if (nothingFromGuests)
    io.stderr(`libvirt-hostdev: no guest definition was read on ${quotedName(inertLine(hostName))}: --guests found nothing to check\n`);
  for (const d of guests ? definitions : []) {
    if (results.length > 0) firstCheckDone();
    const label = `${inertLine(hostName)}/${inertLine(d.name)}.xml`;
    results.push({ ...checkText(label, d.xml, guestConfig), guest: { host: inventory!.host, name: d.name } });
  }

  /** the result of checking `text`, reported as `file`, under `config` */
  function checkText(file: string, text: string, config: ProjectConfig | null, decodingProblems?: Problem[]): FileResult {
    const notLibvirt = notLibvirtProblem(text);
    const inline = notLibvirt
      ? { problems: [notLibvirt], suppressed: [], lines: new LineTable(text) }
      : validateWithSuppressions(text, { inventory, decodingProblems });
    const misspelt = notLibvirt ? null : misspeltRootProblem(text);
    const problems = misspelt ? [misspelt, ...inline.problems] : inline.problems;
    const policed = applyPolicy(problems, { disabled, config });
    const suppressed = [
      ...inline.suppressed.map((p) => ({ ...p, inSource: true })),
      ...policed.suppressed.map((p) => ({ ...p, inSource: false })),
    ].sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
    return { file, lines: inline.lines, problems: policed.problems, suppressed };
  }

  // --quiet, as ESLint's: what is reported, not what the exit status counts
  const reported = flagOption(v, 'quiet') ? results.map(errorsOnly) : results;
  writeReport(reported, quietHidden(results, reported));

  if (unreadable || (nothingFromGuests && inputs.length === 0)) return 2;
  const count = countBySeverity(results);
  if (maxWarnings !== undefined && count.warning > maxWarnings) {
    io.stderr(`libvirt-hostdev: ${plural(count.warning, 'warning')}, more than --max-warnings ${maxWarnings}\n`);
    return 1;
  }
  return count.error > 0 ? 1 : 0;

  /** the report of `reported` on standard output, in the format asked for */
  function writeReport(reported: readonly FileResult[], notShown = 0): void {
    switch (format) {
      case 'json':
        formatJson(reported, (text) => io.stdout(text));
        break;
      case 'github':
        formatGithub(reported, cwd, (text) => io.stdout(text));
        break;
      case 'sarif':
        formatSarif(reported, { version: cliVersion(), rules: sarifRules() }, sarifPaths(io.env ?? process.env, cwd), (text) =>
          io.stdout(text),
        );
        break;
      case 'gitlab':
        formatGitlab(reported, gitlabPaths(io.env ?? process.env, cwd), (text) => io.stdout(text));
        break;
      default:
        formatText(reported, io.colour ?? false, (text) => io.stdout(text), notShown);
    }
  }
}

/** the problems `results` has beyond `reported` */
const quietHidden = (results: readonly FileResult[], reported: readonly FileResult[]): number =>
  results.reduce((n, r, i) => n + r.problems.length - reported[i].problems.length, 0);

/** A file's result with its errors only (those taken off too). */
function errorsOnly(result: FileResult): FileResult {
  return {
    ...result,
    problems: result.problems.filter((p) => p.severity === 'error'),
    suppressed: result.suppressed.filter((p) => p.severity === 'error'),
  };
}

/** An input not read: every format names it; one over the size libvirt takes gets its `document-size` error at 1:1. */
function notCheckedResult(file: string, notChecked: NotChecked): FileResult {
  const problems = notChecked.tooLarge ? [documentSizeProblem(notChecked.tooLarge.size, { start: 0, end: 0 })] : [];
  return { file, lines: new LineTable(''), problems, suppressed: [], notChecked: notChecked.reason };
}
