// The inventory script's whole output → Inventory (libvirt-hostdev-inventory/1) + warnings.
// Each part (sysfs, ip link, lspci, virsh) is parsed on its own; a part that failed leaves a
// warning and an empty piece, and what worked is kept (a bad piece never crashes the read).
// One failure is no piece: virsh that cannot connect to libvirt at all. Its empty guest list would
// read as "no guest holds any VF", so it is `libvirtFailure` and fails the read (fetchInventory.ts).
import { INVENTORY_FORMAT, type Inventory, type InventoryGuest, type InventoryGuestDevice, type InventoryNetwork } from '../service/types';
import { parseIpLinkJson } from './parseIpLink';
import { parseLspciMachine } from './parseLspci';
import { EMPTY_READINESS_BLOCKS, parseReadiness, READINESS_BLOCK_NAMES } from './parseReadiness';
import { parseSysfsDump, toInventoryDevice, type SysfsDevice } from './parseSysfs';
import {
  parseDomainXml,
  parseNetworkXml,
  parseVirshLists,
  stateOf,
  vanishedLookups,
  withoutVanished,
  type DomainXmlInfo,
  type VanishedLookups,
} from './parseVirsh';
import { quotedName } from '../../../shared/quotedName';
import { plural } from '../../../shared/plural';
import { byVfIndex } from '../../../shared/vfUse';
import { bodyText, splitRecords, type OutputRecord } from './records';

export interface ParseContext {
  boundary: string;
  /** host name for the snapshot */
  host: string;
  takenAt: string;
  sysfsRoot: string;
  /** the copied host's root ('' or absent = the real /) */
  hostRoot?: string;
  uri: string;
}

/** A persistent guest's definition as `virsh dumpxml --inactive` printed it: what its next start reads. */
export interface GuestDefinition {
  name: string;
  xml: string;
}

export interface InventoryResult {
  inventory: Inventory;
  /** the persistent guests' definitions, by name (read in the same exec; not part of the snapshot format) */
  definitions: GuestDefinition[];
  /** clear, one-line explanations of the parts that are missing (not part of the snapshot format) */
  warnings: string[];
  /** false when the output stopped before the script's final record (connection dropped, killed) */
  complete: boolean;
  /** libvirt's own message when virsh could not connect to libvirt (the -c URI) at all; null otherwise */
  libvirtFailure: string | null;
}

export function parseInventoryOutput(stdout: string, ctx: ParseContext): InventoryResult {
  const records = splitRecords(stdout, ctx.boundary);
  const warnings: string[] = [];
  const sysfsDump = { attrs: '', links: '', groups: '', names: '' };
  const readinessBlocks = { ...EMPTY_READINESS_BLOCKS };
  let readinessRead = false;
  let hostFilesRead = false;
  const virsh1: OutputRecord[] = [];
  const virsh2Errors: string[] = [];
  const byUuid = {
    state: new Map<string, OutputRecord>(),
    live: new Map<string, OutputRecord>(),
    config: new Map<string, OutputRecord>(),
    netxml: new Map<string, OutputRecord>(),
  };
  let ipLinkText: string | null = null;
  let lspciText: string | null = null;
  let inVirsh1 = false;
  let complete = false;
  let virshMissing = false;
  let ipMissing = false;
  let sysfsError: string | null = null;
  // a dump batch that echoed none of its records ran no command: its virsh could not connect
  let dumpsInBatch = 0;
  let dumpBatchUnconnected = false;

  for (const rec of records) {
    if (inVirsh1) {
      virsh1.push(rec);
      if (rec.tag === 'rc' && rec.args[0] === 'virsh1') inVirsh1 = false;
      continue;
    }
    switch (rec.tag) {
      case 'begin':
        if (rec.args[0] === 'attrs' || rec.args[0] === 'links' || rec.args[0] === 'groups' || rec.args[0] === 'names')
          sysfsDump[rec.args[0]] = bodyText(rec);
        else if (Object.hasOwn(READINESS_BLOCK_NAMES, rec.args[0])) {
          readinessBlocks[READINESS_BLOCK_NAMES[rec.args[0]]] = bodyText(rec);
          if (rec.args[0] === 'cmdline') hostFilesRead = true;
        } else if (rec.args[0] === 'iplink') ipLinkText = bodyText(rec);
        else if (rec.args[0] === 'lspci') lspciText = bodyText(rec);
        else if (rec.args[0] === 'virsh1') {
          inVirsh1 = true;
          virsh1.push(rec);
        } else if (rec.args[0] === 'virsh2-stderr') {
          for (const line of bodyText(rec).split('\n')) if (line.trim() !== '') virsh2Errors.push(line.trim());
        }
        break;
      case 'begin-readiness':
        readinessRead = true;
        break;
      case 'state':
      case 'live':
      case 'config':
      case 'netxml':
        if (rec.args[0]) byUuid[rec.tag].set(rec.args[0], rec);
        dumpsInBatch++;
        break;
      case 'rc':
        if (rec.args[0] === 'virsh2') {
          if (rec.args[1] !== '0' && dumpsInBatch === 0) dumpBatchUnconnected = true;
          dumpsInBatch = 0;
        }
        if (rec.args[0] === 'iplink' && rec.args[1] !== '0')
          warnings.push(`ip -j link show failed (exit ${rec.args[1]}): VF admin MAC/VLAN/spoofchk/trust are unknown`);
        break;
      case 'missing':
        if (rec.args[0] === 'virsh') virshMissing = true;
        if (rec.args[0] === 'ip') ipMissing = true;
        if (rec.args[0] === 'grep' || rec.args[0] === 'ls') {
          sysfsError = `'${rec.args[0]}' not found on the host: the PCI devices under ${ctx.sysfsRoot} cannot be read`;
        }
        break;
      case 'error':
        if (rec.args[0] === 'host-root') {
          warnings.push(
            `host root '${ctx.hostRoot ?? ''}' ${whyNotEntered(rec.args[1])} on the host: IOMMU and VF persistence are unknown`,
          );
          readinessRead = false;
          break;
        }
        sysfsError =
          rec.args[0] === 'sysfs-root'
            ? `sysfs root '${ctx.sysfsRoot}' ${whyNotEntered(rec.args[1])} on the host: no PCI devices read`
            : `'${ctx.sysfsRoot}/bus/pci/devices' does not exist on the host: no PCI devices read`;
        break;
      case 'end':
        complete = true;
        break;
    }
  }

  // --- sysfs, ip link, lspci -------------------------------------------------------------
  const sysfs = parseSysfsDump(sysfsDump);
  if (sysfsError) warnings.push(sysfsError);
  warnings.push(...sysfs.warnings);
  const pfs = sysfs.devices.filter((d) => d.kind === 'pf');
  if (!sysfsError && pfs.length === 0 && complete) {
    warnings.push(`no SR-IOV device under ${ctx.sysfsRoot}/bus/pci/devices (no function has sriov_totalvfs): there are no VFs to assign`);
  }
  if (ipMissing && pfs.length > 0) warnings.push("'ip' (iproute2) not found on the host: VF admin MAC/VLAN/spoofchk/trust are unknown");
  if (ipLinkText !== null) {
    const ip = parseIpLinkJson(ipLinkText);
    warnings.push(...ip.warnings);
    applyVfSettings(sysfs.devices, ip.vfSettings);
  }
  if (lspciText !== null) {
    const names = parseLspciMachine(lspciText);
    for (const d of sysfs.devices) {
      const name = names.get(d.address);
      if (name) d.name = name;
    }
  }

  // --- libvirt ---------------------------------------------------------------------------
  let guests: InventoryGuest[] = [];
  const definitions: GuestDefinition[] = [];
  let networks: InventoryNetwork[] = [];
  let libvirtFailure: string | null = null;
  const lists = virsh1.length > 0 ? parseVirshLists(virsh1) : null;
  if (lists && !lists.ranCommands) libvirtFailure = lists.errors.length > 0 ? oneLine(lists.errors.join('; ')) : `virsh exit ${lists.rc}`;
  else if (dumpBatchUnconnected) libvirtFailure = virsh2Errors.length > 0 ? virsh2Errors.join('; ') : 'virsh failed';
  if (virshMissing) {
    warnings.push(`virsh not found on the host (install libvirt-clients): guests and networks are unknown`);
  } else if (lists && !libvirtFailure) {
    if (lists.errors.length > 0 || (lists.rc !== null && lists.rc !== 0)) {
      const why = lists.errors.length > 0 ? oneLine(lists.errors.join('; ')) : `exit ${lists.rc}`;
      warnings.push(`virsh -c ${ctx.uri} failed: ${why}`);
    }
    // A guest or network undefined between the two passes no longer exists: leaving it out is the
    // truth. Any other virsh error still says that libvirt could not be read.
    const gone = vanishedLookups(virsh2Errors);
    const skipped: VanishedLookups = { domains: new Set(), networks: new Set() };
    guests = assembleGuests(lists.active, lists.persistent, byUuid, gone.domains, skipped.domains, warnings, definitions);
    networks = assembleNetworks(
      lists.netAll,
      new Set(lists.netActive),
      new Set(lists.netAutostart),
      byUuid.netxml,
      sysfs.devices,
      gone.networks,
      skipped.networks,
      warnings,
    );
    // The test driver gives an object without <uuid> in its file another UUID at each connection: the
    // second pass then finds none of those the first listed. On a real host they keep their UUIDs.
    const vanished = [
      ...(skipped.domains.size > 0 ? [plural(skipped.domains.size, 'guest')] : []),
      ...(skipped.networks.size > 0 ? [plural(skipped.networks.size, 'network')] : []),
    ];
    if (ctx.uri.startsWith('test:') && vanished.length > 0 && guests.length === 0 && networks.length === 0)
      warnings.push(
        `virsh -c ${ctx.uri}: none of the ${vanished.join(' and ')} listed could be read: the test driver gives an object ` +
          `without <uuid> in its file a new UUID at each connection; give each guest and network of the file a <uuid>`,
      );
    const remaining = withoutVanished(virsh2Errors, skipped);
    if (remaining.length > 0) warnings.push(`virsh -c ${ctx.uri}: ${remaining.join('; ')}`);
  } else if (complete && !lists) {
    warnings.push('virsh produced no output: guests and networks are unknown');
  }

  const inventory: Inventory = {
    format: INVENTORY_FORMAT,
    host: ctx.host,
    takenAt: ctx.takenAt,
    devices: sysfs.devices.map(toInventoryDevice),
    guests,
    networks,
  };
  // The IOMMU count comes from the groups block: an IOMMU-less kernel has no iommu_groups entries.
  if (readinessRead && complete && !sysfsError) {
    const groups = new Set(
      sysfsDump.groups
        .split('\n')
        .map((l) => /^(\d+)\//.exec(l)?.[1])
        .filter((g) => g !== undefined),
    );
    inventory.readiness = parseReadiness(readinessBlocks, groups.size, sysfs.devices, hostFilesRead);
  }
  return { inventory, definitions, warnings, complete, libvirtFailure };
}

/** The script's reason a root directory could not be entered (`error sysfs-root not-dir|missing`), in words. */
function whyNotEntered(reason: string | undefined): string {
  return reason === 'not-dir' ? 'is not a directory' : 'does not exist';
}

function oneLine(text: string): string {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .join('; ');
}

/** VF admin settings come from the PF's vfinfo_list, matched by PF netdev and VF index. */
function applyVfSettings(devices: SysfsDevice[], vfSettings: ReturnType<typeof parseIpLinkJson>['vfSettings']): void {
  const pfByAddress = new Map(devices.filter((d) => d.kind === 'pf').map((d) => [d.address, d]));
  for (const vf of devices) {
    if (vf.kind !== 'vf' || vf.pf === undefined || vf.vfIndex === undefined) continue;
    const pf = pfByAddress.get(vf.pf);
    if (!pf) continue;
    for (const ifname of pf.netdevs) {
      const settings = vfSettings.get(ifname)?.get(vf.vfIndex);
      if (settings) {
        vf.vf = settings;
        break;
      }
    }
  }
}

function xmlOf(record: OutputRecord | undefined): DomainXmlInfo | null {
  return record ? parseDomainXml(bodyText(record)) : null;
}

function assembleGuests(
  active: string[],
  persistent: string[],
  byUuid: { state: Map<string, OutputRecord>; live: Map<string, OutputRecord>; config: Map<string, OutputRecord> },
  gone: Set<string>,
  skipped: Set<string>,
  warnings: string[],
  definitions: GuestDefinition[],
): InventoryGuest[] {
  const activeSet = new Set(active);
  const persistentSet = new Set(persistent);
  const guests: InventoryGuest[] = [];
  for (const uuid of [...new Set([...active, ...persistent])]) {
    const isActive = activeSet.has(uuid);
    const isPersistent = persistentSet.has(uuid);
    // An inactive domain's "live" XML is its persistent one (virDomainGetXMLDesc), so only active
    // domains contribute live devices, and only persistent ones config devices.
    const live = isActive ? xmlOf(byUuid.live.get(uuid)) : null;
    const config = isPersistent ? xmlOf(byUuid.config.get(uuid)) : null;
    const name = live?.name ?? config?.name;
    if (name === undefined && gone.has(uuid)) {
      skipped.add(uuid);
      continue;
    }
    if (name === undefined) {
      warnings.push(`guest ${uuid}: its XML could not be read (it may have been undefined during the refresh)`);
      continue;
    }
    const devices = new Map<string, InventoryGuestDevice>();
    const add = (info: DomainXmlInfo | null, flag: 'config' | 'live') => {
      for (const d of info?.devices ?? []) {
        const key = `${d.element} ${d.address}`;
        const entry = devices.get(key) ?? { address: d.address, element: d.element, config: false, live: false, mac: null };
        entry[flag] = true;
        if (flag === 'live' || entry.mac === null) entry.mac = d.mac ?? entry.mac;
        devices.set(key, entry);
      }
    };
    add(config, 'config');
    add(live, 'live');
    if (config) definitions.push({ name, xml: bodyText(byUuid.config.get(uuid)!) });
    const macs = [...new Set([...(live?.macs ?? []), ...(config?.macs ?? [])])];
    guests.push({
      name,
      uuid,
      state: stateOf(byUuid.state.get(uuid)) ?? (isActive ? 'running' : 'shut off'),
      persistent: isPersistent,
      devices: [...devices.values()],
      macs,
      // what the guest asks for at its next start: its live XML names no hostdev pool
      ...(config?.networks.length
        ? { networks: config.networks, interfacesPerNetwork: Object.fromEntries(config.interfacesPerNetwork) }
        : {}),
      ...(config?.portgroupsPerNetwork.size ? { portgroupsPerNetwork: Object.fromEntries(config.portgroupsPerNetwork) } : {}),
      ...(config?.defaultPortgroupOn.length ? { defaultPortgroupOn: config.defaultPortgroupOn } : {}),
    });
  }
  guests.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  definitions.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return guests;
}

function assembleNetworks(
  all: string[],
  active: Set<string>,
  autostart: Set<string>,
  xml: Map<string, OutputRecord>,
  devices: SysfsDevice[],
  gone: Set<string>,
  skipped: Set<string>,
  warnings: string[],
): InventoryNetwork[] {
  const networks: InventoryNetwork[] = [];
  for (const uuid of all) {
    const rec = xml.get(uuid);
    const info = rec ? parseNetworkXml(bodyText(rec)) : null;
    if (!info && gone.has(uuid)) {
      skipped.add(uuid);
      continue;
    }
    if (!info) {
      warnings.push(`network ${uuid}: its XML could not be read`);
      continue;
    }
    // every network is listed (an <interface type='network'> may name any); only hostdev pools have addresses
    const details: Omit<InventoryNetwork, 'name' | 'active' | 'addresses'> = {
      ...(info.forwardMode !== null ? { forwardMode: info.forwardMode } : {}),
      autostart: autostart.has(uuid),
      ...(info.managed !== null ? { managed: info.managed } : {}),
      ...(info.pfDevs.length ? { pfDevs: info.pfDevs } : {}),
      ...(info.connections !== null ? { connections: info.connections } : {}),
      ...(info.portgroups.length ? { portgroups: info.portgroups } : {}),
      ...(info.vlan.length ? { vlan: info.vlan } : {}),
      ...(info.virtualport !== null ? { virtualport: info.virtualport } : {}),
    };
    if (!info.hostdev) {
      networks.push({ name: info.name, uuid, active: active.has(uuid), addresses: [], ...details });
      continue;
    }
    // The addresses stay in the order the network's XML lists them: a guest start is handed the
    // first one no running guest holds (networkAllocatePort), so a listed address that is no VF
    // stops the starts only once the VFs listed before it are taken.
    // <pf dev='enp11s0f0'/>: libvirt fills the pool with every VF of that PF at network start
    // (networkCreateInterfacePool → virNetDevGetVirtualFunctions); an inactive pool lists none yet.
    const addresses = [...info.addresses];
    for (const dev of info.pfDevs) {
      const pf = devices.find((d) => d.kind === 'pf' && d.netdevs.includes(dev));
      if (!pf) {
        warnings.push(`network ${quotedName(info.name)}: PF ${quotedName(dev)} is not a SR-IOV device on the host`);
        continue;
      }
      // virtfn0, virtfn1, …: the order net-start lists them in
      const vfs = devices.filter((vf) => vf.kind === 'vf' && vf.pf === pf.address && !addresses.includes(vf.address)).sort(byVfIndex);
      for (const vf of vfs) addresses.push(vf.address);
    }
    networks.push({ name: info.name, uuid, active: active.has(uuid), addresses, ...details });
  }
  networks.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return networks;
}
