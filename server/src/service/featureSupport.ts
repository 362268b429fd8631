// Small helpers the editor features (hover, completion, code actions, lenses, symbols) share:
// reading a host address the way libvirt does, finding the device around an offset, the set of
// MACs already taken, and text-edit helpers that keep the document's layout.
import { normalizeMac } from './mac';
import { PCI_FIELDS, formatPciAddress, parsePciNumber, type PciAddress, type PciField, type PciNumber } from './pci';
import { addressKey, indexInventory, inventoryMacs, isLiveUse, type InventoryIndex } from './inventoryIndex';
import type { DeviceModel, DocumentModel } from './modelTypes';
import type { InventoryDevice, ServiceContext, Span } from './types';
import { attr, attrValue } from './xml/query';
import type { XmlAttribute, XmlElement } from './xml/types';

// ---------------------------------------------------------------------------
// Tree access (attribute and child lookups come from xml/query.ts)

export function overlaps(a: Span, b: Span): boolean {
  return a.start <= b.end && b.start <= a.end;
}

/** The element chain from a root down to the innermost element whose [start, end) holds `offset`. */
export function elementPath(roots: readonly XmlElement[], offset: number): XmlElement[] {
  const path: XmlElement[] = [];
  let level: readonly XmlElement[] = roots;
  for (;;) {
    const hit = level.find((e) => e.start <= offset && (offset < e.end || (!e.closed && offset <= e.end)));
    if (!hit) return path;
    path.push(hit);
    level = hit.children;
  }
}

// ---------------------------------------------------------------------------
// Devices

/** The innermost device whose element contains `offset`. */
export function deviceContaining(model: DocumentModel, offset: number): DeviceModel | null {
  let best: DeviceModel | null = null;
  for (const device of model.devices) {
    const e = device.element;
    if (e.start <= offset && offset <= e.end && (!best || e.start >= best.element.start)) best = device;
  }
  return best;
}

/** The device whose element is `element` or an ancestor of it. */
export function deviceOfElement(model: DocumentModel, element: XmlElement | null): DeviceModel | null {
  for (let e = element; e; e = e.parent) {
    const device = model.devices.find((d) => d.element === e);
    if (device) return device;
  }
  return null;
}

// ---------------------------------------------------------------------------
// Host addresses as libvirt reads them (virPCIDeviceAddressParseXML: absent attribute = 0)

export interface AddressFieldReading {
  field: PciField;
  attr: XmlAttribute | null;
  parsed: PciNumber | null;
}

export interface AddressReading {
  fields: AddressFieldReading[];
  /** null when a field is present but not a number libvirt takes */
  address: PciAddress | null;
  canonical: string | null;
}

export function readAddress(element: XmlElement): AddressReading {
  const fields = PCI_FIELDS.map((field) => {
    const a = attr(element, field) ?? null;
    const parsed = a && a.value !== null ? parsePciNumber(a.value) : null;
    return { field, attr: a, parsed };
  });
  let ok = true;
  const values: Record<string, number> = {};
  for (const f of fields) {
    if (!f.attr) values[f.field] = 0;
    else if (f.parsed && f.parsed.ok) values[f.field] = f.parsed.value;
    else ok = false;
  }
  const address = ok ? { domain: values.domain, bus: values.bus, slot: values.slot, function: values.function } : null;
  return { fields, address, canonical: address ? formatPciAddress(address) : null };
}

/** Canonical host addresses of every device in the document (what a fresh VF must avoid). */
export function documentAddresses(model: DocumentModel): Set<string> {
  const result = new Set<string>();
  for (const d of model.devices) {
    if (!d.hostAddress) continue;
    const canonical = readAddress(d.hostAddress).canonical;
    if (canonical) result.add(canonical);
  }
  return result;
}

// ---------------------------------------------------------------------------
// VFs

/** "enp11s0f0 VF 3 · igbvf" */
export function vfDetail(index: InventoryIndex, vf: InventoryDevice): string {
  const pf = vf.pf ? index.byAddress.get(addressKey(vf.pf)) : undefined;
  return `${pf?.netdev ?? vf.pf ?? '?'} VF ${vf.vfIndex ?? '?'} · ${vf.driver ?? 'unbound'}`;
}

/** Why a VF is not free ("in use by web01 (running)"), or null. The document's own guest does not count. */
export function busyReason(index: InventoryIndex, address: string, ownGuest: string | null): string | null {
  const key = addressKey(address);
  const users = (index.usersByAddress.get(key) ?? []).filter((u) => u.guest.name !== ownGuest);
  if (users.length) {
    // A live use blocks the start now; a use only in another guest's persistent config blocks it
    // when both guests run (virHostdevIsPCINodeDeviceUsed at start), so say which it is.
    const live = users.find(isLiveUse);
    if (live) return `in use by ${live.guest.name} (${live.guest.state})`;
    const u = users[0];
    return `in use by ${u.guest.name} (${u.guest.state}, persistent config)`;
  }
  const network = (index.networksByAddress.get(key) ?? []).find((n) => n.active);
  return network ? `in network ${network.name}` : null;
}

// ---------------------------------------------------------------------------
// MACs

/** Every normalised MAC in `<mac address>` elements anywhere in the document. */
export function documentMacs(model: DocumentModel): Set<string> {
  const result = new Set<string>();
  const visit = (e: XmlElement): void => {
    if (e.name === 'mac') {
      const mac = normalizeMac(attrValue(e, 'address') ?? '');
      if (mac) result.add(mac);
    }
    e.children.forEach(visit);
  };
  model.xml.roots.forEach(visit);
  return result;
}

/** MACs a fresh one must avoid: the document's and every guest's in the inventory. */
export function takenMacs(model: DocumentModel, ctx: ServiceContext): Set<string> {
  const taken = documentMacs(model);
  if (ctx.inventory) for (const mac of inventoryMacs(indexInventory(ctx.inventory))) taken.add(mac);
  return taken;
}

export function indexOf(ctx: ServiceContext): InventoryIndex | null {
  return ctx.inventory ? indexInventory(ctx.inventory) : null;
}

// ---------------------------------------------------------------------------
// Text layout

/** Whitespace before `offset` on its line when only whitespace precedes it, else null. */
export function lineIndent(text: string, offset: number): string | null {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  return /^[ \t]*$/.test(before) ? before : null;
}

/** The span that removes an element: its whole line(s) when it stands alone on them. */
export function removalSpan(text: string, element: XmlElement): Span {
  const lineStart = text.lastIndexOf('\n', element.start - 1) + 1;
  let lineEnd = text.indexOf('\n', element.end);
  if (lineEnd === -1) lineEnd = text.length;
  const aloneBefore = /^[ \t]*$/.test(text.slice(lineStart, element.start));
  const aloneAfter = /^[ \t\r]*$/.test(text.slice(element.end, lineEnd));
  if (aloneBefore && aloneAfter) {
    // Take the line and its newline; at the end of the text take the previous newline instead.
    if (lineEnd < text.length) return { start: lineStart, end: lineEnd + 1 };
    return { start: lineStart > 0 ? lineStart - 1 : 0, end: lineEnd };
  }
  return { start: element.start, end: element.end };
}

/** The span that removes an attribute together with the whitespace before it. */
export function attributeRemovalSpan(text: string, attr: XmlAttribute): Span {
  let start = attr.nameSpan.start;
  while (start > 0 && /[ \t\r\n]/.test(text[start - 1])) start--;
  const end = attr.valueSpan ? attr.valueSpan.end + (attr.closed && attr.quote ? 1 : 0) : attr.nameSpan.end;
  return { start, end };
}

/** The quote style an element uses (its first quoted attribute), default single quote. */
export function quoteOf(element: XmlElement | null): '"' | "'" {
  const q = element?.attributes.find((a) => a.quote)?.quote;
  return q ?? "'";
}

/** Applies edits (non-overlapping) to text; used by tests and by callers that preview a fix. */
export function applyEdits(text: string, edits: readonly { span: Span; newText: string }[]): string {
  const sorted = [...edits].sort((a, b) => b.span.start - a.span.start || b.span.end - a.span.end);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
  return out;
}
