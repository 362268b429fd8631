// A lookup index over one Inventory snapshot, shared by the editor features (and usable by the
// rules): devices by canonical address, VFs by PF, which guests use an address, IOMMU group
// members, network pools, and every guest MAC. Built once per snapshot object: inventories are
// immutable plain data, so a WeakMap keyed by the object is a safe memo that never outlives it.
import { formatPciAddress, parseCanonicalAddress, type PciAddress } from './pci';
import { normalizeMac } from './mac';
import type { Inventory, InventoryDevice, InventoryGuest, InventoryGuestDevice, InventoryNetwork } from './types';

/** One guest's use of a host address. */
export interface AddressUse {
  guest: InventoryGuest;
  device: InventoryGuestDevice;
}

export interface InventoryIndex {
  inventory: Inventory;
  /** canonical lower-case "DDDD:BB:SS.F" → device */
  byAddress: ReadonlyMap<string, InventoryDevice>;
  /** PF address → its VFs, ordered by vfIndex */
  vfsByPf: ReadonlyMap<string, readonly InventoryDevice[]>;
  /** every VF, ordered by address */
  vfs: readonly InventoryDevice[];
  /** address → guests that have it in their live or persistent definition */
  usersByAddress: ReadonlyMap<string, readonly AddressUse[]>;
  /** IOMMU group number → devices in it, ordered by address */
  iommuGroups: ReadonlyMap<number, readonly InventoryDevice[]>;
  /** address → networks whose hostdev pool lists it */
  networksByAddress: ReadonlyMap<string, readonly InventoryNetwork[]>;
  /** normalised MAC → names of the guests that use it (devices[].mac and macs[]) */
  guestMacs: ReadonlyMap<string, readonly string[]>;
}

const memo = new WeakMap<Inventory, InventoryIndex>();

/** Canonical key for an address string from an inventory (tolerates upper case / short domain). */
export function addressKey(address: string): string {
  const parsed = parseCanonicalAddress(address);
  return parsed ? formatPciAddress(parsed) : address.toLowerCase();
}

/** The index of `inventory`, built on first use and memoised per snapshot object. */
export function indexInventory(inventory: Inventory): InventoryIndex {
  const cached = memo.get(inventory);
  if (cached) return cached;
  const index = buildIndex(inventory);
  memo.set(inventory, index);
  return index;
}

function buildIndex(inventory: Inventory): InventoryIndex {
  const byAddress = new Map<string, InventoryDevice>();
  const vfsByPf = new Map<string, InventoryDevice[]>();
  const iommuGroups = new Map<number, InventoryDevice[]>();
  const vfs: InventoryDevice[] = [];
  for (const device of inventory.devices ?? []) {
    const key = addressKey(device.address);
    byAddress.set(key, device);
    if (device.kind === 'vf') {
      vfs.push(device);
      if (device.pf) push(vfsByPf, addressKey(device.pf), device);
    }
    if (device.iommuGroup !== null && device.iommuGroup !== undefined) push(iommuGroups, device.iommuGroup, device);
  }
  for (const list of vfsByPf.values()) list.sort((a, b) => (a.vfIndex ?? 0) - (b.vfIndex ?? 0) || compareAddresses(a.address, b.address));
  for (const list of iommuGroups.values()) list.sort((a, b) => compareAddresses(a.address, b.address));
  vfs.sort((a, b) => compareAddresses(a.address, b.address));

  const usersByAddress = new Map<string, AddressUse[]>();
  const guestMacs = new Map<string, string[]>();
  for (const guest of inventory.guests ?? []) {
    const macs = new Set<string>();
    for (const device of guest.devices ?? []) {
      push(usersByAddress, addressKey(device.address), { guest, device });
      const mac = device.mac ? normalizeMac(device.mac) : null;
      if (mac) macs.add(mac);
    }
    for (const raw of guest.macs ?? []) {
      const mac = normalizeMac(raw);
      if (mac) macs.add(mac);
    }
    for (const mac of macs) push(guestMacs, mac, guest.name);
  }

  const networksByAddress = new Map<string, InventoryNetwork[]>();
  for (const network of inventory.networks ?? []) {
    for (const address of network.addresses ?? []) push(networksByAddress, addressKey(address), network);
  }

  return { inventory, byAddress, vfsByPf, vfs, usersByAddress, iommuGroups, networksByAddress, guestMacs };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Numeric order of two canonical addresses (falls back to string order for malformed ones). */
export function compareAddresses(a: string, b: string): number {
  const pa = parseCanonicalAddress(a);
  const pb = parseCanonicalAddress(b);
  if (!pa || !pb) return a < b ? -1 : a > b ? 1 : 0;
  return pa.domain - pb.domain || pa.bus - pb.bus || pa.slot - pb.slot || pa.function - pb.function;
}

/** The device at a numeric address, if the host has it. */
export function deviceAtAddress(index: InventoryIndex, address: PciAddress): InventoryDevice | undefined {
  return index.byAddress.get(formatPciAddress(address));
}

/** Guests using an address, excluding `exceptGuest` (the document's own guest). */
export function usersOf(index: InventoryIndex, address: string, exceptGuest?: string | null): readonly AddressUse[] {
  const users = index.usersByAddress.get(addressKey(address)) ?? [];
  return exceptGuest ? users.filter((u) => u.guest.name !== exceptGuest) : users;
}

/** Guest states in which the guest does not hold its live devices (paused, pmsuspended, … do). */
const INACTIVE_GUEST_STATES = new Set(['shut off', 'shutoff', 'crashed', 'nostate', 'no state']);

/** True when the guest holds the address in its running definition (what blocks a start). */
export function isLiveUse(use: AddressUse): boolean {
  return use.device.live && !INACTIVE_GUEST_STATES.has(use.guest.state);
}

/** A VF is free when no guest (other than `exceptGuest`) uses it and no active network pools it. */
export function isVfFree(index: InventoryIndex, address: string, exceptGuest?: string | null): boolean {
  if (usersOf(index, address, exceptGuest).length > 0) return false;
  return !(index.networksByAddress.get(addressKey(address)) ?? []).some((n) => n.active);
}

/** Every normalised MAC some guest of the inventory uses. */
export function inventoryMacs(index: InventoryIndex): Set<string> {
  return new Set(index.guestMacs.keys());
}
