// What the SR-IOV view, Insert Interface and the guest pick read from the server's snapshot. Who
// uses a VF and whether it is free come from shared/vfUse.ts, the same answer the server's status
// bar count, completion and rules give.
import { compareAddresses } from '../../shared/pciAddress';
import { inertIcons } from './inertIcons';
import type { Inventory, InventoryDevice, InventoryGuest } from '../../shared/snapshot';
import { byVfIndex, guestUseLabel, isHostdevPool, poolVfsText, VfUsage, type PoolVfs } from '../../shared/vfUse';

export type Snapshot = Inventory;
export type SnapshotDevice = InventoryDevice;
export type SnapshotGuest = InventoryGuest;

const usages = new WeakMap<Snapshot, VfUsage>();

function usageOf(s: Snapshot): VfUsage {
  let usage = usages.get(s);
  if (!usage) usages.set(s, (usage = new VfUsage(s)));
  return usage;
}

/** Keeps only a snapshot-shaped value (an older server, a hand-made reply). */
export function asSnapshot(value: unknown): Snapshot | null {
  if (!value || typeof value !== 'object') return null;
  const v = value as Partial<Snapshot>;
  if (!Array.isArray(v.devices) || !Array.isArray(v.guests)) return null;
  return { ...v, host: v.host ?? '', takenAt: v.takenAt ?? '', networks: v.networks ?? [] } as Snapshot;
}

export function pfs(s: Snapshot): SnapshotDevice[] {
  return s.devices.filter((d) => d.kind === 'pf').sort((a, b) => compareAddresses(a.address, b.address));
}

export function vfsOf(s: Snapshot, pf: string): SnapshotDevice[] {
  return s.devices.filter((d) => d.kind === 'vf' && d.pf === pf).sort(byVfIndex);
}

/** "'web01' (running)", "'db01' (config)": guests whose definition holds the address. */
export function usersOf(s: Snapshot, address: string): string[] {
  return usageOf(s).usersOf(address).map(guestUseLabel);
}

/** The names of the guests whose definition holds the address, each once. */
export function guestsHolding(s: Snapshot, address: string): string[] {
  return [
    ...new Set(
      usageOf(s)
        .usersOf(address)
        .map((u) => u.guest.name),
    ),
  ];
}

/** Active networks whose VF pool hands the address out (an inactive one hands nothing out). */
export function networksOf(s: Snapshot, address: string): string[] {
  return usageOf(s)
    .useOf(address)
    .networks.map((n) => n.name);
}

/** VFs no guest and no active hostdev network uses: what Insert Interface offers. */
export function freeVfs(s: Snapshot): SnapshotDevice[] {
  return usageOf(s).freeVfs();
}

export interface FreePool {
  name: string;
  /** the pool's listed addresses as a start meets them (VfUsage.poolVfs): `free` are the VFs a start gets */
  vfs: PoolVfs;
  /** the pool's PFs as completion and hover name them (VfUsage.poolPfs) */
  pfs: string[];
}

/** Active hostdev pools with a VF a start gets: what Insert Interface offers as "from pool X". */
export function freePools(s: Snapshot): FreePool[] {
  const usage = usageOf(s);
  return (s.networks ?? [])
    .filter((n) => n.active && isHostdevPool(n) && n.addresses.length > 0)
    .map((n) => ({ name: n.name, vfs: usage.poolVfs(n), pfs: usage.poolPfs(n) }))
    .filter((p) => p.vfs.free.length > 0);
}

/** "3/7 VFs free ('enp11s0f1')": a pool in Insert Interface's pick list, counted as completion counts it, names as written. */
export function poolPickDescription(p: FreePool): string {
  return inertIcons(poolVfsText(p.vfs, p.pfs));
}

export function hostdevCount(g: SnapshotGuest): number {
  return g.devices.length;
}

/** "VFs persistent: modprobe" / "VFs runtime only (lost at reboot)"; null when the snapshot does not say. */
export function pfPersistenceLabel(s: Snapshot, pf: string): string | null {
  const sources = s.readiness?.vfPersistence?.[pf];
  if (!Array.isArray(sources)) return null;
  if (sources.length === 0) return 'VFs runtime only (lost at reboot)';
  return `VFs persistent: ${[...new Set(sources.map((x) => x.mechanism))].join(', ')}`;
}
