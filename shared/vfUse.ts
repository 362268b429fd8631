// Who uses a VF, and whether it is free: one answer for the rules, hover, completion, code actions,
// the status bar count and the SR-IOV view. A VF is taken when a guest's live or persistent
// definition holds it (virHostdevIsPCINodeDeviceUsed fails the second guest to start) or when an
// ACTIVE network's hostdev pool lists it (networkAllocatePort hands it out); an inactive network
// hands nothing out. Also which PFs a pool's VFs come from, named alike in every place that lists
// them. Imports nothing but other plain shared files.
import { addressKey, compareAddresses } from './pciAddress';
import { quotedName } from './quotedName';
import type { Inventory, InventoryDevice, InventoryGuest, InventoryGuestDevice, InventoryNetwork } from './snapshot';

/** One guest's use of a host address. */
export interface GuestUse {
  guest: InventoryGuest;
  device: InventoryGuestDevice;
}

export interface VfUse {
  /** guests whose definition holds the address, the document's own guest left out */
  guests: readonly GuestUse[];
  /** the first of `guests` that holds it in its running definition now */
  live: GuestUse | null;
  /** active networks whose VF pool lists it */
  networks: readonly InventoryNetwork[];
  free: boolean;
  /** why it is not free: "in use by 'web01' (running)", "in use by 'db01' (shut off, persistent config)",
   *  "in network 'sriov-pool'"; null when free */
  busy: string | null;
}

/** Guest states in which the guest does not hold its live devices (paused, pmsuspended, … do). */
const INACTIVE_GUEST_STATES: ReadonlySet<string> = new Set(['shut off', 'shutoff', 'crashed', 'nostate', 'no state']);

/** True when the guest is running (or paused, …): it holds its live devices and does not start again. */
export function isGuestActive(guest: InventoryGuest): boolean {
  return !INACTIVE_GUEST_STATES.has(guest.state);
}

/** True when the guest holds the address in its running definition (what blocks a start now). */
export function isLiveUse(use: GuestUse): boolean {
  return use.device.live && isGuestActive(use.guest);
}

/** "'web01' (running)", "'db01' (config)": how a guest holds an address, for lists. */
export function guestUseLabel(use: GuestUse): string {
  const where = [use.device.live ? 'running' : '', use.device.config ? 'config' : ''].filter(Boolean).join(', ');
  return `${quotedName(use.guest.name)} (${where || use.guest.state})`;
}

/** "'enp11s0f0' VF 3": the VF by its PF's interface name (quoted, as every name in a sentence) and index. */
export function vfName(vf: InventoryDevice, pf: InventoryDevice | undefined): string {
  return `${pf?.netdev ? quotedName(pf.netdev) : (vf.pf ?? '?')} VF ${vf.vfIndex ?? '?'}`;
}

/** "PF 0000:0b:00.0 ('enp11s0f0', igb)": a PF by its address, then its interface name and any `details`. */
export function pfLabel(pf: { address: string; netdev?: string | null }, details: readonly string[] = []): string {
  const parts = [...(pf.netdev ? [quotedName(pf.netdev)] : []), ...details];
  return `PF ${pf.address}${parts.length ? ` (${parts.join(', ')})` : ''}`;
}

/** what most addresses have: shared, never changed */
const NO_USERS: readonly GuestUse[] = Object.freeze([]);
const NO_NETWORKS: readonly InventoryNetwork[] = Object.freeze([]);

/**
 * Lookups over one snapshot: build once per inventory object. The guest and pool lookups are made at
 * once; the device map and the sorted VF list only when first asked for (checking a document needs
 * neither, and a first check in a fresh process pays for every loop over a thousand VFs).
 */
export class VfUsage {
  private readonly users = new Map<string, GuestUse[]>();
  private readonly pools = new Map<string, InventoryNetwork[]>();
  private devicesByAddress: Map<string, InventoryDevice> | null = null;
  private sortedVfs: InventoryDevice[] | null = null;

  // Indexed loops over the snapshot's lists: a for-of makes an object per step until V8 optimizes
  // it, and these run once per snapshot, in a fresh process before anything is optimized.
  constructor(readonly inventory: Inventory) {
    const guests = inventory.guests ?? [];
    for (let g = 0; g < guests.length; g++) {
      const guest = guests[g];
      const devices = guest.devices ?? [];
      for (let i = 0; i < devices.length; i++) push(this.users, addressKey(devices[i].address), { guest, device: devices[i] });
    }
    const networks = inventory.networks ?? [];
    for (let n = 0; n < networks.length; n++) {
      const addresses = networks[n].addresses ?? [];
      for (let i = 0; i < addresses.length; i++) push(this.pools, addressKey(addresses[i]), networks[n]);
    }
  }

  /** every VF, by address */
  get vfs(): readonly InventoryDevice[] {
    if (!this.sortedVfs) {
      this.sortedVfs = (this.inventory.devices ?? []).filter((d) => d.kind === 'vf');
      this.sortedVfs.sort((a, b) => compareAddresses(a.address, b.address));
    }
    return this.sortedVfs;
  }

  /** every device of the snapshot by its canonical address, made when first read */
  get byAddress(): ReadonlyMap<string, InventoryDevice> {
    if (!this.devicesByAddress) {
      const byAddress = new Map<string, InventoryDevice>();
      const devices = this.inventory.devices ?? [];
      for (let i = 0; i < devices.length; i++) byAddress.set(addressKey(devices[i].address), devices[i]);
      this.devicesByAddress = byAddress;
    }
    return this.devicesByAddress;
  }

  device(address: string): InventoryDevice | undefined {
    return this.byAddress.get(addressKey(address));
  }

  /** every guest use of the address, the document's own guest included */
  usersOf(address: string): readonly GuestUse[] {
    return this.users.get(addressKey(address)) ?? NO_USERS;
  }

  /** every network that lists the address, active or not */
  networksOf(address: string): readonly InventoryNetwork[] {
    return this.pools.get(addressKey(address)) ?? NO_NETWORKS;
  }

  /**
   * Where a hostdev pool's VFs come from, as our sentences list it: its <pf dev> names, else the PF
   * of each VF it lists (the interface name, else the PF's address), each once. A listed address that
   * is no VF of the host is said plainly in place of a PF, in the words of the network-vf finding
   * ("no device 0000:3b:02.1 on host 'kvm1'", "PF 0000:0b:00.0 listed as a VF"): libvirt fails to
   * hand such an address out.
   */
  poolPfs(network: InventoryNetwork): string[] {
    if (network.pfDevs?.length) return network.pfDevs.map(quotedName);
    const pfs = new Set<string>();
    const notVfs: string[] = [];
    let absent = 0;
    let firstAbsent = '';
    for (const address of network.addresses) {
      const device = this.device(address);
      if (!device) {
        if (absent++ === 0) firstAbsent = addressKey(address);
      } else if (device.kind === 'pf') notVfs.push(`PF ${device.address} listed as a VF`);
      else if (device.kind !== 'vf') notVfs.push(`${device.address} not a VF`);
      else if (!device.pf) pfs.add(`PF of VF ${device.address} unknown`);
      else {
        const netdev = this.device(device.pf)?.netdev;
        pfs.add(netdev ? quotedName(netdev) : device.pf);
      }
    }
    const host = quotedName(this.inventory.host);
    if (absent === 1) notVfs.push(`no device ${firstAbsent} on host ${host}`);
    else if (absent > 1) notVfs.push(`no device at ${absent} listed addresses on host ${host}`);
    return [...pfs, ...notVfs];
  }

  /** The use of `address`; the document's own guest (`ownGuest`) does not count. */
  useOf(address: string, ownGuest: string | null = null): VfUse {
    const all = this.usersOf(address);
    const guests = ownGuest === null ? all : all.filter((u) => u.guest.name !== ownGuest);
    const live = guests.find(isLiveUse) ?? null;
    const networks = this.networksOf(address).filter((n) => n.active);
    let busy: string | null = null;
    if (live) busy = `in use by ${quotedName(live.guest.name)} (${live.guest.state})`;
    else if (guests.length > 0) busy = `in use by ${quotedName(guests[0].guest.name)} (${guests[0].guest.state}, persistent config)`;
    else if (networks.length > 0) busy = `in network ${quotedName(networks[0].name)}`;
    return { guests, live, networks, free: busy === null, busy };
  }

  /** The VFs no guest (but `ownGuest`) and no active network uses, by address. */
  freeVfs(ownGuest: string | null = null): InventoryDevice[] {
    return this.vfs.filter((vf) => this.useOf(vf.address, ownGuest).free);
  }

  /** what the status bar shows */
  counts(): { freeVfs: number; totalVfs: number } {
    return { freeVfs: this.freeVfs().length, totalVfs: this.vfs.length };
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
