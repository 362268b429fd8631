// Reading ssh config files into lines as OpenSSH's readconf.c splits them: a keyword, then its
// arguments split like argv_split() (quotes, `\` escapes, a `#` word ends the line). A line ssh(1)
// would stop at (unclosed quotes, a keyword without argument, a keyword ssh does not know that no
// IgnoreUnknown read before lists) is a HostError('config') naming the file and line, as ssh stops
// there too; so is a file ssh refuses for its owner or permissions (sshConfigPermissions.ts).
// `Include` is resolved here (whole-path globs, relative to ~/.ssh or /etc/ssh); which lines apply to
// a host, and so which IgnoreUnknown is in force for it, is decided in sshConfigEval.ts.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileTooLarge, fileErrorReason, readBoundedFileSync } from '../../../shared/boundedFile';
import { shellJoin } from '../../../shared/shellQuote';
import { fnmatchTokens, wildcardMatches } from '../../../shared/wildcard';
import { HostError } from './transport';
import { badOption, refusesKeyword } from './sshConfigKeywords';
import { configFileRefusal, currentUid, localAccounts } from './sshConfigPermissions';

export interface ConfigLine {
  file: string;
  line: number;
  /** lower case */
  keyword: string;
  args: string[];
  /** the text after the keyword as written (ProxyCommand and other commands are taken whole) */
  rest: string;
  /** for `Include`: the files it names, in glob order */
  included?: ConfigFile[];
}

export interface ConfigFile {
  file: string;
  /** the system-wide file or one it includes */
  system: boolean;
  lines: ConfigLine[];
}

/** The files ssh(1) reads for one connection, in order; the first value of a keyword wins across them. */
export interface SshConfig {
  files: ConfigFile[];
}

/** The system-wide file ssh(1) reads after the user's (Debian adds `Include /etc/ssh/ssh_config.d/*.conf`). */
export const SYSTEM_SSH_CONFIG = '/etc/ssh/ssh_config';

/** ~/.ssh/config of the current user. */
export function defaultSshConfigPath(homeDir = os.homedir()): string {
  return path.join(homeDir, '.ssh', 'config');
}

export interface LoadOptions {
  homeDir?: string;
  /** the system-wide file; null: none. Default SYSTEM_SSH_CONFIG */
  systemFile?: string | null;
  /**
   * Read for its `Host` aliases only (a TAB completion, a host picker), never to connect: a line ssh would
   * stop at is passed over, a file it would refuse (others may write it) is read, one that cannot be read
   * or nests too deep is left out. A config with an error still offers its hosts; connecting names the error.
   */
  lenient?: boolean;
}

/**
 * What ssh(1) reads without -F: ~/.ssh/config, then the system-wide file. A file that does not exist
 * is left out, as ssh goes on without it.
 */
export function loadSshConfig(options: LoadOptions = {}): SshConfig {
  const homeDir = options.homeDir ?? os.homedir();
  const systemFile = options.systemFile === undefined ? SYSTEM_SSH_CONFIG : options.systemFile;
  // one reading: an IgnoreUnknown in the user's file also covers the system-wide file read after it
  const seen = newSeen();
  const lenient = options.lenient ?? false;
  const user = readFile(
    defaultSshConfigPath(homeDir),
    { ...newContext(homeDir, false, defaultSshConfigPath(homeDir), lenient), seen },
    false,
    true,
  );
  const system =
    systemFile !== null ? readFile(systemFile, { ...newContext(homeDir, true, systemFile, lenient), seen }, false, false) : null;
  return { files: [user, system].filter((f): f is ConfigFile => f !== null) };
}

/**
 * A config the user named instead of the default files (`ssh -F FILE`: neither ~/.ssh/config nor the
 * system-wide file is read). One that cannot be read is a HostError('config'), as ssh(1) stops with
 * "Can't open user config file".
 */
export function loadNamedSshConfig(given: string, homeDir = os.homedir(), lenient = false): SshConfig {
  // `ssh -F none` reads no config at all, and -F /dev/null an empty one: CI's way past a runner's config
  const file = path.resolve(given);
  if (given === 'none' || file === '/dev/null') return { files: [] };
  const read = lenient
    ? readFile(file, newContext(homeDir, false, file, true), false, false)
    : readSshConfigFile(file, { homeDir, required: true });
  return { files: read ? [read] : [] };
}

/** Config text given directly (tests, a picker), read as the user's file named `file`. */
export function sshConfigFromText(text: string, file = '~/.ssh/config', homeDir = os.homedir()): SshConfig {
  return { files: [parseConfig(text, file, newContext(homeDir, false, file))] };
}

/** A config file larger than this is not read (the largest real ones are a few hundred kB). */
const MAX_SSH_CONFIG_BYTES = 4 * 1024 * 1024;

/**
 * All files read for one config, Includes counted each time they are read: a file that includes
 * itself twice per level would otherwise make 2^16 copies of itself.
 */
const MAX_SSH_CONFIG_TOTAL_BYTES = 16 * 1024 * 1024;
const MAX_SSH_CONFIG_READS = 1024;

/** Include nesting deeper than this is an error, as in ssh(1) ("Too many recursive configuration includes"). */
const MAX_INCLUDE_DEPTH = 16;

interface ReadBudget {
  left: number;
  reads: number;
  top: string;
}

function newBudget(top: string): ReadBudget {
  return { left: MAX_SSH_CONFIG_TOTAL_BYTES, reads: MAX_SSH_CONFIG_READS, top };
}

/** What one reading has seen so far, across its files. */
interface Seen {
  /** the IgnoreUnknown lists read so far, in any block: a keyword none of them lists is refused for every host */
  ignoreUnknown: string[];
}

function newSeen(): Seen {
  return { ignoreUnknown: [] };
}

interface ReadContext {
  homeDir: string;
  /** the system-wide file and what it includes: relative Includes are under /etc/ssh, `~` is refused */
  system: boolean;
  depth: number;
  budget: ReadBudget;
  seen: Seen;
  /** LoadOptions.lenient */
  lenient: boolean;
}

function newContext(homeDir: string, system: boolean, top: string, lenient = false): ReadContext {
  return { homeDir, system, depth: 0, budget: newBudget(top), seen: newSeen(), lenient };
}

/**
 * One file with its Includes. Null when it does not exist (unless `required`); any other failure to
 * read it is a HostError('config'), as ssh(1) stops with "Can't open user config file".
 */
export function readSshConfigFile(
  file: string,
  options: { homeDir?: string; system?: boolean; required?: boolean } = {},
): ConfigFile | null {
  const ctx = newContext(options.homeDir ?? os.homedir(), options.system ?? false, file);
  return readFile(file, ctx, options.required ?? false, false);
}

/** `checkOwner`: refused when others could have written it, as ssh refuses ~/.ssh/config and every Included file. */
function readFile(file: string, ctx: ReadContext, required: boolean, checkOwner: boolean): ConfigFile | null {
  if (!ctx.lenient) return readStrictly(file, ctx, required, checkOwner);
  try {
    return readStrictly(file, ctx, false, false);
  } catch {
    return null;
  }
}

function readStrictly(file: string, ctx: ReadContext, required: boolean, checkOwner: boolean): ConfigFile | null {
  let text: string;
  try {
    text = readBoundedFileSync(file, MAX_SSH_CONFIG_BYTES).toString('utf8');
  } catch (e) {
    if (e instanceof FileTooLarge)
      throw new HostError('config', `ssh config ${file}: larger than ${MAX_SSH_CONFIG_BYTES / 1024 / 1024} MiB (${e.size} bytes)`);
    if (!required && (e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new HostError('config', `ssh config ${file}: cannot read: ${fileErrorReason(e)}`);
  }
  if (checkOwner) checkOwnerAndMode(file);
  if (ctx.depth > MAX_INCLUDE_DEPTH) {
    throw new HostError(
      'config',
      `ssh config ${ctx.budget.top}: Include nested more than ${MAX_INCLUDE_DEPTH} levels deep (at ${file}; does a file include itself?)`,
    );
  }
  ctx.budget.left -= text.length;
  if (ctx.budget.left < 0 || --ctx.budget.reads < 0) {
    throw new HostError(
      'config',
      `${ctx.budget.top}: more than ${MAX_SSH_CONFIG_READS} files or ${MAX_SSH_CONFIG_TOTAL_BYTES / 1024 / 1024} MiB with its Include files (does a file include itself?)`,
    );
  }
  return parseConfig(text, file, ctx);
}

function parseConfig(text: string, file: string, ctx: ReadContext): ConfigFile {
  const lines: ConfigLine[] = [];
  // a keyword ssh does not know is refused here when no IgnoreUnknown read before lists it (then it is
  // refused for every host); one that some IgnoreUnknown lists is decided per host in sshConfigEval.ts
  const refused = (keyword: string): boolean =>
    refusesKeyword(keyword, undefined) && ctx.seen.ignoreUnknown.every((list) => refusesKeyword(keyword, list));
  text.split('\n').forEach((raw, index) => {
    let parsed: ConfigLine | null;
    try {
      parsed = splitConfigLine(raw, file, index + 1, refused);
    } catch (e) {
      if (ctx.lenient) return;
      throw e;
    }
    if (!parsed) return;
    if (parsed.keyword === 'ignoreunknown' && parsed.args[0] !== undefined) ctx.seen.ignoreUnknown.push(parsed.args[0]);
    if (parsed.keyword === 'include') {
      parsed.included = parsed.args.flatMap((arg) => {
        if (arg.startsWith('~') && ctx.system) {
          if (ctx.lenient) return [];
          throw new HostError('config', `${file} line ${index + 1}: bad include path ${arg}`);
        }
        return globPath(includePath(arg, ctx)).flatMap((included) => {
          const child = readFile(included, { ...ctx, depth: ctx.depth + 1 }, false, true);
          return child ? [child] : [];
        });
      });
    }
    lines.push(parsed);
  });
  return { file, system: ctx.system, lines };
}

/**
 * readconf.c's split of one line; null for a blank or comment line. `refused`: whether ssh stops at the
 * keyword (lower case), which it decides after finding an argument and before reading the quotes.
 */
export function splitConfigLine(raw: string, file: string, line: number, refused?: (keyword: string) => boolean): ConfigLine | null {
  const text = raw.replace(/[ \t\r\n\f]+$/, '');
  // the keyword ends at whitespace or '='; one '=' (with whitespace around it) may separate it from the value
  const head = /^[ \t]*([^ \t="]*)[ \t]*(?:=[ \t]*)?/.exec(text)!;
  const keyword = head[1].toLowerCase();
  if (keyword === '' || keyword.startsWith('#')) return null;
  const rest = text.slice(head[0].length);
  const fail = (why: string): never => {
    throw new HostError('config', `ssh config ${file} line ${line}: ${why}`);
  };
  if (rest === '') fail(`no argument after keyword "${keyword}"`);
  if (refused?.(keyword)) fail(badOption(keyword));
  const args = argvSplit(rest) ?? fail('invalid quotes');
  return { file, line, keyword, args, rest };
}

/** misc.c argv_split(…, terminate_on_comment): null when a quote is not closed. */
function argvSplit(s: string): string[] | null {
  const args: string[] = [];
  let i = 0;
  while (i < s.length) {
    if (s[i] === ' ' || s[i] === '\t') {
      i++;
      continue;
    }
    if (s[i] === '#') break;
    let arg = '';
    let quote = '';
    for (; i < s.length; i++) {
      const c = s[i];
      if (c === '\\') {
        const next = s[i + 1];
        if (next === "'" || next === '"' || next === '\\' || (quote === '' && next === ' ')) i++;
        arg += s[i];
      } else if (quote === '' && (c === ' ' || c === '\t')) break;
      else if (quote === '' && (c === '"' || c === "'")) quote = c;
      else if (quote !== '' && c === quote) quote = '';
      else arg += c;
    }
    if (quote !== '') return null;
    args.push(arg);
  }
  return args;
}

/** ssh's refusal of a file others could have written: "Bad owner or permissions on FILE". */
function checkOwnerAndMode(file: string): void {
  const uid = currentUid();
  if (uid === undefined) return;
  let why: string | null;
  try {
    why = configFileRefusal(fs.statSync(file), uid, localAccounts);
  } catch {
    return; // read a moment ago: gone since, the next reading says so
  }
  if (why === null) return;
  const fix = why.startsWith('writable')
    ? shellJoin(['chmod', 'go-w', file])
    : `${shellJoin(['chown', userName(), file])} as root, or remove it`;
  throw new HostError('config', `ssh config ${file}: Bad owner or permissions: ${why}; ssh refuses it too (${fix})`);
}

/** the user's name for a chown; a uid without a passwd entry (a container's) has none */
function userName(): string {
  try {
    return os.userInfo().username;
  } catch {
    return String(currentUid());
  }
}

function includePath(arg: string, ctx: ReadContext): string {
  if (arg === '~' || arg.startsWith('~/')) return path.join(ctx.homeDir, arg.slice(1));
  if (path.isAbsolute(arg)) return arg;
  return path.join(ctx.system ? path.dirname(SYSTEM_SSH_CONFIG) : path.join(ctx.homeDir, '.ssh'), arg);
}

/**
 * glob(3) over an absolute path: `*`, `?` and `[…]` in any part, a leading '.' matched only when
 * written, results sorted. A path without wildcards is itself when it exists.
 */
export function globPath(pattern: string): string[] {
  const parts = pattern.split('/').filter((p) => p !== '');
  let found = ['/'];
  let sorted = false;
  for (const part of parts) {
    if (!/[*?[]/.test(part)) {
      found = found.map((dir) => path.join(dir, part));
      continue;
    }
    const tokens = fnmatchTokens(part, false);
    sorted = true;
    found = found.flatMap((dir) => {
      let names: string[];
      try {
        names = fs.readdirSync(dir);
      } catch {
        return [];
      }
      return names
        .filter((name) => (!name.startsWith('.') || part.startsWith('.')) && wildcardMatches(tokens, name))
        .map((name) => path.join(dir, name));
    });
  }
  const existing = found.filter((f) => fs.existsSync(f));
  return sorted ? existing.sort() : existing;
}

/**
 * The concrete `Host` aliases of a config (Includes followed), in file order, for a picker as
 * Remote-SSH offers them: patterns (`*`, `?`, `!…`) are left out.
 */
export function sshConfigAliases(config: SshConfig | null): string[] {
  const aliases: string[] = [];
  const walk = (file: ConfigFile): void => {
    for (const line of file.lines) {
      if (line.keyword === 'include') line.included?.forEach(walk);
      if (line.keyword !== 'host') continue;
      for (const alias of line.args) if (alias && !/[*?!]/.test(alias) && !aliases.includes(alias)) aliases.push(alias);
    }
  };
  config?.files.forEach(walk);
  return aliases.slice(0, 500);
}
