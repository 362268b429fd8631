// InventoryProvider for an offline snapshot file (setting libvirtHostdev.inventoryFile, CLI --inventory).
// A bad file never throws out of here: the provider keeps the last good inventory and reports the
// reason in its status (state 'unreachable'), which the server turns into one information diagnostic.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { InventoryStatus } from '../../../shared/protocol';
import { VfUsage } from '../../../shared/vfUse';
import type { Inventory } from '../service/types';
import { readinessNotes } from '../service/readiness';
import { poolNotes } from '../service/poolReadiness';
import type { InventoryProvider } from './provider';
import { InventoryError, parseInventorySnapshot } from './snapshot';
import { FileTooLarge, NotARegularFile, readBoundedFile, readBoundedFileSync, fileErrorReason } from '../../../shared/boundedFile';

/** Snapshots of even the largest hosts are a few MB; anything far bigger is not a snapshot. */
const MAX_SNAPSHOT_BYTES = 64 * 1024 * 1024;

/** Reads and validates a snapshot file; throws InventoryError with a one-line reason. */
export async function readInventoryFile(file: string): Promise<Inventory> {
  let bytes: Buffer;
  try {
    bytes = await readBoundedFile(file, MAX_SNAPSHOT_BYTES);
  } catch (e) {
    throw unreadable(file, e);
  }
  return snapshotOf(file, bytes);
}

/** readInventoryFile for a process that has nothing else to do meanwhile (the CLI). */
export function readInventoryFileSync(file: string): Inventory {
  let bytes: Buffer;
  try {
    bytes = readBoundedFileSync(file, MAX_SNAPSHOT_BYTES);
  } catch (e) {
    throw unreadable(file, e);
  }
  return snapshotOf(file, bytes);
}

function unreadable(file: string, e: unknown): InventoryError {
  if (e instanceof NotARegularFile) return new InventoryError(`${file}: not a regular file`);
  if (e instanceof FileTooLarge)
    return new InventoryError(
      `${file}: ${e.size} bytes, more than the ${MAX_SNAPSHOT_BYTES / (1024 * 1024)} MiB an inventory snapshot may have`,
    );
  return new InventoryError(`${file}: cannot read: ${fileErrorReason(e)}`);
}

function snapshotOf(file: string, bytes: Buffer): Inventory {
  try {
    return parseInventorySnapshot(bytes.toString('utf8'), file);
  } catch (e) {
    // JSON errors already carry the file name; field errors do not.
    const message = e instanceof Error ? e.message : String(e);
    throw new InventoryError(message.startsWith(file) ? message : `${file}: ${message}`);
  }
}

/**
 * The status' readiness lines: the host's, then each VF pool with a problem and each network guests
 * name that the host lacks (absent when there are none).
 */
export function readinessField(inventory: Inventory | null): { readiness?: string[] } {
  if (!inventory) return {};
  let notes = notesBySnapshot.get(inventory);
  if (!notes) {
    notesBySnapshot.set(inventory, (notes = [...readinessNotes(inventory), ...poolNotes(inventory)]));
  }
  return notes.length > 0 ? { readiness: [...notes] } : {};
}

const notesBySnapshot = new WeakMap<Inventory, string[]>();

/**
 * Free and total VFs for the status bar (shared/vfUse.ts decides what is free), counted once per
 * snapshot: the status is asked for on every request that needs an inventory, and snapshots are
 * immutable plain data.
 */
export function vfCounts(inventory: Inventory | null): { freeVfs: number; totalVfs: number } {
  if (!inventory) return { freeVfs: 0, totalVfs: 0 };
  let counts = countsBySnapshot.get(inventory);
  if (!counts) countsBySnapshot.set(inventory, (counts = new VfUsage(inventory).counts()));
  return { ...counts };
}

const countsBySnapshot = new WeakMap<Inventory, { freeVfs: number; totalVfs: number }>();

export interface FileInventoryProviderOptions {
  /** reload when the file changes on disk (the server sets it; tests may not) */
  watch?: boolean;
}

export class FileInventoryProvider implements InventoryProvider {
  private inventory: Inventory | null = null;
  private error: string | null = null;
  private loading = false;
  private readonly listeners = new Set<() => void>();
  private watcher: fs.FSWatcher | null = null;
  private reloadTimer: NodeJS.Timeout | null = null;
  private pending: Promise<void> | null = null;
  private disposed = false;

  constructor(
    readonly file: string,
    options: FileInventoryProviderOptions = {},
  ) {
    if (options.watch) this.startWatching();
  }

  current(): { inventory: Inventory | null; status: InventoryStatus } {
    // A file that turns bad after a good read keeps its last good inventory: 'stale', like a host that dropped.
    const state =
      this.loading && !this.inventory && !this.error
        ? 'loading'
        : this.error
          ? this.inventory
            ? 'stale'
            : 'unreachable'
          : this.inventory
            ? 'ok'
            : 'none';
    return {
      inventory: this.inventory,
      status: {
        state,
        host: this.inventory?.host ?? null,
        source: 'file',
        takenAt: this.inventory?.takenAt ?? null,
        ...vfCounts(this.inventory),
        ...readinessField(this.inventory),
        error: this.error,
      },
    };
  }

  refresh(): Promise<void> {
    // Coalesce: a refresh asked for while one runs waits for that one (the file is re-read by the watcher anyway).
    if (this.pending) return this.pending;
    this.loading = true;
    this.pending = readInventoryFile(this.file)
      .then(
        (inventory) => {
          this.inventory = inventory;
          this.error = null;
        },
        (e: unknown) => {
          this.error = e instanceof Error ? e.message : String(e);
        },
      )
      .finally(() => {
        this.loading = false;
        this.pending = null;
        if (!this.disposed) this.fire();
      });
    return this.pending;
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  dispose(): void {
    this.disposed = true;
    this.listeners.clear();
    this.watcher?.close();
    this.watcher = null;
    if (this.reloadTimer) clearTimeout(this.reloadTimer);
  }

  private fire(): void {
    for (const l of [...this.listeners]) {
      try {
        l();
      } catch {
        /* a listener's failure is not the provider's */
      }
    }
  }

  /** Editors save by rename or truncate+write: watch the directory and debounce, then re-read. */
  private startWatching(): void {
    try {
      const base = path.basename(this.file);
      this.watcher = fs.watch(path.dirname(this.file), (_event, name) => {
        if (name !== null && name.toString() !== base) return;
        if (this.reloadTimer) clearTimeout(this.reloadTimer);
        this.reloadTimer = setTimeout(() => {
          this.reloadTimer = null;
          void this.refresh();
        }, 100);
      });
      this.watcher.on('error', () => {
        this.watcher?.close();
        this.watcher = null;
      });
    } catch {
      // A missing directory cannot be watched; the status already says the file is unreadable.
      this.watcher = null;
    }
  }
}
