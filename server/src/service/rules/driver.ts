// <driver name='…'/> of a hostdev interface or <hostdev>. Mirrors libvirt's
//  - virDomainHostdevDefParseXMLSubsys (9.0; virDeviceHostdevPCIDriverInfoParseXML on ≥ 10.0):
//    the name is the PCI backend enum (kvm, vfio, xen); anything else ('qemu', 'vhost', '') is an
//    XML error at define/attach;
//  - qemuHostdevPreparePCIDevicesCheckSupport (src/qemu/qemu_hostdev.c): QEMU assigns with VFIO
//    only, so 'kvm' (legacy assignment) and 'xen' fail when the guest starts;
//  - <driver model='…'/> (a VFIO variant driver) exists only from libvirt 10.0
//    (virDeviceHostdevPCIDriverInfoParseXML); 9.0 drops it silently.
import { attribute, attributeSpan, attributeValue, failsAtStart, rejects, type DeviceFacts, type Report } from './common';
import type { DocumentModel } from '../modelTypes';

export function checkDriver(facts: DeviceFacts, model: DocumentModel, report: Report): void {
  const driver = facts.device.driver;
  if (!driver) return;
  if (attributeValue(driver, 'model') !== null) {
    const variant = attribute(driver, 'model')!;
    report.add(
      'element-ignored',
      'warning',
      attributeSpan(variant),
      `VFIO variant driver model='${variant.value}' is ignored before libvirt 10.0 — 9.0 (Debian 12) silently drops it and binds the VF ` +
        'to plain vfio-pci. VFIO variant drivers need libvirt 10.0 or newer.',
    );
  }
  const value = attributeValue(driver, 'name');
  if (value === null || value === 'vfio') return;
  const name = attribute(driver, 'name')!;
  const span = attributeSpan(name);
  if (value === 'kvm') {
    report.add(
      'driver-name',
      'error',
      span,
      failsAtStart(
        "Legacy KVM assignment (driver name='kvm')",
        "host doesn't support legacy PCI passthrough",
        "QEMU assigns devices with VFIO only: use name='vfio' or drop <driver>.",
      ),
    );
  } else if (value === 'xen') {
    // The Xen driver (domain type='xen') does take it; QEMU/KVM does not.
    if (model.domain && attributeValue(model.domain, 'type') === 'xen') return;
    report.add(
      'driver-name',
      'error',
      span,
      failsAtStart(
        "Xen assignment (driver name='xen') in a QEMU guest",
        "QEMU does not support device assignment mode 'xen'",
        "Use name='vfio' or drop <driver>.",
      ),
    );
  } else {
    report.add(
      'driver-name',
      'error',
      span,
      rejects(
        `Unknown hostdev driver name '${value}'`,
        `XML error: Invalid value for attribute 'name' in element 'driver': '${value}'.`,
        "A hostdev <driver> takes name='vfio' (virtio driver options do not apply to a VF).",
      ),
    );
  }
}
