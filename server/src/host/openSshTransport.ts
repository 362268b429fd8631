// Transport through the system `ssh` program: every exec is `ssh -T … DEST COMMAND`, so the
// user's whole OpenSSH set-up applies (certificates, FIDO and PKCS#11 keys, Kerberos, ControlMaster,
// Match exec, KnownHostsCommand). BatchMode=yes: ssh never prompts in the middle of an exec, so an
// unknown host key or a key that needs a passphrase fails with a line saying what to do once in a
// terminal. Host keys follow the user's OpenSSH settings; the project's known-hosts file is not used.
import type { ChildProcess } from 'node:child_process';
import { execChild } from './childExec';
import { underHostTimeout } from './hostTimeout';
import { LOGIN_SHELL_COMMAND, loginShellInput } from './loginShell';
import { removeKnownNameCommand } from './knownHosts';
import { parseTarget, terminalSshCommand } from './target';
import { type ExecOptions, type ExecResult, HostError, type Transport } from './transport';
import { hostAddress } from '../../../shared/hostAddress';

export interface OpenSshOptions {
  /** passed as `-o ConnectTimeout`, which wins over the ssh config's; undefined: ssh's config (or ssh's own) decides */
  connectTimeoutMs?: number;
  /** the host's identityFile setting (`ssh -i`) */
  identityFile?: string;
  /** `ssh -F FILE` instead of ~/.ssh/config */
  sshConfigFile?: string;
  /** the ssh program; default `ssh` from PATH */
  sshProgram?: string;
  /** the CLI's --accept-new-host-key: `StrictHostKeyChecking=accept-new` (OpenSSH records the key where it always does) */
  acceptNewHostKey?: boolean;
  /**
   * the ssh config sets StrictHostKeyChecking yes for the host: --accept-new-host-key is not passed (an `-o`
   * would win over the user's policy), as the built-in client obeys it too
   */
  configRefusesNewKeys?: boolean;
}

export class OpenSshTransport implements Transport {
  readonly description: string;
  private readonly argv: string[];
  /** what a user types in a terminal to reach the host as this transport does (advice for an unknown key) */
  private readonly terminalCommand: string;
  private readonly running = new Set<ChildProcess>();
  private closed = false;

  constructor(
    target: string,
    private readonly options: OpenSshOptions,
  ) {
    const parsed = parseTarget(target); // throws HostError('config') for a malformed target
    const user = parsed.user !== undefined ? `${parsed.user}@` : '';
    const destination = `${user}${parsed.host}`;
    // without a port in the target, ssh's config decides it: none is shown
    this.description = `${user}${parsed.port !== undefined ? hostAddress(parsed.host, parsed.port) : parsed.host} (OpenSSH)`;
    this.terminalCommand = terminalSshCommand(parsed, options.sshConfigFile);
    this.argv = [
      '-T',
      '-o',
      'BatchMode=yes',
      // a RemoteCommand in the config would make ssh refuse our command ("Cannot execute command-line and
      // remote command"); `-T` already outranks a config's RequestTTY
      '-o',
      'RemoteCommand=none',
      ...(options.connectTimeoutMs !== undefined
        ? ['-o', `ConnectTimeout=${Math.max(1, Math.ceil(options.connectTimeoutMs / 1000))}`]
        : []),
      ...(options.sshConfigFile ? ['-F', options.sshConfigFile] : []),
      ...(options.acceptNewHostKey && !options.configRefusesNewKeys ? ['-o', 'StrictHostKeyChecking=accept-new'] : []),
      ...(options.identityFile ? ['-i', options.identityFile] : []),
      ...(parsed.port !== undefined ? ['-p', String(parsed.port)] : []),
      // `--` ends ssh's options: the destination can never be read as one
      '--',
      destination,
    ];
  }

  exec(command: string, options: ExecOptions): Promise<ExecResult> {
    if (this.closed) return Promise.reject(new HostError('command', `connection to ${this.description} was closed`));
    const program = this.options.sshProgram ?? 'ssh';
    return execChild(
      {
        program,
        args: [...this.argv, LOGIN_SHELL_COMMAND],
        where: this.description,
        // with what it starts (a ProxyCommand, which holds ssh's stderr open): stopped as one group
        detached: true,
        stop: stopSsh,
        // 255 is ssh's own failure (the remote command's status otherwise)
        outcome: (result) =>
          result.code === 255
            ? openSshError(result.stderr, this.terminalCommand, this.description, this.options.configRefusesNewKeys === true)
            : result,
        cannotStart: (err) =>
          new HostError('config', `cannot run ${program}: ${err.message} (the OpenSSH transport needs the ssh program)`),
      },
      { ...options, stdin: loginShellInput(underHostTimeout(command, options.timeoutMs), options.stdin) },
      this.running,
    );
  }

  close(): void {
    this.closed = true;
    for (const child of this.running) stopSsh(child);
    this.running.clear();
  }
}

/** how long ssh has, after SIGTERM, to close its connection before it is killed */
const SSH_KILL_AFTER_MS = 2000;

/**
 * SIGTERM lets ssh close its connection (and the remote command's pipes) as it should; what ignores it
 * (a wrapper, a stuck ProxyCommand) is killed after SSH_KILL_AFTER_MS. Both go to ssh's process group:
 * a ProxyCommand keeps ssh's stderr open, and a CLI run would wait for it, or leave it behind, long after
 * its answer.
 */
function stopSsh(child: ChildProcess): void {
  const running = (): boolean => child.exitCode === null && child.signalCode === null;
  if (!running() || child.pid === undefined) return;
  const group = child.pid;
  signalGroup(group, 'SIGTERM');
  const kill = setTimeout(() => signalGroup(group, 'SIGKILL'), SSH_KILL_AFTER_MS);
  // ssh may leave first and its ProxyCommand stay: the group is killed once either way
  child.once('close', () => {
    clearTimeout(kill);
    signalGroup(group, 'SIGKILL');
  });
}

function signalGroup(group: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-group, signal);
  } catch {
    // the group is gone
  }
}

/** the most of ssh's stderr a message quotes */
const MAX_SAID = 400;

/**
 * What ssh said last, up to three lines joined with "; ": the cause is often a line or two before ssh's
 * own last one (a ProxyCommand's "bastion says no" before "Connection closed by UNKNOWN port 65535", "Load
 * key …: bad permissions" before "Permission denied (publickey)"). Its warnings of keys added and the
 * '@' frames of its banners are left out.
 */
function sshSaid(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^Warning: Permanently added/.test(l) && !/^@/.test(l));
  return lines.slice(-3).join('; ').slice(0, MAX_SAID);
}

/**
 * ssh-keygen -R for each file ssh(1) found the old key in: it prints the name as the file has it
 * ("Host key for [127.0.0.1]:2222 has changed") and each "Offending ED25519 key in FILE:LINE". Its own
 * "remove with:" line is not passed on: the command is quoted here as every printed command is.
 */
function removalCommands(stderr: string): string {
  const name = /^Host key for (\S+) has changed/m.exec(stderr)?.[1];
  const files = [...new Set([...stderr.matchAll(/^Offending \S+ key in (.+):\d+\r?$/gm)].map((m) => m[1]))];
  if (!name || files.length === 0) return 'ssh-keygen -R';
  return files.map((file) => removeKnownNameCommand(name, file)).join('; ');
}

/**
 * ssh's refusal of its own config (a keyword, a value, a file's owner or mode) in the words of the
 * built-in reader's config error: the file and line of the first line it stops at (the warnings it
 * prints before, "Unsupported option", are not that line).
 */
function configRefusal(stderr: string): string | undefined {
  const owner = /^Bad owner or permissions on (.+?)\r?$/m.exec(stderr);
  if (owner)
    return `ssh config ${owner[1]}: Bad owner or permissions; ssh refuses a file that another user than you or root owns, or that others may write (chmod go-w)`;
  const cannotOpen = /^Can't open user config(?:uration)? file .+$/m.exec(stderr);
  if (cannotOpen) return `ssh config: ${cannotOpen[0].trim()}`;
  if (!/: terminating, \d+ bad configuration options?\r?$/m.test(stderr)) return undefined;
  for (const [, file, line, why] of stderr.matchAll(/^(.+?):? line (\d+): (.+?)\r?$/gm)) {
    if (!why.startsWith('Unsupported option')) return `ssh config ${file} line ${line}: ${why}`;
  }
  return `ssh config: ${sshSaid(stderr)}`;
}

/** The same HostError kinds the built-in client gives, from what ssh(1) printed. */
export function openSshError(stderr: string, terminalCommand: string, description: string, configRefusesNewKeys = false): HostError {
  // ssh starts most of its own lines with "ssh: ", which our "(ssh: …)" already says
  const said = sshSaid(stderr).replace(/^ssh:\s*/, '');
  const refused = configRefusal(stderr);
  if (refused !== undefined) return new HostError('config', refused);
  if (/REMOTE HOST IDENTIFICATION HAS CHANGED|Host key for .* has changed/i.test(stderr)) {
    return new HostError(
      'host-key',
      `host key of ${description} has CHANGED: OpenSSH refuses to connect (possible man-in-the-middle); if the host was reinstalled, remove the old key with: ${removalCommands(stderr)}`,
    );
  }
  if (/Host key verification failed|host key is known for|No .* host key is known/i.test(stderr)) {
    if (configRefusesNewKeys)
      return new HostError(
        'host-key',
        `unknown host key for ${description}: refused because StrictHostKeyChecking is yes in the ssh config (connect once with "${terminalCommand}" to add it to known_hosts)`,
      );
    return new HostError(
      'host-key',
      `unknown host key for ${description}: OpenSSH does not prompt here (BatchMode); accept it once in a terminal with "${terminalCommand}", then try again`,
      // --accept-new-host-key lets it through: the config does not say yes (above), and its ask or accept-new yields to -o
      true,
    );
  }
  if (/Permission denied|Too many authentication failures/i.test(stderr)) {
    return new HostError('auth', `authentication to ${description} failed (ssh: ${said})`);
  }
  if (/timed out/i.test(said)) return new HostError('timeout', `connecting to ${description} timed out (ssh: ${said})`);
  return new HostError('unreachable', `cannot reach ${description} (ssh: ${said || 'exit 255'})`);
}
