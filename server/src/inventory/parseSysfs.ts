// sysfs records (inventory/script.ts) → InventoryDevice[]. Mirrors what libvirt reads in virpci.c:
// `sriov_totalvfs` makes a PF (virPCIGetVirtualFunctionsFull), `physfn` a VF
// (virPCIGetPhysicalFunction), `virtfn%zu` gives the VF index that `ip link … vf N` and libvirt's
// virPCIGetVirtualFunctionIndex use, `iommu_group` the group (virPCIDeviceGetIOMMUGroupDev).
import type { InventoryDevice } from '../service/types';
import { normalizeMac } from '../service/mac';
import { formatPciAddress, parseCanonicalAddress } from '../service/pci';
import type { OutputRecord } from './records';

export interface SysfsDevice extends InventoryDevice {
  /** every net/<ifname> of the function (InventoryDevice.netdev keeps the first) */
  netdevs: string[];
}

export interface SysfsResult {
  devices: SysfsDevice[];
  /** iommu group number → member addresses (all members, network devices or not) */
  groups: Map<number, string[]>;
  warnings: string[];
}

const SYSFS_TAGS = new Set(['dev', 'class', 'vendor', 'device', 'numa', 'totalvfs', 'numvfs', 'driver', 'physfn', 'virtfn', 'net', 'iommu']);

interface Building {
  device: SysfsDevice;
  virtfns: Array<{ index: number; address: string }>;
  physfn: string | null;
  hasTotalVfs: boolean;
}

function canonical(raw: string): string | null {
  const a = parseCanonicalAddress(raw);
  return a ? formatPciAddress(a) : null;
}

function intOrNull(raw: string | undefined): number | null {
  if (raw === undefined || !/^-?\d+$/.test(raw)) return null;
  return parseInt(raw, 10);
}

/** sysfs ids are "0x8086"; keep them lower-case with the 0x prefix the snapshot format uses. */
function hexId(raw: string | undefined): string {
  if (!raw) return '';
  const m = /^(?:0x)?([0-9a-fA-F]+)$/.exec(raw.trim());
  return m ? '0x' + m[1].toLowerCase() : raw.trim();
}

export function parseSysfsRecords(records: OutputRecord[]): SysfsResult {
  const warnings: string[] = [];
  const built: Building[] = [];
  const groups = new Map<number, string[]>();
  const members: InventoryDevice[] = [];
  let cur: Building | null = null;

  for (const rec of records) {
    if (rec.tag === 'member') {
      const [g, addr, vendor, product, , driver] = rec.args;
      const group = intOrNull(g);
      const address = canonical(addr ?? '');
      if (group === null || !address) continue;
      const list = groups.get(group) ?? [];
      if (!list.includes(address)) list.push(address);
      groups.set(group, list);
      members.push({
        address, kind: 'pci', vendor: hexId(vendor === '-' ? '' : vendor), product: hexId(product === '-' ? '' : product),
        driver: driver && driver !== '-' ? driver : null, iommuGroup: group, numaNode: null, netdev: null, mac: null,
      });
      continue;
    }
    if (!SYSFS_TAGS.has(rec.tag)) continue;
    if (rec.tag === 'dev') {
      const address = canonical(rec.args[0] ?? '');
      if (!address) {
        warnings.push(`sysfs: skipped a device with an unexpected name '${rec.args.join(' ')}'`);
        cur = null;
        continue;
      }
      cur = {
        device: { address, kind: 'pci', vendor: '', product: '', driver: null, iommuGroup: null, numaNode: null, netdev: null, mac: null, netdevs: [] },
        virtfns: [], physfn: null, hasTotalVfs: false,
      };
      built.push(cur);
      continue;
    }
    if (!cur) continue;
    const d = cur.device;
    const v = rec.args[0];
    switch (rec.tag) {
      case 'vendor': d.vendor = hexId(v); break;
      case 'device': d.product = hexId(v); break;
      case 'numa': {
        const n = intOrNull(v);
        d.numaNode = n === null || n < 0 ? null : n; // -1: no NUMA affinity
        break;
      }
      case 'totalvfs': cur.hasTotalVfs = true; d.totalVfs = intOrNull(v) ?? 0; break;
      case 'numvfs': d.numVfs = intOrNull(v) ?? 0; break;
      case 'driver': d.driver = v || null; break;
      case 'physfn': cur.physfn = canonical(v ?? ''); break;
      case 'iommu': d.iommuGroup = intOrNull(v); break;
      case 'virtfn': {
        const index = intOrNull(v);
        const address = canonical(rec.args[1] ?? '');
        if (index !== null && address) cur.virtfns.push({ index, address });
        break;
      }
      case 'net': {
        if (!v) break;
        d.netdevs.push(v);
        if (d.netdev === null) {
          d.netdev = v;
          d.mac = rec.args[1] ? normalizeMac(rec.args[1]) : null;
        }
        break;
      }
    }
  }

  // Kinds and the PF ↔ VF links. A VF's index comes from its PF's virtfnN link, not from its address.
  const vfIndex = new Map<string, { pf: string; index: number }>();
  for (const b of built) {
    if (b.hasTotalVfs) {
      b.device.kind = 'pf';
      b.device.numVfs ??= b.virtfns.length;
      for (const vf of b.virtfns) vfIndex.set(vf.address, { pf: b.device.address, index: vf.index });
    }
  }
  for (const b of built) {
    if (!b.physfn) continue;
    b.device.kind = 'vf';
    b.device.pf = b.physfn;
    const idx = vfIndex.get(b.device.address);
    if (idx && idx.pf === b.physfn) b.device.vfIndex = idx.index;
    else warnings.push(`sysfs: VF ${b.device.address} has physfn ${b.physfn} but no virtfn link points to it`);
  }

  const devices = built.map((b) => b.device);
  // Group members that are not network devices (bridges, other functions) still matter for the
  // iommu-group rule, so they join the list as plain 'pci' devices.
  const known = new Set(devices.map((d) => d.address));
  for (const m of members) {
    if (known.has(m.address)) continue;
    known.add(m.address);
    devices.push({ ...m, netdevs: [] });
  }
  devices.sort((a, b) => a.address.localeCompare(b.address));
  return { devices, groups, warnings };
}

/** Drops the parser-only fields, leaving plain snapshot devices. */
export function toInventoryDevice(d: SysfsDevice): InventoryDevice {
  const { netdevs, ...rest } = d;
  void netdevs;
  return rest;
}
