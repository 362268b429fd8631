// What the readiness integration tests read back from a copied host: the inventory the real script
// reads, a PF's boot-time VF sources as lines, and the vf-not-persistent messages of a domain.
import { validate } from '../../server/src/service/index';
import type { Inventory } from '../../server/src/service/types';
import { readHostRoot } from './shellHost';

/** The inventory the real script reads from the copied host at `root`. */
export async function hostRootInventory(root: string): Promise<Inventory> {
  return (await readHostRoot(root)).inventory;
}

/** The PF's boot-time VF sources, one line each: "MECHANISM /FILE: DETAIL (COUNT)". */
export function sourcesShown(inventory: Inventory, pf: string): string[] {
  return (inventory.readiness!.vfPersistence[pf] ?? []).map((s) => `${s.mechanism} /${s.file}: ${s.detail} (${s.count})`);
}

/** The vf-not-persistent messages of `domain` checked against `inventory`. */
export function notPersistentMessages(domain: string, inventory: Inventory): string[] {
  return validate(domain, { inventory })
    .filter((p) => p.code === 'vf-not-persistent')
    .map((p) => p.message);
}
