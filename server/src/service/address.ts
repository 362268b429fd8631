// A PCI <address> as libvirt reads it (virPCIDeviceAddressParseXML): every number C strtoul base 0
// (pci.ts), an absent attribute is 0, bus/slot/function bounded by virPCIDeviceAddressIsValid. The
// one reading for the rules, hover, completion, code actions and the inventory's domain XML parser.
import { PCI_LIMITS, formatPciAddress, parsePciNumber, type PciAddress, type PciField, type PciNumber } from './pci';
import { attr as attrOf } from './xml/query';
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

/**
 * parsePciNumber, memoised by the raw text: a large domain repeats the same few spellings
 * ('0x0000', '0x0b', '0x0') thousands of times. Results are immutable, so sharing them is safe.
 */
const numberCache = new Map<string, PciNumber>();
const NUMBER_CACHE_LIMIT = 4096;

export function readPciNumber(raw: string): PciNumber {
  let parsed = numberCache.get(raw);
  if (parsed === undefined) {
    parsed = parsePciNumber(raw);
    if (numberCache.size < NUMBER_CACHE_LIMIT) numberCache.set(raw, parsed);
  }
  return parsed;
}

/** formatPciAddress, memoised by the numbers (a document and an inventory name the same VFs again and again). */
const canonicalCache = new Map<number, string>();
const CANONICAL_CACHE_LIMIT = 65536;

export function canonicalOf(a: PciAddress): string {
  const key = ((a.domain * 256 + a.bus) * 32 + a.slot) * 8 + a.function;
  let canonical = canonicalCache.get(key);
  if (canonical === undefined) {
    canonical = formatPciAddress(a);
    if (canonicalCache.size < CANONICAL_CACHE_LIMIT) canonicalCache.set(key, canonical);
  }
  return canonical;
}

function readField(element: XmlElement, field: PciField): AddressField {
  const attr = attrOf(element, field) ?? null;
  return { field, attr, parsed: attr && attr.value !== null ? readPciNumber(attr.value) : null };
}

/** The number libvirt uses for a field (absent = 0), or -1 when it does not parse or is out of range. */
function numberOf({ field, parsed }: AddressField): number {
  if (!parsed) return 0;
  return parsed.ok && parsed.value <= PCI_LIMITS[field] ? parsed.value : -1;
}

/** Reads an <address> element's numbers; `withCanonical` false skips the canonical string (guest side). */
export function readAddress(element: XmlElement, withCanonical = true): AddressReading {
  // one field at a time, no loop over PCI_FIELDS: this runs twice per device
  const fields: AddressField[] = [readField(element, 'domain'), readField(element, 'bus'), readField(element, 'slot'), readField(element, 'function')];
  const domain = numberOf(fields[0]);
  const bus = numberOf(fields[1]);
  const slot = numberOf(fields[2]);
  const fn = numberOf(fields[3]);
  const complete = fields[1].parsed !== null && fields[2].parsed !== null && fields[3].parsed !== null;
  const address: PciAddress | null = domain >= 0 && bus >= 0 && slot >= 0 && fn >= 0 ? { domain, bus, slot, function: fn } : null;
  const empty = address !== null && domain === 0 && bus === 0 && slot === 0 && fn === 0;
  return { element, fields, address, canonical: address && withCanonical ? canonicalOf(address) : null, complete, empty };
}

/** The canonical address written by attribute values from another parser (absent: undefined/null);
 *  null when libvirt would not read it or it is all zeros (virPCIDeviceAddressIsEmpty: no address). */
export function canonicalAddressOf(value: (field: PciField) => string | null | undefined): string | null {
  const numbers = [value('domain'), value('bus'), value('slot'), value('function')].map((raw) => {
    if (raw === null || raw === undefined) return 0;
    const parsed = readPciNumber(raw);
    return parsed.ok ? parsed.value : -1;
  });
  const [domain, bus, slot, fn] = numbers;
  if (domain < 0 || bus < 0 || bus > PCI_LIMITS.bus || slot < 0 || slot > PCI_LIMITS.slot || fn < 0 || fn > PCI_LIMITS.function) return null;
  if (domain === 0 && bus === 0 && slot === 0 && fn === 0) return null;
  return canonicalOf({ domain, bus, slot, function: fn });
}
