// Document-wide uniqueness. Mirrors libvirt's
//  - virDomainDefHostdevValidate → virDomainHostdevMatch (src/conf/domain_validate.c): the same host
//    PCI address twice (interface+interface, interface+hostdev, hostdev+hostdev) is rejected at
//    define, compared as numbers ('3' equals '0x03'). `attach-device --config` of an <interface>
//    does not run that check, so there the duplicate is written and the start fails instead;
//  - MACs: libvirt does not reject a MAC used twice in one domain, but virDomainNetFindIdx then
//    fails detach-by-MAC ("multiple devices matching MAC address %s found").
import type { DocumentModel } from '../modelTypes';
import type { XmlElement } from '../xml/types';
import { attribute, attributeSpan, children, firstChild, readMac, rejects, type DeviceFacts, type Report } from './common';

export function checkDuplicateAddresses(facts: readonly DeviceFacts[], report: Report): void {
  const byAddress = new Map<string, DeviceFacts[]>();
  for (const f of facts) {
    // All-zero addresses count too: libvirt matches two empty addresses as the same device.
    const canonical = f.isPci && f.host ? f.host.canonical : null;
    if (!canonical) continue;
    const list = byAddress.get(canonical);
    if (list) list.push(f);
    else byAddress.set(canonical, [f]);
  }
  for (const [canonical, list] of byAddress) {
    if (list.length < 2) continue;
    for (const f of list) {
      report.add('pci-duplicate', 'error', f.device.hostAddress!.nameSpan,
        `Host PCI address ${canonical} is assigned ${list.length} times in this document. ` +
        rejects('XML error: Hostdev already exists in the domain configuration') +
        ' (attach-device --config of an <interface> does not check this, and the guest then fails to start). A VF can be assigned once.');
    }
  }
}

/** Every <mac> of an <interface> in the document: the hostdev devices and, in a <domain>, all its interfaces. */
function interfaceMacs(model: DocumentModel): XmlElement[] {
  const seen = new Set<XmlElement>();
  const macs: XmlElement[] = [];
  const add = (iface: XmlElement): void => {
    const mac = firstChild(iface, 'mac');
    if (mac && !seen.has(mac)) {
      seen.add(mac);
      macs.push(mac);
    }
  };
  for (const d of model.devices) if (d.kind === 'interface') add(d.element);
  if (model.domain) {
    for (const devices of children(model.domain, 'devices')) for (const iface of children(devices, 'interface')) add(iface);
  }
  return macs;
}

export function checkDuplicateMacs(model: DocumentModel, report: Report): void {
  const byMac = new Map<string, XmlElement[]>();
  for (const mac of interfaceMacs(model)) {
    const raw = attribute(mac, 'address')?.value;
    const normalized = raw ? readMac(raw)?.normalized : undefined;
    if (!normalized) continue;
    const list = byMac.get(normalized);
    if (list) list.push(mac);
    else byMac.set(normalized, [mac]);
  }
  for (const [normalized, list] of byMac) {
    if (list.length < 2) continue;
    for (const mac of list) {
      report.add('mac-duplicate', 'warning', attributeSpan(attribute(mac, 'address')!),
        `MAC ${normalized} is used by ${list.length} interfaces in this document. libvirt accepts it, but both ends of the link ` +
        `see the same MAC and virsh detach-device by MAC fails: multiple devices matching MAC address ${normalized} found.`);
    }
  }
}
