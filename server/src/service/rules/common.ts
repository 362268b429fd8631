// Shared plumbing for the rule families: how a rule reports, the two message forms every
// diagnostic uses (the problem first, then "define/attach fails" or "the guest fails to start"), the
// narrowest-span choice, and the host address read once per device (virPCIDeviceAddressParseXML).
import { readAddress, type AddressCache, type AddressReading } from '../address';
import type { DeviceModel } from '../modelTypes';
import type { DiagnosticCode, Problem, Severity, Span } from '../types';
import type { XmlAttribute, XmlElement } from '../xml/types';
import { attr, attrValue } from '../xml/query';

// names in our own sentences are quoted as libvirt quotes them (one definition, shared with the client)
import { shortName } from '../../../../shared/quotedName';
export { nameList, quotedName, quotedNames, shortName } from '../../../../shared/quotedName';

/** Collects the problems of one validation run. */
export class Report {
  constructor(readonly problems: Problem[] = []) {}

  add(code: DiagnosticCode, severity: Severity, span: Span, message: string): void {
    this.problems.push({ code, severity, span, message });
  }

  addFinding(span: Span, finding: Finding): void {
    this.add(finding.code, finding.severity, span, finding.message);
  }
}

/**
 * A rule's verdict before it has a place in a document: the host-wide checks (readiness) show the
 * same finding a diagnostic would, with `problem` as its short form (the message's lead).
 */
export interface Finding {
  code: DiagnosticCode;
  severity: 'error' | 'warning';
  problem: string;
  message: string;
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

/** libvirt refuses a <network> document at `virsh net-define`. */
export function rejectsNetwork(problem: string, libvirtError: string, advice?: string): string {
  return withAdvice(`${problem} — net-define fails; libvirt: "${libvirtError}"`, advice);
}

/** The <network> is defined, but `virsh net-start` (or its autostart) refuses it. */
export function failsAtNetStart(problem: string, libvirtError: string, advice?: string): string {
  return withAdvice(`${problem} — net-start fails; libvirt: "${libvirtError}"`, advice);
}

/** virHostdevIsPCINodeDeviceUsed's error: a guest starts with a PCI device another running guest holds. */
export function pciDeviceInUse(canonical: string, guestName: string): string {
  return `Requested operation is not valid: PCI device ${canonical} is in use by driver QEMU, domain ${shortName(guestName)}`;
}

function withAdvice(text: string, advice: string | undefined): string {
  return advice ? `${text}. ${advice}` : text;
}

// ---------------------------------------------------------------------------
// Tree access: the shared helpers of xml/query.ts, under the names the rules use.

// attributeValue and hasAttribute make no attribute object (xml/nodes.ts): a rule reads them first and
// asks attribute() only for what it reports
export {
  attrValue as attributeValue,
  attributeCount,
  childElements as children,
  firstChild,
  hasAttribute,
  hasAttributeIn,
  rootOf,
} from '../xml/query';

export function attribute(element: XmlElement, name: string): XmlAttribute | null {
  return attr(element, name) ?? null;
}

/** Whether some direct child has one of `names`: the quick test that lets a rule leave a usual device alone. */
export function hasChildIn(element: XmlElement, names: ReadonlySet<string>): boolean {
  const children = element.children;
  for (let i = 0; i < children.length; i++) if (names.has(children[i].name)) return true;
  return false;
}

/**
 * The narrowest range for a diagnostic about an attribute: its value, or its name when the value is
 * empty or missing (an empty range would be invisible in an editor).
 */
export function attributeSpan(attr: XmlAttribute): Span {
  // spans are made when read: read each once
  const value = attr.valueSpan;
  return value && value.end > value.start ? value : attr.nameSpan;
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
  /** the guest-side address, when the device has one with type='pci' (its numbers; no canonical string) */
  guest: AddressReading | null;
}

/**
 * `cache`: the language service's, or one made for a single validation; with it, the guest-side reading
 * is the one the document-wide address rules get for the same element (AddressCache.guestReading).
 */
export function deviceFacts(device: DeviceModel, cache: AddressCache | null = null): DeviceFacts {
  const host = device.hostAddress ? readAddress(device.hostAddress, cache) : null;
  const isPci = device.kind === 'hostdev' || (device.hostAddress !== null && attrValue(device.hostAddress, 'type') === 'pci');
  const guestAddress = device.guestAddress;
  const guest =
    guestAddress && attrValue(guestAddress, 'type') === 'pci'
      ? cache
        ? cache.guestReading(guestAddress)
        : readAddress(guestAddress, null, false)
      : null;
  return { device, host, isPci, guest };
}

/** The usable canonical host address of a device: parsed, in range, not all-zero, and PCI. */
export function hostCanonical(facts: DeviceFacts): string | null {
  if (!facts.isPci || !facts.host || facts.host.empty) return null;
  return facts.host.canonical;
}

// ---------------------------------------------------------------------------
// Numbers as libvirt reads them

/**
 * virStrToLong_uip base 10, as virXMLPropUInt reads <boot order>, <acpi index> and a VLAN <tag id>:
 * strtoul over the whole value (leading blanks and one '+' allowed, nothing after the digits), no
 * '-', at most UINT_MAX; null when libvirt refuses the value.
 */
export function readDecimal(raw: string): number | null {
  let i = 0;
  while (i < raw.length && (raw.charCodeAt(i) === 32 || (raw.charCodeAt(i) >= 9 && raw.charCodeAt(i) <= 13))) i++;
  if (raw.charCodeAt(i) === 43) i++; // '+'
  if (i >= raw.length) return null;
  let value = 0;
  for (; i < raw.length; i++) {
    const d = raw.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return null;
    value = value * 10 + d;
  }
  return value <= 0xffffffff ? value : null;
}

export { readUuid } from '../../../../shared/uuid';

const U64_MAX = (1n << 64n) - 1n;
const UNSIGNED_DECIMAL = /^[ \t\n\v\f\r]*\+?([0-9]+)$/;

/**
 * virStrToLong_ulp / virStrToLong_ullp base 10 (an unsigned long on a 64-bit host, as <bridge delay>
 * and memory sizes are read): leading blanks and one '+' allowed, nothing after the digits, no '-',
 * at most 2^64-1; null when libvirt refuses the value.
 */
export function readUnsignedLong(raw: string): bigint | null {
  const m = UNSIGNED_DECIMAL.exec(raw);
  const value = m ? BigInt(m[1]) : null;
  return value !== null && value <= U64_MAX ? value : null;
}

const WRAPPING_DECIMAL = /^[ \t\n\v\f\r]*([+-]?)([0-9]+)$/;

/**
 * virStrToLong_ui base 10, as the network parser reads <mtu size>: leading blanks, one sign, digits
 * only, at most UINT_MAX either way ('-5' wraps to a large size); null when the parser refuses it.
 */
export function readWrappingUnsignedInt(raw: string): bigint | null {
  const m = WRAPPING_DECIMAL.exec(raw);
  if (!m) return null;
  const magnitude = BigInt(m[2]);
  if (magnitude > 0xffffffffn) return null;
  return m[1] === '-' && magnitude > 0n ? 0x100000000n - magnitude : magnitude;
}

/**
 * virStrToLong_i base 10, as virXMLPropInt reads <controller index>: strtol over the whole value
 * (leading blanks and one '+' or '-' allowed, nothing after the digits), INT_MIN..INT_MAX; null when
 * libvirt refuses the value. '-0' is 0; the caller decides whether a negative value is allowed.
 */
export function readSignedDecimal(raw: string): number | null {
  let i = 0;
  while (i < raw.length && (raw.charCodeAt(i) === 32 || (raw.charCodeAt(i) >= 9 && raw.charCodeAt(i) <= 13))) i++;
  let sign = 1;
  if (raw.charCodeAt(i) === 43)
    i++; // '+'
  else if (raw.charCodeAt(i) === 45) {
    sign = -1; // '-'
    i++;
  }
  if (i >= raw.length) return null;
  let value = 0;
  for (; i < raw.length; i++) {
    const d = raw.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return null;
    // past INT_MAX + 1 it is out of range either way; stop growing so the sum stays exact
    if (value <= 0x80000000) value = value * 10 + d;
  }
  if (sign < 0) return value <= 0x80000000 ? (value === 0 ? 0 : -value) : null;
  return value <= 0x7fffffff ? value : null;
}
