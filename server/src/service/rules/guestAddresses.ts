// The guest-side <address type='pci'> of every device of a guest (disks, controllers, NICs, …, not
// only passthrough devices): a VF placed at a slot another device holds fails just the same.
// Mirrors libvirt's
//  - virPCIDeviceAddressParseXML / virPCIDeviceAddressIsValid for every device's address (numbers,
//    ranges, multifunction), at parse time for any driver;
//  - virDomainPCIAddressReserveAddrInternal (src/conf/domain_addr.c, QEMU driver at define/attach):
//    "Attempted double use of PCI Address %s"; virDomainPCIAddressValidate: "Only PCI domain 0 is
//    available". An all-zero address means "pick one" (virDeviceInfoPCIAddressIsWanted), so it
//    never clashes. A <memballoon model='none'> or <controller type='usb' model='none'> has its
//    <address> skipped unread (readsDeviceInfo: virDomainMemballoonDefParseXML and
//    virDomainControllerDefParseXML read no device info for a device that is not there), and a
//    <video> of model type 'none' has its address read (numbers checked) but holds no slot: the QEMU
//    driver's PCI address assignment (src/qemu/qemu_domain_address.c) passes it over, and dumpxml
//    shows it without one;
//  - qemuDomainValidateDevicePCISlotsPIIX3 (src/qemu/qemu_domain_address.c): an i440fx ('pc') guest's
//    slot 1 holds the PIIX3 chip: ISA bridge 00:01.0 and ACPI bridge 00:01.3 always, the primary IDE
//    controller 00:01.1 when there is one (explicit, or implied by an IDE disk), the PIIX3 USB
//    controller 00:01.2 unless USB controller 0 is another model or 'none';
//  - zPCI (s390x): virZPCIDeviceAddressParseXML (uid/fid numbers), virZPCIDeviceAddressIsValid
//    (uid 1..0xffff), virDomainZPCIAddressReserveId ("zPCI uid %o is already reserved", printed in
//    octal), and the QEMU driver's capability check on other architectures ("This QEMU binary
//    doesn't support zPCI").
// The passthrough devices' own addresses get their number checks from guestAddress.ts; this file
// adds the other devices and what needs the whole guest.
import type { XmlElement } from '../xml/types';
import { pciAddressNumber, pciAddressOfNumber, readAddress, type AddressCache } from '../address';
import { formatPciAddress, parsePciNumber } from '../pci';
import { attribute, attributeSpan, attributeValue, firstChild, hasAttribute, rejects, type Report } from './common';
import { archOf, type Guest } from './guests';
import { controllerIndex } from './controllerBuses';
import { GUEST_SIDE, checkAddressNumbers, checkMultifunction } from './sourceAddress';

/** `addresses`: the language service's cache (readings kept per element), null for a one-off run. */
export function checkGuestAddresses(
  guests: readonly Guest[],
  passthrough: ReadonlySet<XmlElement>,
  report: Report,
  addresses: AddressCache | null = null,
): void {
  for (const guest of guests) {
    const arch = archOf(guest);
    // by address number (pciAddressNumber): the first <address> at each, and the lists of those given
    // twice or more (nearly every address is given once: no list, no string for it)
    const firstAt = new Map<number, XmlElement>();
    let repeated: Map<number, XmlElement[]> | null = null;
    const zpciIds = { uid: new Map<number, XmlElement>(), fid: new Map<number, XmlElement>() };
    const devices = guest.devices;
    for (let i = 0; i < devices.length; i++) {
      const device = devices[i];
      const address = firstChild(device, 'address');
      if (!address || attributeValue(address, 'type') !== 'pci' || !readsDeviceInfo(device)) continue;
      const reading = addresses ? addresses.guestReading(address) : readAddress(address, null, false);
      if (!passthrough.has(device)) {
        checkAddressNumbers(reading, report, GUEST_SIDE);
        checkMultifunction(address, report);
      }
      // a <console> of target type serial is the first <serial> again (virDomainDefAddConsoleCompat), same address
      if (reading.address && !reading.empty && device.name !== 'console' && !isNoneVideo(device)) {
        const key = pciAddressNumber(reading.address);
        const first = firstAt.get(key);
        if (first === undefined) firstAt.set(key, address);
        else {
          const list = (repeated ??= new Map()).get(key);
          if (list) list.push(address);
          else repeated.set(key, [first, address]);
        }
        if (reading.address.domain !== 0) {
          const canonical = addresses ? addresses.canonical(reading.address) : formatPciAddress(reading.address);
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
    const piix3 = piix3Functions(guest);
    for (const [key, builtIn] of piix3 ?? []) {
      const first = firstAt.get(key);
      const list = repeated?.get(key) ?? (first ? [first] : []);
      const others = list.filter((a) => a.parent !== builtIn.owner);
      const canonical = formatPciAddress(pciAddressOfNumber(key));
      for (const address of others) {
        report.add(
          'guest-address-duplicate',
          'error',
          address.nameSpan,
          rejects(
            `Guest PCI address ${canonical} is the i440fx machine's ${builtIn.what}`,
            `XML error: Attempted double use of PCI Address ${canonical}`,
            "Slot 1 is the PIIX3 chip's: use another slot, or drop the guest <address> to let libvirt pick one.",
          ),
        );
      }
    }
    for (const [key, list] of repeated ?? []) {
      // at a PIIX3 function the builtIn's report above says it (and only it)
      if (piix3?.has(key) && list.some((a) => a.parent !== piix3.get(key)!.owner)) continue;
      const canonical = formatPciAddress(pciAddressOfNumber(key));
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

/**
 * Whether libvirt reads the device info (<address>, <alias>, <acpi> …) of a device: graphics, audio
 * and lease devices have none, and a device that is not there (a balloon or USB controller of model
 * 'none') has it skipped unread, so a written <address> is neither checked nor held.
 */
export function readsDeviceInfo(device: XmlElement): boolean {
  if (NO_DEVICE_INFO.has(device.name)) return false;
  if (device.name === 'memballoon') return attributeValue(device, 'model') !== 'none';
  return !(device.name === 'controller' && attributeValue(device, 'type') === 'usb' && attributeValue(device, 'model') === 'none');
}

const NO_DEVICE_INFO: ReadonlySet<string> = new Set(['graphics', 'audio', 'lease']);

function isNoneVideo(device: XmlElement): boolean {
  const model = device.name === 'video' ? firstChild(device, 'model') : null;
  return model !== null && attributeValue(model, 'type') === 'none';
}

const X86_ARCH = /^(i[3-6]86|x86_64)$/;
/** the machine types qemuDomainMachineIsI440FX names */
const I440FX_MACHINE = /^(pc-0\.|pc-1\.|pc-i440fx-|rhel)/;

const isX86 = (arch: string): boolean => X86_ARCH.test(arch);

/** qemuDomainMachineIsI440FX, with QEMU's default machine (i440fx) when the x86 guest names none. */
function isI440fx(guest: Guest): boolean {
  const type = guest.domain ? attributeValue(guest.domain, 'type') : null;
  if (type !== 'qemu' && type !== 'kvm') return false;
  const os = firstChild(guest.domain!, 'os');
  const osType = os ? firstChild(os, 'type') : null;
  const machine = osType ? attributeValue(osType, 'machine') : null;
  const arch = archOf(guest);
  if (!machine) return arch !== null && isX86(arch);
  if (arch !== null && !isX86(arch)) return false;
  return machine === 'pc' || I440FX_MACHINE.test(machine);
}

/** The first controller of a type with index 0 (a missing index is the first one's 0). */
function controllerZero(guest: Guest, type: string): XmlElement | null {
  const list = guest.devices.filter((d) => d.name === 'controller' && attributeValue(d, 'type') === type);
  return list.find((c) => attributeValue(c, 'index') === null || controllerIndex(c) === 0) ?? null;
}

/** 0000:00:01.`fn` as pciAddressNumber gives it */
const slotOne = (fn: number): number => pciAddressNumber({ domain: 0, bus: 0, slot: 1, function: fn });

/**
 * The PIIX3 functions of slot 1 an i440fx guest holds itself (by pciAddressNumber), and the controller
 * element that is one (it may sit there).
 */
function piix3Functions(guest: Guest): Map<number, { what: string; owner: XmlElement | null }> | null {
  if (!isI440fx(guest)) return null;
  const held = new Map<number, { what: string; owner: XmlElement | null }>([
    [slotOne(0), { what: 'PIIX3 ISA bridge', owner: null }],
    [slotOne(3), { what: 'PIIX3 ACPI bridge', owner: null }],
  ]);
  const ide = controllerZero(guest, 'ide');
  const ideDisk = guest.devices.some((d) => {
    const target = d.name === 'disk' ? firstChild(d, 'target') : null;
    return target !== null && attributeValue(target, 'bus') === 'ide';
  });
  if (ide || ideDisk) held.set(slotOne(1), { what: 'PIIX3 IDE controller', owner: ide });
  const usb = controllerZero(guest, 'usb');
  const usbModel = usb ? attributeValue(usb, 'model') : null;
  if (!usb || usbModel === null || usbModel === 'piix3-uhci') held.set(slotOne(2), { what: 'PIIX3 USB controller', owner: usb });
  return held;
}

function checkZpci(
  zpci: XmlElement,
  arch: string | null,
  seen: { uid: Map<number, XmlElement>; fid: Map<number, XmlElement> },
  report: Report,
): void {
  // virZPCIDeviceAddressIsPresent: a <zpci> without uid or fid is no zPCI address, on any architecture
  if (!hasAttribute(zpci, 'uid') && !hasAttribute(zpci, 'fid')) return;
  // the parser reads the ids before the QEMU driver looks at the architecture
  const foreign = arch !== null && !arch.startsWith('s390');
  let malformed = false;
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
      malformed = true;
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
      malformed = true;
      continue;
    }
    if (foreign) continue;
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
  if (foreign && !malformed) {
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
  }
}
