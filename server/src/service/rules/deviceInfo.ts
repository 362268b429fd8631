// <boot order> and <acpi index> of every device of a guest. Mirrors libvirt's
//  - virDomainDeviceBootParseXML: virXMLPropUInt(order, base 10, NONZERO) ("Missing required
//    attribute 'order'", "Zero is not permitted", "Expected non-negative integer value");
//  - virDomainDeviceInfoParseXML: virXMLPropUInt(acpi index, base 10, NONZERO); QEMU's
//    qemuValidateDomainDeviceInfo: an ACPI index only on a device with a PCI address (or none yet);
//  - virDomainDefParseBootXML / virDomainDefPostParseBootOrder: per-device <boot order> and
//    <os><boot dev> together ("per-device boot elements cannot be used together with os/boot elements").
// A <boot> counts only on a device whose parser reads it (readsBoot), an <acpi> only where device
// info is read at all (readsDeviceInfo).
// Duplicate orders are duplicates.ts's.
import type { XmlElement } from '../xml/types';
import { attribute, attributeSpan, attributeValue, firstChild, hasAttribute, readDecimal, rejects, type Report } from './common';
import { readsBoot, type DeviceChildren } from './duplicates';
import { readsDeviceInfo } from './guestAddresses';
import { isQemuGuest, type Guest } from './guests';

function checkPositiveDecimal(element: XmlElement, name: string, what: string, report: Report, code: 'boot-order' | 'acpi-index'): void {
  const written = attributeValue(element, name);
  if (written === null && !hasAttribute(element, name)) {
    report.add(
      code,
      'error',
      element.nameSpan,
      rejects(`<${element.name}> without ${name}`, `XML error: Missing required attribute '${name}' in element '${element.name}'`),
    );
    return;
  }
  if (written === null) return;
  const value = readDecimal(written);
  if (value === null) {
    report.add(
      code,
      'error',
      attributeSpan(attribute(element, name)!),
      rejects(
        `${what} '${written}' is not a decimal number`,
        `XML error: Invalid value for attribute '${name}' in element '${element.name}': '${written}'. Expected non-negative integer value`,
        'Write it in decimal (1, 2, …).',
      ),
    );
  } else if (value === 0) {
    report.add(
      code,
      'error',
      attributeSpan(attribute(element, name)!),
      rejects(
        `${what} 0 is not allowed (it starts at 1)`,
        `XML error: Invalid value for attribute '${name}' in element '${element.name}': Zero is not permitted`,
      ),
    );
  }
}

/** An ACPI index names a PCI slot: QEMU refuses it on a device at another kind of address (unassigned included). */
function checkAcpiAddress(device: XmlElement, acpi: XmlElement, report: Report): void {
  const address = firstChild(device, 'address');
  const type = address ? attributeValue(address, 'type') : null;
  if (type === null || type === 'pci') return;
  // virDomainDeviceInfoValidate refuses an unassigned <interface> first (guestAddress.ts says so)
  if (type === 'unassigned' && device.name === 'interface') return;
  report.add(
    'acpi-index',
    'error',
    acpi.nameSpan,
    rejects(
      `An ACPI index on a device whose guest address type is '${type}'`,
      'unsupported configuration: ACPI index is only supported for PCI devices',
      "Remove <acpi> (or give the device a PCI address: the index names a PCI slot for the guest's NIC naming).",
    ),
  );
}

export function checkDeviceInfo(guests: readonly Guest[], collected: readonly DeviceChildren[], report: Report): void {
  for (const { boots } of collected)
    for (let i = 0; i < boots.length; i++) checkPositiveDecimal(boots[i], 'order', 'Boot order', report, 'boot-order');
  for (const guest of guests) {
    const devices = guest.devices;
    for (let i = 0; i < devices.length; i++) {
      const device = devices[i];
      const acpi = readsDeviceInfo(device) ? firstChild(device, 'acpi') : null;
      if (acpi) {
        checkPositiveDecimal(acpi, 'index', 'ACPI index', report, 'acpi-index');
        if (isQemuGuest(guest)) checkAcpiAddress(device, acpi, report);
      }
    }
    const os = guest.domain ? firstChild(guest.domain, 'os') : null;
    if (!os || !firstChild(os, 'boot')) continue;
    let message: string | null = null;
    for (let i = 0; i < devices.length; i++) {
      const boot = readsBoot(devices[i]) ? firstChild(devices[i], 'boot') : null;
      if (!boot) continue;
      // the same text for every device: one string
      message ??= rejects(
        'A device <boot order> together with <os><boot dev>',
        'unsupported configuration: per-device boot elements cannot be used together with os/boot elements',
        "Use one or the other: remove <boot dev> from <os>, or the devices' <boot order>.",
      );
      report.add('boot-order', 'error', boot.nameSpan, message);
    }
  }
}
