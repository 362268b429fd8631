// Host readiness against the document: what makes a correct device fail at the guest's start
// because of the host itself, not the XML. Mirrors libvirt's
//  - host-iommu: without an active IOMMU libvirt refuses every PCI assignment at start
//    (qemuHostdevPreparePCIDevicesCheckSupport, src/qemu/qemu_hostdev.c).
//  - vf-not-persistent: the VF exists now, but nothing recreates its PF's VFs at boot; after a host
//    reboot virPCIDeviceNew cannot find it ("Device %s not found: could not access %s").
import type { InventoryIndex } from '../inventoryIndex';
import { addressKey } from '../pci';
import { iommuMissing, iommuSummary, NO_IOMMU_ERROR, persistenceFix, persistenceOf } from '../readiness';
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
  if (sources === null || sources.length > 0) return;
  const pf = index.byAddress.get(addressKey(device.pf));
  if (!pf) return;
  const pfName = pfLabel(pf, [pf.driver ?? 'no driver']);
  const unreadable =
    readiness && readiness.unreadable.length > 0
      ? ` (${readiness.unreadable.length} configuration file(s) could not be read, e.g. /${readiness.unreadable[0]}: refresh as root to see them)`
      : '';
  report.add(
    'vf-not-persistent',
    'warning',
    f.device.hostAddress.nameSpan,
    failsAtStart(
      `VF ${device.address} was created at runtime: gone after a host reboot`,
      `Device ${device.address} not found: could not access /sys/bus/pci/devices/${device.address}/config`,
      `It exists now, but nothing recreates the VFs of ${pfName} at boot${unreadable}, so the guest fails to start after the ` +
        `next host reboot. To keep its ${pf.numVfs ?? 0} VFs, ${persistenceFix(pf, index.inventory)}.`,
    ),
  );
}
