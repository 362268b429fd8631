// Where the LSP layer gets its inventory: a snapshot file or a live host. The service only ever
// receives the plain Inventory; providers keep the last good one when a refresh fails.
import type { InventoryStatus } from '../../../shared/protocol';
import type { Inventory } from '../service/types';

export interface InventoryProvider {
  /** last good inventory (possibly stale) and the state of the source; never waits on the network */
  current(): { inventory: Inventory | null; status: InventoryStatus };
  /**
   * Fetches again; resolves when done (success or failure is reflected in current()). A host's answer
   * comes from a read that started after the call; a file's, from the read running then (its watcher
   * reads it again after each change).
   */
  refresh(): Promise<void>;
  onDidChange(listener: () => void): { dispose(): void };
  dispose(): void;
}
