// Inventory snapshot files (format "libvirt-hostdev-inventory/1"): strict reading with errors that
// name the offending field, and writing. No file system here: readInventoryFile in fileProvider.ts
// does the I/O. Unknown fields are dropped so a newer writer does not break an older reader.
import { parseJsonFile } from '../service/jsonSyntax';
import { normalizeMac } from '../service/mac';
import { readUuid } from '../../../shared/uuid';
import {
  address,
  addressField,
  arr,
  bool,
  describe,
  fail,
  field,
  fieldCount,
  InventoryError,
  macOrNull,
  obj,
  oneOf,
  pciId,
  str,
  strings,
  strOrNull,
  uint,
  uintOrNull,
  under,
  vlanTags,
  type Json,
  type Obj,
  type Where,
} from './snapshotFields';
import {
  INVENTORY_FORMAT,
  type Inventory,
  type InventoryDevice,
  type InventoryGuest,
  type InventoryGuestDevice,
  type InventoryNetwork,
  type HostReadiness,
  type VfAdminSettings,
  type VfIgnoredSource,
  type VfPersistenceSource,
} from '../service/types';
import { VF_IGNORED_REASONS, VF_PERSISTENCE_MECHANISMS } from '../../../shared/snapshot';

export { InventoryError } from './snapshotFields';

/*
 * A device or guest device that is already what the reader makes of it (every field present, spelled
 * as normalised, nothing else) is kept as the object JSON.parse made, not copied: snapshots are written
 * so, and a second object per device doubles what a process keeps of a 1,024-VF snapshot, which the
 * young collections copy. Anything else (an unknown field, a null to drop, a spelling to normalise) is
 * built field by field.
 */

function vfSettings(v: Json, path: Where): VfAdminSettings {
  const o = obj(v, path);
  const mac = macOrNull(o, 'mac', path);
  const vlan = o.vlan !== undefined && o.vlan !== null ? uint(o, 'vlan', path) : null;
  const spoofchk = o.spoofchk !== undefined && o.spoofchk !== null ? bool(o, 'spoofchk', path) : null;
  const trust = o.trust !== undefined && o.trust !== null ? bool(o, 'trust', path) : null;
  const fields = (mac !== null ? 1 : 0) + (vlan !== null ? 1 : 0) + (spoofchk !== null ? 1 : 0) + (trust !== null ? 1 : 0);
  if ((mac === null || mac === o.mac) && fieldCount(o) === fields) return o as VfAdminSettings;
  const out: VfAdminSettings = {};
  if (mac !== null) out.mac = mac;
  if (vlan !== null) out.vlan = vlan;
  if (spoofchk !== null) out.spoofchk = spoofchk;
  if (trust !== null) out.trust = trust;
  return out;
}

function device(v: Json, path: Where): InventoryDevice {
  const o = obj(v, path);
  const kind = o.kind;
  if (kind !== 'pf' && kind !== 'vf' && kind !== 'pci') fail(field(path, 'kind'), '"pf", "vf" or "pci"', kind);
  const at = addressField(o, 'address', path);
  const vendor = pciId(o, 'vendor', path);
  const product = pciId(o, 'product', path);
  const driver = strOrNull(o, 'driver', path);
  const iommuGroup = uintOrNull(o, 'iommuGroup', path);
  const numa = numaNode(o, path);
  const netdev = strOrNull(o, 'netdev', path);
  const mac = macOrNull(o, 'mac', path);
  const name = strOrNull(o, 'name', path);
  let fields = name !== null ? 10 : 9;
  let same = at === o.address && vendor === o.vendor && product === o.product && driver === o.driver;
  same = same && iommuGroup === o.iommuGroup && numa === o.numaNode && netdev === o.netdev && mac === o.mac;
  let pf: string | undefined;
  let vf: VfAdminSettings | undefined;
  if (kind === 'pf') {
    const totalVfs = uint(o, 'totalVfs', path);
    const numVfs = uint(o, 'numVfs', path);
    if (numVfs > totalVfs) fail(field(path, 'numVfs'), `at most totalVfs (${totalVfs})`, numVfs);
    fields += 2;
  } else if (kind === 'vf') {
    pf = addressField(o, 'pf', path);
    uint(o, 'vfIndex', path);
    if (o.vf !== undefined && o.vf !== null) vf = vfSettings(o.vf, under(path, 'vf'));
    fields += vf !== undefined ? 3 : 2;
    same = same && pf === o.pf && vf === o.vf;
  }
  if (same && fieldCount(o) === fields) return o as unknown as InventoryDevice;
  const d: InventoryDevice = { address: at, kind, vendor, product, driver, iommuGroup, numaNode: numa, netdev, mac };
  if (name !== null) d.name = name;
  if (kind === 'pf') {
    d.totalVfs = o.totalVfs as number;
    d.numVfs = o.numVfs as number;
  } else if (kind === 'vf') {
    d.pf = pf;
    d.vfIndex = o.vfIndex as number;
    if (vf !== undefined) d.vf = vf;
  }
  return d;
}

/** sysfs reports numa_node -1 when the platform has no NUMA information: keep it as null. */
function numaNode(o: Obj, path: Where): number | null {
  if (o.numaNode === -1) return null;
  return uintOrNull(o, 'numaNode', path);
}

function guestDevice(v: Json, path: Where): InventoryGuestDevice {
  const o = obj(v, path);
  const element = o.element;
  if (element !== 'interface' && element !== 'hostdev') fail(field(path, 'element'), '"interface" or "hostdev"', element);
  const at = addressField(o, 'address', path);
  const config = bool(o, 'config', path);
  const live = bool(o, 'live', path);
  const mac = macOrNull(o, 'mac', path);
  if (at === o.address && mac === o.mac && fieldCount(o) === 5) return o as unknown as InventoryGuestDevice;
  return { address: at, element, config, live, mac };
}

function guest(v: Json, path: string): InventoryGuest {
  const o = obj(v, path);
  const g: InventoryGuest = {
    name: str(o, 'name', path),
    state: str(o, 'state', path),
    persistent: bool(o, 'persistent', path),
    devices: arr(o.devices, `${path}.devices`).map((d, i) => guestDevice(d, () => `${path}.devices[${i}]`)),
  };
  if (o.uuid !== undefined && o.uuid !== null) g.uuid = uuidField(o, path);
  if (o.macs !== undefined && o.macs !== null) {
    g.macs = arr(o.macs, `${path}.macs`).map((m, i) => {
      const n = typeof m === 'string' ? normalizeMac(m) : null;
      if (n === null) fail(`${path}.macs[${i}]`, 'a MAC address', m);
      return n;
    });
  }
  if (o.networks !== undefined && o.networks !== null) g.networks = strings(o.networks, `${path}.networks`);
  if (o.interfacesPerNetwork !== undefined && o.interfacesPerNetwork !== null)
    g.interfacesPerNetwork = interfaceCounts(o.interfacesPerNetwork, g.networks ?? [], path);
  if (o.portgroupsPerNetwork !== undefined && o.portgroupsPerNetwork !== null)
    g.portgroupsPerNetwork = portgroupNames(o.portgroupsPerNetwork, g.networks ?? [], path);
  if (o.defaultPortgroupOn !== undefined && o.defaultPortgroupOn !== null) {
    const listed = new Set(g.networks ?? []);
    g.defaultPortgroupOn = strings(o.defaultPortgroupOn, `${path}.defaultPortgroupOn`).map((name, i) => {
      if (!listed.has(name)) fail(`${path}.defaultPortgroupOn[${i}]`, `a network listed in ${path}.networks`, name);
      return name;
    });
  }
  return g;
}

/** A guest's `portgroupsPerNetwork` (`guest` its path): portgroup names for networks among its `networks`. */
function portgroupNames(v: Json, networks: readonly string[], guest: string): Record<string, string[]> {
  const path = `${guest}.portgroupsPerNetwork`;
  const listed = new Set(networks);
  // Object.fromEntries defines each name as an own property, so a network named '__proto__' stays a list
  return Object.fromEntries(
    Object.entries(obj(v, path)).map(([name, list]) => {
      const at = `${path}[${describe(name)}]`;
      if (!listed.has(name)) fail(at, `a network listed in ${guest}.networks`, name);
      return [name, strings(list, at)];
    }),
  );
}

/** no bound of libvirt's: the largest integer any count of a snapshot may hold, so what a host reports reads back */
const MAX_INTERFACES_PER_NETWORK = 2 ** 31 - 1;

/** A guest's `interfacesPerNetwork` (`guest` its path): a count 1..2,147,483,647 for networks among its `networks`. */
function interfaceCounts(v: Json, networks: readonly string[], guest: string): Record<string, number> {
  const path = `${guest}.interfacesPerNetwork`;
  const listed = new Set(networks);
  // Object.fromEntries defines each name as an own property, so a network named '__proto__' stays a count
  return Object.fromEntries(
    Object.entries(obj(v, path)).map(([name, count]) => {
      const at = `${path}[${describe(name)}]`;
      if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > MAX_INTERFACES_PER_NETWORK)
        fail(at, `an integer 1..${MAX_INTERFACES_PER_NETWORK}`, count);
      if (!listed.has(name)) fail(at, `a network listed in ${guest}.networks`, name);
      return [name, count];
    }),
  );
}

/** A guest's or network's `uuid`, kept as written when libvirt could read it (the rules compare the parsed digits). */
function uuidField(o: Record<string, Json>, path: string): string {
  const written = str(o, 'uuid', path);
  if (readUuid(written) === null) fail(field(path, 'uuid'), 'a UUID', written);
  return written;
}

function network(v: Json, path: string): InventoryNetwork {
  const o = obj(v, path);
  const n: InventoryNetwork = {
    name: str(o, 'name', path),
    active: bool(o, 'active', path),
    addresses: arr(o.addresses, `${path}.addresses`).map((a, i) => address(a, `${path}.addresses[${i}]`)),
  };
  const present = (k: string) => o[k] !== undefined && o[k] !== null;
  if (present('uuid')) n.uuid = uuidField(o, path);
  if (present('forwardMode')) n.forwardMode = str(o, 'forwardMode', path);
  if (present('autostart')) n.autostart = bool(o, 'autostart', path);
  if (present('managed')) n.managed = bool(o, 'managed', path);
  if (present('pfDevs')) n.pfDevs = strings(o.pfDevs, `${path}.pfDevs`);
  if (present('connections')) n.connections = uint(o, 'connections', path);
  if (present('vlan')) n.vlan = vlanTags(o.vlan, `${path}.vlan`);
  if (present('virtualport')) n.virtualport = str(o, 'virtualport', path);
  if (present('portgroups')) {
    n.portgroups = arr(o.portgroups, `${path}.portgroups`).map((pg, i) => {
      const p = `${path}.portgroups[${i}]`;
      const po = obj(pg, p);
      return {
        name: str(po, 'name', p),
        ...(po.default === true ? { default: true } : {}),
        ...(po.vlan !== undefined && po.vlan !== null ? { vlan: vlanTags(po.vlan, `${p}.vlan`) } : {}),
        ...(po.virtualport !== undefined && po.virtualport !== null ? { virtualport: str(po, 'virtualport', p) } : {}),
      };
    });
  }
  return n;
}

function persistenceSource(v: Json, path: string): VfPersistenceSource {
  const o = obj(v, path);
  const source: VfPersistenceSource = {
    mechanism: oneOf(o, 'mechanism', path, VF_PERSISTENCE_MECHANISMS),
    file: str(o, 'file', path),
    detail: str(o, 'detail', path),
  };
  if (o.count !== undefined) source.count = uint(o, 'count', path);
  return source;
}

function ignoredPerPf(o: Obj, path: string): Record<string, VfIgnoredSource[]> {
  const result: Record<string, VfIgnoredSource[]> = {};
  for (const [pf, list] of Object.entries(o)) {
    const p = `${path}[${JSON.stringify(pf)}]`;
    result[address(pf, p)] = arr(list, p).map((v, i) => {
      const sp = `${p}[${i}]`;
      const so = obj(v, sp);
      const source: VfIgnoredSource = { ...persistenceSource(v, sp), reason: oneOf(so, 'reason', sp, VF_IGNORED_REASONS) };
      if (so.mode !== undefined) source.mode = octal(so, 'mode', sp);
      if (so.owner !== undefined) source.owner = uint(so, 'owner', sp);
      if (so.appliedInstead !== undefined) source.appliedInstead = str(so, 'appliedInstead', sp);
      if (so.param !== undefined) source.param = str(so, 'param', sp);
      if (so.meant !== undefined) source.meant = oneOf(so, 'meant', sp, ['max_vfs', 'num_vfs'] as const);
      return source;
    });
  }
  return result;
}

function octal(o: Obj, key: string, path: string): string {
  const value = str(o, key, path);
  if (!/^[0-7]{3,4}$/.test(value)) fail(field(path, key), 'a file mode in octal ("600")', value);
  return value;
}

function keyfileStats(v: Json, path: string): Record<string, { mode: string; owner: number }> {
  const result: Record<string, { mode: string; owner: number }> = {};
  for (const [file, stat] of Object.entries(obj(v, path))) {
    const p = `${path}[${JSON.stringify(file)}]`;
    const so = obj(stat, p);
    result[file] = { mode: octal(so, 'mode', p), owner: uint(so, 'owner', p) };
  }
  return result;
}

function readiness(v: Json, path: string): HostReadiness {
  const o = obj(v, path);
  const io = obj(o.iommu, `${path}.iommu`);
  const iommu: HostReadiness['iommu'] = {
    groups: uint(io, 'groups', `${path}.iommu`),
    units: strings(io.units, `${path}.iommu.units`),
    cmdline: strings(io.cmdline, `${path}.iommu.cmdline`),
    interruptRemapping: oneOf(io, 'interruptRemapping', `${path}.iommu`, ['supported', 'disabled', 'unknown'] as const),
  };
  if (io.unsafeInterrupts !== undefined && io.unsafeInterrupts !== null)
    iommu.unsafeInterrupts = bool(io, 'unsafeInterrupts', `${path}.iommu`);
  const perPf = (
    field: 'vfPersistence' | 'vfRemovals' | 'vfRefused' | 'vfNotAtBoot' | 'vfZeroOptions',
  ): Record<string, VfPersistenceSource[]> => {
    const result: Record<string, VfPersistenceSource[]> = {};
    for (const [pf, list] of Object.entries(obj(o[field], `${path}.${field}`))) {
      const p = `${path}.${field}[${JSON.stringify(pf)}]`;
      result[address(pf, p)] = arr(list, p).map((s, i) => persistenceSource(s, `${p}[${i}]`));
    }
    return result;
  };
  return {
    iommu,
    kernelCmdline: strOrNull(o, 'kernelCmdline', path),
    vfioPci: oneOf(o, 'vfioPci', path, ['loaded', 'available', 'missing', 'unknown'] as const),
    maxVfsDrivers: strings(o.maxVfsDrivers, `${path}.maxVfsDrivers`),
    vfPersistence: perPf('vfPersistence'),
    ...(o.vfRemovals === undefined ? {} : { vfRemovals: perPf('vfRemovals') }),
    ...(o.vfRefused === undefined ? {} : { vfRefused: perPf('vfRefused') }),
    ...(o.vfNotAtBoot === undefined ? {} : { vfNotAtBoot: perPf('vfNotAtBoot') }),
    ...(o.vfIgnored === undefined ? {} : { vfIgnored: ignoredPerPf(obj(o.vfIgnored, `${path}.vfIgnored`), `${path}.vfIgnored`) }),
    ...(o.vfZeroOptions === undefined ? {} : { vfZeroOptions: perPf('vfZeroOptions') }),
    ...(o.maskedModprobe === undefined ? {} : { maskedModprobe: strings(o.maskedModprobe, `${path}.maskedModprobe`) }),
    unreadable: o.unreadable === undefined ? [] : strings(o.unreadable, `${path}.unreadable`),
    ...(o.unreadableKeyfiles === undefined ? {} : { unreadableKeyfiles: keyfileStats(o.unreadableKeyfiles, `${path}.unreadableKeyfiles`) }),
  };
}

/** Reads a snapshot; `source` (a file name) prefixes JSON syntax errors. Throws InventoryError. */
export function parseInventorySnapshot(json: string, source: string): Inventory {
  let data: Json;
  try {
    data = parseJsonFile(json, source);
  } catch (e) {
    throw new InventoryError(e instanceof Error ? e.message : String(e));
  }
  return validateInventory(data);
}

/** The same checks on already-parsed data (e.g. the result of a GetInventoryRequest). */
export function validateInventory(data: Json): Inventory {
  const o = obj(data, 'snapshot');
  if (o.format !== INVENTORY_FORMAT) fail('format', `"${INVENTORY_FORMAT}"`, o.format);
  const inv: Inventory = {
    format: INVENTORY_FORMAT,
    host: str(o, 'host', ''),
    takenAt: takenAt(o.takenAt),
    devices: arr(o.devices, 'devices').map((d, i) => device(d, () => `devices[${i}]`)),
    guests: arr(o.guests, 'guests').map((g, i) => guest(g, `guests[${i}]`)),
    networks: arr(o.networks, 'networks').map((n, i) => network(n, `networks[${i}]`)),
  };
  if (o.readiness !== undefined && o.readiness !== null) inv.readiness = readiness(o.readiness, 'readiness');
  checkDuplicates(inv);
  return inv;
}

function takenAt(v: Json): string {
  // the form `inventory` writes (Date.parse alone takes "0" as the year 2000)
  const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
  if (typeof v !== 'string' || !iso.test(v) || Number.isNaN(Date.parse(v)))
    fail('takenAt', 'an ISO-8601 date and time (2026-11-25T09:30:00Z)', v);
  return v;
}

/** Two devices with one address would make every lookup ambiguous. */
function checkDuplicates(inv: Inventory): void {
  const seen = new Map<string, number>();
  inv.devices.forEach((d, i) => {
    const first = seen.get(d.address);
    if (first !== undefined) fail(`devices[${i}].address`, `an address not already used by devices[${first}]`, d.address);
    seen.set(d.address, i);
  });
}

/** The snapshot as users keep it on disk: pretty-printed, stable field order, trailing newline. */
export function serializeInventory(inv: Inventory): string {
  const ordered = {
    format: inv.format,
    host: inv.host,
    takenAt: inv.takenAt,
    devices: inv.devices.map((d) => ({
      address: d.address,
      kind: d.kind,
      vendor: d.vendor,
      product: d.product,
      ...(d.name !== undefined ? { name: d.name } : {}),
      driver: d.driver,
      iommuGroup: d.iommuGroup,
      numaNode: d.numaNode,
      netdev: d.netdev,
      mac: d.mac,
      ...(d.kind === 'pf' ? { totalVfs: d.totalVfs, numVfs: d.numVfs } : {}),
      ...(d.kind === 'vf' ? { pf: d.pf, vfIndex: d.vfIndex, ...(d.vf ? { vf: d.vf } : {}) } : {}),
    })),
    guests: inv.guests.map((g) => ({
      name: g.name,
      ...(g.uuid ? { uuid: g.uuid } : {}),
      state: g.state,
      persistent: g.persistent,
      devices: g.devices.map((d) => ({ address: d.address, element: d.element, config: d.config, live: d.live, mac: d.mac })),
      ...(g.macs ? { macs: g.macs } : {}),
      ...(g.networks ? { networks: g.networks } : {}),
      ...(g.interfacesPerNetwork ? { interfacesPerNetwork: g.interfacesPerNetwork } : {}),
      ...(g.portgroupsPerNetwork ? { portgroupsPerNetwork: g.portgroupsPerNetwork } : {}),
      ...(g.defaultPortgroupOn ? { defaultPortgroupOn: g.defaultPortgroupOn } : {}),
    })),
    networks: inv.networks.map((n) => ({ ...n, name: n.name, active: n.active, addresses: n.addresses })),
    ...(inv.readiness ? { readiness: inv.readiness } : {}),
  };
  return JSON.stringify(ordered, null, 2) + '\n';
}
