// Checks against the host inventory: what libvirt only finds out when the guest starts (layer 4 of
// libvirt-rules.md §0), so `attach-device --config` happily writes a device that cannot work.
// Mirrors libvirt's
//  - virPCIDeviceNew (src/util/virpci.c): "Device %s not found: could not access %s";
//  - virHostdevSaveNetConfig (src/hypervisor/virhostdev.c): hostdev interfaces need a VF;
//  - virHostdevIsPCINodeDeviceUsed: a device (and, with VFIO, its IOMMU group) used by another
//    domain; the network driver's hostdev pools (networkAllocatePort) hand VFs out too;
//  - virHostdevPreparePCIDevices: "Unmanaged PCI device %s must be manually detached from the host".
import type { InventoryIndex } from '../inventoryIndex';
import { addressKey, parseCanonicalAddress } from '../pci';
import { takenAgo } from '../../../../shared/age';
import { shellJoin } from '../../../../shared/shellQuote';
import { isLiveUse, type GuestUse } from '../../../../shared/vfUse';
import type { DocumentModel } from '../modelTypes';
import type { InventoryDevice, Problem } from '../types';
import {
  attribute,
  attributeSpan,
  attributeValue,
  failsAtStart,
  hostCanonical,
  nameList,
  pciDeviceInUse,
  quotedName,
  quotedNames,
  Report,
  shortName,
  type DeviceFacts,
} from './common';
import { checkNetworkInterfaces, type NetworkInterface } from './networkPool';
import { checkHostIommu, checkVfPersistent } from './readiness';

/** The inventory checks of one device, with the document-wide values they read. */
export interface InventoryDeviceCheck {
  ownGuest: string | null;
  /** the inventory's age as messages say it ("taken 14 s ago") */
  age: string;
  /** the usable host addresses the document assigns, sorted and joined: what the per-device results depend on */
  assignedKey(): string;
  checkDevice(f: DeviceFacts, into: Problem[]): void;
}

/**
 * The document-wide inventory checks; the per-device ones are returned for the caller to run (and
 * keep). `now`: for the inventory's age in messages ("taken 14 s ago").
 */
export function checkInventory(
  model: DocumentModel,
  facts: readonly DeviceFacts[],
  networkInterfaces: readonly NetworkInterface[],
  index: InventoryIndex,
  report: Report,
  now?: Date,
): InventoryDeviceCheck {
  const age = takenAgo(index.inventory.takenAt, now);
  const ownGuest = model.guestName?.value ?? null;
  const assigned = new Set<string>();
  for (let i = 0; i < facts.length; i++) {
    const canonical = hostCanonical(facts[i]);
    if (canonical) assigned.add(canonical);
  }
  checkHostIommu(facts, index, report);
  checkNetworkInterfaces(model, networkInterfaces, index, report);
  return {
    ownGuest,
    age,
    assignedKey: () => [...assigned].sort().join(','),
    checkDevice: (f, into) => checkInventoryDevice(f, index, ownGuest, assigned, age, new Report(into)),
  };
}

function checkInventoryDevice(
  f: DeviceFacts,
  index: InventoryIndex,
  ownGuest: string | null,
  assigned: ReadonlySet<string>,
  age: string,
  report: Report,
): void {
  const canonical = hostCanonical(f);
  if (!canonical) return;
  const device = index.byAddress.get(canonical);
  if (!device) {
    reportUnknown(f, canonical, index, report, age);
    return;
  }
  if (f.device.kind === 'interface' && device.kind !== 'vf') reportNotVf(f, device, index, ownGuest, assigned, report);
  checkUsers(f, canonical, index, ownGuest, report);
  checkNetworks(f, canonical, index, report);
  checkIommuGroup(f, device, index, assigned, report);
  checkDriverBinding(f, device, report);
  checkVfPersistent(f, device, index, report);
}

function addressSpan(f: DeviceFacts) {
  return f.device.hostAddress!.nameSpan;
}

// ---------------------------------------------------------------------------
// pci-unknown

/** PCI routing id: what SR-IOV's First VF Offset and VF Stride are counted in. */
function routingId(address: string): number | null {
  const a = parseCanonicalAddress(address);
  return a ? (a.bus << 8) | (a.slot << 3) | a.function : null;
}

interface DisabledVfGuess {
  pf: InventoryDevice;
  /** true when the VF offset/stride of the enabled VFs place the address at a not-yet-enabled index */
  certain: boolean;
}

/** A PF that would have a VF at `address` if more of its VFs were enabled. */
function guessDisabledVf(address: string, index: InventoryIndex): DisabledVfGuess | null {
  const target = parseCanonicalAddress(address);
  const t = routingId(address);
  if (!target || t === null) return null;
  let possible: InventoryDevice | null = null;
  for (const pf of index.byAddress.values()) {
    if (pf.kind !== 'pf' || pf.totalVfs === undefined || pf.numVfs === undefined || pf.numVfs >= pf.totalVfs) continue;
    const pfAddress = parseCanonicalAddress(pf.address);
    const p = routingId(pf.address);
    if (!pfAddress || p === null || pfAddress.domain !== target.domain || t <= p) continue;
    const vfs = (index.vfsByPf.get(addressKey(pf.address)) ?? []).filter((v) => v.vfIndex !== undefined && routingId(v.address) !== null);
    if (vfs.length >= 2) {
      const [a, b] = vfs;
      const stride = (routingId(b.address)! - routingId(a.address)!) / (b.vfIndex! - a.vfIndex!);
      const offset = routingId(a.address)! - p - stride * a.vfIndex!;
      if (!Number.isInteger(stride) || stride <= 0) continue;
      const n = (t - p - offset) / stride;
      if (Number.isInteger(n) && n >= pf.numVfs && n < pf.totalVfs) return { pf, certain: true };
    } else if (!possible && pfAddress.bus <= target.bus && target.bus <= pfAddress.bus + 1) {
      possible = pf;
    }
  }
  return possible ? { pf: possible, certain: false } : null;
}

function reportUnknown(f: DeviceFacts, canonical: string, index: InventoryIndex, report: Report, age: string): void {
  const inv = index.inventory;
  let message = failsAtStart(
    `No PCI device ${canonical} on host ${quotedName(inv.host)}`,
    `Device ${canonical} not found: could not access /sys/bus/pci/devices/${canonical}/config`,
    `The inventory was ${age}.`,
  );
  const guess = guessDisabledVf(canonical, index);
  if (guess) {
    const { pf } = guess;
    message +=
      ` ${guess.certain ? 'It would be a VF of' : 'It may be a VF of'} PF ${pf.address}: ` +
      `PF ${pf.address} has ${pf.numVfs} of ${pf.totalVfs} VFs enabled (sriov_numvfs=${pf.numVfs}, max ${pf.totalVfs}): ` +
      `enable more with sriov_numvfs / max_vfs.`;
  }
  report.add('pci-unknown', 'error', addressSpan(f), message);
}

// ---------------------------------------------------------------------------
// pci-not-vf

function freeVfOf(pf: InventoryDevice, index: InventoryIndex, ownGuest: string | null, assigned: ReadonlySet<string>): string | null {
  for (const vf of index.vfsByPf.get(addressKey(pf.address)) ?? []) {
    const a = addressKey(vf.address);
    if (!assigned.has(a) && index.usage.useOf(a, ownGuest).free) return a;
  }
  return null;
}

function reportNotVf(
  f: DeviceFacts,
  device: InventoryDevice,
  index: InventoryIndex,
  ownGuest: string | null,
  assigned: ReadonlySet<string>,
  report: Report,
): void {
  let what: string;
  let problem: string;
  if (device.kind === 'pf') {
    problem = `${device.address} is a PF, not a VF`;
    const free = freeVfOf(device, index, ownGuest, assigned);
    what =
      `${device.address} is an SR-IOV physical function (${device.driver ?? 'no driver'}, ${device.numVfs ?? 0} of ${device.totalVfs ?? 0} VFs enabled): ` +
      (free ? `use one of its VFs, e.g. ${free}` : 'use one of its VFs') +
      ', or assign the whole device with a plain <hostdev>.';
  } else {
    problem = `${device.address} is not an SR-IOV VF`;
    what = `${device.address} is not an SR-IOV device (${device.name ?? device.product}, driver ${device.driver ?? 'none'}): assign it with a plain <hostdev> instead.`;
  }
  report.add(
    'pci-not-vf',
    'error',
    addressSpan(f),
    failsAtStart(problem, 'Interface type hostdev is currently supported on SR-IOV Virtual Functions only', what),
  );
}

// ---------------------------------------------------------------------------
// vf-in-use, vf-in-network

function checkUsers(f: DeviceFacts, canonical: string, index: InventoryIndex, ownGuest: string | null, report: Report): void {
  if (index.usage.usersOf(canonical).length === 0) return;
  const users = index.usage.useOf(canonical, ownGuest).guests;
  const live = users.filter(isLiveUse);
  if (live.length > 0) {
    const names = guestsInUse(live);
    report.add(
      'vf-in-use',
      'error',
      addressSpan(f),
      failsAtStart(
        `${canonical} is held live by ${names}`,
        pciDeviceInUse(canonical, live[0].guest.name),
        'Detach it there first or pick a free VF.',
      ),
    );
    return;
  }
  const config = users.filter((u) => u.device.config);
  if (config.length > 0) {
    const names = guestsInUse(config);
    report.add(
      'vf-in-use',
      'warning',
      addressSpan(f),
      `${canonical} is also in the persistent configuration of ${names} — libvirt accepts both, but whichever guest starts ` +
        `second fails: if ${quotedName(config[0].guest.name)} starts first, this guest fails to start with "${pciDeviceInUse(canonical, config[0].guest.name)}" ` +
        '(and the other way round). Pick a free VF.',
    );
  }
}

/** "'web01' (running) and 'web02' (paused)": the first few guests that use a VF, then how many more. */
function guestsInUse(uses: readonly GuestUse[]): string {
  return nameList(
    uses.slice(0, USERS_NAMED).map((u) => `${quotedName(u.guest.name)} (${u.guest.state})`),
    USERS_NAMED,
    uses.length,
  );
}

const USERS_NAMED = 3;

function checkNetworks(f: DeviceFacts, canonical: string, index: InventoryIndex, report: Report): void {
  if (index.usage.networksOf(canonical).length === 0) return;
  const networks = index.usage.useOf(canonical).networks;
  if (networks.length === 0) return;
  const names = quotedNames(networks.map((n) => n.name));
  report.add(
    'vf-in-network',
    'warning',
    addressSpan(f),
    `${canonical} is in the VF pool of ${networks.length > 1 ? 'networks' : 'network'} ${names} — an active libvirt network (<forward mode='hostdev'>) hands it to ` +
      `guests with <interface type='network'>, and whichever guest starts second fails (PCI device ${canonical} is in use). ` +
      `Use a VF outside the pool, or <interface type='network'><source network='${shortName(networks[0].name)}'/></interface>.`,
  );
}

// ---------------------------------------------------------------------------
// iommu-group, vf-driver

function checkIommuGroup(
  f: DeviceFacts,
  device: InventoryDevice,
  index: InventoryIndex,
  assigned: ReadonlySet<string>,
  report: Report,
): void {
  if (device.iommuGroup === null || device.iommuGroup === undefined) return;
  const members = index.iommuGroups.get(device.iommuGroup) ?? [];
  if (members.length < 2) return;
  const self = addressKey(device.address);
  const others = members.map((m) => addressKey(m.address)).filter((a) => a !== self && !assigned.has(a));
  if (others.length === 0) return;
  report.add(
    'iommu-group',
    'warning',
    addressSpan(f),
    `${device.address} shares IOMMU group ${device.iommuGroup} with devices this document does not assign — ${others.join(', ')}: ` +
      'VFIO gives a whole group to one guest: at start every device in it must be bound to vfio-pci (or unbound) and unused ' +
      'by other guests, or the start fails. Assign them together or pick a VF in a group of its own.',
  );
}

function checkDriverBinding(f: DeviceFacts, device: InventoryDevice, report: Report): void {
  if (attributeValue(f.device.element, 'managed') === 'yes' || device.driver === 'vfio-pci') return;
  const managed = attribute(f.device.element, 'managed');
  const nodedev = `pci_${device.address.toLowerCase().replace(/[:.]/g, '_')}`;
  report.add(
    'vf-driver',
    'warning',
    managed ? attributeSpan(managed) : f.device.element.nameSpan,
    failsAtStart(
      `${device.address} is bound to ${device.driver ?? 'no driver'}, not vfio-pci, and not managed`,
      `Unmanaged PCI device ${device.address} must be manually detached from the host`,
      `${managed ? `managed='${managed.value}'` : "managed defaults to 'no'"}: add managed='yes' so libvirt detaches it at start, ` +
        `or run ${shellJoin(['virsh', 'nodedev-detach', nodedev])} first.`,
    ),
  );
}
