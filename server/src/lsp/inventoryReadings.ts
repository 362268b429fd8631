// What each open document's diagnostics were last computed with. A source that reports a change
// re-checks only the documents that read it differently: a snapshot file's first read, which the
// first check already waited for, then costs no second validation of every document it serves.
import type { InventoryStatus } from '../../../shared/protocol';
import type { Inventory } from '../service/index';

export interface InventoryReading {
  inventory: Inventory | null;
  status: InventoryStatus;
}

export class InventoryReadings {
  private readonly byUri = new Map<string, InventoryReading>();

  note(uri: string, reading: InventoryReading): void {
    this.byUri.set(uri, reading);
  }

  forget(uri: string): void {
    this.byUri.delete(uri);
  }

  /**
   * The document was checked with something other than `now`. A document never checked against an
   * inventory is not: either its own check is still to read the source, or it is no libvirt XML.
   */
  changed(uri: string, now: InventoryReading): boolean {
    const last = this.byUri.get(uri);
    if (!last) return false;
    return last.inventory !== now.inventory || JSON.stringify(last.status) !== JSON.stringify(now.status);
  }
}
