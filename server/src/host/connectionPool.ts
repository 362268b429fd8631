// One transport per host, shared by inventory refreshes and attaches. An SSH transport opens its
// connection on first use and again after a drop, so the pool only has to hand out the same
// object for the same host and close everything on dispose().
import type { HostConfig } from '../../../shared/settings';
import { LocalTransport } from './localTransport';
import { OpenSshTransport } from './openSshTransport';
import { lookupSshConfig } from './sshConfig';
import { loadNamedSshConfig, type SshConfig } from './sshConfigFiles';
import { type HostCallbacks, SshTransport, type SshTransportOptions } from './sshTransport';
import { configForOptions, isLocalTarget, parseTarget, resolveTarget, type ConnectSpec, type ResolveOptions } from './target';
import type { Transport } from './transport';

export interface CreateTransportOptions extends Partial<SshTransportOptions> {
  /** how to read ~/.ssh/config (text, home directory, local user); defaults to the real ones */
  resolve?: Omit<ResolveOptions, 'identityFile'>;
  /** an ssh config file instead of ~/.ssh/config (`ssh -F`), for both transports */
  sshConfigFile?: string;
  /** OpenSSH transport: accept an unknown host key (the built-in client asks confirmHostKey instead) */
  acceptNewHostKey?: boolean;
}

type TransportHost = Pick<HostConfig, 'target' | 'identityFile' | 'transport'>;

/**
 * The transport for a configured host: LocalTransport for `local`, otherwise an SshTransport for
 * the target resolved through ~/.ssh/config. Nothing connects yet. Throws HostError('config') for
 * a malformed target.
 */
export function createTransport(host: TransportHost, callbacks: HostCallbacks = {}, options: CreateTransportOptions = {}): Transport {
  const { resolve, sshConfigFile, acceptNewHostKey, ...sshOptions } = options;
  if (isLocalTarget(host.target)) return new LocalTransport();
  // a named config that cannot be read stops here for both transports (ssh -F would stop too)
  const named = sshConfigFile ? loadNamedSshConfig(sshConfigFile) : undefined;
  if (host.transport === 'openssh') {
    // ssh takes `-o` before its config: the setting is passed only where the config names no ConnectTimeout
    const parsed = parseTarget(host.target);
    const config = named ?? configForOptions(resolve ?? {});
    const entry = lookupSshConfig(config, parsed.host, parsed.user);
    const configured = entry.connectTimeoutSeconds !== undefined;
    return new OpenSshTransport(host.target, {
      ...(entry.strictHostKeyChecking === 'yes' ? { configRefusesNewKeys: true } : {}),
      ...(configured ? {} : { connectTimeoutMs: sshOptions.connectTimeoutMs ?? 10_000 }),
      ...(host.identityFile ? { identityFile: host.identityFile } : {}),
      ...(sshConfigFile ? { sshConfigFile } : {}),
      ...(acceptNewHostKey ? { acceptNewHostKey } : {}),
    });
  }
  const spec = builtinSpec(host, options, named);
  if (spec === null) return new LocalTransport();
  return new SshTransport(spec, callbacks, { connectTimeoutMs: 10_000, ...sshOptions });
}

/**
 * What the built-in client connects to for `host` as the ssh config reads now (null: the target is this
 * machine). `named`: the --ssh-config file, already read.
 */
function builtinSpec(host: TransportHost, options: CreateTransportOptions, named?: SshConfig): ConnectSpec | null {
  const { resolve, sshConfigFile } = options;
  const config = named ?? (sshConfigFile ? loadNamedSshConfig(sshConfigFile) : undefined);
  const fromFile: ResolveOptions = config ? { sshConfig: config, configLabel: sshConfigFile, sshConfigFile } : {};
  const resolved = resolveTarget(host.target, {
    ...fromFile,
    ...resolve,
    ...(host.identityFile ? { identityFile: host.identityFile } : {}),
  });
  return resolved.kind === 'local' ? null : resolved;
}

export class ConnectionPool {
  private readonly transports = new Map<string, Transport>();
  private disposed = false;

  constructor(
    private readonly callbacks: HostCallbacks = {},
    private readonly options: CreateTransportOptions = {},
    private readonly factory: typeof createTransport = createTransport,
  ) {}

  /**
   * The shared transport for this host (same target + identity file → same connection). The ssh config
   * is read again each time: when what the built-in client would connect to has changed (an edited
   * HostName, User, ProxyJump, key, …), the next command gets a new transport and the old one closes once
   * the commands it runs have ended. (The OpenSSH transport runs ssh, which reads the config itself.)
   */
  get(host: TransportHost): Transport {
    if (this.disposed) throw new Error('connection pool disposed');
    const key = poolKey(host);
    let transport = this.transports.get(key);
    // a factory of a test's own makes its transports from its own options, not from the config
    if (transport instanceof SshTransport && this.factory === createTransport && configChanged(transport, host, this.options)) {
      transport.closeWhenIdle();
      this.transports.delete(key);
      transport = undefined;
    }
    if (!transport) {
      transport = this.factory(host, this.callbacks, this.options);
      this.transports.set(key, transport);
      // once per host: the Output channel names what of ~/.ssh/config is not honoured
      for (const notice of transport.notices ?? []) this.callbacks.log?.(notice);
    }
    return transport;
  }

  /** Closes and forgets one host's transport (e.g. its settings changed). */
  release(host: TransportHost): void {
    const key = poolKey(host);
    this.transports.get(key)?.close();
    this.transports.delete(key);
  }

  dispose(): void {
    this.disposed = true;
    for (const transport of this.transports.values()) transport.close();
    this.transports.clear();
  }
}

/** Whether the ssh config now reads `host` otherwise than when `transport` was made for it. */
function configChanged(transport: SshTransport, host: TransportHost, options: CreateTransportOptions): boolean {
  const now = builtinSpec(host, options);
  return now === null || JSON.stringify(now) !== JSON.stringify(transport.spec);
}

function poolKey(host: TransportHost): string {
  return `${host.target.trim()}\u0000${host.identityFile ?? ''}\u0000${host.transport ?? 'builtin'}`;
}
