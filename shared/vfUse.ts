// Who uses a VF, and whether it is free: one answer for the rules, hover, completion, code actions,
// the status bar count and the SR-IOV view. A VF is taken when a guest's live or persistent
// definition holds it (virHostdevIsPCINodeDeviceUsed fails the second guest to start) or when an
// ACTIVE network's hostdev pool lists it (networkAllocatePort hands it out); an inactive network
// hands nothing out. Also which PFs a pool's VFs come from and what a pool gives a guest start, named
// and counted alike in every place that lists pools. Imports nothing but other plain shared files.
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

/** A hostdev pool's listed addresses as a guest start meets them (VfUsage.poolVfs). */
export interface PoolVfs {
  /** how many addresses the pool lists */
  listed: number;
  /** VFs a start gets now: VFs of the host that no running guest holds, listed before the first of `notVfs` */
  free: string[];
  /** listed addresses that are no VF of the host, in list order and canonical form: the start handed one fails */
  notVfs: string[];
  /** VFs no running guest holds, listed after the first of `notVfs`: no start gets them */
  behind: string[];
  /** `notVfs` in words: "no device 0000:3b:02.1 on host 'kvm1'", "PF 0000:0b:00.0 listed as a VF" */
  missing: string[];
}

/**
 * "3/7 VFs free ('enp11s0f1')", "0/1 VFs free: no device 0000:3b:02.1 on host 'kvm1'": a pool's
 * count as completion, hover, readiness and Insert Interface give it, with its PFs (`pfs`) when
 * given, and the listed addresses that are no VF said plainly.
 */
export function poolVfsText(p: PoolVfs, pfs: readonly string[] = []): string {
  const count = `${p.free.length}/${p.listed} VFs free${pfs.length ? ` (${pfs.join(', ')})` : ''}`;
  if (p.notVfs.length === 0) return count;
  const n = p.behind.length;
  const blocks = n ? `; a start gets ${p.notVfs[0]} before the ${n} free VF${n === 1 ? '' : 's'} listed after it` : '';
  return `${count}: ${p.missing.join(', ')}${blocks}`;
}

/**
 * A VF pool: a network with <forward mode='hostdev'>, which hands each guest start one of its VFs.
 * Snapshots written before networks carried their forward mode listed hostdev pools only; newer ones
 * record every network's autostart, so a network with neither is such a pool.
 */
export function isHostdevPool(network: InventoryNetwork): boolean {
  return network.forwardMode === 'hostdev' || (network.forwardMode === undefined && network.autostart === undefined);
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

/** "'web01' (running)", "'db01' (shut off, persistent config)": who makes an address busy, in VfUse.busy */
function busyWords(use: GuestUse): string {
  return `${quotedName(use.guest.name)} (${use.guest.state}${isLiveUse(use) ? '' : ', persistent config'})`;
}

/** "'web01' (running)", "'db01' (config)": how a guest holds an address, for lists. */
export function guestUseLabel(use: GuestUse): string {
  const where = [use.device.live ? 'running' : '', use.device.config ? 'config' : ''].filter(Boolean).join(', ');
  return `${quotedName(use.guest.name)} (${where || use.guest.state})`;
}

/** The order of a PF's VFs: by VF index (virtfn0, virtfn1, …, the order the PF creates and a pool lists them), then address. */
export function byVfIndex(a: InventoryDevice, b: InventoryDevice): number {
  return (a.vfIndex ?? 0) - (b.vfIndex ?? 0) || compareAddresses(a.address, b.address);
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
   * of each VF it lists (the interface name, else the PF's address), each once. Listed addresses
   * that are no VF of the host are no PF's: poolVfs says them.
   */
  poolPfs(network: InventoryNetwork): string[] {
    if (network.pfDevs?.length) return network.pfDevs.map(quotedName);
    const pfs = new Set<string>();
    for (const address of network.addresses) {
      const device = this.device(address);
      if (device?.kind !== 'vf') continue;
      if (!device.pf) pfs.add(`PF of VF ${device.address} unknown`);
      else {
        const netdev = this.device(device.pf)?.netdev;
        pfs.add(netdev ? quotedName(netdev) : device.pf);
      }
    }
    return [...pfs];
  }

  /**
   * What a hostdev pool gives a guest start, in libvirt's order: networkAllocatePort hands each start
   * the first listed address no start of the pool holds, VF or not. net-start checks none of them
   * (net-define does, but a pool defined before its VFs went keeps them), so a listed address the
   * host has no VF at is handed out like a VF, and the guest start fails on it (seen on
   * qemu:///session); no start gets past it to the VFs listed after it. `ownGuest` holds nothing.
   */
  poolVfs(network: InventoryNetwork, ownGuest: string | null = null): PoolVfs {
    const free: string[] = [];
    const notVfs: string[] = [];
    const behind: string[] = [];
    const addresses = network.addresses;
    for (let i = 0; i < addresses.length; i++) {
      const address = addresses[i];
      if (this.device(address)?.kind !== 'vf') notVfs.push(addressKey(address));
      else if (!this.usersOf(address).some((u) => u.guest.name !== ownGuest && isLiveUse(u))) (notVfs.length ? behind : free).push(address);
    }
    return { listed: addresses.length, free, notVfs, behind, missing: this.notVfWords(notVfs) };
  }

  /** "no device 0000:3b:02.1 on host 'kvm1'", "PF 0000:0b:00.0 listed as a VF": listed addresses that are no VF (canonical, as poolVfs gives them), in words. */
  private notVfWords(notVfs: readonly string[]): string[] {
    const words: string[] = [];
    const absent: string[] = [];
    for (const address of notVfs) {
      const device = this.device(address);
      if (!device) absent.push(address);
      else if (device.kind === 'pf') words.push(`PF ${device.address} listed as a VF`);
      else words.push(`${device.address} not a VF`);
    }
    const host = quotedName(this.inventory.host);
    if (absent.length === 1) words.push(`no device ${absent[0]} on host ${host}`);
    else if (absent.length > 1) words.push(`no device at ${absent.length} listed addresses on host ${host}`);
    return words;
  }

  /**
   * The use of `address`; the document's own guest (`ownGuest`) does not count, nor, for a network
   * document, the host's definition of that network (`ownNetwork`).
   */
  useOf(address: string, ownGuest: string | null = null, ownNetwork: string | null = null): VfUse {
    const all = this.usersOf(address);
    const guests = ownGuest === null ? all : all.filter((u) => u.guest.name !== ownGuest);
    const live = guests.find(isLiveUse) ?? null;
    const networks = this.networksOf(address).filter((n) => n.active && n.name !== ownNetwork);
    let busy: string | null = null;
    const first = live ?? guests[0];
    if (first) {
      busy = `in use by ${busyWords(first)}`;
      // a second guest that defines it makes whichever of them starts second fail: never hidden behind the
      // first. One entry per other guest, as a guest may hold the address in two devices (a Set: tens of
      // thousands of guests may name one VF in a hostile snapshot)
      const named = new Set([first.guest.name]);
      const others = guests.filter((u) => !named.has(u.guest.name) && named.add(u.guest.name));
      if (others.length === 1) busy += `, and by ${busyWords(others[0])}`;
      else if (others.length > 1) busy += `, and by ${others.length} other guests`;
    } else if (networks.length > 0) busy = `in network ${quotedName(networks[0].name)}`;
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
