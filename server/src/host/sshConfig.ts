// Reads ~/.ssh/config with the `ssh-config` package so a host alias behaves as it does for the
// user's own `ssh` command (HostName, User, Port, IdentityFile, IdentitiesOnly, IdentityAgent,
// ProxyJump/ProxyCommand, ConnectTimeout, known-hosts options, ServerAlive*). First value wins
// (ssh_config(5)); `Match exec` blocks are NOT evaluated — the language server must never run
// commands from a config file — and are named to the user (sshConfigSupport.ts).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { unsupportedDirectives } from './sshConfigSupport';
import { FileTooLarge, fileErrorReason, readBoundedFileSync } from '../../../shared/boundedFile';
import { fnmatchTokens, wildcardMatches } from '../../../shared/wildcard';
import { HostError } from './transport';
// ssh-config ships CommonJS (dist/) for require, but its types are declared for the ESM build:
// take the types from there and the code from require.
import type { parse as ParseSshConfig } from 'ssh-config' with { 'resolution-mode': 'import' };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parse: parseSshConfig } = require('ssh-config') as { parse: typeof ParseSshConfig };

export interface SshConfigEntry {
  hostName?: string;
  user?: string;
  port?: number;
  /** as written (tokens and ~ not expanded yet; see expandPathTokens) */
  identityFiles: string[];
  /** raw ProxyJump value (`none` already filtered out) */
  proxyJump?: string;
  /** raw ProxyCommand (tokens not expanded; `none` filtered out); never set together with proxyJump */
  proxyCommand?: string;
  connectTimeoutSeconds?: number;
  userKnownHostsFiles?: string[];
  globalKnownHostsFiles?: string[];
  identitiesOnly?: boolean;
  /** raw IdentityAgent (`none`, `SSH_AUTH_SOCK`, `$VAR` or a path; not expanded yet) */
  identityAgent?: string;
  strictHostKeyChecking?: StrictHostKeyChecking;
  hostKeyAlias?: string;
  serverAliveIntervalSeconds?: number;
  serverAliveCountMax?: number;
  /** directives set for this host that the built-in client does not honour (ssh_config spelling) */
  unsupported: string[];
}

/** `ask` is ssh's default: an unknown key is shown to the user. */
export type StrictHostKeyChecking = 'yes' | 'accept-new' | 'no' | 'ask';

/** ~/.ssh/config of the current user. */
export function defaultSshConfigPath(homeDir = os.homedir()): string {
  return path.join(homeDir, '.ssh', 'config');
}

/**
 * The text of an ssh config file with its `Include` lines replaced by the included files' text
 * (the `ssh-config` package does not follow Include; ssh(1) reads an included file as if it were
 * written at that place). Relative paths are under ~/.ssh; `*` and `?` glob the last path part.
 * Null when the file does not exist or cannot be read, as ssh(1) then goes on without ~/.ssh/config.
 * Throws HostError('config') past a budget (the Limits in README.md) or 16 Include levels.
 */
export function readSshConfigText(file: string, homeDir = os.homedir()): string | null {
  return readWithIncludes(file, homeDir, 0, newBudget(file), false);
}

/**
 * A config the user named instead of ~/.ssh/config (`ssh -F FILE`): one that cannot be read is a
 * HostError('config'), as ssh(1) stops with "Can't open user config file".
 */
export function readNamedSshConfigText(file: string, homeDir = os.homedir()): string {
  return readWithIncludes(file, homeDir, 0, newBudget(file), true)!;
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

/** `required`: the file must be readable (a named config); an Include that matches nothing is skipped, as in ssh(1). */
function readWithIncludes(file: string, homeDir: string, depth: number, budget: ReadBudget, required: boolean): string | null {
  let text: string;
  try {
    text = readBoundedFileSync(file, MAX_SSH_CONFIG_BYTES).toString('utf8');
  } catch (e) {
    if (e instanceof FileTooLarge)
      throw new HostError('config', `ssh config ${file}: larger than ${MAX_SSH_CONFIG_BYTES / 1024 / 1024} MiB (${e.size} bytes)`);
    if (required) throw new HostError('config', `ssh config ${file}: cannot read: ${fileErrorReason(e)}`);
    return null;
  }
  if (depth > MAX_INCLUDE_DEPTH) {
    throw new HostError(
      'config',
      `ssh config ${budget.top}: Include nested more than ${MAX_INCLUDE_DEPTH} levels deep (at ${file}; does a file include itself?)`,
    );
  }
  budget.left -= text.length;
  if (budget.left < 0 || --budget.reads < 0) {
    throw new HostError(
      'config',
      `${budget.top}: more than ${MAX_SSH_CONFIG_READS} files or ${MAX_SSH_CONFIG_TOTAL_BYTES / 1024 / 1024} MiB with its Include files (does a file include itself?)`,
    );
  }
  return text.replace(/^[ \t]*Include[ \t]*[ \t=][ \t]*(.+)$/gim, (_line, args: string) =>
    args
      .trim()
      .split(/\s+/)
      .flatMap((arg) => globFiles(resolveIncludePath(arg.replace(/^"(.*)"$/, '$1'), homeDir)))
      .map((included) => readWithIncludes(included, homeDir, depth + 1, budget, false) ?? '')
      .join('\n'),
  );
}

function resolveIncludePath(arg: string, homeDir: string): string {
  if (arg === '~' || arg.startsWith('~/')) return path.join(homeDir, arg.slice(1));
  return path.isAbsolute(arg) ? arg : path.join(homeDir, '.ssh', arg);
}

/** The files matching a path whose last part may hold `*` / `?`, sorted like glob(3). */
function globFiles(pattern: string): string[] {
  const base = path.basename(pattern);
  if (!/[*?]/.test(base)) return [pattern];
  const dir = path.dirname(pattern);
  const tokens = fnmatchTokens(base, false);
  try {
    return fs
      .readdirSync(dir)
      .filter((name) => !name.startsWith('.') && wildcardMatches(tokens, name))
      .sort()
      .map((name) => path.join(dir, name));
  } catch {
    return [];
  }
}

/**
 * `text` with the HostName and User keywords spelt as the ssh-config package compares them: it follows a
 * HostName or User line for `Match host` / `Match user` only when spelt so, and ssh reads keywords in any
 * case (`Hostname 10.0.0.5` is the usual spelling).
 */
function canonicalKeywords(text: string): string {
  return text.replace(
    /^([ \t]*)(hostname|user)(?=[ \t=])/gim,
    (_line, indent: string, keyword: string) => indent + (keyword.length === 4 ? 'User' : 'HostName'),
  );
}

/**
 * What the config says for `host` (an alias or a host name as the user typed it). `targetUser`, the
 * user the target spells out (`user@host`), wins over User lines and is what `Match user` sees, as in ssh(1).
 */
export function lookupSshConfig(configText: string | null, host: string, targetUser?: string): SshConfigEntry {
  if (!configText) return { identityFiles: [], unsupported: [] };
  let computed: Record<string, string | string[]>;
  try {
    computed = parseSshConfig(canonicalKeywords(configText)).compute(
      targetUser !== undefined ? { Host: host, User: targetUser } : { Host: host },
      {
        ignoreCase: true,
        matchExec: false,
      },
    );
  } catch {
    return { identityFiles: [], unsupported: [] }; // an unparsable config behaves like no config; ssh would complain, we connect plainly
  }
  const first = (key: string): string | undefined => {
    const value = computed[key];
    const text = Array.isArray(value) ? value[0] : value;
    return typeof text === 'string' && text !== '' ? text : undefined;
  };
  const all = (key: string): string[] => {
    const value = computed[key];
    if (value === undefined) return [];
    return (Array.isArray(value) ? value : [value]).filter((v) => typeof v === 'string' && v !== '');
  };
  const entry: SshConfigEntry = {
    identityFiles: all('identityfile').filter((f) => f.toLowerCase() !== 'none'),
    unsupported: unsupportedDirectives(computed),
  };
  const hostName = first('hostname');
  if (hostName) entry.hostName = hostName;
  const user = first('user');
  if (user) entry.user = user;
  const port = parsePort(first('port'));
  if (port !== undefined) entry.port = port;
  // ssh(1) keeps whichever of ProxyJump / ProxyCommand it reads FIRST (readconf.c ignores the
  // later one), and a first `none` disables both; compute() keeps keys in the order first seen.
  const route = Object.keys(computed).find((key) => key === 'proxyjump' || key === 'proxycommand');
  const routeValue = route ? first(route) : undefined;
  if (routeValue && routeValue.toLowerCase() !== 'none') {
    if (route === 'proxyjump') entry.proxyJump = routeValue;
    else entry.proxyCommand = routeValue;
  }
  const timeout = first('connecttimeout');
  if (timeout && /^\d+$/.test(timeout) && Number(timeout) > 0) entry.connectTimeoutSeconds = Number(timeout);
  const knownHosts = all('userknownhostsfile')
    .flatMap((v) => v.split(/\s+/))
    .filter((v) => v !== '' && v.toLowerCase() !== 'none');
  if (knownHosts.length > 0) entry.userKnownHostsFiles = knownHosts;
  const globalKnownHosts = all('globalknownhostsfile')
    .flatMap((v) => v.split(/\s+/))
    .filter((v) => v !== '' && v.toLowerCase() !== 'none');
  if (globalKnownHosts.length > 0) entry.globalKnownHostsFiles = globalKnownHosts;
  const identitiesOnly = yesNo(first('identitiesonly'));
  if (identitiesOnly !== undefined) entry.identitiesOnly = identitiesOnly;
  const agent = first('identityagent');
  if (agent) entry.identityAgent = agent;
  const strict = first('stricthostkeychecking')?.toLowerCase();
  if (strict === 'yes' || strict === 'true') entry.strictHostKeyChecking = 'yes';
  else if (strict === 'no' || strict === 'off' || strict === 'false') entry.strictHostKeyChecking = 'no';
  else if (strict === 'accept-new' || strict === 'ask') entry.strictHostKeyChecking = strict;
  const alias = first('hostkeyalias');
  if (alias) entry.hostKeyAlias = alias;
  const alive = first('serveraliveinterval');
  if (alive && /^\d+$/.test(alive)) entry.serverAliveIntervalSeconds = Number(alive);
  const aliveMax = first('serveralivecountmax');
  if (aliveMax && /^\d+$/.test(aliveMax) && Number(aliveMax) > 0) entry.serverAliveCountMax = Number(aliveMax);
  return entry;
}

function yesNo(text: string | undefined): boolean | undefined {
  if (text === undefined) return undefined;
  if (/^(yes|true)$/i.test(text)) return true;
  if (/^(no|false)$/i.test(text)) return false;
  return undefined;
}

export function parsePort(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : undefined;
}

export interface TokenContext {
  homeDir: string;
  localUser: string;
  /** remote host name (after HostName) */
  host: string;
  /** remote user */
  user: string;
  port: number;
  /** the name the user typed (alias) */
  alias: string;
  /** HostKeyAlias, when the config sets one (%k) */
  hostKeyAlias?: string;
}

/**
 * Expands a leading `~`, `${VAR}` (the environment) and the ssh_config(5) tokens %d %u %i %h %r %p %n %k
 * %l %L %% in a file path. Any other token is refused (HostError 'config'): left as written, a path such as
 * `UserKnownHostsFile ~/.ssh/known_hosts.d/%C` would name a file that does not exist, and a host whose
 * key that file holds would look unknown instead of changed.
 */
export function expandPathTokens(value: string, ctx: TokenContext): string {
  const home = value === '~' || value.startsWith('~/');
  const refuse = (what: string): never => {
    throw new HostError('config', `ssh config for ${ctx.alias}: ${what} in the path '${value}'; write the path without it`);
  };
  const expanded = (home ? value.slice(2) : value).replace(
    /%(.)|%$|\$\{([^}]*)\}/g,
    (_match, token: string | undefined, variable: string | undefined) => {
      if (variable !== undefined)
        return (/^\w+$/.test(variable) ? process.env[variable] : undefined) ?? refuse(`\${${variable}} is not set`);
      switch (token) {
        case '%':
          return '%';
        case 'd':
          return ctx.homeDir;
        case 'u':
          return ctx.localUser;
        case 'i':
          return String(os.userInfo().uid);
        case 'h':
          return ctx.host;
        case 'n':
          return ctx.alias;
        case 'k':
          return ctx.hostKeyAlias ?? ctx.alias;
        case 'l':
          return os.hostname();
        case 'L':
          return os.hostname().split('.')[0];
        case 'r':
          return ctx.user;
        case 'p':
          return String(ctx.port);
        default:
          return refuse(token === undefined ? 'a % at the end is not a token' : `the token %${token} is not supported`);
      }
    },
  );
  return home ? path.join(ctx.homeDir, expanded) : expanded;
}

/**
 * The concrete `Host` aliases of an ssh config text (Include already inlined), in file order, for a
 * picker as Remote-SSH offers them: patterns (`*`, `?`, `!…`) are left out.
 */
export function sshConfigAliases(configText: string | null): string[] {
  const aliases: string[] = [];
  for (const line of (configText ?? '').split('\n')) {
    const m = /^\s*Host\s*[=\s]\s*(.+)$/i.exec(line);
    if (!m) continue;
    for (const word of m[1].replace(/#.*$/, '').trim().split(/\s+/)) {
      const alias = word.replace(/^"|"$/g, '');
      if (alias && !/[*?!]/.test(alias) && !aliases.includes(alias)) aliases.push(alias);
    }
  }
  return aliases.slice(0, 500);
}
