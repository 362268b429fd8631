// Shared plumbing for the rule families: how a rule reports, the two message forms every
// diagnostic uses (the problem first, then "define/attach fails" or "the guest fails to start"), the
// narrowest-span choice, and the host address read once per device (virPCIDeviceAddressParseXML).
import { parseMac } from '../mac';
import { PCI_LIMITS, formatPciAddress, parsePciNumber, type PciAddress, type PciField, type PciNumber } from '../pci';
import type { DeviceModel } from '../modelTypes';
import type { DiagnosticCode, Problem, Severity, Span } from '../types';
import type { XmlAttribute, XmlElement } from '../xml/types';
import { attr, attrValue } from '../xml/query';

/** Collects the problems of one validation run. */
export class Report {
  readonly problems: Problem[] = [];

  add(code: DiagnosticCode, severity: Severity, span: Span, message: string): void {
    this.problems.push({ code, severity, span, message });
  }
}

/*
 * Every message leads with the problem in the user's terms (a Problems row is cut at the panel's
 * width), then says when libvirt fails and quotes libvirt's own error text verbatim, then the advice.
 */

/** libvirt refuses the XML when define / attach-device parses it (layers 2 and 3 of libvirt-rules.md §0). */
export function rejects(problem: string, libvirtError: string, advice?: string): string {
  return withAdvice(`${problem} — define/attach fails; libvirt: "${libvirtError}"`, advice);
}

/** The XML passes define / attach --config, but the guest start (layer 4) refuses it. */
export function failsAtStart(problem: string, libvirtError: string, advice?: string): string {
  return withAdvice(`${problem} — the guest fails to start; libvirt: "${libvirtError}"`, advice);
}

function withAdvice(text: string, advice: string | undefined): string {
  return advice ? `${text}. ${advice}` : text;
}

// ---------------------------------------------------------------------------
// Tree access: the shared helpers of xml/query.ts, under the names the rules use.

export { attrValue as attributeValue, childElements as children, firstChild } from '../xml/query';

export function attribute(element: XmlElement, name: string): XmlAttribute | null {
  return attr(element, name) ?? null;
}

/**
 * The narrowest range for a diagnostic about an attribute: its value, or its name when the value is
 * empty or missing (an empty range would be invisible in an editor).
 */
export function attributeSpan(attr: XmlAttribute): Span {
  return attr.valueSpan && attr.valueSpan.end > attr.valueSpan.start ? attr.valueSpan : attr.nameSpan;
}

// ---------------------------------------------------------------------------
// Addresses as libvirt reads them

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
  const attr = attribute(element, field);
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

/** Everything the rules need about one device, computed once per validation. */
export interface DeviceFacts {
  device: DeviceModel;
  /** the host address, when the device has a <source><address> */
  host: AddressReading | null;
  /**
   * true when the host address names a PCI device as far as the parser goes: a plain <hostdev> always,
   * an interface only with type='pci' (usb/scsi/mdev sources are no PCI VF).
   */
  isPci: boolean;
}

export function deviceFacts(device: DeviceModel): DeviceFacts {
  const host = device.hostAddress ? readAddress(device.hostAddress) : null;
  const isPci = device.kind === 'hostdev' || (device.hostAddress !== null && attrValue(device.hostAddress, 'type') === 'pci');
  return { device, host, isPci };
}

/** The usable canonical host address of a device: parsed, in range, not all-zero, and PCI. */
export function hostCanonical(facts: DeviceFacts): string | null {
  if (!facts.isPci || !facts.host || facts.host.empty) return null;
  return facts.host.canonical;
}

// ---------------------------------------------------------------------------
// MACs as virMacAddrParse reads them

export interface MacReading {
  /** lower-case, two digits per octet (virMacAddrFormat) */
  normalized: string;
  multicast: boolean;
  zero: boolean;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const l = c | 0x20;
  return l >= 97 && l <= 102 ? l - 87 : -1;
}

/** parseMac with a fast path for the usual 'xx:xx:xx:xx:xx:xx' spelling; null when libvirt would not parse it. */
export function readMac(raw: string): MacReading | null {
  if (raw.length === 17) {
    let canonical = true;
    let upper = false;
    for (let i = 0; i < 17 && canonical; i++) {
      const c = raw.charCodeAt(i);
      canonical = i % 3 === 2 ? c === 58 : hexValue(c) >= 0;
      if (c >= 65 && c <= 70) upper = true;
    }
    if (canonical) {
      // most MACs are written in lower case already: no new string then
      const normalized = upper ? raw.toLowerCase() : raw;
      return { normalized, multicast: (hexValue(raw.charCodeAt(1)) & 1) === 1, zero: normalized === '00:00:00:00:00:00' };
    }
  }
  const parsed = parseMac(raw);
  if (!parsed.ok) return null;
  return { normalized: parsed.normalized, multicast: (parsed.octets[0] & 1) === 1, zero: parsed.octets.every((o) => o === 0) };
}
