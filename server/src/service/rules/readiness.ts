// Host readiness against the document: what makes a correct device fail at the guest's start
// because of the host itself, not the XML. Mirrors libvirt's
//  - host-iommu: without an active IOMMU libvirt refuses every PCI assignment at start
//    (qemuHostdevPreparePCIDevicesCheckSupport, src/qemu/qemu_hostdev.c).
//  - vf-not-persistent: the VF exists now, but nothing recreates its PF's VFs at boot; after a host
//    reboot virPCIDeviceNew cannot find it ("Device %s not found: could not access %s"). So does a VF
//    whose index is at or past the count the boot-time sources set, when they set fewer than the PF has,
//    and one whose PF's VFs a boot line creates while another removes them (writes 0 to sriov_numvfs).
//    A line that reads like a source but makes none (readiness.ts ignoredOf) is named, with why.
//    A VF pool's listed VFs get the same finding (networkHost.ts): a start handed one fails the same way.
import type { InventoryIndex } from '../inventoryIndex';
import { addressKey } from '../pci';
import {
  describeSource,
  ignoredAdvices,
  iommuMissing,
  iommuSummary,
  lostVfs,
  NO_IOMMU_ERROR,
  persistenceOf,
  refusedOf,
  notAtBootAdvice,
  notAtBootOf,
  removalsOf,
  restoredCount,
} from '../readiness';
import { persistenceFix } from '../persistenceFix';
import type { InventoryDevice, VfPersistenceSource } from '../types';
import { failsAtStart, quotedName, type DeviceFacts, type Finding, type Report } from './common';
import { pfLabel } from '../../../../shared/vfUse';

export function checkHostIommu(facts: readonly DeviceFacts[], index: InventoryIndex, report: Report): void {
  const inventory = index.inventory;
  if (!iommuMissing(inventory) || !inventory.readiness) return;
  for (const f of facts) {
    if (!f.isPci || !f.device.hostAddress) continue;
    report.add(
      'host-iommu',
      'error',
      f.device.hostAddress.nameSpan,
      failsAtStart(
        'No active IOMMU on the host: no PCI device can be assigned',
        NO_IOMMU_ERROR,
        `Host ${quotedName(inventory.host)}: ${iommuSummary(inventory.readiness)}.`,
      ),
    );
  }
}

export function checkVfPersistent(f: DeviceFacts, device: InventoryDevice, index: InventoryIndex, report: Report): void {
  if (!f.device.hostAddress) return;
  const finding = vfPersistenceFinding(device, index);
  if (finding) report.addFinding(f.device.hostAddress.nameSpan, finding);
}

/**
 * vf-not-persistent for a VF of the host that a guest or a pool names: nothing recreates its PF's VFs
 * at boot, or the boot sets fewer than the PF has now and not up to this VF's index. Null when it comes
 * back, and when the snapshot does not know (no readiness).
 */
export function vfPersistenceFinding(device: InventoryDevice, index: InventoryIndex): Finding | null {
  if (device.kind !== 'vf' || !device.pf) return null;
  const sources = persistenceOf(index.inventory.readiness, device.pf);
  if (sources === null) return null;
  const pf = index.byAddress.get(addressKey(device.pf));
  if (!pf) return null;
  const notFound = `Device ${device.address} not found: could not access /sys/bus/pci/devices/${device.address}/config`;
  if (sources.length > 0) {
    const restored = restoredCount(sources);
    const numVfs = pf.numVfs ?? 0;
    if (restored === null || restored >= numVfs || (device.vfIndex !== undefined && device.vfIndex < restored)) {
      const removals = removalsOf(index.inventory.readiness, pf.address);
      if (removals.length === 0) return null;
      const problem = `VF ${device.address} may not come back after a host reboot: a boot line also removes the VFs of ${pfName(pf)}`;
      return warning(problem, failsAtStart(problem, notFound, removalAdvice(sources, removals, pf)));
    }
    const problem = `VF ${device.address} does not come back after a host reboot: the boot sets ${restored} VFs of ${numVfs}`;
    return warning(problem, failsAtStart(problem, notFound, shortBootAdvice(sources, restored, pf)));
  }
  const problem = `VF ${device.address} was created at runtime: gone after a host reboot`;
  return warning(
    problem,
    failsAtStart(
      problem,
      notFound,
      `It exists now, but nothing recreates the VFs of ${pfName(pf)} at boot${whyNoSource(pf, index)}, so the guest fails to start after the ` +
        `next host reboot. ${ignoredLines(pf, index) ?? `To keep its ${pf.numVfs ?? 0} VFs, ${persistenceFix(pf, index.inventory)}.`}`,
    ),
  );
}

/** What to say of a PF whose boot-time `sources` set `restored` VFs, fewer than it has now. */
export function shortBootAdvice(sources: readonly VfPersistenceSource[], restored: number, pf: InventoryDevice): string {
  const numVfs = pf.numVfs ?? 0;
  return (
    `At boot ${sources.map(describeSource).join('; ')} set${sources.length === 1 ? 's' : ''} ${restored} VFs of ${pfName(pf)}, ` +
    `which has ${numVfs} now: ${lostVfs(restored, numVfs)} will not come back. Make the boot set ${numVfs}.`
  );
}

/**
 * What to say of a PF whose VFs one boot line creates and another removes (writes 0 to sriov_numvfs): the
 * count the PF keeps is the last one written, and the order of udev rules, units and NetworkManager
 * against each other and the driver's load is not fixed, so the VFs may or may not be there.
 */
export function removalAdvice(
  sources: readonly VfPersistenceSource[],
  removals: readonly VfPersistenceSource[],
  pf: InventoryDevice,
): string {
  const plural = (list: readonly unknown[], one: string, many: string) => (list.length === 1 ? one : many);
  return (
    `At boot ${sources.map(describeSource).join('; ')} ${plural(sources, 'creates', 'create')} them, but ` +
    `${removals.map(describeSource).join('; ')} ${plural(removals, 'writes', 'write')} 0 to sriov_numvfs, which removes them: ` +
    `the one that runs last decides. Remove ${plural(removals, 'it', 'them')} or make ${plural(removals, 'it', 'them')} set ${pf.numVfs ?? 0}.`
  );
}

/**
 * Why the snapshot shows no boot-time source for `pf`, where it can tell: configuration files it could
 * not read, lines that write 0 to its sriov_numvfs (they remove its VFs), and a max_vfs list the driver
 * refuses (it reads like persistence but is none: said, or the user adds a line beside it).
 */
export function whyNoSource(pf: InventoryDevice, index: InventoryIndex): string {
  const readiness = index.inventory.readiness;
  const unreadable =
    readiness && readiness.unreadable.length > 0
      ? ` (${readiness.unreadable.length} configuration file(s) could not be read, e.g. /${readiness.unreadable[0]}: refresh as root to see them)`
      : '';
  const removals = removalsOf(readiness, pf.address)
    .map((s) => ` (${describeSource(s)} writes 0 to its sriov_numvfs, which removes them)`)
    .join('');
  const refused = refusedOf(readiness, pf.address)
    .map(
      (s) =>
        ` (the kernel refuses ${describeSource(s)}: ${pf.driver}'s max_vfs is one number, and ${pf.driver} does not load with a list; replace it)`,
    )
    .join('');
  const notAtBoot = notAtBootOf(readiness, pf.address)
    .map((s) => ` (${notAtBootAdvice(s)})`)
    .join('');
  return unreadable + removals + refused + notAtBoot;
}

/**
 * The PF's lines that read like a boot-time source of its VFs but make none (a module option its driver
 * lacks, a keyfile NetworkManager refuses, a udev rule before the driver binds), each with why and its
 * fix, as a sentence; null when it has none.
 */
export function ignoredLines(pf: InventoryDevice, index: InventoryIndex): string | null {
  const ignored = ignoredAdvices(pf, index.inventory);
  if (ignored === null) return null;
  return `${ignored.count === 1 ? 'The boot line that would make VFs makes none' : 'The boot lines that would make VFs make none'}: ${ignored.text}.`;
}

function pfName(pf: InventoryDevice): string {
  return pfLabel(pf, [pf.driver ?? 'no driver']);
}

function warning(problem: string, message: string): Finding {
  return { code: 'vf-not-persistent', severity: 'warning', problem, message };
}
