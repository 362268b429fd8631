// Which inventory a document is checked against: its settings name a snapshot file (wins) or the
// active host. Providers are shared by source (two documents with the same settings share one SSH
// connection) and created lazily. Nothing here waits on the network: a host provider's first
// refresh runs in the background and validation uses whatever current() has.
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FileInventoryProvider } from '../inventory/fileProvider';
import type { InventoryProvider } from '../inventory/provider';
import type { InventoryStatus } from '../../../shared/protocol';
import { quotedName } from '../../../shared/quotedName';
import { activeHostConfig, type HostConfig, type ServerSettings } from '../../../shared/settings';
import { missingHostReason } from '../../../shared/settingsReading';
import type { Inventory, ServiceContext } from '../service/index';

export type HostProviderFactory = (host: HostConfig, settings: ServerSettings) => InventoryProvider;

export interface InventorySource {
  readonly key: string;
  readonly kind: 'file' | 'host';
  /** the configured host's name (host sources) */
  readonly hostName?: string;
  readonly provider: InventoryProvider;
  /** resolves when a file source has read its file once (local disk only; hosts resolve at once) */
  readonly firstLoad: Promise<void>;
  /** resolves when the source has been read once, host sources too, whatever came of it (for $/progress) */
  readonly firstRead: Promise<void>;
}

/** What a request that needs an inventory is told when the settings name no source of one. */
export const NO_SOURCE_CONFIGURED = 'no host or inventory file is configured';

export const NO_INVENTORY_STATUS: InventoryStatus = {
  state: 'none',
  host: null,
  source: null,
  takenAt: null,
  freeVfs: 0,
  totalVfs: 0,
  error: null,
};

export interface InventorySourcesOptions {
  /** workspace folder URI or path, for relative inventoryFile paths */
  workspaceRoot: string | null;
  /** false in an untrusted workspace whose hosts may come from the workspace: no host is contacted */
  trusted: boolean;
  /** why a host is not contacted (trust) */
  log?: (message: string) => void;
  createHostProvider?: HostProviderFactory;
  onDidChange(source: InventorySource): void;
}

export class InventorySources {
  private readonly sources = new Map<string, InventorySource & { dispose(): void }>();

  constructor(private readonly options: InventorySourcesOptions) {}

  /** The source these settings select, created on first use; null when nothing is configured. */
  forSettings(settings: ServerSettings): InventorySource | null {
    const wanted = this.describe(settings);
    if (!wanted) return null;
    const existing = this.sources.get(wanted.key);
    if (existing) return existing;
    const source = this.create(wanted, settings);
    this.sources.set(source.key, source);
    return source;
  }

  get(key: string): InventorySource | null {
    return this.sources.get(key) ?? null;
  }

  /** The sources that read host `name` (one per distinct setting combination). */
  forHost(name: string): InventorySource[] {
    return [...this.sources.values()].filter((s) => s.kind === 'host' && s.hostName === name);
  }

  /** Disposes sources no open document uses any more. */
  retain(keys: Set<string>): void {
    for (const [key, source] of this.sources) {
      if (!keys.has(key)) {
        source.dispose();
        this.sources.delete(key);
      }
    }
  }

  dispose(): void {
    this.retain(new Set());
  }

  resolveFile(file: string): string {
    if (file === '~' || file.startsWith('~/')) return path.join(os.homedir(), file.slice(1));
    if (path.isAbsolute(file)) return file;
    const root = this.options.workspaceRoot;
    if (!root) return path.resolve(file);
    const rootPath = root.startsWith('file:') ? fileURLToPath(root) : root;
    return path.resolve(rootPath, file);
  }

  private describe(settings: ServerSettings): { key: string; file?: string; host?: HostConfig } | null {
    if (settings.inventoryFile) {
      const file = this.resolveFile(settings.inventoryFile);
      return { key: `file:${file}`, file };
    }
    if (!settings.activeHost) return null;
    const host = activeHostConfig(settings);
    // the key names why, so a fix of the entry (or its removal) makes a new source with the new reason
    if (!host)
      return { key: `missing-host:${missingHostReason(settings, settings.activeHost)}`, host: { name: settings.activeHost, target: '' } };
    const { connect = '', identityFile = '', sysfsRoot = '', hostRoot = '', transport = 'builtin' } = host;
    return {
      key: `host:${JSON.stringify([host.name, host.target, connect, identityFile, sysfsRoot, hostRoot, transport, settings.connectTimeoutSeconds, settings.commandTimeoutSeconds, settings.refreshIntervalSeconds])}`,
      host,
    };
  }

  private create(
    wanted: { key: string; file?: string; host?: HostConfig },
    settings: ServerSettings,
  ): InventorySource & { dispose(): void } {
    let provider: InventoryProvider;
    let kind: 'file' | 'host';
    let firstLoad: Promise<void>;
    let firstRead: Promise<void>;
    if (wanted.file !== undefined) {
      kind = 'file';
      provider = new FileInventoryProvider(wanted.file, { watch: true });
      firstLoad = provider.refresh();
      firstRead = firstLoad.catch(() => undefined);
    } else {
      kind = 'host';
      const host = wanted.host!;
      provider = this.hostProvider(host, settings);
      // Never awaited by validation: the network is off the typing path.
      firstRead = provider.refresh().catch(() => undefined);
      firstLoad = Promise.resolve();
    }
    const source = { key: wanted.key, kind, provider, firstLoad, firstRead, ...(wanted.host ? { hostName: wanted.host.name } : {}) };
    const subscription = provider.onDidChange(() => this.options.onDidChange(source));
    // a tick while its last refresh still waits (a slow host) asks for none: reads do not pile up
    let ticking: Promise<void> | null = null;
    const timer =
      kind === 'host' && settings.refreshIntervalSeconds > 0
        ? setInterval(() => {
            ticking ??= provider
              .refresh()
              .catch(() => undefined)
              .finally(() => {
                ticking = null;
              });
          }, settings.refreshIntervalSeconds * 1000)
        : null;
    timer?.unref();
    return {
      ...source,
      dispose: () => {
        if (timer) clearInterval(timer);
        subscription.dispose();
        provider.dispose();
      },
    };
  }

  private hostProvider(host: HostConfig, settings: ServerSettings): InventoryProvider {
    if (!host.target) return new UnavailableProvider(host.name, `activeHost ${missingHostReason(settings, host.name)}`);
    if (!this.options.trusted) {
      this.options.log?.(`not contacting host ${quotedName(host.name)}: the workspace is not trusted (Restricted Mode)`);
      return new UnavailableProvider(host.name, 'hosts from an untrusted workspace are not contacted', 'restricted');
    }
    if (!this.options.createHostProvider) return new UnavailableProvider(host.name, 'live hosts are not supported by this server build');
    try {
      return this.options.createHostProvider(host, settings);
    } catch (e) {
      return new UnavailableProvider(host.name, e instanceof Error ? e.message : String(e));
    }
  }
}

/** A host that cannot be used at all: misconfigured ('unreachable') or blocked by trust ('restricted'), with the reason. */
class UnavailableProvider implements InventoryProvider {
  constructor(
    private readonly host: string,
    private readonly reason: string,
    private readonly state: 'unreachable' | 'restricted' = 'unreachable',
  ) {}
  current(): ReturnType<InventoryProvider['current']> {
    return { inventory: null, status: { ...NO_INVENTORY_STATUS, state: this.state, host: this.host, source: 'host', error: this.reason } };
  }
  refresh(): Promise<void> {
    return Promise.resolve();
  }
  onDidChange(): { dispose(): void } {
    return { dispose: () => undefined };
  }
  dispose(): void {
    /* nothing held */
  }
}

/** A document's service context: its inventory and, while the host or snapshot cannot be read
 *  ('unreachable', or 'stale': failing after an earlier success, the last good inventory still used), why. */
export function documentContext(current: { inventory: Inventory | null; status: InventoryStatus }): ServiceContext {
  const { inventory, status } = current;
  const unavailable = status.state === 'unreachable' || status.state === 'stale' || status.state === 'restricted';
  const inventoryUnavailable = unavailable
    ? {
        source: status.source,
        host: status.host,
        error: status.error,
        restricted: status.state === 'restricted',
        ...(status.errorKind === 'host-key' ? { hostKeyRefused: true } : {}),
      }
    : null;
  return { inventory, inventoryUnavailable };
}
