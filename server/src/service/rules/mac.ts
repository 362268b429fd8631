// <mac address='…'/> of an <interface type='hostdev'> (and of an <interface type='network'>, read by
// the same parser). Mirrors libvirt's
//  - virMacAddrParse (src/util/virmacaddr.c): six ':'-separated octets of 1–2 hex digits;
//  - the unicast check in virDomainNetDefParseXML (virMacAddrIsMulticast);
//  - virDomainNetGenerateMAC: no <mac> (or no address) → a generated 52:54:00:xx:xx:xx.
// Inside a plain <hostdev>, <mac> is ignored by the parser: elements.ts reports that instead.
import type { XmlElement } from '../xml/types';
import { readMac } from '../mac';
import { attribute, attributeSpan, attributeValue, firstChild, hasAttribute, rejects, type DeviceFacts, type Report } from './common';

export function checkMac(facts: DeviceFacts, report: Report): void {
  const { device } = facts;
  if (device.kind !== 'interface') return;
  checkMacElement(device.mac, device.element, report, { vf: true });
}

/**
 * The <mac> of an interface element: syntax and unicast always (the parser's rules); with `vf` (the
 * MAC is programmed into a VF) a missing or all-zero MAC too.
 */
export function checkMacElement(mac: XmlElement | null, iface: XmlElement, report: Report, check: { vf: boolean }): void {
  const raw = mac ? attributeValue(mac, 'address') : null;
  if (!mac || raw === null) {
    // A half-typed address= is an xml-syntax problem already; only a truly absent MAC gets the note.
    if ((mac && hasAttribute(mac, 'address')) || !check.vf) return;
    report.add(
      'mac-missing',
      'information',
      mac ? mac.nameSpan : iface.nameSpan,
      'No MAC address — libvirt generates one (52:54:00:xx:xx:xx) when the device is defined or attached and programs it ' +
        "into the VF, so it differs on every attach. Add <mac address='52:54:00:..:..:..'/> to keep it stable.",
    );
    return;
  }
  const parsed = readMac(raw);
  if (!parsed) {
    report.add(
      'mac-syntax',
      'error',
      attributeSpan(attribute(mac, 'address')!),
      rejects(
        `MAC '${raw}' is not a MAC address`,
        `XML error: unable to parse mac address '${raw}'`,
        "A MAC is six octets of one or two hex digits separated by ':', e.g. 52:54:00:6d:90:02.",
      ),
    );
    return;
  }
  if (parsed.multicast) {
    const first = parseInt(parsed.normalized.slice(0, 2), 16);
    report.add(
      'mac-multicast',
      'error',
      attributeSpan(attribute(mac, 'address')!),
      rejects(
        `MAC ${raw} is multicast`,
        `XML error: expected unicast mac address, found multicast '${raw}'`,
        `The lowest bit of the first octet (0x${first.toString(16).padStart(2, '0')}) marks a multicast address; use an even first octet such as 52.`,
      ),
    );
    return;
  }
  if (parsed.zero && check.vf) {
    report.add(
      'mac-zero',
      'warning',
      attributeSpan(attribute(mac, 'address')!),
      "All-zero MAC 00:00:00:00:00:00 — libvirt 9.0 keeps it (newer libvirt generates a new one instead): the VF's " +
        'MAC is cleared and the guest driver picks a random one, so it is not stable. Use a unicast address such as 52:54:00:xx:xx:xx.',
    );
  }
}

/**
 * How libvirt names an interface in its messages: its MAC as virMacAddrFormat writes it (lower case,
 * two digits an octet), or the 52:54:00:xx:xx:xx virDomainNetGenerateMAC makes when there is none.
 */
export function interfaceMacName(iface: XmlElement): string {
  const mac = firstChild(iface, 'mac');
  const raw = mac ? attributeValue(mac, 'address') : null;
  return (raw && readMac(raw)?.normalized) || '52:54:00:xx:xx:xx';
}
