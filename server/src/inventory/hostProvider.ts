// The live-host InventoryProvider: one exec per refresh (inventory/fetchInventory.ts), the last
// good inventory kept when a refresh fails; a refresh asked for while a read runs gets one more read
// after it, shared by every refresh asked for meanwhile.
import type { HostFailureKind, InventoryStatus } from '../../../shared/protocol';
import { quotedName } from '../../../shared/quotedName';
import type { HostConfig } from '../../../shared/settings';
import type { Inventory } from '../service/types';
import { HostError, type Transport } from '../host/transport';
import type { InventoryProvider } from './provider';
import { fetchInventory } from './fetchInventory';
import { readinessField, vfCounts } from './fileProvider';

export interface HostProviderDeps {
  /** the (pooled) transport of a host; the provider never closes it */
  transportFor(host: HostConfig): Promise<Transport>;
  commandTimeoutMs: number;
  now?: () => Date;
  /** where refreshes are reported: successes at info (duration, counts), failures at warn/error */
  log?: LeveledLog;
}

/** A log with levels (the language server's console; the Output channel shows them as such). */
export interface LeveledLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface HostInventoryProvider extends InventoryProvider {
  /** what the last successful refresh could not read (no virsh, no SR-IOV, …), one line each */
  current(): { inventory: Inventory | null; status: InventoryStatus; warnings: string[] };
}

export function createHostInventoryProvider(host: HostConfig, deps: HostProviderDeps): HostInventoryProvider {
  let inventory: Inventory | null = null;
  let warnings: string[] = [];
  let notices: string[] = [];
  let state: InventoryStatus['state'] = 'none';
  let error: string | null = null;
  let errorKind: HostFailureKind | null = null;
  let inFlight: Promise<void> | null = null;
  /** the read that follows the one in flight, for the refreshes asked for while it runs */
  let next: Promise<void> | null = null;
  let disposed = false;
  const listeners = new Set<() => void>();

  const fire = () => {
    for (const l of [...listeners]) {
      try {
        l();
      } catch {
        /* a listener's failure is its own */
      }
    }
  };

  const status = (): InventoryStatus => ({
    state,
    host: host.name,
    source: 'host',
    takenAt: inventory?.takenAt ?? null,
    ...vfCounts(inventory),
    ...readinessField(inventory),
    error,
    ...(errorKind !== null ? { errorKind } : {}),
    // A partial inventory is still used, but the user must be able to see what is missing.
    ...(notices.length + warnings.length > 0 ? { warnings: [...notices, ...warnings] } : {}),
  });

  const run = async (): Promise<void> => {
    if (!inventory) {
      state = 'loading';
      fire();
    }
    const started = Date.now();
    try {
      const transport = await deps.transportFor(host);
      // what of the ssh config the transport does not honour stays in the status tooltip, also
      // (above all) when the connection fails because of it
      notices = [...(transport.notices ?? [])];
      const result = await fetchInventory(transport, {
        host: host.name,
        uri: host.connect,
        sysfsRoot: host.sysfsRoot,
        hostRoot: host.hostRoot,
        timeoutMs: deps.commandTimeoutMs,
        now: deps.now,
      });
      if (disposed) return;
      inventory = result.inventory;
      warnings = result.warnings;
      state = 'ok';
      error = null;
      errorKind = null;
      const { freeVfs, totalVfs } = vfCounts(inventory);
      deps.log?.info(
        `inventory of ${quotedName(host.name)} (${host.target}) read in ${Date.now() - started} ms: ${inventory.devices.length} PCI devices, ` +
          `${freeVfs}/${totalVfs} VFs free, ${inventory.guests.length} guests${warnings.length ? `; partial: ${warnings.join('; ')}` : ''}`,
      );
    } catch (e) {
      if (disposed) return;
      error = e instanceof Error ? e.message : String(e);
      errorKind = e instanceof HostError ? e.kind : null;
      // Keep the last good inventory: validation goes on with it, hover says how old it is.
      state = inventory ? 'stale' : 'unreachable';
      const message = `inventory of ${quotedName(host.name)} (${host.target}) failed after ${Date.now() - started} ms: ${error}`;
      if (state === 'stale') deps.log?.warn(`${message} (the last good inventory of ${inventory!.takenAt} is still used)`);
      else deps.log?.error(message);
    }
    fire();
  };

  return {
    current: () => ({ inventory, status: status(), warnings: [...notices, ...warnings] }),
    refresh: () => {
      if (disposed) return Promise.resolve();
      const start = (): Promise<void> =>
        (inFlight = run().finally(() => {
          inFlight = null;
        }));
      // (between a read's end and the start of the one that follows it, that one is still to start: it serves)
      if (!inFlight) return next ?? start();
      // The running read may have listed the host before what this refresh is for (an attach that just
      // ended, a VF created by hand): the answer must come from a read that starts after it.
      next ??= inFlight.then(() => {
        next = null;
        return disposed ? undefined : start();
      });
      return next;
    },
    onDidChange: (listener) => {
      listeners.add(listener);
      return {
        dispose: () => {
          listeners.delete(listener);
        },
      };
    },
    dispose: () => {
      disposed = true;
      listeners.clear();
    },
  };
}
