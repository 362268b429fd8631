// Document-wide uniqueness. Mirrors libvirt's
//  - virDomainDefHostdevValidate → virDomainHostdevMatch (src/conf/domain_validate.c): the same host
//    PCI address twice (interface+interface, interface+hostdev, hostdev+hostdev) is rejected at
//    define, compared as numbers ('3' equals '0x03'). `attach-device --config` of an <interface>
//    does not run that check, so there the duplicate is written and the start fails instead;
//  - MACs: libvirt does not reject a MAC used twice in one domain, but virDomainNetFindIdx then
//    fails detach-by-MAC ("multiple devices matching MAC address %s found");
//  - virDomainDefBootOrderPostParse → virDomainDefCollectBootOrder ("boot order '%s' used for more
//    than one device") and virDomainDefValidateAliases ("non unique alias detected: %s"), across all
//    devices of the domain, disks included.
import type { DocumentModel } from '../modelTypes';
import type { XmlElement } from '../xml/types';
import { attribute, attributeSpan, attributeValue, children, readMac, rejects, type DeviceFacts, type Report } from './common';

export function checkDuplicateAddresses(facts: readonly DeviceFacts[], report: Report): void {
  // All-zero addresses count too: libvirt matches two empty addresses as the same device.
  for (const [canonical, list] of repeated(facts, (f) => (f.isPci && f.host ? f.host.canonical || null : null))) {
    for (const f of list) {
      report.add('pci-duplicate', 'error', f.device.hostAddress!.nameSpan,
        rejects(`Host PCI address ${canonical} is assigned ${list.length} times in this document`,
          'XML error: Hostdev already exists in the domain configuration',
          'attach-device --config of an <interface> does not check this, and the guest then fails to start. A VF can be assigned once.'));
    }
  }
}

/** The first <mac>, <boot> and <alias> of every device in the document, gathered in one loop over the devices. */
export interface DeviceChildren {
  /** of <interface>s: the hostdev devices and, in a <domain>, all its interfaces */
  macs: XmlElement[];
  /** of any device: in a <domain> all of <devices>, in a snippet its top-level elements and hostdev devices */
  boots: XmlElement[];
  aliases: XmlElement[];
}

export function collectDeviceChildren(model: DocumentModel): DeviceChildren {
  const seen = new Set<XmlElement>();
  const result: DeviceChildren = { macs: [], boots: [], aliases: [] };
  const add = (device: XmlElement): void => {
    if (seen.has(device)) return;
    seen.add(device);
    // libvirt reads the first of each (./mac, ./boot, ./alias)
    let mac = device.name !== 'interface';
    let boot = false;
    let alias = false;
    for (const child of device.children) {
      if (!mac && child.name === 'mac') {
        mac = true;
        result.macs.push(child);
      } else if (!boot && child.name === 'boot') {
        boot = true;
        result.boots.push(child);
      } else if (!alias && child.name === 'alias') {
        alias = true;
        result.aliases.push(child);
      }
    }
  };
  for (const d of model.devices) add(d.element);
  if (model.domain) {
    for (const devices of children(model.domain, 'devices')) for (const device of devices.children) add(device);
  } else {
    for (const root of model.xml.roots) add(root);
  }
  return result;
}

export function checkDuplicateMacs(model: DocumentModel, report: Report, collected: DeviceChildren = collectDeviceChildren(model)): void {
  const normalizedMac = (mac: XmlElement): string | null => {
    const raw = attribute(mac, 'address')?.value;
    return (raw ? readMac(raw)?.normalized : undefined) || null;
  };
  for (const [normalized, list] of repeated(collected.macs, normalizedMac)) {
    for (const mac of list) {
      report.add('mac-duplicate', 'warning', attributeSpan(attribute(mac, 'address')!),
        `MAC ${normalized} is used by ${list.length} interfaces in this document — libvirt accepts it, but both ends of the link ` +
        `see the same MAC and detach by MAC fails; libvirt: "multiple devices matching MAC address ${normalized} found"`);
    }
  }
}

/** Groups items by a key (null: not counted); only keys with two or more items are kept. */
function repeated<T>(elements: readonly T[], keyOf: (e: T) => string | null): Map<string, T[]> {
  const byKey = new Map<string, T[]>();
  for (const e of elements) {
    const key = keyOf(e);
    if (key === null) continue;
    const list = byKey.get(key);
    if (list) list.push(e);
    else byKey.set(key, [e]);
  }
  for (const [key, list] of byKey) if (list.length < 2) byKey.delete(key);
  return byKey;
}

/** virXMLPropUInt(order, base 10, NONZERO): plain decimal digits ('01' is 1); other spellings are not compared. */
function bootOrder(boot: XmlElement): string | null {
  const raw = attributeValue(boot, 'order');
  if (raw === null || !/^[0-9]{1,9}$/.test(raw)) return null;
  const n = parseInt(raw, 10);
  return n > 0 ? String(n) : null;
}

export function checkDuplicateBootOrders(collected: DeviceChildren, report: Report): void {
  for (const [order, list] of repeated(collected.boots, bootOrder)) {
    for (const boot of list) {
      report.add('boot-order-duplicate', 'error', attributeSpan(attribute(boot, 'order')!),
        rejects(`Boot order ${order} is used by ${list.length} devices`, `unsupported configuration: boot order '${order}' used for more than one device`,
          `attach-device says: "boot order ${order} is already used by another device". Give each device its own order.`));
    }
  }
}

/**
 * Only user aliases (ua-…) survive an inactive parse (virDomainDeviceInfoParseXML keeps other aliases
 * only for live XML), so only they can clash at define/attach --config.
 */
function userAlias(alias: XmlElement): string | null {
  const name = attributeValue(alias, 'name');
  return name !== null && name.startsWith('ua-') ? name : null;
}

export function checkDuplicateAliases(collected: DeviceChildren, report: Report): void {
  for (const [name, list] of repeated(collected.aliases, userAlias)) {
    for (const alias of list) {
      report.add('alias-duplicate', 'error', attributeSpan(attribute(alias, 'name')!),
        rejects(`Alias ${name} names ${list.length} devices`, `unsupported configuration: non unique alias detected: ${name}`,
          'Each user alias must name one device.'));
    }
  }
}
