// Small helpers the editor features (hover, completion, code actions, lenses, symbols) share:
// finding the device around an offset, the set of MACs already taken, and text-edit helpers that
// keep the document's layout.
import { normalizeMac } from './mac';
import { readAddress } from './address';
import { indexOf, inventoryMacs, type InventoryIndex } from './inventoryIndex';
import { addressKey } from './pci';
import { guestNamer } from './rules/guests';
import { networkDefinitionOf } from './rules/networkDefinition';
import type { DeviceModel, DocumentModel } from './modelTypes';
import type { InventoryDevice, ServiceContext, Span } from './types';
import { attrValue, attributeEnd, elementAt, elementContains, rootAt, rootOf, walk } from './xml/query';
import type { XmlAttribute, XmlElement } from './xml/types';

// ---------------------------------------------------------------------------
// Tree access (attribute and child lookups come from xml/query.ts)

export function overlaps(a: Span, b: Span): boolean {
  return a.start <= b.end && b.start <= a.end;
}

/** The element chain from a root down to the element under `offset` (xml/query.ts elementAt). */
export function elementPath(roots: readonly XmlElement[], offset: number): XmlElement[] {
  const path: XmlElement[] = [];
  for (let e = elementAt(roots, offset); e; e = e.parent) path.push(e);
  return path.reverse();
}

// ---------------------------------------------------------------------------
// Devices

/** The innermost device whose element holds `offset` (xml/query.ts elementContains). */
export function deviceContaining(model: DocumentModel, offset: number): DeviceModel | null {
  // model.devices is in document order (model.ts and incremental.ts build it so): the innermost device
  // holding `offset` is the first found going back from the last one that starts at or before it, which
  // a binary search finds (code actions for a whole document ask this for every problem)
  const devices = model.devices;
  let low = 0;
  let high = devices.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (devices[middle].element.start <= offset) low = middle + 1;
    else high = middle;
  }
  // a device of an earlier top-level element (another <domain>) ended before it: no need to look there
  const rootStart = rootAt(model.xml.roots, offset)?.start ?? 0;
  for (let i = low - 1; i >= 0 && devices[i].element.start >= rootStart; i--)
    if (elementContains(devices[i].element, offset)) return devices[i];
  return null;
}

/** The device whose element is `element` or an ancestor of it. */
export function deviceOfElement(model: DocumentModel, element: XmlElement | null): DeviceModel | null {
  // one lookup per ancestor: a search of the device list for each would cost depth times devices
  const devices = new Map<XmlElement, DeviceModel>();
  for (const d of model.devices) devices.set(d.element, d);
  for (let e = element; e; e = e.parent) {
    const device = devices.get(e);
    if (device) return device;
  }
  return null;
}

// ---------------------------------------------------------------------------
// Host addresses

/**
 * Whose document it is, when a VF's use is told: the guest's own use of a VF does not make it busy,
 * nor, in a network document, the listing of the host's definition of that same network.
 */
export interface DocumentOwner {
  guest: string | null;
  network?: string | null;
}

/**
 * The owner of the document part `element` is in: a guest's <domain>, or the <network> being defined.
 * `guestOf`: a guestNamer of the model, for a caller that asks for many elements.
 */
export function documentOwner(model: DocumentModel, element: XmlElement, guestOf = guestNamer(model)): DocumentOwner {
  if (inNetworkDocument(model, element)) return { guest: null, network: networkDefinitionOf(model)?.name ?? null };
  return { guest: guestOf(element) };
}

/** A PF's VFs, and how many of them are free for `owner` (its own guest or network does not count as a user). */
export function pfVfs(index: InventoryIndex, pfAddress: string, owner: DocumentOwner): { vfs: readonly InventoryDevice[]; free: number } {
  const vfs = index.vfsByPf.get(addressKey(pfAddress)) ?? [];
  return { vfs, free: vfs.filter((vf) => index.usage.useOf(vf.address, owner.guest, owner.network ?? null).free).length };
}

/** True when `element` is the document's <network> root (a network definition) or inside it. */
export function inNetworkDocument(model: DocumentModel, element: XmlElement | null): boolean {
  return element !== null && model.network !== null && rootOf(model.xml.roots, element) === model.network;
}

/** Canonical host addresses of every device in the document but `except` (what a fresh VF must avoid). */
export function documentAddresses(model: DocumentModel, except: DeviceModel | null = null): Set<string> {
  const result = new Set<string>();
  for (const d of model.devices) {
    if (d === except || !d.hostAddress) continue;
    const canonical = readAddress(d.hostAddress).canonical;
    if (canonical) result.add(canonical);
  }
  return result;
}

// ---------------------------------------------------------------------------
// MACs

/** Every normalised MAC in `<mac address>` elements anywhere in the document. */
export function documentMacs(model: DocumentModel): Set<string> {
  const result = new Set<string>();
  // walk keeps its own stack: a recursive visit overflows the call stack some thousands of levels deep
  walk(model.xml, (e) => {
    if (e.name !== 'mac') return;
    const mac = normalizeMac(attrValue(e, 'address') ?? '');
    if (mac) result.add(mac);
  });
  return result;
}

/** MACs a fresh one must avoid: the document's and every guest's in the inventory. */
export function takenMacs(model: DocumentModel | null, ctx: ServiceContext): Set<string> {
  const taken = model ? documentMacs(model) : new Set<string>();
  const index = indexOf(ctx);
  if (index) for (const mac of inventoryMacs(index)) taken.add(mac);
  return taken;
}

export { indexOf } from './inventoryIndex';

// ---------------------------------------------------------------------------
// Text layout

/** Whitespace before `offset` on its line when only whitespace precedes it, else null. */
export function lineIndent(text: string, offset: number): string | null {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  return /^[ \t]*$/.test(before) ? before : null;
}

/** The document's own line end: an LSP client applies edits as sent, so a CRLF file would get mixed endings. */
export function lineEnding(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
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
  const end = attributeEnd(attr);
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
