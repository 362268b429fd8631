// A PCI <address> as libvirt reads it (virPCIDeviceAddressParseXML): every number C strtoul base 0
// (pci.ts), an absent attribute is 0, bus/slot/function bounded by virPCIDeviceAddressIsValid. The
// one reading for the rules, hover, completion, code actions and the inventory's domain XML parser.
import { PCI_LIMITS, formatPciAddress, parsePciNumber, type PciAddress, type PciField, type PciNumber } from './pci';
import type { XmlAttribute, XmlElement } from './xml/types';

export interface AddressField {
  field: PciField;
  attr: XmlAttribute | null;
  /** null when the attribute is absent or has no value yet */
  parsed: PciNumber | null;
}

export interface AddressReading {
  element: XmlElement;
  fields: AddressField[];
  /** the numbers libvirt would use (absent = 0); null when a field does not parse or is out of range */
  address: PciAddress | null;
  /** canonical "DDDD:BB:SS.F" of `address` */
  canonical: string | null;
  /** every present number parsed and bus/slot/function are all written */
  complete: boolean;
  /** the address is all zeros: virPCIDeviceAddressIsEmpty */
  empty: boolean;
}

const NUMBER_CACHE_LIMIT = 4096;
const CANONICAL_CACHE_LIMIT = 65536;

/**
 * parsePciNumber and formatPciAddress, memoised: a large domain repeats the same few spellings
 * ('0x0000', '0x0b', '0x0') thousands of times, and a document and an inventory name the same VFs
 * again and again. Results are immutable, so sharing them is safe. One per language service.
 */
export class AddressCache {
  private readonly numbers = new Map<string, PciNumber>();
  private readonly canonicals = new Map<number, string>();
  /**
   * Guest-side readings per <address> element. An element's attributes never change under it: an
   * edit inside a device gives that device new elements (incremental.ts), so a reading stays true.
   */
  private guestReadings = new WeakMap<XmlElement, AddressReading>();

  /** Drops the readings kept per element (see ServiceCaches.forgetDocuments). */
  forgetReadings(): void {
    this.guestReadings = new WeakMap();
  }

  /** readAddress(element, this, false), once per element */
  guestReading(element: XmlElement): AddressReading {
    let reading = this.guestReadings.get(element);
    if (!reading) this.guestReadings.set(element, (reading = readAddress(element, this, false)));
    return reading;
  }

  number(raw: string): PciNumber {
    let parsed = this.numbers.get(raw);
    if (parsed === undefined) {
      parsed = parsePciNumber(raw);
      if (this.numbers.size < NUMBER_CACHE_LIMIT) this.numbers.set(raw, parsed);
    }
    return parsed;
  }

  canonical(a: PciAddress): string {
    const key = ((a.domain * 256 + a.bus) * 32 + a.slot) * 8 + a.function;
    let canonical = this.canonicals.get(key);
    if (canonical === undefined) {
      canonical = formatPciAddress(a);
      if (this.canonicals.size < CANONICAL_CACHE_LIMIT) this.canonicals.set(key, canonical);
    }
    return canonical;
  }
}

function field(field: PciField, attr: XmlAttribute | null, cache: AddressCache | null): AddressField {
  const parsed = attr && attr.value !== null ? (cache ? cache.number(attr.value) : parsePciNumber(attr.value)) : null;
  return { field, attr, parsed };
}

/** The number libvirt uses for a field (absent = 0), or -1 when it does not parse or is out of range. */
function numberOf(parsed: PciNumber | null, limit: number): number {
  if (!parsed) return 0;
  return parsed.ok && parsed.value <= limit ? parsed.value : -1;
}

/** Reads an <address> element's numbers; `withCanonical` false skips the canonical string (guest side). */
export function readAddress(element: XmlElement, cache: AddressCache | null = null, withCanonical = true): AddressReading {
  // one pass over the attributes (the first of each name, as libxml2's lookup): this runs twice per device
  let domainAttr: XmlAttribute | null = null;
  let busAttr: XmlAttribute | null = null;
  let slotAttr: XmlAttribute | null = null;
  let functionAttr: XmlAttribute | null = null;
  const attributes = element.attributes;
  for (let i = 0; i < attributes.length; i++) {
    const a = attributes[i];
    if (a.name === 'domain') domainAttr ??= a;
    else if (a.name === 'bus') busAttr ??= a;
    else if (a.name === 'slot') slotAttr ??= a;
    else if (a.name === 'function') functionAttr ??= a;
  }
  const fields: AddressField[] = [
    field('domain', domainAttr, cache),
    field('bus', busAttr, cache),
    field('slot', slotAttr, cache),
    field('function', functionAttr, cache),
  ];
  const domain = numberOf(fields[0].parsed, PCI_LIMITS.domain);
  const bus = numberOf(fields[1].parsed, PCI_LIMITS.bus);
  const slot = numberOf(fields[2].parsed, PCI_LIMITS.slot);
  const fn = numberOf(fields[3].parsed, PCI_LIMITS.function);
  const complete = fields[1].parsed !== null && fields[2].parsed !== null && fields[3].parsed !== null;
  const address: PciAddress | null = domain >= 0 && bus >= 0 && slot >= 0 && fn >= 0 ? { domain, bus, slot, function: fn } : null;
  const empty = address !== null && domain === 0 && bus === 0 && slot === 0 && fn === 0;
  return {
    element,
    fields,
    address,
    canonical: address && withCanonical ? (cache ? cache.canonical(address) : formatPciAddress(address)) : null,
    complete,
    empty,
  };
}

/** The canonical address written by attribute values from another parser (absent: undefined/null);
 *  null when libvirt would not read it or it is all zeros (virPCIDeviceAddressIsEmpty: no address). */
export function canonicalAddressOf(value: (field: PciField) => string | null | undefined): string | null {
  const numbers = [value('domain'), value('bus'), value('slot'), value('function')].map((raw) => {
    if (raw === null || raw === undefined) return 0;
    const parsed = parsePciNumber(raw);
    return parsed.ok ? parsed.value : -1;
  });
  const [domain, bus, slot, fn] = numbers;
  if (domain < 0 || bus < 0 || bus > PCI_LIMITS.bus || slot < 0 || slot > PCI_LIMITS.slot || fn < 0 || fn > PCI_LIMITS.function)
    return null;
  if (domain === 0 && bus === 0 && slot === 0 && fn === 0) return null;
  return formatPciAddress({ domain, bus, slot, function: fn });
}
