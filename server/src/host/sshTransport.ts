// Transport over SSH with ssh2. One connection per transport, opened on first use and opened
// again on the next use after it dropped (ssh2 'close'/'end'). Host keys are checked against
// known_hosts (the user's files + the project's own file); an unknown key goes to a callback,
// a changed key is refused. Jump hosts (ProxyJump) are chained with forwardOut; a ProxyCommand
// carries the first hop's connection over its stdin/stdout.
import type { Duplex } from 'node:stream';
import { Client, type ConnectConfig } from 'ssh2';
import { type HostKeyCallbacks, type HostKeyFiles, HostKeyPolicy } from './hostKeyPolicy';
import { connectError } from './connectErrors';
import { PausableTimer } from './pausableTimer';
import { ProxyProcess } from './proxyCommand';
import { type AuthCallbacks, createAuthHandler } from './sshAuth';
import { LOGIN_SHELL_COMMAND, loginShellInput } from './loginShell';
import { ChannelOpenError, execOnClient } from './sshExec';
import { type ConnectSpec, defaultIdentityFiles, describeSpec } from './target';
import { type ExecOptions, type ExecResult, HostError, type Transport } from './transport';

export interface HostCallbacks extends AuthCallbacks, HostKeyCallbacks {}

export interface SshTransportOptions extends HostKeyFiles {
  /** used when the ssh config has no ConnectTimeout */
  connectTimeoutMs: number;
  /** ssh-agent socket; default process.env.SSH_AUTH_SOCK; null = no agent */
  agentSocket?: string | null;
  /** keys tried when neither the settings nor the ssh config name one; default existing ~/.ssh/id_{ed25519,ecdsa,rsa} */
  defaultIdentityFiles?: string[];
  /** SSH keepalive, so a dead connection is noticed between refreshes; default 15000, 0 = off */
  keepaliveIntervalMs?: number;
}

/** Commands run at once on one connection; below OpenSSH's default MaxSessions of 10. */
const MAX_CHANNELS = 8;

/** How often a refused channel open is tried again (20 ms, doubling: ~1.3 s in all). */
const CHANNEL_OPEN_RETRIES = 6;

export class SshTransport implements Transport {
  readonly description: string;
  /** what of the ssh config this client does not honour for the host, one line each (see sshConfigSupport.ts) */
  readonly notices: readonly string[];
  /** successful connections so far (a reconnect after a drop adds one) */
  connectCount = 0;
  private client: Client | null = null;
  private jumps: Client[] = [];
  /** the running ProxyCommand of the live connection, killed with it */
  private proxy: ProxyProcess | null = null;
  private connecting: Promise<Client> | null = null;
  private closed = false;
  private readonly hostKeys: HostKeyPolicy;
  private readonly disconnectListeners = new Set<() => void>();
  private activeChannels = 0;
  private readonly channelWaiters: (() => void)[] = [];
  /** closeWhenIdle was called: close once the last command has ended */
  private retiring = false;

  constructor(
    readonly spec: ConnectSpec,
    private readonly callbacks: HostCallbacks = {},
    private readonly options: SshTransportOptions = { connectTimeoutMs: 10_000 },
  ) {
    const first = spec.proxyJump[0] ?? spec;
    const via =
      (spec.proxyJump.length > 0 ? ` via ${spec.proxyJump.map((j) => describeSpec(j)).join(', ')}` : '') +
      (first.proxyCommand ? ' (through its ProxyCommand)' : '');
    this.description = describeSpec(spec) + via;
    this.hostKeys = new HostKeyPolicy(callbacks, options);
    this.notices = spec.notices ?? [];
  }

  get connected(): boolean {
    return this.client !== null;
  }

  /** Called each time the live connection goes away (dropped by the host or the network). */
  onDidDisconnect(listener: () => void): { dispose(): void } {
    this.disconnectListeners.add(listener);
    return { dispose: () => this.disconnectListeners.delete(listener) };
  }

  /** Opens the connection now (normally the first exec does it); throws HostError. */
  async connect(): Promise<void> {
    await this.ensureConnected();
  }

  async exec(command: string, options: ExecOptions): Promise<ExecResult> {
    await this.acquireChannel();
    try {
      for (let attempt = 0; ; attempt++) {
        const client = await this.ensureConnected();
        try {
          return await execOnClient(
            client,
            LOGIN_SHELL_COMMAND,
            { ...options, stdin: loginShellInput(command, options.stdin) },
            this.description,
          );
        } catch (err) {
          // A ChannelOpenError means the command never ran, so trying again is safe: on a new
          // connection when this one had died unnoticed, or after a short pause when sshd refused
          // the channel (it frees a closed session's slot a moment after the close: MaxSessions).
          if (!(err instanceof ChannelOpenError) || this.closed || attempt >= CHANNEL_OPEN_RETRIES) throw err;
          if (err.connectionDead) this.dropConnection(client);
          else await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt));
        }
      }
    } finally {
      this.releaseChannel();
    }
  }

  /** sshd refuses more than MaxSessions (default 10) channels per connection: queue beyond that. */
  private async acquireChannel(): Promise<void> {
    if (this.activeChannels < MAX_CHANNELS) {
      this.activeChannels++;
      return;
    }
    await new Promise<void>((resolve) => this.channelWaiters.push(resolve));
  }

  private releaseChannel(): void {
    const next = this.channelWaiters.shift();
    if (next)
      next(); // the slot passes straight to the next waiter
    else if (--this.activeChannels === 0 && this.retiring) this.close();
  }

  /** Closes the connection now when no command runs on it, else when the last one has ended. */
  closeWhenIdle(): void {
    this.retiring = true;
    if (this.activeChannels === 0) this.close();
  }

  close(): void {
    this.closed = true;
    const client = this.client;
    this.client = null;
    client?.end();
    for (const jump of this.jumps.splice(0)) jump.end();
    this.proxy?.kill();
    this.proxy = null;
  }

  private ensureConnected(): Promise<Client> {
    if (this.closed) return Promise.reject(new HostError('command', `connection to ${this.description} was closed`));
    if (this.client) return Promise.resolve(this.client);
    if (!this.connecting) {
      this.connecting = this.openChain().finally(() => {
        this.connecting = null;
      });
    }
    return this.connecting;
  }

  private async openChain(): Promise<Client> {
    const jumps: Client[] = [];
    const hops = [...this.spec.proxyJump, this.spec];
    const proxy = hops[0].proxyCommand ? new ProxyProcess(hops[0].proxyCommand, hops[0].alias, this.callbacks.log) : null;
    try {
      let sock: Duplex | undefined = proxy?.sock;
      for (let i = 0; i < hops.length; i++) {
        const client = await this.openClient(hops[i], sock).catch(async (err: unknown) => {
          throw i === 0 && proxy ? await proxy.explain(err) : err;
        });
        if (i === hops.length - 1) {
          this.adopt(client, jumps, proxy);
          return client;
        }
        jumps.push(client);
        const next = hops[i + 1];
        sock = await forwardOut(client, next, describeSpec(hops[i]), next.connectTimeoutMs ?? this.options.connectTimeoutMs);
      }
      throw new Error('unreachable');
    } catch (err) {
      for (const jump of jumps) jump.end();
      proxy?.kill();
      throw err;
    }
  }

  /** Makes `client` the live connection; when it (or a jump under it) goes away, the next use reconnects. */
  private adopt(client: Client, jumps: Client[], proxy: ProxyProcess | null): void {
    if (this.closed) {
      client.end();
      for (const jump of jumps) jump.end();
      proxy?.kill();
      throw new HostError('command', `connection to ${this.description} was closed`);
    }
    this.client = client;
    this.jumps = jumps;
    this.proxy = proxy;
    this.connectCount++;
    const lost = (): void => this.dropConnection(client);
    client.on('close', lost).on('end', lost);
    for (const jump of jumps) jump.on('close', lost);
  }

  private dropConnection(client: Client): void {
    if (this.client !== client) return;
    this.client = null;
    client.end();
    for (const jump of this.jumps.splice(0)) jump.end();
    this.proxy?.kill();
    this.proxy = null;
    for (const listener of [...this.disconnectListeners]) listener();
  }

  /** IdentityAgent from the config, else the option, else SSH_AUTH_SOCK (ssh(1)'s order). */
  private agentSocketFor(spec: ConnectSpec): string | null {
    if (spec.identityAgent !== undefined) return spec.identityAgent;
    if (this.options.agentSocket !== undefined) return this.options.agentSocket;
    return process.env.SSH_AUTH_SOCK ?? null;
  }

  private openClient(spec: ConnectSpec, sock: Duplex | undefined): Promise<Client> {
    const where = describeSpec(spec);
    const timeoutMs = spec.connectTimeoutMs ?? this.options.connectTimeoutMs;
    return new Promise<Client>((resolve, reject) => {
      const client = new Client();
      const tried: string[] = [];
      const skipped: string[] = [];
      let settled = false;
      let hostKeyError: HostError | null = null;
      const timer = new PausableTimer(timeoutMs, () => {
        fail(new HostError('timeout', `connecting to ${where} timed out after ${timeoutMs} ms`));
      });
      const fail = (err: HostError): void => {
        if (settled) return;
        settled = true;
        timer.cancel();
        client.destroy();
        reject(err);
      };
      client.on('ready', () => {
        if (settled) return;
        settled = true;
        timer.cancel();
        resolve(client);
      });
      client.on('error', (err: Error & { level?: string; code?: string }) => {
        if (settled) {
          this.callbacks.log?.(`ssh ${where}: ${err.message}`);
          return;
        }
        if (err.level === 'agent') {
          // no agent at that socket, or it refused: ssh2 goes on with the next method
          this.callbacks.log?.(`ssh-agent not usable for ${where}: ${err.message}`);
          return;
        }
        fail(hostKeyError ?? connectError(err, where, tried, skipped));
      });
      client.on('close', () =>
        fail(hostKeyError ?? new HostError('unreachable', `connection to ${where} closed during the SSH handshake`)),
      );

      const pauseTimer = async <T>(work: () => Promise<T>): Promise<T> => {
        timer.pause();
        try {
          return await work();
        } finally {
          timer.resume();
        }
      };
      const preferred = this.hostKeys.preferredAlgorithms(spec);
      const config: ConnectConfig = {
        host: spec.host,
        port: spec.port,
        username: spec.username,
        readyTimeout: 0, // our own timer, paused while a person answers a prompt
        // ServerAliveInterval/CountMax from the config win: a host that stops answering is noticed then
        keepaliveInterval: spec.serverAliveIntervalMs ?? this.options.keepaliveIntervalMs ?? 15_000,
        keepaliveCountMax: spec.serverAliveCountMax ?? 3,
        hostVerifier: ((key: Buffer, verify: (ok: boolean) => void) => {
          pauseTimer(() => this.hostKeys.check(spec, key)).then(
            () => verify(true),
            (err: unknown) => {
              hostKeyError = err instanceof HostError ? err : new HostError('host-key', String(err));
              verify(false);
            },
          );
        }) as unknown as ConnectConfig['hostVerifier'],
        authHandler: createAuthHandler(
          {
            username: spec.username,
            description: where,
            agentSocket: this.agentSocketFor(spec),
            identityFiles: spec.explicitIdentities ? spec.identityFiles : (this.options.defaultIdentityFiles ?? defaultIdentityFiles()),
            identitiesOnly: spec.identitiesOnly === true,
            identitiesNamed: spec.explicitIdentities === true,
          },
          this.callbacks,
          tried,
          pauseTimer,
          skipped,
        ),
      };
      // Like ssh(1): when the host is known, ask for the key types we have first, so a host with
      // several keys does not show us one we cannot check.
      if (preferred.length > 0) config.algorithms = { serverHostKey: { remove: preferred, prepend: preferred } as never };
      if (sock) config.sock = sock as ConnectConfig['sock'];
      client.connect(config);
    });
  }
}

/**
 * The jump host's channel to the next hop. Bounded by the next hop's connect timeout: sshd answers
 * the channel only when its own TCP connect is done, which for a black-holed target takes minutes.
 */
function forwardOut(client: Client, next: ConnectSpec, via: string, timeoutMs: number): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      reject(new HostError('timeout', `connecting to ${next.host}:${next.port} through jump host ${via} timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    client.forwardOut('127.0.0.1', 0, next.host, next.port, (err, stream) => {
      clearTimeout(timer);
      if (settled) {
        stream?.destroy(); // answered after the timeout: the connection is being torn down
        return;
      }
      settled = true;
      if (err) reject(new HostError('unreachable', `jump host ${via} cannot reach ${next.host}:${next.port}: ${err.message}`));
      else resolve(stream);
    });
  });
}
