// A PCI <address> as libvirt reads it (virPCIDeviceAddressParseXML): every number C strtoul base 0
// (pci.ts), an absent attribute is 0, bus/slot/function bounded by virPCIDeviceAddressIsValid. The
// one reading for the rules, hover, completion, code actions and the inventory's domain XML parser.
import { PCI_LIMITS, formatPciAddress, parsePciNumber, type PciAddress, type PciField, type PciNumber } from './pci';
import type { XmlAttribute, XmlElement } from './xml/types';
import { attr, attrValue } from './xml/query';

export interface AddressField {
  field: PciField;
  attr: XmlAttribute | null;
  /** null when the attribute is absent or has no value yet */
  parsed: PciNumber | null;
}

export interface AddressReading {
  readonly element: XmlElement;
  /** domain, bus, slot, function */
  readonly fields: readonly AddressField[];
  /** the numbers libvirt would use (absent = 0); null when a field does not parse or is out of range */
  readonly address: PciAddress | null;
  /** canonical "DDDD:BB:SS.F" of `address` */
  readonly canonical: string | null;
  /** every present number parsed and bus/slot/function are all written */
  readonly complete: boolean;
  /** the address is all zeros: virPCIDeviceAddressIsEmpty */
  readonly empty: boolean;
  /** every written number is hex (0x…) and in range: what nearly every address is, with nothing to say about its numbers */
  readonly plainHex: boolean;
  /** bus and slot are both written (with a value) */
  readonly busAndSlot: boolean;
}

/**
 * One object per reading, its `fields` made only when read: a large domain has two readings per
 * device, and the rules read the fields only of an address with something to report. The numbers are
 * fields of the reading itself, which is also its own `address` (no second object), and what is
 * derived from them is worked out when asked: the readings of a large domain are kept, and every
 * object kept, and every field of it, is copied by the garbage collector.
 */
class Reading implements AddressReading, PciAddress {
  declare readonly element: XmlElement;
  /** set by readAddress once the numbers are known (null on the guest side) */
  canonical: string | null;
  /** the numbers libvirt uses (absent = 0); -1 when the field does not parse or is out of range */
  declare readonly domain: number;
  declare readonly bus: number;
  declare readonly slot: number;
  declare readonly function: number;
  declare private readonly domainNumber: PciNumber | null;
  declare private readonly busNumber: PciNumber | null;
  declare private readonly slotNumber: PciNumber | null;
  declare private readonly functionNumber: PciNumber | null;

  constructor(
    element: XmlElement,
    domainNumber: PciNumber | null,
    busNumber: PciNumber | null,
    slotNumber: PciNumber | null,
    functionNumber: PciNumber | null,
  ) {
    this.element = element;
    this.domainNumber = domainNumber;
    this.busNumber = busNumber;
    this.slotNumber = slotNumber;
    this.functionNumber = functionNumber;
    this.domain = numberOf(domainNumber, PCI_LIMITS.domain);
    this.bus = numberOf(busNumber, PCI_LIMITS.bus);
    this.slot = numberOf(slotNumber, PCI_LIMITS.slot);
    this.function = numberOf(functionNumber, PCI_LIMITS.function);
    this.canonical = null;
  }

  get address(): PciAddress | null {
    return this.domain >= 0 && this.bus >= 0 && this.slot >= 0 && this.function >= 0 ? this : null;
  }

  get complete(): boolean {
    return this.busNumber !== null && this.slotNumber !== null && this.functionNumber !== null;
  }

  get empty(): boolean {
    return this.domain === 0 && this.bus === 0 && this.slot === 0 && this.function === 0;
  }

  get plainHex(): boolean {
    return (
      isPlainHex(this.domainNumber, PCI_LIMITS.domain) &&
      isPlainHex(this.busNumber, PCI_LIMITS.bus) &&
      isPlainHex(this.slotNumber, PCI_LIMITS.slot) &&
      isPlainHex(this.functionNumber, PCI_LIMITS.function)
    );
  }

  get busAndSlot(): boolean {
    return this.busNumber !== null && this.slotNumber !== null;
  }

  /**
   * Made each time it is read, not kept: the attribute objects are made for it (xml/nodes.ts), and a
   * kept reading (AddressCache.guestReading) would keep their offsets when an edit before the
   * element moves it.
   */
  get fields(): readonly AddressField[] {
    return [
      { field: 'domain', attr: attr(this.element, 'domain') ?? null, parsed: this.domainNumber },
      { field: 'bus', attr: attr(this.element, 'bus') ?? null, parsed: this.busNumber },
      { field: 'slot', attr: attr(this.element, 'slot') ?? null, parsed: this.slotNumber },
      { field: 'function', attr: attr(this.element, 'function') ?? null, parsed: this.functionNumber },
    ];
  }
}

function isPlainHex(parsed: PciNumber | null, limit: number): boolean {
  return parsed === null || (parsed.ok && parsed.base === 'hex' && parsed.value <= limit);
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
    const key = pciAddressNumber(a);
    let canonical = this.canonicals.get(key);
    if (canonical === undefined) {
      canonical = formatPciAddress(a);
      if (this.canonicals.size < CANONICAL_CACHE_LIMIT) this.canonicals.set(key, canonical);
    }
    return canonical;
  }
}

/**
 * An address whose bus, slot and function are in range (a reading's `address`) as one number, for maps
 * keyed by address without a string per address; pciAddressOfNumber reads it back.
 */
export function pciAddressNumber(a: PciAddress): number {
  return ((a.domain * 256 + a.bus) * 32 + a.slot) * 8 + a.function;
}

export function pciAddressOfNumber(n: number): PciAddress {
  return { domain: Math.floor(n / 65536), bus: Math.floor(n / 256) % 256, slot: Math.floor(n / 8) % 32, function: n % 8 };
}

function numberOfValue(value: string | null, cache: AddressCache | null): PciNumber | null {
  return value !== null ? (cache ? cache.number(value) : parsePciNumber(value)) : null;
}

/** The number libvirt uses for a field (absent = 0), or -1 when it does not parse or is out of range. */
function numberOf(parsed: PciNumber | null, limit: number): number {
  if (!parsed) return 0;
  return parsed.ok && parsed.value <= limit ? parsed.value : -1;
}

/** Reads an <address> element's numbers; `withCanonical` false skips the canonical string (guest side). */
export function readAddress(element: XmlElement, cache: AddressCache | null = null, withCanonical = true): AddressReading {
  // the first attribute of each name, as libxml2's lookup; read without attribute objects (nodes.ts)
  const domainNumber = numberOfValue(attrValue(element, 'domain'), cache);
  const busNumber = numberOfValue(attrValue(element, 'bus'), cache);
  const slotNumber = numberOfValue(attrValue(element, 'slot'), cache);
  const functionNumber = numberOfValue(attrValue(element, 'function'), cache);
  const reading = new Reading(element, domainNumber, busNumber, slotNumber, functionNumber);
  const address = withCanonical ? reading.address : null;
  if (address !== null) reading.canonical = cache ? cache.canonical(address) : formatPciAddress(address);
  return reading;
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
