// The host side of a device: <source><address type='pci' domain bus slot function/>.
// Mirrors libvirt's
//  - virDomainNetDefParseXML (reads ./source/address/@type for <interface type='hostdev'>) and
//    virDomainHostdevDefParseXML ("Missing <source> element in hostdev device");
//  - virPCIDeviceAddressParseXML → virXMLPropUInt(base 0) → virStrToLong_uip (C strtoul base 0);
//  - virPCIDeviceAddressIsValid (bus/slot/function limits) and virPCIDeviceAddressIsEmpty;
//  - virPCIDeviceAddressParseXML's virXMLPropTristateSwitch(multifunction, NONZERO): only on/off.
// A plain <hostdev>'s source address has no `type` (the type is on <hostdev>), so the type rule is
// for interfaces only; every number rule applies to both.
import { PCI_LIMITS, formatPciField, type PciField } from '../pci';
import type { XmlElement } from '../xml/types';
import type { AddressReading } from '../address';
import {
  attribute,
  attributeSpan,
  attributeValue,
  failsAtStart,
  firstChild,
  rejects,
  rootOf,
  type DeviceFacts,
  type Report,
} from './common';
import { archOf } from './guests';
import type { DocumentModel } from '../modelTypes';

/** Host address types the parser accepts for <interface type='hostdev'> (virDomainHostdevSubsysType). */
const PARSED_SOURCE_TYPES = new Set(['pci', 'usb', 'scsi', 'scsi_host', 'mdev']);

export function checkSourceAddress(facts: DeviceFacts, model: DocumentModel, report: Report): void {
  const { device, host } = facts;
  if (!device.source || !device.hostAddress || !host) {
    reportMissingSource(facts, report);
    return;
  }
  if (device.kind === 'interface') checkSourceType(facts, report);
  // A usb/scsi source has other attributes (bus/device); only PCI numbers follow these rules.
  if (!facts.isPci && device.kind === 'interface' && attribute(device.hostAddress, 'type')) return;
  checkAddressNumbers(host, report, HOST_SIDE);
  checkMultifunction(host.element, report);
  // the zPCI test reads the guest's <os>: only when there is something to say
  if (incompleteOrEmpty(host) && !isZpci(facts, model)) checkIncompleteOrEmpty(host, report);
}

/**
 * multifunction is read with virXMLPropTristateSwitch(…, VIR_XML_PROP_NONZERO): exactly 'on' or 'off'
 * ('yes', 'ON', 'default' and '' are refused), on the host and the guest side alike, and in a
 * hostdev pool's <address> list (`verdict` rejectsNetwork).
 */
export function checkMultifunction(address: XmlElement, report: Report, verdict: typeof rejects = rejects): void {
  const written = attributeValue(address, 'multifunction');
  if (written === null || written === 'on' || written === 'off') return;
  const mf = attribute(address, 'multifunction')!;
  const hint = mf.value === 'yes' || mf.value === 'no' ? `Write '${mf.value === 'yes' ? 'on' : 'off'}'.` : "Write 'on' or 'off'.";
  report.add(
    'address-multifunction',
    'error',
    attributeSpan(mf),
    verdict(
      `multifunction='${mf.value}' is not on/off`,
      `XML error: Invalid value for attribute 'multifunction' in element '${address.name}': '${mf.value}'.`,
      hint,
    ),
  );
}

function reportMissingSource(facts: DeviceFacts, report: Report): void {
  const { device } = facts;
  const span = device.element.nameSpan;
  if (device.kind === 'interface') {
    // virDomainNetDefParseXML reads the type of ./source/address first: no address, no type.
    report.add(
      'source-missing',
      'error',
      span,
      rejects(
        'No host address: the interface names no VF',
        'XML error: missing source address type',
        "Add <source><address type='pci' domain='0x0000' bus='0x..' slot='0x..' function='0x.'/></source> with the VF's host address.",
      ),
    );
  } else if (!device.source) {
    report.add(
      'source-missing',
      'error',
      span,
      rejects(
        'No <source>: the hostdev names no device',
        'XML error: Missing <source> element in hostdev device',
        "Add <source><address domain='0x0000' bus='0x..' slot='0x..' function='0x.'/></source>.",
      ),
    );
  } else {
    // <source/> without <address>: the parser keeps an all-zero address; only the start fails.
    report.add(
      'source-missing',
      'error',
      span,
      failsAtStart(
        'No host address in <source>: it is read as 0000:00:00.0',
        'Invalid PCI address 0000:00:00, at least one of domain, bus, or slot must be > 0',
        "Add <address domain='0x0000' bus='0x..' slot='0x..' function='0x.'/> inside <source>.",
      ),
    );
  }
}

function checkSourceType(facts: DeviceFacts, report: Report): void {
  const address = facts.device.hostAddress!;
  if (attributeValue(address, 'type') === 'pci') return;
  const typeAttr = attribute(address, 'type') ?? null;
  const type = typeAttr?.value ?? null;
  if (typeAttr === null || type === null) {
    report.add(
      'source-address-type',
      'error',
      typeAttr ? typeAttr.nameSpan : address.nameSpan,
      rejects('Host address without a type', 'XML error: missing source address type', "An SR-IOV VF needs type='pci'."),
    );
  } else if (!PARSED_SOURCE_TYPES.has(type)) {
    report.add(
      'source-address-type',
      'error',
      attributeSpan(typeAttr),
      rejects(
        `Unknown host address type '${type}'`,
        `unsupported configuration: unknown host device source address type '${type}'`,
        "An SR-IOV VF needs type='pci'.",
      ),
    );
  } else {
    // virHostdevIsPCINetDevice: only PCI hostdev interfaces get a VF's network config.
    report.add(
      'source-address-type',
      'error',
      attributeSpan(typeAttr),
      `Host address type='${type}' is no SR-IOV VF — it parses, but <interface type='hostdev'> needs a VF with type='pci': ` +
        `the device is not set up as a network interface when the guest starts.`,
    );
  }
}

export interface NumberCheckOptions {
  /** give the pci-decimal hint (host side only: a guest slot written in decimal is rarely a slip) */
  hints: boolean;
}

export const HOST_SIDE: NumberCheckOptions = { hints: true };
export const GUEST_SIDE: NumberCheckOptions = { hints: false };

const LEADING_PLUS = /^\+/;
const LEADING_ZEROS = /^0+/;
const POSITIVE_DECIMAL = /^\+?[1-9][0-9]*$/;
const HEX_DIGITS = /^[0-9a-fA-F]+$/;

/** pci-number, pci-range, pci-octal, pci-decimal for each written field of an address element. */
export function checkAddressNumbers(reading: AddressReading, report: Report, options: NumberCheckOptions): void {
  // the usual case, hex numbers in range, reports nothing: leave before building anything
  if (reading.plainHex) return;
  const elementName = reading.element.name;
  const fields = reading.fields;
  for (let i = 0; i < fields.length; i++) {
    const { field, attr, parsed } = fields[i];
    if (!attr || attr.value === null || !parsed) continue;
    const raw = attr.value;
    const value = parsed.ok ? parsed.value : -1;
    // the usual case, a hex number in range, reports nothing: leave before building anything
    if (parsed.ok && parsed.base === 'hex' && value <= PCI_LIMITS[field]) continue;
    const span = attributeSpan(attr);
    if (!parsed.ok) {
      report.add(
        'pci-number',
        'error',
        span,
        rejects(
          `${field}='${raw}' is not a number libvirt reads`,
          `XML error: Invalid value for attribute '${field}' in element '${elementName}': '${raw}'. Expected non-negative integer value`,
          numberHint(raw),
        ),
      );
      continue;
    }
    if (value > PCI_LIMITS[field]) {
      report.add('pci-range', 'error', span, rejects(`${field}='${raw}' is out of range`, `XML error: ${rangeText(field, value)}`));
      continue;
    }
    const trimmed = raw.trim().replace(LEADING_PLUS, '');
    if (parsed.base === 'octal') {
      const decimal = parseInt(trimmed, 10);
      // '00', '07', '0000': octal and decimal agree, so the leading zero changes nothing.
      if (decimal !== value) {
        report.add(
          'pci-octal',
          'warning',
          span,
          `${field}='${raw}' is octal — libvirt reads ${value} (${formatPciField(field, value)}), not ${decimal}. ` +
            `Write ${formatPciField(field, value)} if ${value} is meant, ${formatPciField(field, decimal)} if decimal ${decimal} was meant, ` +
            `or 0x${trimmed.replace(LEADING_ZEROS, '') || '0'} if it was hex.`,
        );
      }
    } else if (parsed.base === 'decimal' && options.hints && value >= 10) {
      // Below 10 decimal and hex read the same; from 10 on, `bus='11'` is easily meant as 0x11.
      report.add(
        'pci-decimal',
        'hint',
        span,
        `${field}='${raw}' is decimal ${value} = ${formatPciField(field, value)} — libvirt reads plain digits as decimal; ` +
          `write ${formatPciField(field, value)} to make that explicit, or 0x${trimmed} if hex was meant.`,
      );
    }
  }
}

/** The rendered virPCIDeviceAddressIsValid messages (note: no quotes around the function value). */
function rangeText(field: PciField, value: number): string {
  const hex = value.toString(16);
  if (field === 'bus') return `Invalid PCI address bus='0x${hex}', must be <= 0xFF`;
  if (field === 'slot') return `Invalid PCI address slot='0x${hex}', must be <= 0x1F`;
  return `Invalid PCI address function=0x${hex}, must be <= 7`;
}

function numberHint(raw: string): string {
  const s = raw.trim();
  if (POSITIVE_DECIMAL.test(s)) return 'The number is larger than an unsigned int (4294967295).';
  if (HEX_DIGITS.test(s)) return `Hex needs the 0x prefix: write '0x${s.toLowerCase()}'.`;
  if (s.startsWith('-')) return 'Negative numbers are not allowed.';
  return 'Use a hex number like 0x0b.';
}

/**
 * A zPCI device (s390x) is commonly 0000:00:00.0 on the host, in its own PCI domain or not: libvirt never
 * warns about a host address, and for zPCI this one is real.
 */
function isZpci(facts: DeviceFacts, model: DocumentModel): boolean {
  const guestAddress = facts.device.guestAddress;
  if (guestAddress && firstChild(guestAddress, 'zpci')) return true;
  const root = rootOf(model.xml.roots, facts.device.element);
  const arch = root.name === 'domain' ? archOf({ domain: root, devices: [] }) : null;
  return arch !== null && arch.startsWith('s390');
}

/** bus or slot not written, or the address all zeros: what checkIncompleteOrEmpty reports */
function incompleteOrEmpty(reading: AddressReading): boolean {
  return !reading.busAndSlot || reading.empty;
}

function checkIncompleteOrEmpty(reading: AddressReading, report: Report): void {
  // a missing domain or function is 0, as meant; a missing bus or slot rarely is
  const missing = reading.fields
    .filter((f) => (f.field === 'bus' || f.field === 'slot') && (!f.attr || f.attr.value === null))
    .map((f) => f.field);
  const span = reading.element.nameSpan;
  if (missing.length > 0) {
    report.add(
      'pci-zero',
      'warning',
      span,
      `The host address has no ${missing.join(', ')} — libvirt reads a missing number as 0 and accepts it, ` +
        `so this names ${reading.canonical ?? 'another device'} and the guest fails to start unless that is the VF meant.`,
    );
  } else if (reading.empty) {
    report.add(
      'pci-zero',
      'warning',
      span,
      failsAtStart(
        'Host address 0000:00:00.0 is empty',
        'Invalid PCI address 0000:00:00, at least one of domain, bus, or slot must be > 0',
        "Fill in the VF's host address.",
      ),
    );
  }
}
