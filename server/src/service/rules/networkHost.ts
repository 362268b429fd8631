// A <network> document's VF pool against the host inventory. Mirrors libvirt's
//  - networkValidate (src/network/bridge_driver.c) at net-define: every pool <address> must be a VF
//    (virPCIIsVirtualFunction: "device '/sys/bus/pci/devices/…' in network '…' is not an SR-IOV
//    Virtual Function"; an address the host lacks gets the same message);
//  - networkCreateInterfacePool at net-start: a <pf dev> with no VFs (or no such device, or not a
//    PF) gives "No usable Vf's present on SRIOV PF %s";
//  - virHostdevIsPCINodeDeviceUsed at guest start: a pool VF that a guest also names directly.
// Both net-define and net-start messages were seen with virsh on qemu:///session.
import type { InventoryIndex } from '../inventoryIndex';
import { addressKey } from '../pci';
import { readAddress } from '../address';
import { persistenceFix, persistenceOf } from '../readiness';
import { isLiveUse } from '../../../../shared/vfUse';
import type { DocumentModel } from '../modelTypes';
import type { InventoryDevice } from '../types';
import type { XmlElement } from '../xml/types';
import { attribute, attributeSpan, failsAtNetStart, failsAtStart, rejectsNetwork, type Report } from './common';
import { networkDefinitionOf } from './networkDefinition';

export function checkNetworkOnHost(model: DocumentModel, index: InventoryIndex, report: Report): void {
  const def = networkDefinitionOf(model);
  if (!def || def.mode !== 'hostdev' || !def.forward) return;
  if (attribute(def.forward, 'dev') || def.forward.children.some((c) => c.name === 'interface')) return;
  const name = def.name ?? '';
  if (def.addresses.length > 0) {
    for (const address of def.addresses) checkPoolAddress(address, name, index, report);
    return;
  }
  const pf = def.pfs.length === 1 ? attribute(def.pfs[0], 'dev') : null;
  if (pf && pf.value !== null && pf.value !== '') checkPf(pf.value, attributeSpan(pf), index, report);
}

/** The PF a netdev name belongs to on the host (the name of its own netdev). */
export function deviceByNetdev(index: InventoryIndex, netdev: string): InventoryDevice | undefined {
  return index.inventory.devices.find((d) => d.netdev === netdev);
}

function checkPf(dev: string, span: { start: number; end: number }, index: InventoryIndex, report: Report): void {
  const host = index.inventory.host;
  const device = deviceByNetdev(index, dev);
  const start = (problem: string, advice: string) =>
    report.add('network-pf', 'error', span, failsAtNetStart(problem, `internal error: No usable Vf's present on SRIOV PF ${dev}`, advice));
  const withVfs = index.inventory.devices
    .filter((d) => d.kind === 'pf' && (d.numVfs ?? 0) > 0 && d.netdev)
    .map((d) => d.netdev!)
    .sort();
  const others = withVfs.length ? `PFs with VFs on ${host}: ${withVfs.join(', ')}.` : `No PF on ${host} has VFs enabled.`;
  if (!device) {
    start(`No network device '${dev}' on host ${host}`, others);
    return;
  }
  if (device.kind !== 'pf') {
    start(
      `'${dev}' (${device.address}) is ${device.kind === 'vf' ? 'a VF' : 'not an SR-IOV device'}, not a PF`,
      `<pf dev> names the PF whose VFs the pool hands out. ${others}`,
    );
    return;
  }
  if (!device.numVfs) {
    start(
      `PF ${dev} has no VFs enabled (0 of ${device.totalVfs ?? 0})`,
      `Create them: echo ${device.totalVfs ?? 'N'} > /sys/bus/pci/devices/${device.address}/sriov_numvfs, and ${persistenceFix(device, index.inventory.readiness)}.`,
    );
    return;
  }
  const sources = persistenceOf(index.inventory.readiness, device.address);
  if (sources !== null && sources.length === 0)
    report.add(
      'vf-not-persistent',
      'warning',
      span,
      failsAtNetStart(
        `The ${device.numVfs} VFs of PF ${dev} were created at runtime: after a host reboot the pool is empty`,
        `internal error: No usable Vf's present on SRIOV PF ${dev}`,
        `Nothing recreates them at boot. To keep them, ${persistenceFix(device, index.inventory.readiness)}.`,
      ),
    );
}

function checkPoolAddress(address: XmlElement, name: string, index: InventoryIndex, report: Report): void {
  if (attribute(address, 'type')?.value !== 'pci') return;
  const reading = readAddress(address);
  if (!reading.canonical || reading.empty) return;
  const canonical = reading.canonical;
  const device = index.byAddress.get(canonical);
  if (!device || device.kind !== 'vf') {
    report.add(
      'network-vf',
      'error',
      address.nameSpan,
      rejectsNetwork(
        device
          ? `${canonical} is ${device.kind === 'pf' ? 'a PF' : 'not an SR-IOV device'}, not a VF`
          : `No device ${canonical} on host ${index.inventory.host}`,
        `unsupported configuration: device '/sys/bus/pci/devices/${canonical}' in network '${name}' is not an SR-IOV Virtual Function`,
        'A pool lists VFs only.',
      ),
    );
    return;
  }
  const users = index.usage.usersOf(addressKey(canonical)) ?? [];
  if (users.length === 0) return;
  const live = users.filter(isLiveUse);
  const holder = (live[0] ?? users[0]).guest.name;
  report.add(
    'network-vf',
    live.length > 0 ? 'error' : 'warning',
    address.nameSpan,
    failsAtStart(
      live.length > 0
        ? `VF ${canonical} is assigned directly to running guest ${holder}`
        : `VF ${canonical} is also in guest ${holder}'s persistent definition`,
      `Requested operation is not valid: PCI device ${canonical} is in use by driver QEMU, domain ${holder}`,
      'The pool hands it out anyway, and whichever guest starts second fails. Take it out of the pool or out of the guest.',
    ),
  );
}
