// Host targets: `local`, `[user@]host[:port]` (also `[v6addr]:port` and `ssh://user@host:port`)
// or an alias from ~/.ssh/config, resolved into what the SSH transport needs. Precedence follows
// ssh(1): what the target spells out wins over the config, the config wins over defaults.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expandProxyCommand } from './proxyCommand';
import { HostError } from './transport';
import {
  expandPathTokens,
  lookupSshConfig,
  parsePort,
  type SshConfigEntry,
  type StrictHostKeyChecking,
  type TokenContext,
} from './sshConfig';
import { expandHostName } from './sshConfigEval';
import { defaultSshConfigPath, loadSshConfig, sshConfigFromText, type SshConfig } from './sshConfigFiles';
import { configNotices, OPENSSH_ADVICE } from './sshConfigSupport';
import { hostAddress } from '../../../shared/hostAddress';
import { inertControls } from '../../../shared/inertControls';
import { shellJoin } from '../../../shared/shellQuote';

export interface ParsedTarget {
  user?: string;
  host: string;
  port?: number;
}

export interface ConnectSpec {
  kind: 'ssh';
  /** what the user wrote (alias or host), for messages */
  alias: string;
  /** `ssh …` as a user types it in a terminal to reach this host through the same config (advice in messages) */
  terminalCommand: string;
  /** the host to connect to (HostName applied); also the known_hosts name */
  host: string;
  port: number;
  username: string;
  /** candidate private key files in order (explicit setting, then ssh config); existence not checked */
  identityFiles: string[];
  /** true when identityFiles came from a setting or the config (then ~/.ssh/id_* defaults are not added) */
  explicitIdentities: boolean;
  /** jump hosts in the order they are traversed (first = connected to directly) */
  proxyJump: ConnectSpec[];
  /** ProxyCommand with its tokens expanded: the first hop's connection is this command's stdin/stdout */
  proxyCommand?: string;
  connectTimeoutMs?: number;
  /** UserKnownHostsFile from the config, expanded; undefined = the default ~/.ssh/known_hosts */
  userKnownHostsFiles?: string[];
  /** GlobalKnownHostsFile from the config; undefined = /etc/ssh/ssh_known_hosts(2) */
  globalKnownHostsFiles?: string[];
  /** IdentitiesOnly: only keys from identityFiles, also from the agent */
  identitiesOnly?: boolean;
  /** IdentityAgent resolved: a socket path, null = no agent; undefined = the default (SSH_AUTH_SOCK) */
  identityAgent?: string | null;
  strictHostKeyChecking?: StrictHostKeyChecking;
  /** HashKnownHosts yes: a key remembered in the project's known-hosts file gets its name hashed */
  hashKnownHosts?: boolean;
  /** HostKeyAlias: the known_hosts name instead of host/port */
  hostKeyAlias?: string;
  serverAliveIntervalMs?: number;
  serverAliveCountMax?: number;
  /** what of the user's ssh config the built-in client does not honour for this host (and its jumps), one line each */
  notices?: string[];
}

export type ResolvedTarget = { kind: 'local' } | ConnectSpec;

export interface ResolveOptions {
  /** text of the whole ssh config, read as ~/.ssh/config alone (null: no config); undefined: read the files */
  sshConfigText?: string | null;
  /** a config already read (`ssh -F`: loadNamedSshConfig); wins over sshConfigText */
  sshConfig?: SshConfig;
  /** the system-wide file read after ~/.ssh/config (null: none); default /etc/ssh/ssh_config */
  systemSshConfigFile?: string | null;
  /** identity file from the host's settings (wins over the config) */
  identityFile?: string;
  homeDir?: string;
  localUser?: string;
  /** how the user's config file is named in notices (other files by their path); default ~/.ssh/config */
  configLabel?: string;
  /** the file sshConfigText was read from when it is not ~/.ssh/config (`ssh -F FILE` in printed commands) */
  sshConfigFile?: string;
}

/**
 * The `ssh` command that reaches a parsed target as the host layer does, for a user to type in a
 * terminal: the config file as `-F`, the port as `-p` (ssh(1) reads no `host:port`), every argument
 * quoted for a POSIX shell.
 */
export function terminalSshCommand(parsed: ParsedTarget, sshConfigFile?: string): string {
  const destination = `${parsed.user !== undefined ? `${parsed.user}@` : ''}${parsed.host}`;
  return shellJoin([
    'ssh',
    ...(sshConfigFile !== undefined ? ['-F', sshConfigFile] : []),
    ...(parsed.port !== undefined ? ['-p', String(parsed.port)] : []),
    // a user name may start with '-': `--` keeps the destination from being read as an option
    ...(destination.startsWith('-') ? ['--'] : []),
    destination,
  ]);
}

/**
 * Why a typed host or user name is refused, as OpenSSH 9.6 refuses one given on its command line
 * (ssh.c valid_hostname, valid_ruser): a ProxyCommand's %h, %n and %r reach a shell, and a name holding
 * its metacharacters would run commands there. Names from an ssh config are the user's own and are not checked.
 */
function refusedName(host: string, user: string | undefined): string | null {
  if (/['`"$\\;&<>|(){}\s\x00-\x1f\x7f]/.test(host))
    return 'the host name has a character ssh refuses in one (quotes, $, \\, ;, &, <, >, |, brackets, blanks)';
  if (user === undefined) return null;
  if (user.startsWith('-') || /['`";&<>|(){}]/.test(user) || /\s-/.test(user) || user.endsWith('\\'))
    return "the user name has a character ssh refuses in one (quotes, ;, &, <, >, |, brackets, a leading '-')";
  return null;
}

/** Splits `[user@]host[:port]`; throws HostError('config') on a malformed target. */
export function parseTarget(text: string): ParsedTarget {
  let rest = text.trim();
  if (rest.startsWith('ssh://')) rest = rest.slice('ssh://'.length).replace(/\/$/, '');
  if (rest === '' || /\s/.test(rest)) throw new HostError('config', `invalid host target '${text}'`);
  let user: string | undefined;
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    user = rest.slice(0, at);
    rest = rest.slice(at + 1);
    if (user === '') throw new HostError('config', `invalid host target '${text}': empty user`);
  }
  let host = rest;
  let portText: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(rest);
  if (bracketed) {
    host = bracketed[1];
    portText = bracketed[2];
  } else if ((rest.match(/:/g) ?? []).length === 1) {
    [host, portText] = rest.split(':');
  } // more than one ':' unbracketed: a bare IPv6 address without port
  if (host === '' || host.startsWith('-')) throw new HostError('config', `invalid host target '${text}'`);
  const refused = refusedName(host, user);
  if (refused) throw new HostError('config', `invalid host target '${inertControls(text)}': ${refused}`);
  const parsed: ParsedTarget = { host };
  if (user !== undefined) parsed.user = user;
  if (portText !== undefined) {
    const port = parsePort(portText);
    if (port === undefined) throw new HostError('config', `invalid port in host target '${text}'`);
    parsed.port = port;
  }
  return parsed;
}

export function isLocalTarget(target: string): boolean {
  return target.trim().toLowerCase() === 'local';
}

/**
 * The config ssh(1) would read for these options: the one given, else ~/.ssh/config then the
 * system-wide file. Throws HostError('config') for a file ssh would stop at.
 */
export function configForOptions(options: ResolveOptions): SshConfig | null {
  const homeDir = options.homeDir ?? os.homedir();
  if (options.sshConfig) return options.sshConfig;
  if (options.sshConfigText === null) return null;
  if (options.sshConfigText !== undefined) return sshConfigFromText(options.sshConfigText, options.configLabel ?? '~/.ssh/config', homeDir);
  return loadSshConfig({ homeDir, ...(options.systemSshConfigFile !== undefined ? { systemFile: options.systemSshConfigFile } : {}) });
}

/** Resolves a target through the ssh config (HostName, User, Port, IdentityFile, ProxyJump or ProxyCommand, ConnectTimeout, …). */
export function resolveTarget(target: string, options: ResolveOptions = {}): ResolvedTarget {
  if (isLocalTarget(target)) return { kind: 'local' };
  const homeDir = options.homeDir ?? os.homedir();
  const localUser = options.localUser ?? safeLocalUser();
  const parsed = parseTarget(target);
  const config = configForOptions(options);
  const spec = resolveSsh(
    parsed,
    { config, homeDir, localUser, identityFile: options.identityFile, sshConfigFile: options.sshConfigFile },
    0,
  );
  const userFile = options.sshConfig
    ? options.sshConfig.files[0]?.file
    : options.sshConfigText !== undefined
      ? (options.configLabel ?? '~/.ssh/config')
      : defaultSshConfigPath(homeDir);
  const label = (file: string): string => (file === userFile ? (options.configLabel ?? '~/.ssh/config') : file);
  const notices = [spec, ...spec.proxyJump].flatMap((hop, index) => {
    const found = foundOf.get(hop);
    return [
      ...configNotices(label, hop.alias, found?.unsupported ?? [], found?.skippedMatches ?? [], found?.unsupportedOptions ?? []),
      // ssh would run a later jump's ProxyCommand from the previous hop's ssh -W; we only run the first hop's
      ...(index > 1 && hop.proxyCommand
        ? [
            `${label(userFile ?? '')}: ProxyCommand of jump host ${hop.alias} (not the first hop) is not supported by the built-in SSH client; ${OPENSSH_ADVICE}`,
          ]
        : []),
    ];
  });
  if (notices.length > 0) spec.notices = [...new Set(notices)];
  return spec;
}

/** What of the config the built-in client does not honour, per resolved spec (kept beside the spec, which stays plain data). */
const foundOf = new WeakMap<ConnectSpec, Pick<SshConfigEntry, 'unsupported' | 'skippedMatches' | 'unsupportedOptions'>>();

/** IdentityAgent as ssh(1) reads it: `none`, `SSH_AUTH_SOCK`, `$VAR`/`${VAR}`, or a path with ~ and tokens. */
function resolveIdentityAgent(value: string, tokens: TokenContext): string | null {
  if (/^none$/i.test(value)) return null;
  const variable = /^(?:SSH_AUTH_SOCK|\$(\w+)|\$\{(\w+)\})$/.exec(value);
  if (variable) return process.env[variable[1] ?? variable[2] ?? 'SSH_AUTH_SOCK'] || null;
  return expandPathTokens(value, tokens);
}

interface Context {
  config: SshConfig | null;
  homeDir: string;
  localUser: string;
  identityFile?: string;
  sshConfigFile?: string;
}

/** ProxyJump chains longer than this are a loop in the config, not a real set-up. */
const MAX_JUMP_DEPTH = 8;

function resolveSsh(parsed: ParsedTarget, ctx: Context, depth: number): ConnectSpec {
  if (depth > MAX_JUMP_DEPTH) throw new HostError('config', `ProxyJump chain for '${parsed.host}' is too long (a loop in ~/.ssh/config?)`);
  const entry = lookupSshConfig(ctx.config, parsed.host, parsed.user, ctx.localUser);
  const host = entry.hostName ? expandHostName(entry.hostName, parsed.host) : parsed.host;
  const port = parsed.port ?? entry.port ?? 22;
  const username = parsed.user ?? entry.user ?? ctx.localUser;
  const tokens: TokenContext = {
    homeDir: ctx.homeDir,
    localUser: ctx.localUser,
    host,
    user: username,
    port,
    alias: parsed.host,
    ...(entry.hostKeyAlias ? { hostKeyAlias: entry.hostKeyAlias } : {}),
  };
  const configured = [...(ctx.identityFile ? [ctx.identityFile] : []), ...entry.identityFiles];
  const spec: ConnectSpec = {
    kind: 'ssh',
    alias: parsed.host,
    terminalCommand: terminalSshCommand(parsed, ctx.sshConfigFile),
    host,
    port,
    username,
    identityFiles: configured.map((f) => expandPathTokens(f, tokens)),
    explicitIdentities: configured.length > 0,
    proxyJump: [],
  };
  if (entry.connectTimeoutSeconds !== undefined) spec.connectTimeoutMs = entry.connectTimeoutSeconds * 1000;
  if (entry.userKnownHostsFiles) spec.userKnownHostsFiles = entry.userKnownHostsFiles.map((f) => expandPathTokens(f, tokens));
  if (entry.globalKnownHostsFiles) spec.globalKnownHostsFiles = entry.globalKnownHostsFiles.map((f) => expandPathTokens(f, tokens));
  if (entry.identitiesOnly) spec.identitiesOnly = true;
  if (entry.identityAgent !== undefined) spec.identityAgent = resolveIdentityAgent(entry.identityAgent, tokens);
  if (entry.strictHostKeyChecking) spec.strictHostKeyChecking = entry.strictHostKeyChecking;
  if (entry.hashKnownHosts !== undefined) spec.hashKnownHosts = entry.hashKnownHosts;
  if (entry.hostKeyAlias) spec.hostKeyAlias = entry.hostKeyAlias;
  if (entry.serverAliveIntervalSeconds !== undefined) spec.serverAliveIntervalMs = entry.serverAliveIntervalSeconds * 1000;
  if (entry.serverAliveCountMax !== undefined) spec.serverAliveCountMax = entry.serverAliveCountMax;
  foundOf.set(spec, { unsupported: entry.unsupported, skippedMatches: entry.skippedMatches, unsupportedOptions: entry.unsupportedOptions });
  if (entry.proxyCommand) {
    spec.proxyCommand = expandProxyCommand(entry.proxyCommand, { host, port, user: username, alias: parsed.host });
  }
  if (entry.proxyJump) {
    // Each jump is resolved through the config too (its own ProxyJump first), like `ssh -J`.
    // The settings' identity file belongs to the final host only.
    const jumpCtx: Context = {
      config: ctx.config,
      homeDir: ctx.homeDir,
      localUser: ctx.localUser,
      sshConfigFile: ctx.sshConfigFile,
    };
    for (const hop of entry.proxyJump
      .split(',')
      .map((h) => h.trim())
      .filter((h) => h !== '')) {
      const jump = resolveSsh(parseTarget(hop), jumpCtx, depth + 1);
      const flat: ConnectSpec = { ...jump, proxyJump: [] };
      const found = foundOf.get(jump);
      if (found) foundOf.set(flat, found);
      spec.proxyJump.push(...jump.proxyJump, flat);
    }
  }
  return spec;
}

/** ~/.ssh/id_ed25519, id_ecdsa, id_rsa — those that exist (ssh(1)'s defaults, in this order). */
export function defaultIdentityFiles(homeDir = os.homedir()): string[] {
  return ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((n) => path.join(homeDir, '.ssh', n)).filter((f) => fs.existsSync(f));
}

/** "user@host:port" for messages (never secrets). */
export function describeSpec(spec: Pick<ConnectSpec, 'username' | 'host' | 'port'>): string {
  return `${spec.username}@${hostAddress(spec.host, spec.port)}`;
}

function safeLocalUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? 'root';
  }
}
