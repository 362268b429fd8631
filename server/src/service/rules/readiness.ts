// Host readiness against the document: what makes a correct device fail at the guest's start
// because of the host itself, not the XML. Mirrors libvirt's
//  - host-iommu: without an active IOMMU libvirt refuses every PCI assignment at start
//    (qemuHostdevPreparePCIDevicesCheckSupport, src/qemu/qemu_hostdev.c).
//  - vf-not-persistent: the VF exists now, but nothing recreates its PF's VFs at boot; after a host
//    reboot virPCIDeviceNew cannot find it ("Device %s not found: could not access %s"). So does a VF
//    whose index is at or past the count the boot-time sources set, when they set fewer than the PF has.
import type { InventoryIndex } from '../inventoryIndex';
import { addressKey } from '../pci';
import {
  describeSource,
  iommuMissing,
  iommuSummary,
  lostVfs,
  NO_IOMMU_ERROR,
  persistenceFix,
  persistenceOf,
  refusedOf,
  restoredCount,
} from '../readiness';
import type { InventoryDevice } from '../types';
import { failsAtStart, quotedName, type DeviceFacts, type Report } from './common';
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
  if (device.kind !== 'vf' || !device.pf || !f.device.hostAddress) return;
  const readiness = index.inventory.readiness;
  const sources = persistenceOf(readiness, device.pf);
  if (sources === null) return;
  const pf = index.byAddress.get(addressKey(device.pf));
  if (!pf) return;
  const pfName = pfLabel(pf, [pf.driver ?? 'no driver']);
  const notFound = `Device ${device.address} not found: could not access /sys/bus/pci/devices/${device.address}/config`;
  if (sources.length > 0) {
    const restored = restoredCount(sources);
    const numVfs = pf.numVfs ?? 0;
    if (restored === null || restored >= numVfs || (device.vfIndex !== undefined && device.vfIndex < restored)) return;
    report.add(
      'vf-not-persistent',
      'warning',
      f.device.hostAddress.nameSpan,
      failsAtStart(
        `VF ${device.address} does not come back after a host reboot: the boot sets ${restored} VFs of ${numVfs}`,
        notFound,
        `At boot ${sources.map(describeSource).join('; ')} set${sources.length === 1 ? 's' : ''} ${restored} VFs of ${pfName}, ` +
          `which has ${numVfs} now: ${lostVfs(restored, numVfs)} will not come back. Make the boot set ${numVfs}.`,
      ),
    );
    return;
  }
  const unreadable =
    readiness && readiness.unreadable.length > 0
      ? ` (${readiness.unreadable.length} configuration file(s) could not be read, e.g. /${readiness.unreadable[0]}: refresh as root to see them)`
      : '';
  // a max_vfs list reads like persistence but is none: say so, or the user adds a line beside it
  const refused = refusedOf(readiness, pf.address)
    .map(
      (s) =>
        ` (the kernel refuses ${describeSource(s)}: ${pf.driver}'s max_vfs is one number, and ${pf.driver} does not load with a list; replace it)`,
    )
    .join('');
  report.add(
    'vf-not-persistent',
    'warning',
    f.device.hostAddress.nameSpan,
    failsAtStart(
      `VF ${device.address} was created at runtime: gone after a host reboot`,
      notFound,
      `It exists now, but nothing recreates the VFs of ${pfName} at boot${unreadable}${refused}, so the guest fails to start after the ` +
        `next host reboot. To keep its ${pf.numVfs ?? 0} VFs, ${persistenceFix(pf, index.inventory)}.`,
    ),
  );
}
