// What a host's ssh config says, in the terms the transports use: HostName, User, Port,
// IdentityFile, IdentitiesOnly, IdentityAgent, ProxyJump/ProxyCommand, ConnectTimeout, known-hosts
// options, ServerAlive*. The files are read by sshConfigFiles.ts and the lines that apply chosen by
// sshConfigEval.ts, as ssh(1) reads them; `Match exec` blocks are NOT evaluated (the language server
// must never run commands from a config file) and are named to the user (sshConfigSupport.ts).
import * as os from 'node:os';
import * as path from 'node:path';
import { unsupportedDirectives, type UnsupportedDirective } from './sshConfigSupport';
import { evaluateSshConfig, type SkippedMatch, type UnsupportedOption } from './sshConfigEval';
import type { SshConfig } from './sshConfigFiles';
import { HostError } from './transport';

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
  /** HashKnownHosts: a key remembered gets its host name hashed */
  hashKnownHosts?: boolean;
  hostKeyAlias?: string;
  serverAliveIntervalSeconds?: number;
  serverAliveCountMax?: number;
  /** directives set for this host that the built-in client does not honour */
  unsupported: UnsupportedDirective[];
  /** Match blocks that may apply to this host but were not evaluated */
  skippedMatches: SkippedMatch[];
  /** lines ssh(1) warns about and passes over, in any block */
  unsupportedOptions: UnsupportedOption[];
}

/** `ask` is ssh's default: an unknown key is shown to the user. */
export type StrictHostKeyChecking = 'yes' | 'accept-new' | 'no' | 'ask';

/**
 * What the config says for `host` (an alias or a host name as the user typed it). `targetUser`, the
 * user the target spells out (`user@host`), wins over User lines and is what `Match user` sees, as in ssh(1).
 */
export function lookupSshConfig(config: SshConfig | null, host: string, targetUser?: string, localUser = localUserName()): SshConfigEntry {
  const evaluated = evaluateSshConfig(config, host, { localUser, ...(targetUser !== undefined ? { targetUser } : {}) });
  const first = (key: string): string | undefined => {
    const text = evaluated.values.get(key)?.[0]?.args[0];
    return text !== undefined && text !== '' ? text : undefined;
  };
  const all = (key: string): string[] => (evaluated.values.get(key) ?? []).flatMap((v) => v.args).filter((v) => v !== '');
  const entry: SshConfigEntry = {
    identityFiles: [...new Set(all('identityfile').filter((f) => f.toLowerCase() !== 'none'))],
    unsupported: unsupportedDirectives(evaluated.values),
    skippedMatches: evaluated.skippedMatches,
    unsupportedOptions: evaluated.unsupportedOptions,
  };
  const hostName = first('hostname');
  if (hostName) entry.hostName = hostName;
  const user = first('user');
  if (user) entry.user = user;
  const port = parsePort(first('port'));
  if (port !== undefined) entry.port = port;
  // ProxyJump takes its value as written; ProxyCommand takes the rest of the line (a shell command)
  const jump = evaluated.proxyJump?.rest.replace(/[ \t]+#.*$/, '').trim();
  if (jump && !/^none$/i.test(jump)) entry.proxyJump = jump;
  else if (evaluated.proxyCommand && !/^none$/i.test(evaluated.proxyCommand.args[0] ?? ''))
    entry.proxyCommand = evaluated.proxyCommand.rest;
  const timeout = first('connecttimeout');
  if (timeout && /^\d+$/.test(timeout) && Number(timeout) > 0) entry.connectTimeoutSeconds = Number(timeout);
  const knownHosts = (evaluated.values.get('userknownhostsfile')?.[0]?.args ?? []).filter((v) => v !== '' && v.toLowerCase() !== 'none');
  if (knownHosts.length > 0) entry.userKnownHostsFiles = knownHosts;
  const globalKnownHosts = (evaluated.values.get('globalknownhostsfile')?.[0]?.args ?? []).filter(
    (v) => v !== '' && v.toLowerCase() !== 'none',
  );
  if (globalKnownHosts.length > 0) entry.globalKnownHostsFiles = globalKnownHosts;
  const identitiesOnly = yesNo(first('identitiesonly'));
  if (identitiesOnly !== undefined) entry.identitiesOnly = identitiesOnly;
  const agent = first('identityagent');
  if (agent) entry.identityAgent = agent;
  const hash = yesNo(first('hashknownhosts'));
  if (hash !== undefined) entry.hashKnownHosts = hash;
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

function localUserName(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? 'root';
  }
}
