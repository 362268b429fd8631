// Where the LSP layer gets its inventory: a snapshot file or a live host. The service only ever
// receives the plain Inventory; providers keep the last good one when a refresh fails.
import type { InventoryStatus } from '../../../shared/protocol';
import type { Inventory } from '../service/types';

export interface InventoryProvider {
  /** last good inventory (possibly stale) and the state of the source; never waits on the network */
  current(): { inventory: Inventory | null; status: InventoryStatus };
  /** fetches again; resolves when done (success or failure is reflected in current()) */
  refresh(): Promise<void>;
  onDidChange(listener: () => void): { dispose(): void };
  dispose(): void;
}
