// Shell completion. `libvirt-hostdev completion bash|zsh|fish` prints a script the shell loads
// (completionScripts.ts); on each TAB that script runs `libvirt-hostdev __complete`, which answers from
// the command table (commandSpecs.ts, the one place that says what each command takes): one candidate
// per line, then a line saying what else the shell should offer, `:file` or `:dir` (its own completion
// of paths, which knows quoting, `~` and the file system better than we could) or `:words` (only the
// lines above). Diagnostic codes come from the rule catalog, hosts from the ssh config, as the editor's
// host picker lists them, a `--pf` from the snapshot `--inventory FILE` on the line; nothing is read
// from a host (a TAB must answer at once, and may not ask for a passphrase or a host key). zsh and fish show what each candidate is beside
// it (`__complete --describe`: a tab and one line after the word); bash has no place for that.
import { inertLabel } from '../../../shared/inertControls';
import { quotedName } from '../../../shared/quotedName';
import { DIAGNOSTIC_CODES, RULES } from '../service/catalog';
import { vfListing, type ListedPf } from '../service/vfListing';
import { readInventoryFileSync } from '../inventory/fileProvider';
import { loadNamedSshConfig, loadSshConfig, sshConfigAliases } from '../host/sshConfigFiles';
import { COMPLETION_SHELLS, type CompletionShell } from './commandSpecs';
import { completionScript } from './completionScripts';
import { HELP_OPTION, type CommandSpec, type OptionSpec, type ValueKind } from './options';
import { UsageError } from './util';
import type { CliIO } from './io';

export interface Completion {
  /** whole words for the word being completed, each starting with what is typed of it */
  words: string[];
  /** what each of `words` is, by its index ('' when nothing is said); left out when nothing is said of any */
  descriptions?: string[];
  /** the shell's own completion of paths to offer as well */
  paths: 'file' | 'dir' | null;
}

/** a word to offer, alone or with what it is */
type Candidate = string | readonly [word: string, description: string];

/** What the candidates come from beyond the command table (the tests give their own). */
export interface CompletionSources {
  /** each code with its one-line summary */
  codes(): readonly Candidate[];
  /** `local` and the ssh config's host aliases; `sshConfig` the file given with --ssh-config, if any */
  hosts(sshConfig: string | undefined): readonly Candidate[];
  /** the PFs of the snapshot `inventoryFile` (given with --inventory; none without one) */
  pfs(inventoryFile: string | undefined): readonly Candidate[];
}

/** The top-level words besides the commands */
const TOP_LEVEL_OPTIONS: readonly Candidate[] = [
  ['--help', 'show the help'],
  ['--version', 'show the version'],
];
/** `help COMMAND`, offered beside the commands */
const HELP_COMMAND: Candidate = ['help', 'show the options of a command'];

/**
 * The completion of `words`, the arguments after the program name; the last is the word being
 * completed (empty when the cursor follows a blank). `commands` is the command table.
 */
export function complete(words: readonly string[], commands: readonly CommandSpec[], sources: CompletionSources): Completion {
  const current = words.length > 0 ? words[words.length - 1] : '';
  const before = words.slice(0, -1);
  const names = commands.map((c): Candidate => [c.name, c.summary]);
  if (before.length === 0) return offer(current.startsWith('-') ? TOP_LEVEL_OPTIONS : [...names, HELP_COMMAND], current);
  if (before[0] === 'help') return before.length === 1 ? offer(names, current) : NOTHING;
  const spec = commands.find((c) => c.name === before[0]);
  if (!spec) return NOTHING;
  const args = before.slice(1);
  if (args.includes('--')) return operands(spec, current, sources);
  const previous = args.length > 0 ? optionNamed(spec, args[args.length - 1]) : undefined;
  if (previous?.type === 'string' && !args[args.length - 1].includes('=')) return value(previous, current, '', args, sources);
  const assigned = /^(--[^=]+)=([^]*)$/.exec(current);
  if (assigned) {
    const option = optionNamed(spec, assigned[1]);
    return option?.type === 'string' ? value(option, assigned[2], `${assigned[1]}=`, args, sources) : NOTHING;
  }
  if (current.startsWith('-')) return offer(optionWords(spec, args), current);
  // a command without operands takes only options: offer them at once
  return spec.operands === undefined ? offer(optionWords(spec, args), current) : operands(spec, current, sources);
}

const NOTHING: Completion = { words: [], paths: null };

function offer(candidates: readonly Candidate[], typed: string, prefix = ''): Completion {
  const words: string[] = [];
  const descriptions: string[] = [];
  for (const candidate of candidates) {
    const [word, description] = typeof candidate === 'string' ? [candidate, ''] : candidate;
    if (!word.startsWith(typed)) continue;
    words.push(prefix + word);
    descriptions.push(description);
  }
  return descriptions.some((d) => d !== '') ? { words, descriptions, paths: null } : { words, paths: null };
}

/** `--name` or `-n` (a short option), or `--name=…` */
function optionNamed(spec: CommandSpec, arg: string): OptionSpec | undefined {
  if (arg.startsWith('--')) {
    const name = arg.slice(2).split('=')[0];
    return spec.options.find((o) => o.name === name);
  }
  return /^-[^-]$/.test(arg) ? spec.options.find((o) => o.short === arg[1]) : undefined;
}

/** `--name` of each option with its help, but those already given that may be given once, and `--help` */
function optionWords(spec: CommandSpec, args: readonly string[]): Candidate[] {
  const given = new Set(args.map((a) => optionNamed(spec, a)).filter((o) => o !== undefined));
  return [...spec.options.filter((o) => o.multiple || !given.has(o)), HELP_OPTION].map((o): Candidate => [`--${o.name}`, o.help]);
}

function operands(spec: CommandSpec, typed: string, sources: CompletionSources): Completion {
  return spec.operands === undefined ? NOTHING : ofKind(spec.operands, typed, '', sources, []);
}

function value(option: OptionSpec, typed: string, prefix: string, args: readonly string[], sources: CompletionSources): Completion {
  if (option.completes === undefined) return NOTHING;
  // `--disable a,b,c`: the code after the last comma
  if (option.completes === 'code' && option.multiple) {
    const comma = typed.lastIndexOf(',') + 1;
    return ofKind('code', typed.slice(comma), prefix + typed.slice(0, comma), sources, args);
  }
  return ofKind(option.completes, typed, prefix, sources, args);
}

/** `args`: the command's words before the one being completed, where the sources of hosts and PFs are named */
function ofKind(kind: ValueKind, typed: string, prefix: string, sources: CompletionSources, args: readonly string[]): Completion {
  switch (kind) {
    case 'file':
    case 'dir':
      // the shell completes paths itself; a word after `--name=` is left to it as a whole
      return { words: [], paths: kind };
    case 'code':
      return offer(sources.codes(), typed, prefix);
    case 'host':
      return offer(sources.hosts(pathOption(args, 'ssh-config')), typed, prefix);
    case 'pf':
      return offer(sources.pfs(pathOption(args, 'inventory')), typed, prefix);
    default:
      return offer(
        kind.words.map((word): Candidate => [word, kind.meanings?.[word] ?? '']),
        typed,
        prefix,
      );
  }
}

/**
 * The path given last with `--name` among the arguments, with a leading `~/` read as the shell will
 * read it when the command runs (the words a completion gets are as typed).
 */
function pathOption(args: readonly string[], name: string): string | undefined {
  for (let i = args.length - 1; i >= 0; i--) {
    if (args[i].startsWith(`--${name}=`)) return expandHome(args[i].slice(name.length + 3));
    if (args[i] === `--${name}` && i + 1 < args.length) return expandHome(args[i + 1]);
  }
  return undefined;
}

function expandHome(path: string): string {
  const home = process.env.HOME;
  return home && (path === '~' || path.startsWith('~/')) ? home + path.slice(1) : path;
}

/**
 * The words of a command line up to the cursor, as the shell will pass them: split at unquoted blanks,
 * quotes and backslashes taken off; the last is the word being completed ('' after a blank). Bash hands
 * its completion function words split also at `=` and `:`, so its script passes the line instead.
 */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: "'" | '"' | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote === "'") {
      if (c === "'") quote = null;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1])) word += line[++i];
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else if (c === ' ' || c === '\t' || c === '\n') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  words.push(word);
  return words;
}

/** characters a shell takes literally in an unquoted word */
const SHELL_PLAIN = /^[A-Za-z0-9._@%+=:,/-]+$/;

/** `--host local` */
const LOCAL_HOST: Candidate = ['local', 'this machine, without SSH'];

/** The catalog's codes and the ssh config's hosts (read leniently: a config with an error still offers its hosts). */
export const COMPLETION_SOURCES: CompletionSources = {
  codes: () => DIAGNOSTIC_CODES.map((code): Candidate => [code, RULES[code].summary]),
  hosts(sshConfig) {
    try {
      const config = sshConfig !== undefined ? loadNamedSshConfig(sshConfig, undefined, true) : loadSshConfig({ lenient: true });
      // inserted into the command line as they are: only names a shell reads as one plain word
      return [LOCAL_HOST, ...sshConfigAliases(config).filter((alias) => SHELL_PLAIN.test(alias) && alias !== 'local')];
    } catch {
      return [LOCAL_HOST];
    }
  },
  pfs(inventoryFile) {
    if (inventoryFile === undefined) return [];
    try {
      const listing = vfListing(readInventoryFileSync(inventoryFile));
      return 'error' in listing ? [] : pfCandidates(listing.pfs);
    } catch {
      // a snapshot that cannot be read offers nothing here; running the command says why
      return [];
    }
  },
};

/**
 * Each PF by its netdev and by its PCI address (`--pf` takes either, as `vfs` and `new-interface` read
 * it), each described by the other, the PF's driver and its free VFs.
 */
export function pfCandidates(pfs: readonly ListedPf[]): Candidate[] {
  const candidates: Candidate[] = [];
  for (const pf of pfs) {
    const free = `${pf.freeVfs} of ${pf.vfs.length} VFs free`; // as `vfs` counts them
    const driver = pf.driver ? ` · ${pf.driver}` : '';
    if (pf.netdev !== null && SHELL_PLAIN.test(pf.netdev)) candidates.push([pf.netdev, `PF ${pf.address}${driver} · ${free}`]);
    candidates.push([pf.address, `PF${pf.netdev !== null ? ` ${quotedName(pf.netdev)}` : ''}${driver} · ${free}`]);
  }
  return candidates;
}

/** the longest description a line gets: a menu beside the command line, not the help */
const DESCRIPTION_LENGTH = 80;

/**
 * `__complete -- WORD...` (zsh, fish: the words after the program name) or `__complete --line TEXT`
 * (bash: the line up to the cursor, program name first): the candidates, one per line, then the line
 * `:file`, `:dir` or `:words`. With `--describe` first (zsh, fish), a candidate's line is the word, a tab
 * and what it is, when something is said of it; a script made before `--describe` gets the words alone.
 * Never an error: a shell shows whatever a completion prints.
 */
export function runCompleteCommand(args: readonly string[], commands: readonly CommandSpec[], io: CliIO): number {
  const describe = args[0] === '--describe';
  const rest = describe ? args.slice(1) : args;
  const words = rest[0] === '--line' ? shellWords(rest[1] ?? '').slice(1) : rest[0] === '--' ? rest.slice(1) : [...rest];
  const { words: candidates, descriptions, paths } = complete(words, commands, COMPLETION_SOURCES);
  const lines: string[] = [];
  candidates.forEach((word, i) => {
    if (/[\t\n]/.test(word)) return;
    const description = describe && descriptions ? inertLabel(descriptions[i], DESCRIPTION_LENGTH) : '';
    lines.push(description === '' ? word : `${word}\t${description}`);
  });
  io.stdout([...lines, `:${paths ?? 'words'}`].join('\n') + '\n');
  return 0;
}

/** `completion SHELL`: the script for that shell. */
export function runCompletionCommand(args: readonly string[], io: CliIO): number {
  if (args.length !== 1) throw new UsageError(`completion needs one SHELL: ${COMPLETION_SHELLS.join(', ')}`);
  const shell = args[0];
  if (!(COMPLETION_SHELLS as readonly string[]).includes(shell))
    throw new UsageError(`completion: SHELL must be one of ${COMPLETION_SHELLS.join(', ')}, not '${shell}'`);
  io.stdout(completionScript(shell as CompletionShell));
  return 0;
}
