// Which PCI controller a bus-creating controller may be plugged into, for the three models whose
// place decides the guest's topology. Mirrors libvirt's virDomainPCIAddressBusSetModel (what each
// controller model accepts downstream) and virDomainPCIAddressFlagsCompatible (src/conf/domain_addr.c):
// "The device at PCI address %s cannot be plugged into the PCI controller with index='%d'. It requires
// a controller that accepts a %s." Only controllers the guest declares with their model are
// considered: an implicit root bus depends on the machine type.
import type { XmlElement } from '../xml/types';
import { readAddress } from '../address';
import { formatPciAddress } from '../pci';
import { attributeValue, firstChild, rejects, type Report } from './common';
import { isQemuGuest, type Guest } from './guests';

/** The bus-creating controller models checked here, and the controller models that accept each. */
const ACCEPTED_BY: Record<string, readonly string[]> = {
  'pci-expander-bus': ['pci-root'],
  'pcie-expander-bus': ['pcie-root'],
  'dmi-to-pci-bridge': ['pcie-root', 'pcie-expander-bus'],
};

const isPciController = (d: XmlElement): boolean => d.name === 'controller' && attributeValue(d, 'type') === 'pci';

export function checkControllerBuses(guests: readonly Guest[], report: Report): void {
  for (const guest of guests) {
    if (!guest.domain || !isQemuGuest(guest)) continue;
    const modelOfIndex = new Map<number, string>();
    for (const c of guest.devices.filter(isPciController)) {
      const index = Number((attributeValue(c, 'index') ?? '').trim());
      const model = attributeValue(c, 'model');
      if (Number.isInteger(index) && model) modelOfIndex.set(index, model);
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
