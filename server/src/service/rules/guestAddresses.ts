// The guest-side <address type='pci'> of every device of a guest (disks, controllers, NICs, …, not
// only passthrough devices): a VF placed at a slot another device holds fails just the same.
// Mirrors libvirt's
//  - virPCIDeviceAddressParseXML / virPCIDeviceAddressIsValid for every device's address (numbers,
//    ranges, multifunction), at parse time for any driver;
//  - virDomainPCIAddressReserveAddrInternal (src/conf/domain_addr.c, QEMU driver at define/attach):
//    "Attempted double use of PCI Address %s"; virDomainPCIAddressValidate: "Only PCI domain 0 is
//    available". An all-zero address means "pick one" (virDeviceInfoPCIAddressIsWanted), so it
//    never clashes;
//  - zPCI (s390x): virZPCIDeviceAddressParseXML (uid/fid numbers), virZPCIDeviceAddressIsValid
//    (uid 1..0xffff), virDomainZPCIAddressReserveId ("zPCI uid %o is already reserved", printed in
//    octal), and the QEMU driver's capability check on other architectures ("This QEMU binary
//    doesn't support zPCI").
// The passthrough devices' own addresses get their number checks from guestAddress.ts; this file
// adds the other devices and what needs the whole guest.
import type { XmlElement } from '../xml/types';
import { readAddress } from '../address';
import { formatPciAddress, parsePciNumber } from '../pci';
import { attribute, attributeSpan, attributeValue, firstChild, rejects, type Report } from './common';
import { archOf, type Guest } from './guests';
import { checkAddressNumbers, checkMultifunction } from './sourceAddress';

export function checkGuestAddresses(guests: readonly Guest[], passthrough: ReadonlySet<XmlElement>, report: Report): void {
  for (const guest of guests) {
    const arch = archOf(guest);
    const byAddress = new Map<string, XmlElement[]>();
    const zpciIds = { uid: new Map<number, XmlElement>(), fid: new Map<number, XmlElement>() };
    for (const device of guest.devices) {
      const address = firstChild(device, 'address');
      if (!address || attributeValue(address, 'type') !== 'pci') continue;
      const reading = readAddress(address, null, false);
      if (!passthrough.has(device)) {
        checkAddressNumbers(reading, report, { hints: false });
        checkMultifunction(address, report);
      }
      // a <console> of target type serial is the first <serial> again (virDomainDefAddConsoleCompat), same address
      if (reading.address && !reading.empty && device.name !== 'console') {
        const canonical = formatPciAddress(reading.address);
        const list = byAddress.get(canonical);
        if (list) list.push(address);
        else byAddress.set(canonical, [address]);
        if (reading.address.domain !== 0) {
          const domainAttr = attribute(address, 'domain')!;
          report.add(
            'pci-range',
            'error',
            attributeSpan(domainAttr),
            rejects(
              `Guest PCI domain ${attributeValue(address, 'domain')} does not exist in a QEMU guest`,
              `XML error: Invalid PCI address ${canonical}. Only PCI domain 0 is available`,
              "Use domain='0x0000' (the host address in <source> may have another domain).",
            ),
          );
        }
      }
      const zpci = firstChild(address, 'zpci');
      if (zpci) checkZpci(zpci, arch, zpciIds, report);
    }
    for (const [canonical, list] of byAddress) {
      if (list.length < 2) continue;
      for (const address of list) {
        report.add(
          'guest-address-duplicate',
          'error',
          address.nameSpan,
          rejects(
            `Guest PCI address ${canonical} is given to ${list.length} devices of this guest`,
            `XML error: Attempted double use of PCI Address ${canonical}`,
            'Give each device its own slot (or function, with multifunction), or drop the guest <address> to let libvirt pick one.',
          ),
        );
      }
    }
  }
}

function checkZpci(
  zpci: XmlElement,
  arch: string | null,
  seen: { uid: Map<number, XmlElement>; fid: Map<number, XmlElement> },
  report: Report,
): void {
  if (arch !== null && !arch.startsWith('s390')) {
    report.add(
      'zpci',
      'error',
      zpci.nameSpan,
      rejects(
        `<zpci> is for s390x guests, and this guest is ${arch}`,
        "unsupported configuration: This QEMU binary doesn't support zPCI",
        'Remove <zpci> (it only exists on IBM Z).',
      ),
    );
    return;
  }
  for (const [name, limit] of [
    ['uid', 0xffff],
    ['fid', 0xffffffff],
  ] as const) {
    const attr = attribute(zpci, name);
    if (!attr || attr.value === null) continue; // absent: libvirt generates one
    const parsed = parsePciNumber(attr.value);
    if (!parsed.ok || parsed.value > 0xffffffff) {
      report.add(
        'zpci',
        'error',
        attributeSpan(attr),
        rejects(
          `zPCI ${name}='${attr.value}' is not a number libvirt reads`,
          `XML error: Invalid value for attribute '${name}' in element 'zpci': '${attr.value}'. Expected non-negative integer value`,
        ),
      );
      continue;
    }
    const value = parsed.value;
    if (name === 'uid' && (value === 0 || value > limit)) {
      report.add(
        'zpci',
        'error',
        attributeSpan(attr),
        rejects(
          `zPCI uid ${attr.value} is out of range (1 to 0xffff)`,
          `XML error: Invalid PCI address uid='0x${value.toString(16).padStart(4, '0')}', must be > 0x0000 and <= 0xffff`,
        ),
      );
      continue;
    }
    const first = seen[name].get(value);
    if (first) {
      // libvirt prints the id in octal (%o)
      report.add(
        'zpci',
        'error',
        attributeSpan(attr),
        rejects(
          `zPCI ${name} ${attr.value} is already used by another device of this guest`,
          `internal error: zPCI ${name} ${value.toString(8)} is already reserved`,
          `Give each device its own ${name}, or leave it out to let libvirt pick one.`,
        ),
      );
    } else {
      seen[name].set(value, zpci);
    }
  }
}
