// A lookup index over one Inventory snapshot, shared by the rules and the editor features: devices
// by canonical address, VFs by PF, IOMMU group members, every guest MAC, and who uses each VF
// (shared/vfUse.ts). The language service keeps one per snapshot object (languageService.ts).
import { addressKey, compareAddresses, formatPciAddress, type PciAddress } from './pci';
import { normalizeMac } from './mac';
import type { Inventory, InventoryDevice, ServiceContext } from './types';
import { byVfIndex, VfUsage } from '../../../shared/vfUse';

export interface InventoryIndex {
  inventory: Inventory;
  /** canonical lower-case "DDDD:BB:SS.F" → device */
  byAddress: ReadonlyMap<string, InventoryDevice>;
  /** PF address → its VFs, ordered by vfIndex */
  vfsByPf: ReadonlyMap<string, readonly InventoryDevice[]>;
  /** every VF, ordered by address */
  vfs: readonly InventoryDevice[];
  /** which guests and networks use each address, and whether a VF is free */
  usage: VfUsage;
  /** IOMMU group number → devices in it, ordered by address */
  iommuGroups: ReadonlyMap<number, readonly InventoryDevice[]>;
  /** normalised MAC → names of the guests that use it (devices[].mac and macs[]) */
  guestMacs: ReadonlyMap<string, readonly string[]>;
}

/** The index of the context's inventory: the language service's (built once per snapshot), or a fresh one. */
export function indexOf(ctx: ServiceContext): InventoryIndex | null {
  if (!ctx.inventory) return null;
  return ctx.caches ? ctx.caches.index(ctx.inventory) : buildIndex(ctx.inventory);
}

export function buildIndex(inventory: Inventory): InventoryIndex {
  return new SnapshotIndex(inventory);
}

/**
 * The IOMMU groups and the guest and pool use are made at once; the devices by address (one map:
 * the usage's), the VFs by PF, the sorted VF list and the guest MACs when first read. Indexed loops:
 * this runs cold once per snapshot, where a for-of allocates per step.
 */
class SnapshotIndex implements InventoryIndex {
  readonly iommuGroups = new Map<number, InventoryDevice[]>();
  readonly usage: VfUsage;
  private vfsByPfMap: Map<string, InventoryDevice[]> | null = null;
  private guestMacsMap: Map<string, string[]> | null = null;

  constructor(readonly inventory: Inventory) {
    const devices = inventory.devices ?? [];
    for (let i = 0; i < devices.length; i++) {
      const device = devices[i];
      if (device.iommuGroup !== null && device.iommuGroup !== undefined) push(this.iommuGroups, device.iommuGroup, device);
    }
    // forEach, not a for-of: no object per group (a thousand VFs are a thousand groups)
    this.iommuGroups.forEach((list) => {
      if (list.length > 1) list.sort(byAddressOf);
    });
    this.usage = new VfUsage(inventory);
  }

  get byAddress(): ReadonlyMap<string, InventoryDevice> {
    return this.usage.byAddress;
  }

  get vfs(): readonly InventoryDevice[] {
    return this.usage.vfs;
  }

  get vfsByPf(): ReadonlyMap<string, readonly InventoryDevice[]> {
    if (!this.vfsByPfMap) {
      const vfsByPf = new Map<string, InventoryDevice[]>();
      for (const device of this.inventory.devices ?? [])
        if (device.kind === 'vf' && device.pf) push(vfsByPf, addressKey(device.pf), device);
      for (const list of vfsByPf.values()) if (list.length > 1) list.sort(byVfIndex);
      this.vfsByPfMap = vfsByPf;
    }
    return this.vfsByPfMap;
  }

  get guestMacs(): ReadonlyMap<string, readonly string[]> {
    if (!this.guestMacsMap) {
      const guestMacs = new Map<string, string[]>();
      for (const guest of this.inventory.guests ?? []) {
        const macs = new Set<string>();
        for (const device of guest.devices ?? []) {
          const mac = device.mac ? normalizeMac(device.mac) : null;
          if (mac) macs.add(mac);
        }
        for (const raw of guest.macs ?? []) {
          const mac = normalizeMac(raw);
          if (mac) macs.add(mac);
        }
        for (const mac of macs) push(guestMacs, mac, guest.name);
      }
      this.guestMacsMap = guestMacs;
    }
    return this.guestMacsMap;
  }
}

function byAddressOf(a: InventoryDevice, b: InventoryDevice): number {
  return compareAddresses(a.address, b.address);
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The device at a numeric address, if the host has it. */
export function deviceAtAddress(index: InventoryIndex, address: PciAddress): InventoryDevice | undefined {
  return index.byAddress.get(formatPciAddress(address));
}

/** Every normalised MAC some guest of the inventory uses. */
export function inventoryMacs(index: InventoryIndex): Set<string> {
  return new Set(index.guestMacs.keys());
}
