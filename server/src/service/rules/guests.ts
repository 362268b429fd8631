// Which guest each device belongs to. Mirrors libvirt's virDomainDefValidate, which runs on one
// virDomainDef at a time: uniqueness of host
// addresses, guest addresses, boot orders, aliases and zPCI ids is per guest. A file with several
// <domain>s (dumps of several guests pasted together) holds several guests; the devices of a bare
// snippet (top-level <interface>/<hostdev>/…) are one guest, the one they will be attached to.
import { guestNameOf as libvirtGuestName } from '../model';
import type { DocumentModel } from '../modelTypes';
import type { XmlElement } from '../xml/types';
import { inNamespace } from '../xml/query';
import { attributeValue, children, firstChild, quotedName, rootOf } from './common';

export interface Guest {
  /** the <domain> element, or null for the top-level devices of a snippet */
  domain: XmlElement | null;
  /** its device elements: the children of <devices>, or the snippet's top-level elements */
  devices: XmlElement[];
}

export function guestsOf(model: DocumentModel): Guest[] {
  const guests: Guest[] = [];
  let snippet: Guest | null = null;
  for (const root of model.xml.roots) {
    if (root.name === 'domain') {
      const devices: XmlElement[] = [];
      // a device in another namespace is no device to libvirt (inNamespace)
      for (const list of children(root, 'devices')) for (const device of list.children) if (!inNamespace(device)) devices.push(device);
      guests.push({ domain: root, devices });
    } else {
      if (!snippet) guests.push((snippet = { domain: null, devices: [] }));
      if (!inNamespace(root)) snippet.devices.push(root);
    }
  }
  return guests;
}

/**
 * The guest an element (a device, an address, a <mac>) belongs to: the name, as libvirt reads it, of
 * the <domain> it sits in. Null in a snippet (the guest is picked at attach) or a <domain> without a name.
 */
export function guestOf(model: DocumentModel, el: XmlElement): string | null {
  return guestNamer(model)(el);
}

/** guestOf of one model's elements */
export type GuestNamer = (el: XmlElement) => string | null;

/** guestOf for many elements of one model: each <domain>'s name is read once, however many devices it has. */
export function guestNamer(model: DocumentModel): GuestNamer {
  const names = new Map<XmlElement, string | null>();
  return (el) => {
    const root = rootOf(model.xml.roots, el);
    if (root.name !== 'domain') return null;
    let name = names.get(root);
    if (name === undefined) {
      name = (root === model.domain ? model.guestName : libvirtGuestName(model.text, root))?.value ?? null;
      names.set(root, name);
    }
    return name;
  };
}

/** <domain type> values of hypervisors other than QEMU (virDomainVirtType, libvirt 9.0). */
const OTHER_HYPERVISORS = new Set(['xen', 'lxc', 'uml', 'openvz', 'vmware', 'hyperv', 'vbox', 'phyp', 'parallels', 'bhyve', 'vz', 'ch']);

/**
 * Whether the QEMU driver's checks (qemu_validate.c, qemu_domain.c) apply: any guest but another
 * hypervisor's (Xen, LXC, bhyve …), so a snippet and the test driver's guests (which stand in for
 * QEMU ones here) get them.
 */
export function isQemuGuest(guest: Guest): boolean {
  return isQemuRoot(guest.domain);
}

/** isQemuGuest for the top-level element a device sits in (rootOf). */
export function isQemuRoot(root: XmlElement | null): boolean {
  if (!root || root.name !== 'domain') return true;
  return !OTHER_HYPERVISORS.has(attributeValue(root, 'type') ?? '');
}

/** <os><type arch='…'>, when the guest says it (a snippet never does). */
export function archOf(guest: Guest): string | null {
  const os = guest.domain ? firstChild(guest.domain, 'os') : null;
  const type = os ? firstChild(os, 'type') : null;
  return type ? attributeValue(type, 'arch') : null;
}

/** The guest's <name> as written (trimmed), or null when it has none. */
export function guestNameOf(domain: XmlElement | null, text: string): string | null {
  const name = domain ? firstChild(domain, 'name') : null;
  if (!name || name.textSpans.length === 0) return null;
  let s = '';
  for (const span of name.textSpans) s += text.substring(span.start, span.end);
  return s.trim();
}

/** Name of the guest for messages: "guest 'web01'", or 'another guest'. */
export function guestLabel(domain: XmlElement | null, text: string): string {
  const name = guestNameOf(domain, text);
  return name === null ? 'another guest' : `guest ${quotedName(name)}`;
}
