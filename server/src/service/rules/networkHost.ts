// A <network> document's VF pool against the host inventory. Mirrors libvirt's
//  - networkValidate (src/network/bridge_driver.c) at net-define: every pool <address> must be a VF
//    (virPCIIsVirtualFunction: "device '/sys/bus/pci/devices/…' in network '…' is not an SR-IOV
//    Virtual Function"; an address the host lacks gets the same message);
//  - networkCreateInterfacePool at net-start: a <pf dev> with no VFs (or no such device, or not a
//    PF) gives "No usable Vf's present on SRIOV PF %s";
//  - virHostdevIsPCINodeDeviceUsed at guest start: a pool VF that a guest also names directly.
//  - virPCIDeviceNew at guest start after a host reboot: a listed VF or the <pf dev>'s VFs that nothing
//    recreates at boot (vf-not-persistent, in the words of a guest's VF: rules/readiness.ts); a <pf dev>
//    pool that the boot gives fewer VFs runs out sooner ("requires exclusive access to interfaces").
// Both net-define and net-start messages were seen with virsh on qemu:///session.
import type { InventoryIndex } from '../inventoryIndex';
import { addressKey } from '../pci';
import { readAddress } from '../address';
import { persistenceOf, removalsOf, restoredCount, shortBoot } from '../readiness';
import { createVfsCommand, persistenceFix } from '../persistenceFix';
import { isHostdevPool, isLiveUse, type GuestUse } from '../../../../shared/vfUse';
import type { DocumentModel } from '../modelTypes';
import type { InventoryDevice, InventoryNetwork } from '../types';
import type { XmlElement } from '../xml/types';
import {
  attribute,
  attributeSpan,
  failsAtNetStart,
  failsAtStart,
  pciDeviceInUse,
  quotedName,
  quotedNames,
  rejectsNetwork,
  shortName,
  type Finding,
  type Report,
} from './common';
import { networkDefinitionOf } from './networkDefinition';
import { checkPoolDriverBinding } from './poolFlags';
import { ignoredLines, removalAdvice, shortBootAdvice, vfPersistenceFinding, whyNoSource } from './readiness';

export function checkNetworkOnHost(model: DocumentModel, index: InventoryIndex, report: Report): void {
  const def = networkDefinitionOf(model);
  if (!def || def.mode !== 'hostdev' || !def.forward) return;
  if (attribute(def.forward, 'dev') || def.forward.children.some((c) => c.name === 'interface')) return;
  const name = def.name ?? '';
  if (def.addresses.length > 0) {
    for (const address of def.addresses) checkPoolAddress(address, name, index, report);
    checkPoolDriverBinding(def, [], index, report);
    return;
  }
  const pf = def.pfs.length === 1 ? attribute(def.pfs[0], 'dev') : null;
  // an empty dev is hostdevPoolDevices.ts's: net-start finds no PF of that name on any host
  if (!pf || pf.value === null || pf.value === '') return;
  checkPf(pf.value, name, attributeSpan(pf), index, report);
  const device = deviceByNetdev(index, pf.value);
  const dev = pf.value;
  const vfs = device?.kind === 'pf' ? (index.vfsByPf.get(addressKey(device.address)) ?? []).map((vf) => vf.address) : [];
  const ofPf = new Set(vfs);
  const shared = sharedWithPools(name, index, (n) => n.pfDevs?.includes(dev) === true || n.addresses.some((a) => ofPf.has(a)));
  if (shared) report.addFinding(attributeSpan(pf), sharedPoolFinding(`The VFs of ${quotedName(dev)}`, vfs[0] ?? 'DDDD:BB:SS.F', shared));
  if (device?.kind === 'pf') checkPoolDriverBinding(def, index.vfsByPf.get(addressKey(device.address)) ?? [], index, report);
}

/** The host's other hostdev pools (not the one of `name`, which the document redefines) that `hands` says hand out the same VFs. */
function sharedWithPools(name: string, index: InventoryIndex, hands: (n: InventoryNetwork) => boolean): InventoryNetwork[] | null {
  const others = index.inventory.networks.filter((n) => n.name !== name && isHostdevPool(n) && hands(n));
  return others.length > 0 ? others : null;
}

/**
 * network-vf for VFs another pool of the host also hands out: each network counts its own ports, so both
 * give the same VF to a guest, and the second guest to start on it fails. `what`: "VF 0000:0b:10.2", or
 * "The VFs of 'enp11s0f0'"; `example`: one of them, for libvirt's words.
 */
function sharedPoolFinding(what: string, example: string, others: readonly InventoryNetwork[]): Finding {
  const more = others.length > 1 ? ` (and ${others.length - 1} more)` : '';
  const problem = `${what} ${what.startsWith('VF ') ? 'is' : 'are'} also in the host's pool ${quotedName(others[0].name)}${more}`;
  const pools = others.map((n) => `${quotedName(n.name)} (${n.active ? 'active' : 'inactive'})`).join(', ');
  return {
    code: 'network-vf',
    severity: 'warning',
    problem,
    message: failsAtStart(
      problem,
      `Requested operation is not valid: PCI device ${example} is in use by driver QEMU, domain …`,
      `Each pool hands its VFs to guests of its own (here also ${pools}), and whichever guest starts second on a shared one fails. Give each pool VFs of its own.`,
    ),
  };
}

/** The PF a netdev name belongs to on the host (the name of its own netdev). */
export function deviceByNetdev(index: InventoryIndex, netdev: string): InventoryDevice | undefined {
  return index.inventory.devices.find((d) => d.netdev === netdev);
}

function checkPf(dev: string, name: string, span: { start: number; end: number }, index: InventoryIndex, report: Report): void {
  for (const finding of poolPfFindings(dev, name, index)) report.addFinding(span, finding);
}

/**
 * A pool's <pf dev> against the host: network-pf when net-start would find no usable VF on it
 * (no such device, not a PF, no VFs enabled), vf-not-persistent when its VFs are runtime-only or the
 * boot sets fewer than it has now (the pool of network `name` shrinks to those after a reboot).
 */
export function poolPfFindings(dev: string, name: string, index: InventoryIndex): Finding[] {
  const host = quotedName(index.inventory.host);
  const device = deviceByNetdev(index, dev);
  const noUsableVf = `internal error: No usable Vf's present on SRIOV PF ${dev}`;
  const start = (problem: string, advice: string): Finding[] => [
    { code: 'network-pf', severity: 'error', problem, message: failsAtNetStart(problem, noUsableVf, advice) },
  ];
  const withVfs = index.inventory.devices
    .filter((d) => d.kind === 'pf' && (d.numVfs ?? 0) > 0 && d.netdev)
    .map((d) => d.netdev!)
    .sort();
  const others = withVfs.length ? `PFs with VFs on ${host}: ${quotedNames(withVfs)}.` : `No PF on ${host} has VFs enabled.`;
  if (!device) return start(`No network device ${quotedName(dev)} on host ${host}`, others);
  if (device.kind !== 'pf')
    return start(
      `${quotedName(dev)} (${device.address}) is ${device.kind === 'vf' ? 'a VF' : 'not an SR-IOV device'}, not a PF`,
      `<pf dev> names the PF whose VFs the pool hands out. ${others}`,
    );
  if (!device.numVfs)
    return start(
      `PF ${quotedName(dev)} has no VFs enabled (0 of ${device.totalVfs ?? 0})`,
      `Create them: ${createVfsCommand(device)}, and ${persistenceFix(device, index.inventory)}.`,
    );
  const sources = persistenceOf(index.inventory.readiness, device.address);
  if (sources === null) return [];
  if (sources.length > 0) {
    const short = shortBoot(sources, device.numVfs);
    const removals = removalsOf(index.inventory.readiness, device.address);
    if (short === null && removals.length > 0) {
      const problem = `PF ${quotedName(dev)}: a boot line removes the VFs another creates, so after a host reboot the pool may be empty`;
      return [
        {
          code: 'vf-not-persistent',
          severity: 'warning',
          problem,
          message: failsAtNetStart(problem, noUsableVf, removalAdvice(sources, removals, device)),
        },
      ];
    }
    if (short === null) return [];
    const restored = restoredCount(sources)!;
    const problem = `PF ${quotedName(dev)}: ${short}, so after a host reboot the pool hands out ${restored}`;
    return [
      {
        code: 'vf-not-persistent',
        severity: 'warning',
        problem,
        message: failsAtStart(
          problem,
          `internal error: network '${shortName(name)}' requires exclusive access to interfaces, but none are available`,
          shortBootAdvice(sources, restored, device),
        ),
      },
    ];
  }
  const problem = `The ${device.numVfs} VFs of PF ${quotedName(dev)} were created at runtime: after a host reboot the pool is empty`;
  return [
    {
      code: 'vf-not-persistent',
      severity: 'warning',
      problem,
      message: failsAtNetStart(
        problem,
        noUsableVf,
        `Nothing recreates them at boot${whyNoSource(device, index)}. ` +
          (ignoredLines(device, index) ?? `To keep them, ${persistenceFix(device, index.inventory)}.`),
      ),
    },
  ];
}

function checkPoolAddress(address: XmlElement, name: string, index: InventoryIndex, report: Report): void {
  if (attribute(address, 'type')?.value !== 'pci') return;
  const reading = readAddress(address);
  // an all-zero address is no VF on any host: hostdevPoolDevices.ts reports it without the inventory
  if (!reading.canonical || reading.empty) return;
  const canonical = reading.canonical;
  const finding = poolAddressFinding(canonical, name, index, index.usage.usersOf(addressKey(canonical)));
  if (finding) report.addFinding(address.nameSpan, finding);
  const shared = sharedWithPools(name, index, (n) => n.addresses.includes(canonical));
  if (shared) report.addFinding(address.nameSpan, sharedPoolFinding(`VF ${canonical}`, canonical, shared));
  // a listed VF that is gone after a reboot is handed out all the same, and the guest's start fails on it
  const device = index.byAddress.get(addressKey(canonical));
  const persistence = device ? vfPersistenceFinding(device, index) : null;
  if (persistence) report.addFinding(address.nameSpan, persistence);
}

/**
 * network-vf for one pool address: an error when the host has no VF there (net-define refuses it);
 * for a VF that `directUsers` also name directly, an error when one runs with it, a warning when it
 * is only in a persistent definition (the second to start fails).
 */
export function poolAddressFinding(
  canonical: string,
  name: string,
  index: InventoryIndex,
  directUsers: readonly GuestUse[],
): Finding | null {
  const device = index.byAddress.get(canonical);
  if (!device || device.kind !== 'vf') {
    const problem = device
      ? `${canonical} is ${device.kind === 'pf' ? 'a PF' : 'not an SR-IOV device'}, not a VF`
      : `No device ${canonical} on host ${quotedName(index.inventory.host)}`;
    return {
      code: 'network-vf',
      severity: 'error',
      problem,
      message: rejectsNetwork(
        problem,
        `unsupported configuration: device '/sys/bus/pci/devices/${canonical}' in network '${shortName(name)}' is not an SR-IOV Virtual Function`,
        'A pool lists VFs only.',
      ),
    };
  }
  if (directUsers.length === 0) return null;
  const live = directUsers.filter(isLiveUse);
  const holder = (live[0] ?? directUsers[0]).guest.name;
  const problem =
    live.length > 0
      ? `VF ${canonical} is assigned directly to running guest ${quotedName(holder)}`
      : `VF ${canonical} is also in the persistent definition of guest ${quotedName(holder)}`;
  return {
    code: 'network-vf',
    severity: live.length > 0 ? 'error' : 'warning',
    problem,
    message: failsAtStart(
      problem,
      pciDeviceInUse(canonical, holder),
      'The pool hands it out anyway, and whichever guest starts second fails. Take it out of the pool or out of the guest.',
    ),
  };
}
