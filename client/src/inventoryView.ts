// Read-only views of the inventory snapshot the server returns (GetInventoryResult.inventory).
// The client may import only protocol.ts, so the subset of "libvirt-hostdev-inventory/1" it reads is
// restated here (see the README, "Inventory snapshots"); unknown fields are ignored.

export interface SnapshotDevice {
  address: string;
  kind: 'pf' | 'vf' | 'pci';
  vendor?: string;
  product?: string;
  driver?: string | null;
  netdev?: string | null;
  mac?: string | null;
  totalVfs?: number;
  numVfs?: number;
  pf?: string;
  vfIndex?: number;
  vf?: { mac?: string; vlan?: number; spoofchk?: boolean; trust?: boolean };
}

export interface SnapshotGuest {
  name: string;
  state: string;
  persistent?: boolean;
  devices: { address: string; element: string; config: boolean; live: boolean; mac: string | null }[];
  macs?: string[];
}

export interface Snapshot {
  host: string;
  takenAt: string;
  devices: SnapshotDevice[];
  guests: SnapshotGuest[];
  networks: { name: string; active: boolean; addresses: string[] }[];
  /** host readiness (optional): only what the view shows */
  readiness?: { vfPersistence?: Record<string, { mechanism: string; file: string }[]> };
}

/** Accepts the server's `unknown` and keeps only a snapshot-shaped object. */
export function asSnapshot(value: unknown): Snapshot | null {
  if (!value || typeof value !== 'object') return null;
  const v = value as Partial<Snapshot>;
  if (!Array.isArray(v.devices) || !Array.isArray(v.guests)) return null;
  return {
    host: v.host ?? '', takenAt: v.takenAt ?? '', devices: v.devices, guests: v.guests, networks: v.networks ?? [],
    ...(v.readiness && typeof v.readiness === 'object' ? { readiness: v.readiness } : {}),
  };
}

export function pfs(s: Snapshot): SnapshotDevice[] {
  return s.devices.filter((d) => d.kind === 'pf').sort((a, b) => a.address.localeCompare(b.address));
}

export function vfsOf(s: Snapshot, pf: string): SnapshotDevice[] {
  return s.devices.filter((d) => d.kind === 'vf' && d.pf === pf)
    .sort((a, b) => (a.vfIndex ?? 0) - (b.vfIndex ?? 0) || a.address.localeCompare(b.address));
}

/** "web01 (running)", "db01 (config)": guests whose definition holds the address. */
export function usersOf(s: Snapshot, address: string): string[] {
  return s.guests.flatMap((g) => g.devices.filter((d) => d.address === address).map((d) => {
    const where = [d.live ? 'running' : '', d.config ? 'config' : ''].filter(Boolean).join(', ');
    return `${g.name} (${where || g.state})`;
  }));
}

export function networksOf(s: Snapshot, address: string): string[] {
  return s.networks.filter((n) => n.addresses.includes(address)).map((n) => n.name);
}

/** VFs no guest and no hostdev network uses: what Insert Interface offers. */
export function freeVfs(s: Snapshot): SnapshotDevice[] {
  return s.devices.filter((d) => d.kind === 'vf' && usersOf(s, d.address).length === 0 && networksOf(s, d.address).length === 0)
    .sort((a, b) => a.address.localeCompare(b.address));
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
