// Which PCI controller a bus-creating controller may be plugged into, for the three models whose
// place decides the guest's topology. Mirrors libvirt's virDomainPCIAddressBusSetModel (what each
// controller model accepts downstream) and virDomainPCIAddressFlagsCompatible (src/conf/domain_addr.c):
// "The device at PCI address %s cannot be plugged into the PCI controller with index='%d'. It requires
// a controller that accepts a %s." Only controllers the guest declares with their model are
// considered: an implicit root bus depends on the machine type.
// Every controller's index is read as virDomainControllerDefParseXML reads it (virXMLPropInt base 10,
// VIR_XML_PROP_NONNEGATIVE, src/util/virxml.c), any hypervisor: ' 1', '+1', '01' and '-0' are read,
// '0x1', '1e0', '1 ', '' and '-1' refuse the whole guest. A PCI controller's index is a bus number:
// virDomainControllerDefValidate (src/conf/domain_validate.c) refuses one above 255. The QEMU driver
// assigns PCI addresses first, adding a controller for every unused index below the highest, so
// there a large index is refused by that step instead, or makes the daemon abort: index='268435456'
// on a q35 guest ended qemu:///session's daemon ("End of file while reading data"), and
// index='2147483647' ends virsh's own test driver (GLib: "failed to allocate … bytes").
import type { XmlElement } from '../xml/types';
import { readAddress } from '../address';
import { formatPciAddress } from '../pci';
import { attribute, attributeSpan, attributeValue, firstChild, readSignedDecimal, rejects, type Report } from './common';
import { isQemuGuest, type Guest } from './guests';

/** The bus-creating controller models checked here, and the controller models that accept each. */
const ACCEPTED_BY: Record<string, readonly string[]> = {
  'pci-expander-bus': ['pci-root'],
  'pcie-expander-bus': ['pcie-root'],
  'dmi-to-pci-bridge': ['pcie-root', 'pcie-expander-bus'],
};

const isPciController = (d: XmlElement): boolean => d.name === 'controller' && attributeValue(d, 'type') === 'pci';

/** libvirt's refusal of a written controller index (virXMLPropInt's messages), or null when it reads it. */
export function controllerIndexError(raw: string): string | null {
  const value = readSignedDecimal(raw);
  if (value === null) return `XML error: Invalid value for attribute 'index' in element 'controller': '${raw}'. Expected integer value`;
  if (value < 0) return `XML error: Invalid value for attribute 'index' in element 'controller': '${raw}'. Expected non-negative value`;
  return null;
}

/** The highest PCI controller index libvirt accepts: PCI bus numbers are 8 bits. */
const MAX_PCI_CONTROLLER_INDEX = 255;

/** libvirt's refusal of a PCI controller index it reads but cannot use, or null. */
function pciControllerIndexError(value: number): string | null {
  return value > MAX_PCI_CONTROLLER_INDEX
    ? `unsupported configuration: PCI controller index ${value} too high, maximum is ${MAX_PCI_CONTROLLER_INDEX}`
    : null;
}

/** The index a controller states, as libvirt reads it; null when it states none (libvirt then assigns one) or one libvirt refuses. */
export function controllerIndex(controller: XmlElement): number | null {
  const raw = attributeValue(controller, 'index');
  if (raw === null) return null;
  const value = readSignedDecimal(raw);
  return value !== null && value >= 0 ? value : null;
}

export function checkControllerBuses(guests: readonly Guest[], report: Report): void {
  for (const guest of guests) checkControllerIndexes(guest, report);
  for (const guest of guests) {
    if (!guest.domain || !isQemuGuest(guest)) continue;
    const modelOfIndex = new Map<number, string>();
    for (const c of guest.devices.filter(isPciController)) {
      const index = controllerIndex(c);
      const model = attributeValue(c, 'model');
      if (index !== null && model) modelOfIndex.set(index, model);
    }
    for (const c of guest.devices.filter(isPciController)) {
      const model = attributeValue(c, 'model') ?? '';
      const accepted = ACCEPTED_BY[model];
      const address = accepted ? firstChild(c, 'address') : null;
      if (!address || attributeValue(address, 'type') !== 'pci') continue;
      const reading = readAddress(address, null, false);
      if (!reading.address || reading.empty) continue;
      const busModel = modelOfIndex.get(reading.address.bus);
      if (!busModel || accepted.includes(busModel)) continue;
      report.add(
        'guest-address-type',
        'error',
        address.nameSpan,
        rejects(
          `A ${model} cannot sit on the ${busModel} (bus ${reading.address.bus})`,
          `XML error: The device at PCI address ${formatPciAddress(reading.address)} cannot be plugged into the PCI controller with index='${reading.address.bus}'. It requires a controller that accepts a ${model}.`,
          `Plug it into ${accepted.map((m) => `the ${m}`).join(' or ')} (bus 0 is the root).`,
        ),
      );
    }
  }
}

function checkControllerIndexes(guest: Guest, report: Report): void {
  const devices = guest.devices;
  // indexed: a for-of over a thousand devices makes an object per step until V8 optimizes it
  for (let i = 0; i < devices.length; i++) {
    const c = devices[i];
    if (c.name !== 'controller') continue;
    const attr = attribute(c, 'index');
    if (!attr || attr.value === null) continue;
    const unread = controllerIndexError(attr.value);
    if (unread) {
      report.add(
        'controller-index',
        'error',
        attributeSpan(attr),
        rejects(
          `Controller index='${attr.value}' is not one libvirt reads (a decimal number from 0)`,
          unread,
          'Write a plain decimal number from 0 (libvirt reads the index base 10: no 0x, no trailing blank).',
        ),
      );
      continue;
    }
    const index = isPciController(c) ? controllerIndex(c) : null;
    const unusable = index !== null ? pciControllerIndexError(index) : null;
    if (!unusable) continue;
    report.add(
      'controller-index',
      'error',
      attributeSpan(attr),
      rejects(
        `PCI controller index='${attr.value}' is above ${MAX_PCI_CONTROLLER_INDEX}, the highest bus number`,
        unusable,
        `Use the next free index: it is the bus number devices name in <address bus>. With QEMU, libvirt first adds a PCI controller for every unused index below the highest, so it may refuse ` +
          `with "a PCI slot is needed to connect a PCI controller …" instead, and a very large one (268435456) can make the libvirt daemon abort.`,
      ),
    );
  }
}
