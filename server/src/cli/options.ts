// The CLI's option tables. Every subcommand is a CommandSpec: its options (each with its help line)
// are parsed by node's parseArgs and printed by `--help` from the same table, so an option added to
// a table is parsed and documented at once. Host commands share HOST_OPTIONS.
import { parseArgs } from 'node:util';
import type { HostTransport } from '../../../shared/settings';
import { oneLine, UsageError } from './util';
import { didYouMeanNote, nearestWord } from '../../../shared/nearestWord';

/**
 * What a value is, for the shell's completion (completion.ts): a file, a directory, a diagnostic code, a
 * host (`local` and the ssh config's aliases), a PF of the snapshot `--inventory FILE` on the line, or
 * one of `words` (with what each means, for zsh's and fish's menus).
 */
export type ValueKind = 'file' | 'dir' | 'code' | 'host' | 'pf' | { words: readonly string[]; meanings?: Readonly<Record<string, string>> };

/** `--format text|json`: what each gives */
export const TEXT_OR_JSON_MEANINGS: Readonly<Record<string, string>> = {
  text: 'for a person at a terminal',
  json: 'for scripts',
};

export interface OptionSpec {
  /** long name without the dashes */
  name: string;
  short?: string;
  type: 'string' | 'boolean';
  /** may be given more than once (values are collected in order) */
  multiple?: boolean;
  /** placeholder shown in the help: `--host TARGET` */
  value?: string;
  /** what the value is (none: any text, nothing to offer) */
  completes?: ValueKind;
  help: string;
}

export interface CommandSpec {
  name: string;
  /** what follows `libvirt-hostdev NAME` in the usage line */
  synopsis: string;
  /** one line for `libvirt-hostdev --help` */
  summary: string;
  /** paragraphs printed between the usage line and the options */
  description: string;
  options: readonly OptionSpec[];
  /** what its operands (the arguments that are not options) are (none: it takes none) */
  operands?: ValueKind;
  /** printed after the options (exit status, examples) */
  epilogue?: string;
}

export type OptionValues = Record<string, string | boolean | string[] | undefined>;

export interface ParsedCommand {
  values: OptionValues;
  positionals: string[];
}

/** `--format` of the commands that print text or JSON */
export const TEXT_OR_JSON = ['text', 'json'] as const;
/** `--transport` */
const TRANSPORTS = ['builtin', 'openssh'] as const;

/** The options every command that talks to a host takes, in the order `--help` lists them. */
export const HOST_OPTIONS: readonly OptionSpec[] = [
  { name: 'host', type: 'string', value: 'TARGET', completes: 'host', help: 'local, [user@]host[:port] or an ~/.ssh/config alias' },
  {
    name: 'connect',
    type: 'string',
    value: 'URI',
    completes: {
      words: ['qemu:///system', 'qemu:///session'],
      meanings: { 'qemu:///system': "the host's libvirtd (as root or the libvirt group)", 'qemu:///session': "the SSH user's own libvirt" },
    },
    help: 'libvirt URI on that host (default qemu:///system)',
  },
  { name: 'sysfs-root', type: 'string', value: 'DIR', completes: 'dir', help: 'read sysfs from DIR instead of /sys' },
  {
    name: 'host-root',
    type: 'string',
    value: 'DIR',
    completes: 'dir',
    help: 'read a copied host instead of /: DIR/sys, DIR/etc, DIR/proc/cmdline',
  },
  { name: 'identity', type: 'string', value: 'FILE', completes: 'file', help: 'SSH private key' },
  {
    name: 'transport',
    type: 'string',
    value: TRANSPORTS.join('|'),
    completes: {
      words: TRANSPORTS,
      meanings: { builtin: 'the built-in SSH client', openssh: 'the system ssh program, with all of ~/.ssh/config' },
    },
    help: 'SSH through the built-in client (default) or the system ssh program (certificates, FIDO keys, Kerberos, ControlMaster)',
  },
  { name: 'ssh-config', type: 'string', value: 'FILE', completes: 'file', help: 'ssh config file instead of ~/.ssh/config (like ssh -F)' },
  { name: 'accept-new-host-key', type: 'boolean', help: 'trust an unknown SSH host key (and remember it)' },
  { name: 'timeout', type: 'string', value: 'SECONDS', help: 'how long one command on the host may take (default 60)' },
  { name: 'connect-timeout', type: 'string', value: 'SECONDS', help: 'how long the SSH connection may take to open (default 10)' },
];

export interface HostCliOptions {
  host: string;
  connect?: string;
  sysfsRoot?: string;
  /** a copied host (sys/, etc/, proc/cmdline) read instead of / */
  hostRoot?: string;
  identityFile?: string;
  acceptNewHostKey?: boolean;
  /** command timeout; default 60 s (a first qemu:///session connection probes QEMU for ~30 s) */
  timeoutMs?: number;
  /** SSH connect timeout; default 10 s */
  connectTimeoutMs?: number;
  transport?: HostTransport;
  /** `--ssh-config FILE` instead of ~/.ssh/config */
  sshConfigFile?: string;
}

/**
 * The host options of a parsed command line. Without --host: undefined when `required` is false
 * (then no other host option may be given), a usage error otherwise.
 */
export function hostOptionsFrom(values: OptionValues, command: string, required: boolean): HostCliOptions | undefined {
  const host = stringOption(values, 'host');
  if (host === undefined || host === '') {
    if (required) throw new UsageError(`${command} needs --host TARGET (local, [user@]host[:port] or an ~/.ssh/config alias)`);
    const stray = HOST_OPTIONS.find((o) => o.name !== 'host' && values[o.name] !== undefined);
    if (stray) throw new UsageError(`--${stray.name} needs --host`);
    return undefined;
  }
  return {
    host,
    connect: stringOption(values, 'connect'),
    sysfsRoot: stringOption(values, 'sysfs-root'),
    hostRoot: stringOption(values, 'host-root'),
    identityFile: stringOption(values, 'identity'),
    transport: choiceOption(values, 'transport', TRANSPORTS),
    sshConfigFile: stringOption(values, 'ssh-config'),
    acceptNewHostKey: flagOption(values, 'accept-new-host-key'),
    timeoutMs: secondsOption(values, 'timeout'),
    connectTimeoutMs: secondsOption(values, 'connect-timeout'),
  };
}

export const HELP_OPTION: OptionSpec = { name: 'help', short: 'h', type: 'boolean', help: 'show this help' };

/** True when the arguments ask for help (before a `--` that ends the options). */
export function wantsHelp(args: readonly string[]): boolean {
  for (const a of args) {
    if (a === '--') return false;
    if (a === '--help' || a === '-h') return true;
  }
  return false;
}

export function parseCommand(spec: CommandSpec, args: string[]): ParsedCommand {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const o of spec.options) {
    options[o.name] = { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) };
  }
  // `--max-warnings -1`: a negative number after an option that takes a value is that value (parseArgs
  // would read it as an option); no option of ours is a digit
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const name = args[i].startsWith('--') ? args[i].slice(2) : null;
    if (name !== null && options[name]?.type === 'string' && /^-\d+$/.test(args[i + 1] ?? '')) joined.push(`${args[i]}=${args[++i]}`);
    else joined.push(args[i]);
  }
  try {
    const parsed = parseArgs({ args: joined, allowPositionals: true, strict: true, options });
    return { values: parsed.values as OptionValues, positionals: parsed.positionals };
  } catch (e) {
    throw new UsageError(parseProblem(spec, e));
  }
}

/** parseArgs' error in the tool's words: lower case, the option it names, the option a misspelling most likely meant. */
function parseProblem(spec: CommandSpec, e: unknown): string {
  const message = oneLine(e);
  const code = (e as { code?: unknown }).code;
  const named = /^(?:Unknown option|Option) '(?:-\w, )?(-[^' ]*)/.exec(message)?.[1];
  if (named === undefined) return message.charAt(0).toLowerCase() + message.slice(1);
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const near = named.startsWith('--')
      ? nearestWord(
          named.slice(2),
          [...spec.options, HELP_OPTION].map((o) => o.name),
        )
      : null;
    return `unknown option '${named}'${didYouMeanNote(near === null ? null : `--${near}`)}`;
  }
  const option = spec.options.find((o) => `--${o.name}` === named);
  if (/argument missing$/.test(message)) return `${named} needs a value${option?.value ? ` (${option.value})` : ''}`;
  if (/does not take an argument$/.test(message)) return `${named} takes no value`;
  return message.charAt(0).toLowerCase() + message.slice(1);
}

export function stringOption(values: OptionValues, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

/** `--NAME` as one of `choices` (a usage error otherwise); undefined when absent. */
export function choiceOption<T extends string>(values: OptionValues, name: string, choices: readonly T[]): T | undefined {
  const raw = stringOption(values, name);
  if (raw === undefined || (choices as readonly string[]).includes(raw)) return raw as T | undefined;
  const words = choices.length === 2 ? `${choices[0]} or ${choices[1]}` : `one of ${choices.join(', ')}`;
  throw new UsageError(`--${name} must be ${words}, not '${raw}'`);
}

export function flagOption(values: OptionValues, name: string): boolean {
  return values[name] === true;
}

/** A repeatable option whose values may also be comma-separated: `--disable a,b --disable c`. */
export function listOption(values: OptionValues, name: string): string[] {
  const v = values[name];
  const raw = Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
  return raw
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** --timeout / --connect-timeout at most (one day). */
const MAX_SECONDS = 86_400;

/** `--NAME SECONDS` as milliseconds; undefined when absent. */
export function secondsOption(values: OptionValues, name: string): number | undefined {
  const raw = stringOption(values, name);
  if (raw === undefined) return undefined;
  const s = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(s)) throw new UsageError(`--${name} must be a number of seconds, not '${raw}'`);
  if (s <= 0) throw new UsageError(`--${name} must be more than 0 seconds, not '${raw}'`);
  // Node's timers fire after 1 ms past 2^31-1 ms: a day is the most a command or connection may take
  if (s > MAX_SECONDS) throw new UsageError(`--${name} must be at most ${MAX_SECONDS} seconds, not '${raw}'`);
  return Math.round(s * 1000);
}

/**
 * A non-negative whole number option (`--max-warnings 0`); undefined when absent, or when it is -1 and
 * `minusOneIsNone` (ESLint's `--max-warnings -1`: no limit).
 */
export function countOption(values: OptionValues, name: string, options: { minusOneIsNone?: boolean } = {}): number | undefined {
  const raw = stringOption(values, name);
  if (raw === undefined || (options.minusOneIsNone && raw === '-1')) return undefined;
  if (!/^\d{1,9}$/.test(raw))
    throw new UsageError(`--${name} must be ${options.minusOneIsNone ? '-1 (no limit) or ' : ''}a whole number from 0, not '${raw}'`);
  return Number(raw);
}

/** Help text from the table: usage, description, options (aligned), epilogue. */
export function commandHelp(spec: CommandSpec): string {
  const rows = [...spec.options, HELP_OPTION].map((o) => {
    const flag = `${o.short ? `-${o.short}, ` : '    '}--${o.name}${o.value ? ` ${o.value}` : ''}`;
    return { flag, help: o.multiple ? `${o.help} (repeatable)` : o.help };
  });
  const width = Math.min(34, Math.max(...rows.map((r) => r.flag.length)) + 2);
  const lines = rows.map((r) =>
    r.flag.length + 2 > width ? `  ${r.flag}\n  ${' '.repeat(width)}${r.help}` : `  ${r.flag.padEnd(width)}${r.help}`,
  );
  return `Usage: libvirt-hostdev ${spec.name} ${spec.synopsis}\n\n${spec.description.trim()}\n\nOptions:\n${lines.join('\n')}\n${spec.epilogue ? `\n${spec.epilogue.trim()}\n` : ''}`;
}
