// One transport per host, shared by inventory refreshes and attaches. An SSH transport opens its
// connection on first use and again after a drop, so the pool only has to hand out the same
// object for the same host and close everything on dispose().
import * as path from 'node:path';
import type { HostConfig } from '../../../shared/settings';
import { LocalTransport } from './localTransport';
import { OpenSshTransport } from './openSshTransport';
import { lookupSshConfig } from './sshConfig';
import { loadNamedSshConfig } from './sshConfigFiles';
import { type HostCallbacks, SshTransport, type SshTransportOptions } from './sshTransport';
import { configForOptions, isLocalTarget, parseTarget, resolveTarget, type ResolveOptions } from './target';
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
  const named = sshConfigFile ? loadNamedSshConfig(path.resolve(sshConfigFile)) : undefined;
  if (host.transport === 'openssh') {
    // ssh takes `-o` before its config: the setting is passed only where the config names no ConnectTimeout
    const parsed = parseTarget(host.target);
    const config = named ?? configForOptions(resolve ?? {});
    const configured = lookupSshConfig(config, parsed.host, parsed.user).connectTimeoutSeconds !== undefined;
    return new OpenSshTransport(host.target, {
      ...(configured ? {} : { connectTimeoutMs: sshOptions.connectTimeoutMs ?? 10_000 }),
      ...(host.identityFile ? { identityFile: host.identityFile } : {}),
      ...(sshConfigFile ? { sshConfigFile } : {}),
      ...(acceptNewHostKey ? { acceptNewHostKey } : {}),
    });
  }
  const fromFile: ResolveOptions = named ? { sshConfig: named, configLabel: sshConfigFile, sshConfigFile } : {};
  const resolved = resolveTarget(host.target, {
    ...fromFile,
    ...resolve,
    ...(host.identityFile ? { identityFile: host.identityFile } : {}),
  });
  if (resolved.kind === 'local') return new LocalTransport();
  return new SshTransport(resolved, callbacks, { connectTimeoutMs: 10_000, ...sshOptions });
}

export class ConnectionPool {
  private readonly transports = new Map<string, Transport>();
  private disposed = false;

  constructor(
    private readonly callbacks: HostCallbacks = {},
    private readonly options: CreateTransportOptions = {},
    private readonly factory: typeof createTransport = createTransport,
  ) {}

  /** The shared transport for this host (same target + identity file → same connection). */
  get(host: TransportHost): Transport {
    if (this.disposed) throw new Error('connection pool disposed');
    const key = poolKey(host);
    let transport = this.transports.get(key);
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

function poolKey(host: TransportHost): string {
  return `${host.target.trim()}\u0000${host.identityFile ?? ''}\u0000${host.transport ?? 'builtin'}`;
}
