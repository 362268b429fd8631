// What test/setup/env.sh exported about the loopback sshd. The integration tests FAIL (never skip)
// with one clear line when it is missing, because then nothing real was tested.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import * as net from 'node:net';
import type { ConfirmHostKeyParams, HostKeyDecision } from '../../../shared/protocol';
import { fingerprintSha256 } from '../../../server/src/host/knownHosts';
import { SshTransport, type HostCallbacks, type SshTransportOptions } from '../../../server/src/host/sshTransport';
import type { ConnectSpec } from '../../../server/src/host/target';

export interface SshTestEnv {
  host: string;
  port: number;
  user: string;
  /** a user with the same keys whose login shell is fish */
  fishUser: string;
  key: string;
  encryptedKey: string;
  passphrase: string;
  unauthorizedKey: string;
  hostPubKeyFile: string;
  /** "[127.0.0.1]:PORT <host key>" */
  knownHostsFile: string;
  stateDir: string;
  hostKeyBlob: Buffer;
  hostFingerprint: string;
}

const VARS = {
  port: 'LIBVIRT_HOSTDEV_TEST_SSH_PORT',
  user: 'LIBVIRT_HOSTDEV_TEST_SSH_USER',
  fishUser: 'LIBVIRT_HOSTDEV_TEST_SSH_FISH_USER',
  key: 'LIBVIRT_HOSTDEV_TEST_SSH_KEY',
  encryptedKey: 'LIBVIRT_HOSTDEV_TEST_SSH_KEY_ENCRYPTED',
  passphrase: 'LIBVIRT_HOSTDEV_TEST_SSH_KEY_PASSPHRASE',
  unauthorizedKey: 'LIBVIRT_HOSTDEV_TEST_SSH_KEY_UNAUTHORIZED',
  hostPubKeyFile: 'LIBVIRT_HOSTDEV_TEST_SSH_HOST_PUBKEY',
  knownHostsFile: 'LIBVIRT_HOSTDEV_TEST_SSH_KNOWN_HOSTS',
  stateDir: 'LIBVIRT_HOSTDEV_TEST_STATE_DIR',
} as const;

let cached: SshTestEnv | null = null;

/** Throws a one-line error naming the missing variables when env.sh was not sourced. */
export function sshTestEnv(): SshTestEnv {
  if (cached) return cached;
  const missing = Object.values(VARS).filter((name) => !process.env[name]);
  if (missing.length > 0) {
    throw new Error(`missing ${missing.join(', ')}: run \`source test/setup/env.sh\` first (test/run.sh does it)`);
  }
  const get = (name: string): string => process.env[name] as string;
  const hostPubKeyFile = get(VARS.hostPubKeyFile);
  const hostKeyBlob = Buffer.from(fs.readFileSync(hostPubKeyFile, 'utf8').trim().split(/\s+/)[1], 'base64');
  cached = {
    host: process.env.LIBVIRT_HOSTDEV_TEST_SSH_HOST || '127.0.0.1',
    port: Number(get(VARS.port)),
    user: get(VARS.user),
    fishUser: get(VARS.fishUser),
    key: get(VARS.key),
    encryptedKey: get(VARS.encryptedKey),
    passphrase: get(VARS.passphrase),
    unauthorizedKey: get(VARS.unauthorizedKey),
    hostPubKeyFile,
    knownHostsFile: get(VARS.knownHostsFile),
    stateDir: get(VARS.stateDir),
    hostKeyBlob,
    hostFingerprint: fingerprintSha256(hostKeyBlob),
  };
  return cached;
}

/** A scratch directory removed when the test process exits. */
export function scratchDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A ConnectSpec for the loopback sshd. */
export function loopbackSpec(overrides: Partial<ConnectSpec> = {}): ConnectSpec {
  const env = sshTestEnv();
  return {
    kind: 'ssh',
    alias: env.host,
    terminalCommand: `ssh -p ${env.port} ${env.user}@${env.host}`,
    host: env.host,
    port: env.port,
    username: env.user,
    identityFiles: [env.key],
    explicitIdentities: true,
    proxyJump: [],
    ...overrides,
  };
}

/** Options that isolate a test from the real ~/.ssh and agent: known hosts = env.sh's file only. */
export function isolatedOptions(overrides: Partial<SshTransportOptions> = {}): SshTransportOptions {
  return {
    connectTimeoutMs: 10_000,
    userKnownHostsFiles: [sshTestEnv().knownHostsFile],
    globalKnownHostsFiles: [],
    agentSocket: null,
    defaultIdentityFiles: [],
    keepaliveIntervalMs: 0,
    ...overrides,
  };
}

/** Records host-key prompts and answers them with `decision`. */
export function recordingCallbacks(
  decision: HostKeyDecision,
  extra: HostCallbacks = {},
): HostCallbacks & { prompts: ConfirmHostKeyParams[] } {
  const prompts: ConfirmHostKeyParams[] = [];
  return {
    ...extra,
    prompts,
    confirmHostKey: async (params) => {
      prompts.push(params);
      return decision;
    },
  };
}

export function transport(spec: ConnectSpec, callbacks: HostCallbacks = {}, options: Partial<SshTransportOptions> = {}): SshTransport {
  return new SshTransport(spec, callbacks, isolatedOptions(options));
}

/** Runs `work`, always closing the transport afterwards. */
export async function using<T>(t: { close(): void }, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } finally {
    t.close();
  }
}

/** Waits until something accepts connections on a unix socket path (polls; the agent makes it asynchronously). */
async function waitForSocket(file: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const sock = net.connect(file);
      sock.once('connect', () => {
        sock.destroy();
        resolve(true);
      });
      sock.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`ssh-agent socket ${file} never came up`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Starts a private ssh-agent (foreground, killed by pid in stop()) holding `keys`. */
export async function startAgent(keys: string[]): Promise<{ socket: string; stop(): void }> {
  const dir = scratchDir('lhd-agent-');
  const socket = path.join(dir, 'agent.sock');
  const child: ChildProcess = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
  const stop = (): void => {
    if (child.exitCode === null && child.pid !== undefined) child.kill('SIGTERM');
  };
  process.on('exit', stop);
  await waitForSocket(socket, 5000);
  for (const key of keys) execFileSync('ssh-add', ['-q', key], { env: { ...process.env, SSH_AUTH_SOCK: socket }, stdio: 'ignore' });
  return { socket, stop };
}
