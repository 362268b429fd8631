// The XML that "Insert SR-IOV Interface" writes and the SR-IOV view attaches: a full
// <interface type='hostdev' managed='yes'> for one VF, with a MAC no guest of the host and no device
// of the document uses (libvirt would otherwise program a duplicate MAC on the VF through the PF:
// virDomainNetDefParseXML accepts it, the guests then clash on the wire).
import { buildDocumentModel } from './model';
import { freshMac } from './mac';
import { parseCanonicalAddress, pciAddressElement } from './pci';
import { takenMacs } from './featureSupport';
import type { ServiceContext } from './types';

export interface InterfaceLayout {
  /** indentation of every line after the first (the insertion line's own), default '' */
  indent?: string;
  /** one level of indentation, default two spaces */
  unit?: string;
}

/**
 * `text` is the document the interface goes into (its MACs are avoided), or null when there is none.
 * Null when `address` is not a canonical DDDD:BB:SS.F.
 */
export function newInterfaceXml(text: string | null, address: string, ctx: ServiceContext, layout: InterfaceLayout = {}): { xml: string; mac: string } | null {
  const pci = parseCanonicalAddress(address);
  if (!pci) return null;
  const mac = freshMac(takenMacs(buildDocumentModel(text ?? ''), ctx), ctx.random);
  const indent = layout.indent ?? '';
  const unit = layout.unit ?? '  ';
  const xml = [
    "<interface type='hostdev' managed='yes'>",
    `${unit}<mac address='${mac}'/>`,
    `${unit}<source>`,
    `${unit}${unit}${pciAddressElement(pci)}`,
    `${unit}</source>`,
    '</interface>',
  ].join(`\n${indent}`);
  return { xml, mac };
}
