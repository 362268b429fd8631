// The host's PFs and their VFs, each VF with its driver, what the PF programs on it and who uses it:
// what the editor's SR-IOV view shows, for `libvirt-hostdev vfs` (a terminal, a script). Whether a VF
// is free, and why not, in the words of shared/vfUse.ts, as every other place says it.
import { quotedName } from '../../../shared/quotedName';
import { buildIndex, type InventoryIndex } from './inventoryIndex';
import { pfNamed } from './newInterface';
import { addressKey, compareAddresses } from './pci';
import type { Inventory, InventoryDevice, VfAdminSettings } from './types';

export interface ListedVf {
  address: string;
  vfIndex: number | null;
  /** the driver bound to it now (null: none) */
  driver: string | null;
  netdev: string | null;
  /** what the PF programs on it (ip link's vf line), when the snapshot has it */
  admin: VfAdminSettings | null;
  free: boolean;
  /** why it is not free ("in use by 'web01' (running)"); null when free */
  busy: string | null;
  /** the guests whose definitions hold it */
  guests: { name: string; state: string; live: boolean; config: boolean }[];
  /** the networks whose VF pools list it (active or not) */
  networks: string[];
}

export interface ListedPf {
  address: string;
  netdev: string | null;
  driver: string | null;
  numVfs: number | null;
  totalVfs: number | null;
  /** its VFs by VF index (only the free ones when asked for those) */
  vfs: ListedVf[];
  /** of all its VFs, how many are free */
  freeVfs: number;
}

export interface VfListing {
  host: string;
  takenAt: string;
  pfs: ListedPf[];
  /** over the PFs listed, free VFs and all VFs (whatever `freeOnly` left out) */
  freeVfs: number;
  totalVfs: number;
  /** why no VF is listed ("no free VF on 'kvm1': …"); null when one is */
  empty: string | null;
}

export interface VfListingOptions {
  /** one PF: its netdev or PCI address */
  pf?: string;
  /** only the free VFs (and the PFs that have one) */
  freeOnly?: boolean;
}

export function vfListing(
  inventory: Inventory,
  options: VfListingOptions = {},
  index: InventoryIndex = buildIndex(inventory),
): VfListing | { error: string } {
  let pfs = pfsOf(inventory, index);
  if (options.pf !== undefined) {
    const named = pfNamed(inventory, options.pf);
    if ('error' in named) return named;
    pfs = pfs.filter((pf) => pf.address === named.pf.address);
  }
  const listed: ListedPf[] = [];
  let freeVfs = 0;
  let totalVfs = 0;
  for (const pf of pfs) {
    const vfs = (index.vfsByPf.get(addressKey(pf.address)) ?? []).map((vf) => listedVf(vf, index));
    const free = vfs.filter((vf) => vf.free).length;
    freeVfs += free;
    totalVfs += vfs.length;
    const shown = options.freeOnly ? vfs.filter((vf) => vf.free) : vfs;
    if (options.freeOnly && shown.length === 0) continue;
    listed.push({
      address: pf.address,
      netdev: pf.netdev,
      driver: pf.driver,
      numVfs: pf.numVfs ?? null,
      totalVfs: pf.totalVfs ?? null,
      vfs: shown,
      freeVfs: free,
    });
  }
  const empty = listed.some((pf) => pf.vfs.length > 0) ? null : emptyReason(inventory, pfs, totalVfs, options);
  return { host: inventory.host, takenAt: inventory.takenAt, pfs: listed, freeVfs, totalVfs, empty };
}

/** The PFs by address; a VF whose PF the snapshot does not list gets one made of its `pf` address. */
function pfsOf(inventory: Inventory, index: InventoryIndex): InventoryDevice[] {
  const pfs = inventory.devices.filter((d) => d.kind === 'pf');
  for (const address of index.vfsByPf.keys())
    if (!pfs.some((pf) => addressKey(pf.address) === address))
      pfs.push({ address, kind: 'pf', vendor: '', product: '', driver: null, iommuGroup: null, numaNode: null, netdev: null, mac: null });
  return pfs.sort((a, b) => compareAddresses(a.address, b.address));
}

function listedVf(vf: InventoryDevice, index: InventoryIndex): ListedVf {
  const use = index.usage.useOf(vf.address);
  return {
    address: vf.address,
    vfIndex: vf.vfIndex ?? null,
    driver: vf.driver,
    netdev: vf.netdev,
    admin: vf.vf ?? null,
    free: use.free,
    busy: use.busy,
    guests: index.usage
      .usersOf(vf.address)
      .map((u) => ({ name: u.guest.name, state: u.guest.state, live: u.device.live, config: u.device.config })),
    networks: index.usage.networksOf(vf.address).map((n) => n.name),
  };
}

/** Why nothing is listed: no PF, no VF enabled, or none free. */
function emptyReason(inventory: Inventory, pfs: readonly InventoryDevice[], totalVfs: number, options: VfListingOptions): string {
  const where = `${options.pf !== undefined ? `of ${quotedName(options.pf)} ` : ''}on ${quotedName(inventory.host)}`;
  if (pfs.length === 0) return `no VF ${where}: it has no SR-IOV device (no PF)`;
  if (totalVfs === 0) return `no VF ${where}: none enabled (sriov_numvfs is 0)`;
  return `no free VF ${where}: each of its ${totalVfs} VFs is used by a guest or an active network`;
}
