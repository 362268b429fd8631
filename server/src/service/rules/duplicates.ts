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
// All of it per guest (guests.ts): a VF in two <domain>s of one file is two guests wanting one VF,
// which libvirt only refuses when the second one starts (like vf-in-use), not a define-time duplicate.
import type { DocumentModel } from '../modelTypes';
import type { XmlElement } from '../xml/types';
import { normalizeMac } from '../mac';
import {
  attribute,
  attributeSpan,
  attributeValue,
  failsAtStart,
  firstChild,
  nameList,
  pciDeviceInUse,
  readDecimal,
  rejects,
  rootOf,
  type DeviceFacts,
  type Report,
} from './common';
import { guestLabel, guestNameOf, type Guest } from './guests';
import { readsDeviceInfo } from './guestAddresses';

export function checkDuplicateAddresses(model: DocumentModel, facts: readonly DeviceFacts[], report: Report): void {
  const text = model.xml.text;
  // each guest's name is read once, however many devices of other guests name it
  const names = new Map<XmlElement | null, { label: string; bare: string }>();
  const nameOf = (guest: XmlElement | null): { label: string; bare: string } => {
    let name = names.get(guest);
    if (name === undefined) {
      const label = guestLabel(guest, text);
      names.set(guest, (name = { label, bare: guestNameOf(guest, text) ?? label }));
    }
    return name;
  };
  // All-zero addresses count too: libvirt matches two empty addresses as the same device.
  for (const [canonical, list] of repeated(facts, (f) => (f.isPci && f.host ? f.host.canonical || null : null))) {
    // null: the top-level devices of a snippet, one guest
    const byGuest = new Map<XmlElement | null, DeviceFacts[]>();
    for (const f of list) {
      const root = rootOf(model.xml.roots, f.device.element);
      const key = root.name === 'domain' ? root : null;
      const same = byGuest.get(key);
      if (same) same.push(f);
      else byGuest.set(key, [f]);
    }
    const guests = [...byGuest.keys()];
    for (const [guest, same] of byGuest) {
      // the first few other guests are named, the rest counted: thousands of guests may share the VF
      const others: (XmlElement | null)[] = [];
      for (let i = 0; i < guests.length && others.length < OTHER_GUESTS_NAMED; i++) if (guests[i] !== guest) others.push(guests[i]);
      const named = nameList(
        others.map((g) => nameOf(g).label),
        OTHER_GUESTS_NAMED,
        guests.length - 1,
      );
      for (const f of same) {
        const span = f.device.hostAddress!.nameSpan;
        if (same.length > 1) {
          report.add(
            'pci-duplicate',
            'error',
            span,
            rejects(
              `Host PCI address ${canonical} is assigned ${same.length} times in this ${guest ? 'guest' : 'document'}`,
              'XML error: Hostdev already exists in the domain configuration',
              'attach-device --config of an <interface> does not check this, and the guest then fails to start. A VF can be assigned once.',
            ),
          );
        }
        if (others.length > 0) {
          report.add(
            'vf-in-use',
            'warning',
            span,
            failsAtStart(
              `Host PCI address ${canonical} is also assigned to ${named} in this file, and only one guest can hold a VF at a time`,
              // libvirt's message names the domain bare
              pciDeviceInUse(canonical, nameOf(others[0]).bare),
              'libvirt accepts both definitions; whichever guest starts second fails. Give each guest its own VF.',
            ),
          );
        }
      }
    }
  }
}

/** Other guests a vf-in-use message names before "and N more". */
const OTHER_GUESTS_NAMED = 3;

/** The first <mac>, <boot> and <alias> of every device of one guest. */
export interface DeviceChildren {
  /** of <interface>s: the hostdev devices and, in a <domain>, all its interfaces */
  macs: XmlElement[];
  /** of the devices that read one (readsBoot): in a <domain> all of <devices>, in a snippet its top-level elements and hostdev devices */
  boots: XmlElement[];
  aliases: XmlElement[];
}

/**
 * Whether libvirt reads a <boot> child of this device: only the parsers of disks, filesystems,
 * interfaces, host devices and redirected devices pass VIR_DOMAIN_DEF_PARSE_ALLOW_BOOT to
 * virDomainDeviceInfoParseXML. Any other device's <boot> (a <video>'s, a <controller>'s) is dropped
 * unread: no order check, no duplicate, no clash with <os><boot dev>.
 */
export function readsBoot(device: XmlElement): boolean {
  return BOOTABLE.has(device.name);
}

const BOOTABLE: ReadonlySet<string> = new Set(['disk', 'filesystem', 'interface', 'hostdev', 'redirdev']);

/** One entry per guest (guests.ts: `guests` are the model's), gathered in one loop over its devices. */
export function collectDeviceChildren(model: DocumentModel, guests: readonly Guest[]): DeviceChildren[] {
  const seen = new Set<XmlElement>();
  const results = new Map<Guest, DeviceChildren>();
  const add = (guest: Guest, device: XmlElement): void => {
    if (seen.has(device)) return;
    seen.add(device);
    let result = results.get(guest);
    if (!result) results.set(guest, (result = { macs: [], boots: [], aliases: [] }));
    // libvirt reads the first of each (./mac, ./boot, ./alias)
    let mac = device.name !== 'interface';
    let boot = !readsBoot(device);
    let alias = !readsDeviceInfo(device);
    const children = device.children;
    for (let i = 0; i < children.length; i++) {
      const child = children[i];
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
  const guestOfRoot = new Map<XmlElement, Guest>();
  for (const g of guests) for (const root of g.domain ? [g.domain] : g.devices) guestOfRoot.set(root, g);
  // hostdev devices first (also those nested where no <devices> is), then the rest of each guest
  const devices = model.devices;
  for (let i = 0; i < devices.length; i++) {
    const guest = guestOfRoot.get(rootOf(model.xml.roots, devices[i].element));
    if (guest) add(guest, devices[i].element);
  }
  for (const g of guests) for (let i = 0; i < g.devices.length; i++) add(g, g.devices[i]);
  return [...results.values()];
}

const isHostdevInterface = (el: XmlElement | null): boolean =>
  el !== null && el.name === 'interface' && attributeValue(el, 'type') === 'hostdev';

/**
 * A failover pair (virtio <teaming type='persistent'/> with a user alias, and a hostdev interface with
 * <teaming type='transient' persistent='that alias'/>) must share one MAC: the guest's net_failover
 * driver pairs the two by MAC. Returns the interfaces that are the transient half of a pair.
 */
function failoverPartners(macs: readonly XmlElement[]): Set<XmlElement> {
  const byAlias = new Map<string, XmlElement>();
  for (const mac of macs) {
    const device = mac.parent;
    const alias = device ? firstChild(device, 'alias') : null;
    const teaming = device ? firstChild(device, 'teaming') : null;
    const name = alias ? attributeValue(alias, 'name') : null;
    if (name && teaming && attributeValue(teaming, 'type') === 'persistent') byAlias.set(name, device!);
  }
  const paired = new Set<XmlElement>();
  for (const mac of macs) {
    const device = mac.parent;
    const teaming = device ? firstChild(device, 'teaming') : null;
    if (!teaming || attributeValue(teaming, 'type') !== 'transient') continue;
    const persistent = byAlias.get(attributeValue(teaming, 'persistent') ?? '');
    if (persistent) {
      paired.add(device!);
      paired.add(persistent);
    }
  }
  return paired;
}

export function checkDuplicateMacs(collected: readonly DeviceChildren[], report: Report): void {
  const normalizedMac = (mac: XmlElement): string | null => {
    const raw = attributeValue(mac, 'address');
    return raw ? normalizeMac(raw) : null;
  };
  for (const guest of collected) {
    for (const [normalized, list] of repeated(guest.macs, normalizedMac)) {
      // this tool's concern is a VF's MAC: a clash among emulated NICs only is left to libvirt
      if (!list.some((mac) => isHostdevInterface(mac.parent))) continue;
      const paired = failoverPartners(list);
      // a failover pair counts as one user of the MAC
      const users = list.filter((mac) => !paired.has(mac.parent!)).length + (paired.size > 0 ? 1 : 0);
      if (users < 2) continue;
      for (const mac of list) {
        report.add(
          'mac-duplicate',
          'warning',
          attributeSpan(attribute(mac, 'address')!),
          `MAC ${normalized} is used by ${list.length} interfaces in this guest — libvirt accepts it, but both ends of the link ` +
            `see the same MAC and detach by MAC fails; libvirt: "multiple devices matching MAC address ${normalized} found"`,
        );
      }
    }
  }
}

/**
 * Groups items by a key (null: not counted); only keys with two or more items are kept, in the order
 * of their first item. Nearly every key is unique: those cost one map entry, no list.
 */
function repeated<T>(elements: readonly T[], keyOf: (e: T) => string | null): Map<string, T[]> {
  const firstAt = new Map<string, number>();
  let lists: Map<string, T[]> | null = null;
  for (let i = 0; i < elements.length; i++) {
    const key = keyOf(elements[i]);
    if (key === null) continue;
    const list = lists?.get(key);
    if (list) {
      list.push(elements[i]);
      continue;
    }
    const first = firstAt.get(key);
    if (first === undefined) firstAt.set(key, i);
    else (lists ??= new Map()).set(key, [elements[first], elements[i]]);
  }
  if (lists === null || lists.size < 2) return lists ?? new Map();
  return new Map([...lists].sort((a, b) => firstAt.get(a[0])! - firstAt.get(b[0])!));
}

/** The order as libvirt reads it (' 1', '+1' and '01' are 1); zero and what it refuses are the boot-order rule's, not compared. */
function bootOrder(boot: XmlElement): string | null {
  const raw = attributeValue(boot, 'order');
  const n = raw === null ? null : readDecimal(raw);
  return n !== null && n > 0 ? String(n) : null;
}

export function checkDuplicateBootOrders(collected: readonly DeviceChildren[], report: Report): void {
  for (const [order, list] of collected.flatMap((guest) => [...repeated(guest.boots, bootOrder)])) {
    for (const boot of list) {
      report.add(
        'boot-order-duplicate',
        'error',
        attributeSpan(attribute(boot, 'order')!),
        rejects(
          `Boot order ${order} is used by ${list.length} devices`,
          `unsupported configuration: boot order '${order}' used for more than one device`,
          `attach-device says: "boot order ${order} is already used by another device". Give each device its own order.`,
        ),
      );
    }
  }
}

/**
 * Only user aliases survive an inactive parse (virDomainDeviceInfoParseXML keeps other aliases only
 * for live XML), so only they can clash at define/attach --config. A user alias is 'ua-' and then
 * letters, digits, '_' and '-' only: 'ua-a b' or 'ua-x.y' is dropped like any other.
 */
function userAlias(alias: XmlElement): string | null {
  const name = attributeValue(alias, 'name');
  return name !== null && USER_ALIAS.test(name) ? name : null;
}

const USER_ALIAS = /^ua-[A-Za-z0-9_-]*$/;

export function checkDuplicateAliases(collected: readonly DeviceChildren[], report: Report): void {
  for (const [name, list] of collected.flatMap((guest) => [...repeated(guest.aliases, userAlias)])) {
    for (const alias of list) {
      report.add(
        'alias-duplicate',
        'error',
        attributeSpan(attribute(alias, 'name')!),
        rejects(
          `Alias ${name} names ${list.length} devices`,
          `unsupported configuration: non unique alias detected: ${name}`,
          'Each user alias must name one device.',
        ),
      );
    }
  }
}
