// The guest-side <address> (a direct child of the device): where the VF appears in the guest.
// Mirrors libvirt's
//  - virDomainDeviceAddressParseXML ("No type specified for device address", "unknown address type");
//  - virDomainHostdevDefValidate (src/conf/domain_validate.c): a PCI hostdev's guest address must be
//    'pci' or 'unassigned'; and the generic device-info validation allows 'unassigned' only on a
//    plain <hostdev>, not on an <interface> (found by the virsh agreement test on 9.0);
//  - virPCIDeviceAddressParseXML / virPCIDeviceAddressIsValid for its numbers (same rules as the
//    host side, multifunction only on/off; an all-zero or absent address means "assign one", so no
//    pci-zero here).
import type { XmlElement } from '../xml/types';
import { attribute, attributeSpan, attributeValue, hasAttribute, rejects, type DeviceFacts, type Report } from './common';
import { GUEST_SIDE, checkAddressNumbers, checkMultifunction } from './sourceAddress';

/** virDomainDeviceAddressType names other than pci/unassigned. */
const OTHER_ADDRESS_TYPES = new Set([
  'none',
  'drive',
  'virtio-serial',
  'ccid',
  'usb',
  'spapr-vio',
  'virtio-s390',
  'ccw',
  'virtio-mmio',
  'isa',
  'dimm',
]);

export function checkGuestAddress(facts: DeviceFacts, report: Report): void {
  const address = facts.device.guestAddress;
  if (!address) return;
  const type = attributeValue(address, 'type');
  if (type === null && !hasAttribute(address, 'type')) {
    report.add(
      'guest-address-type',
      'error',
      address.nameSpan,
      rejects(
        'Guest address without a type',
        'internal error: No type specified for device address',
        "Use type='pci' (or drop the guest <address> to let libvirt pick a slot).",
      ),
    );
    return;
  }
  if (type === null) return;
  if (type === 'pci') {
    checkAddressNumbers(facts.guest!, report, GUEST_SIDE);
    checkMultifunction(address, report);
  } else if (type === 'unassigned') {
    if (facts.device.kind !== 'hostdev') reportUnassignedOnInterface(address, report);
  } else if (OTHER_ADDRESS_TYPES.has(type)) {
    report.add(
      'guest-address-type',
      'error',
      attributeSpan(attribute(address, 'type')!),
      rejects(
        `Guest address type='${type}' on a PCI device`,
        "internal error: PCI host devices must use 'pci' or 'unassigned' address type",
      ),
    );
  } else {
    report.add(
      'guest-address-type',
      'error',
      attributeSpan(attribute(address, 'type')!),
      rejects(
        `Unknown guest address type '${type}'`,
        `unsupported configuration: unknown address type '${type}'`,
        "A VF's guest address takes type='pci' or 'unassigned'.",
      ),
    );
  }
}

/**
 * virDomainDeviceInfoValidate (any <interface>, whatever its type): an 'unassigned' guest address
 * only on a plain <hostdev>; `address` has type='unassigned'.
 */
export function reportUnassignedOnInterface(address: XmlElement, report: Report): void {
  report.add(
    'guest-address-type',
    'error',
    attributeSpan(attribute(address, 'type')!),
    rejects(
      "Guest address type='unassigned' on an <interface>",
      "unsupported configuration: address of type 'unassigned' is supported only for hostdevs",
      "Use a plain <hostdev> to assign a VF without a guest address, or type='pci' here.",
    ),
  );
}
