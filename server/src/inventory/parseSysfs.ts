// sysfs dump (inventory/script.ts: attrs, links, groups blocks) → InventoryDevice[]. Mirrors
// what libvirt reads in virpci.c: `sriov_totalvfs` makes a PF (virPCIGetVirtualFunctionsFull),
// `physfn` a VF (virPCIGetPhysicalFunction), `virtfn%zu` gives the VF index that `ip link … vf N`
// and virPCIGetVirtualFunctionIndex use, `iommu_group` the group (virPCIDeviceGetIOMMUGroupDev).
// Kept: SR-IOV PFs, VFs, network-class devices (0x02xxxx), and the other members of their IOMMU
// groups (a bridge in the group matters for assignment) as plain 'pci' devices.
import type { InventoryDevice } from '../service/types';
import { normalizeMac } from '../service/mac';
import { formatPciAddress, parseCanonicalAddress } from '../service/pci';

export interface SysfsDevice extends InventoryDevice {
  /** every net/<ifname> of the function (InventoryDevice.netdev keeps the first) */
  netdevs: string[];
  /** its PCI class as sysfs gives it ("0x020000": Ethernet); absent when not read */
  pciClass?: string;
}

export interface SysfsResult {
  devices: SysfsDevice[];
  /** iommu group number → member addresses */
  groups: Map<number, string[]>;
  warnings: string[];
}

export interface SysfsDump {
  attrs: string;
  links: string;
  groups: string;
  /** "net ADDR NAME MAC" and "driver ADDR NAME" lines, NAME encoded (see decodeName) */
  names: string;
}

interface Raw {
  attrs: Map<string, string>;
  /** name null: the host could not encode it (the interface and its MAC are still kept) */
  net: Array<{ name: string | null; mac: string }>;
  driver: string | null;
  iommu: number | null;
  physfn: string | null;
  virtfns: Array<{ index: number; address: string }>;
}

function canonical(raw: string): string | null {
  const a = parseCanonicalAddress(raw);
  return a ? formatPciAddress(a) : null;
}

function intOrNull(raw: string | undefined): number | null {
  if (raw === undefined || !/^-?\d+$/.test(raw.trim())) return null;
  return parseInt(raw, 10);
}

/** sysfs ids are "0x8086"; keep them lower-case with the 0x prefix the snapshot format uses. */
function hexId(raw: string | undefined): string {
  if (!raw) return '';
  const m = /^(?:0x)?([0-9a-fA-F]+)$/.exec(raw.trim());
  return m ? '0x' + m[1].toLowerCase() : raw.trim();
}

/**
 * A name as the script's enc() wrote it: "=NAME" as is, "x" + its bytes in hex (read as UTF-8, as
 * `ip -j link` output is, so both name an interface alike), "?" = unreadable (null).
 */
export function decodeName(encoded: string): string | null {
  if (encoded.startsWith('=')) return encoded.slice(1);
  if (/^x(?:[0-9a-f]{2})+$/.test(encoded)) return Buffer.from(encoded.slice(1), 'hex').toString('utf8');
  return null;
}

/** A host file as the readiness blocks print it, "DIR NAME" with NAME as enc() wrote it ('?' when unreadable). */
export function decodePath(dir: string, encodedName: string): string {
  return `${dir}/${decodeName(encodedName) ?? '?'}`;
}

function basename(p: string): string {
  return p.replace(/\/+$/, '').split('/').pop() ?? '';
}

const ADDRESS = '[0-9a-fA-F]{4,8}:[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\\.[0-7]';
const ATTR_LINE = new RegExp(`^(${ADDRESS})\\/(class|vendor|device|numa_node|sriov_totalvfs|sriov_numvfs):(.*)$`);
const LINK_NAME = new RegExp(`^(${ADDRESS})\\/(iommu_group|physfn|virtfn(\\d+))$`);
const NAME_LINE = new RegExp(`^(net|driver) (${ADDRESS}) (=[^ ]+|x(?:[0-9a-f]{2})+|\\?)(?: (.*))?$`);
const GROUP_LINE = /^(\d+)\/devices\/(\S+)$/;

export function parseSysfsDump(dump: SysfsDump): SysfsResult {
  const warnings: string[] = [];
  const raw = new Map<string, Raw>();
  const get = (address: string): Raw => {
    let r = raw.get(address);
    if (!r) {
      r = { attrs: new Map(), net: [], driver: null, iommu: null, physfn: null, virtfns: [] };
      raw.set(address, r);
    }
    return r;
  };

  for (const line of dump.attrs.split('\n')) {
    const m = ATTR_LINE.exec(line);
    if (!m) continue;
    const address = canonical(m[1]);
    if (!address) continue;
    const r = get(address);
    if (!r.attrs.has(m[2])) r.attrs.set(m[2], m[3].trim());
  }

  for (const line of dump.names.split('\n')) {
    const m = NAME_LINE.exec(line);
    if (!m) continue;
    const address = canonical(m[2]);
    if (!address) continue;
    const r = get(address);
    const name = decodeName(m[3]);
    if (m[1] === 'net') {
      r.net.push({ name, mac: (m[4] ?? '').trim() });
      if (name === null) warnings.push(`sysfs: a network interface name of ${address} could not be read (no 'od' on the host?)`);
    } else {
      r.driver = name;
      if (name === null) warnings.push(`sysfs: the driver name of ${address} could not be read (no 'od' on the host?)`);
    }
  }

  // `ls -ld` prints "<mode> <n> <user> <group> <size> <date> <name> -> <target>" (POSIX); sysfs
  // names and link targets hold no spaces, so the name is the last word before " -> ".
  for (const line of dump.links.split('\n')) {
    const arrow = line.indexOf(' -> ');
    if (!line.startsWith('l') || arrow < 0) continue;
    const name = line.slice(0, arrow).split(/\s+/).pop() ?? '';
    const target = line.slice(arrow + 4).trim();
    const m = LINK_NAME.exec(name);
    if (!m) continue;
    const address = canonical(m[1]);
    if (!address) continue;
    const r = get(address);
    const base = basename(target);
    if (m[2] === 'iommu_group') r.iommu = intOrNull(base);
    else if (m[2] === 'physfn') r.physfn = canonical(base);
    else if (m[3] !== undefined) {
      const vf = canonical(base);
      if (vf) r.virtfns.push({ index: parseInt(m[3], 10), address: vf });
    }
  }

  const allGroups = new Map<number, string[]>();
  for (const line of dump.groups.split('\n')) {
    const m = GROUP_LINE.exec(line.trim());
    if (!m) continue;
    const address = canonical(m[2]);
    if (!address) continue;
    const list = allGroups.get(Number(m[1])) ?? [];
    list.push(address);
    allGroups.set(Number(m[1]), list);
  }

  const relevant = (r: Raw): boolean => r.attrs.has('sriov_totalvfs') || r.physfn !== null || /^0x02/i.test(r.attrs.get('class') ?? '');
  const toDevice = (address: string, r: Raw): SysfsDevice => {
    const numa = intOrNull(r.attrs.get('numa_node'));
    const first = r.net[0];
    const named = r.net.find((n) => n.name !== null);
    return {
      address,
      kind: 'pci',
      vendor: hexId(r.attrs.get('vendor')),
      product: hexId(r.attrs.get('device')),
      driver: r.driver,
      iommuGroup: r.iommu,
      numaNode: numa === null || numa < 0 ? null : numa, // -1: no NUMA affinity
      netdev: named?.name ?? null,
      mac: first ? normalizeMac(first.mac) : null,
      netdevs: r.net.flatMap((n) => (n.name === null ? [] : [n.name])),
      ...(r.attrs.has('class') ? { pciClass: r.attrs.get('class')!.trim().toLowerCase() } : {}),
    };
  };

  const devices: SysfsDevice[] = [];
  const vfIndex = new Map<string, { pf: string; index: number }>();
  for (const [address, r] of raw) {
    if (!relevant(r)) continue;
    const d = toDevice(address, r);
    if (r.attrs.has('sriov_totalvfs')) {
      d.kind = 'pf';
      d.numVfs = intOrNull(r.attrs.get('sriov_numvfs')) ?? r.virtfns.length;
      // the kernel never enables more than the total; a tree that says so has at least that many in all
      d.totalVfs = Math.max(intOrNull(r.attrs.get('sriov_totalvfs')) ?? 0, d.numVfs);
      for (const vf of r.virtfns) vfIndex.set(vf.address, { pf: address, index: vf.index });
    }
    devices.push(d);
  }
  // A VF's index comes from its PF's virtfnN link, not from its address.
  for (const d of devices) {
    const r = raw.get(d.address)!;
    if (!r.physfn) continue;
    d.kind = 'vf';
    d.pf = r.physfn;
    const idx = vfIndex.get(d.address);
    if (idx && idx.pf === r.physfn) d.vfIndex = idx.index;
    else warnings.push(`sysfs: VF ${d.address} has physfn ${r.physfn} but no virtfn link of that PF points to it`);
  }

  // The groups of the kept devices, with members that are not network devices added as 'pci'.
  const groups = new Map<number, string[]>();
  const known = new Set(devices.map((d) => d.address));
  for (const d of [...devices]) {
    if (d.iommuGroup === null || groups.has(d.iommuGroup)) continue;
    const members = allGroups.get(d.iommuGroup) ?? [d.address];
    groups.set(d.iommuGroup, members);
    for (const m of members) {
      if (known.has(m)) continue;
      known.add(m);
      const r = raw.get(m);
      devices.push(
        r
          ? toDevice(m, r)
          : {
              address: m,
              kind: 'pci',
              vendor: '',
              product: '',
              driver: null,
              iommuGroup: d.iommuGroup,
              numaNode: null,
              netdev: null,
              mac: null,
              netdevs: [],
            },
      );
    }
  }
  devices.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  return { devices, groups, warnings };
}

/** Drops the parser-only fields, leaving plain snapshot devices. */
export function toInventoryDevice(d: SysfsDevice): InventoryDevice {
  const { netdevs, pciClass, ...rest } = d;
  void netdevs;
  void pciClass;
  return rest;
}
