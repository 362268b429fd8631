// Small read helpers over the XmlElement tree, shared by the model, the rules and the editor
// features. Names are matched exactly as written: `interface` matches <interface>, not
// <foo:interface>. Everything is iterative: trees may be 100,000 levels deep. The lookups the
// rules call thousands of times per document use indexed loops: a for-of loop that V8 does not
// inline allocates an iterator result per step, which showed up as a third of the garbage.
import type { XmlAttribute, XmlDocument, XmlElement } from './types';
import type { AttributeTable, ElementNode } from './nodes';
import { isWhitespace } from './chars';
import { MAX_OPEN_ELEMENTS } from './wellFormed';

/**
 * Index in the table of `el` (nodes.ts) of its first attribute named `name`, or -1; only for an
 * element whose attributes are packed (attributeFirst >= 0).
 */
function packedIndex(el: ElementNode, name: string): number {
  const names = (el.attributeSource as AttributeTable).names;
  const end = el.attributeEnd;
  for (let i = el.attributeFirst; i < end; i++) if (names[i] === name) return i;
  return -1;
}

/**
 * The first attribute named `name`. The parser's elements keep their attributes packed until their
 * list is read (nodes.ts): this then gives a fresh object each time, so compare attributes by name
 * and offsets, not by identity. attrValue and hasAttribute make no object.
 */
export function attr(el: XmlElement, name: string): XmlAttribute | undefined {
  // attributeFirst is undefined on an element that is not an ElementNode
  if ((el as ElementNode).attributeFirst >= 0) {
    const i = packedIndex(el as ElementNode, name);
    return i < 0 ? undefined : ((el as ElementNode).attributeSource as AttributeTable).node(i);
  }
  const attributes = el.attributes;
  for (let i = 0; i < attributes.length; i++) if (attributes[i].name === name) return attributes[i];
  return undefined;
}

/** the attribute's unquoted value; null when absent or half-typed (`type=`) */
export function attrValue(el: XmlElement, name: string): string | null {
  const first = (el as ElementNode).attributeFirst;
  if (first >= 0) {
    // packedIndex written out: this runs tens of thousands of times in a document's first check
    const table = (el as ElementNode).attributeSource as AttributeTable;
    const names = table.names;
    const end = (el as ElementNode).attributeEnd;
    for (let i = first; i < end; i++) if (names[i] === name) return table.values[i];
    return null;
  }
  const attributes = el.attributes;
  for (let i = 0; i < attributes.length; i++) if (attributes[i].name === name) return attributes[i].value;
  return null;
}

/** whether `el` has an attribute named `name` (with or without a value), without making its object */
export function hasAttribute(el: XmlElement, name: string): boolean {
  if ((el as ElementNode).attributeFirst >= 0) return packedIndex(el as ElementNode, name) >= 0;
  return attr(el, name) !== undefined;
}

/** how many attributes `el` has, without making their objects */
export function attributeCount(el: XmlElement): number {
  const first = (el as ElementNode).attributeFirst;
  return first >= 0 ? (el as ElementNode).attributeEnd - first : el.attributes.length;
}

/** whether some attribute of `el` has one of `names`, without making their objects */
export function hasAttributeIn(el: XmlElement, names: ReadonlySet<string>): boolean {
  const first = (el as ElementNode).attributeFirst;
  if (first >= 0) {
    const written = ((el as ElementNode).attributeSource as AttributeTable).names;
    const end = (el as ElementNode).attributeEnd;
    for (let i = first; i < end; i++) if (names.has(written[i])) return true;
    return false;
  }
  const attributes = el.attributes;
  for (let i = 0; i < attributes.length; i++) if (names.has(attributes[i].name)) return true;
  return false;
}

/** direct child elements, optionally only those with the given name */
export function childElements(el: XmlElement, name?: string): XmlElement[] {
  if (name === undefined) return el.children.slice();
  const found: XmlElement[] = [];
  const children = el.children;
  for (let i = 0; i < children.length; i++) if (children[i].name === name) found.push(children[i]);
  return found;
}

export function firstChild(el: XmlElement, name: string): XmlElement | null {
  const children = el.children;
  for (let i = 0; i < children.length; i++) if (children[i].name === name) return children[i];
  return null;
}

/** the element's direct text (CDATA content included, entity references as written), trimmed */
export function textOf(text: string, el: XmlElement): string {
  let s = '';
  for (const span of el.textSpans) s += text.substring(span.start, span.end);
  return s.trim();
}

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * Replaces the predefined entities and character references as an XML parser would (for values
 * compared with what libvirt reports, e.g. the guest name); anything else is left as written.
 */
export function decodeXmlText(raw: string): string {
  if (raw.indexOf('&') < 0) return raw;
  return raw.replace(/&(?:#x([0-9a-fA-F]{1,6})|#([0-9]{1,7})|(amp|lt|gt|quot|apos));/g, (whole, hex: string, dec: string, name: string) => {
    if (name) return PREDEFINED[name];
    const code = hex ? parseInt(hex, 16) : parseInt(dec, 10);
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/** span of the trimmed direct text, or null when there is none (used for /domain/name) */
export function textSpanOf(text: string, el: XmlElement): { start: number; end: number } | null {
  let start = -1;
  let end = -1;
  for (const span of el.textSpans) {
    let a = span.start;
    let b = span.end;
    while (a < b && isWhitespace(text.charCodeAt(a))) a++;
    while (b > a && isWhitespace(text.charCodeAt(b - 1))) b--;
    if (a === b) continue;
    if (start < 0) start = a;
    end = b;
  }
  return start < 0 ? null : { start, end };
}

function contains(el: XmlElement, offset: number): boolean {
  if (offset < el.start) return false;
  if (offset < el.end) return true;
  // an element closed by recovery (unclosed start tag, missing end tag, EOF) still holds a cursor
  // at its very end: that is where the user is typing
  return offset === el.end && !el.closed;
}

/** index of the last element in `list` (sorted by start) with start <= offset, or -1 */
function lastStartingAtOrBefore(list: readonly XmlElement[], offset: number): number {
  let lo = 0;
  let hi = list.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].start <= offset) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

/**
 * The top-level element of `roots` that holds `el` (`el` itself when it is one): the last root that
 * starts at or before it, found by its offset. A walk up the parents would cost the element's depth,
 * and the rules ask for every device of a document whose devices may nest 100,000 deep.
 */
export function rootOf(roots: readonly XmlElement[], el: XmlElement): XmlElement {
  return rootAt(roots, el.start) ?? el;
}

/** The top-level element of `roots` that starts last at or before `offset` (the one that holds it, if any). */
export function rootAt(roots: readonly XmlElement[], offset: number): XmlElement | null {
  const i = lastStartingAtOrBefore(roots, offset);
  return i < 0 ? null : roots[i];
}

/**
 * The innermost element whose [start, end) contains offset, or null. An element closed by
 * recovery (closed=false) also contains offset === end, e.g. the end of the text while typing.
 */
export function elementAt(roots: readonly XmlElement[], offset: number): XmlElement | null {
  let list = roots;
  let found: XmlElement | null = null;
  for (;;) {
    const i = lastStartingAtOrBefore(list, offset);
    if (i < 0 || !contains(list[i], offset)) return found;
    found = list[i];
    list = found.children;
  }
}

/** Where an attribute ends in the text: after its closing quote, or after its name when it has no value. */
export function attributeEnd(a: XmlAttribute): number {
  return a.valueSpan ? a.valueSpan.end + (a.closed && a.quote ? 1 : 0) : a.nameSpan.end;
}

/** True when `el` holds `offset`: [start, end), and also `end` for an element recovery closed (where the user is typing). */
export function elementContains(el: XmlElement, offset: number): boolean {
  return contains(el, offset);
}

/**
 * The attribute of `el` under offset: from the start of its name to the end of its value
 * (inclusive, so a cursor right after the last character of the value still counts).
 */
export function attributeAt(el: XmlElement, offset: number): XmlAttribute | undefined {
  for (const a of el.attributes) {
    const end = a.valueSpan ? a.valueSpan.end : a.nameSpan.end;
    if (offset >= a.nameSpan.start && offset <= end) return a;
  }
  return undefined;
}

/**
 * Pre-order walk over every element in document order. Return false from `visit` to skip the
 * element's children.
 */
export function walk(doc: XmlDocument, visit: (el: XmlElement) => boolean | void): void {
  const stack: XmlElement[] = [];
  for (let i = doc.roots.length - 1; i >= 0; i--) stack.push(doc.roots[i]);
  while (stack.length > 0) {
    const el = stack.pop()!;
    if (visit(el) === false) continue;
    for (let i = el.children.length - 1; i >= 0; i--) stack.push(el.children[i]);
  }
}

/**
 * True when the element's unprefixed name is in a namespace: the nearest xmlns on it or above it is
 * not empty. libvirt's parsers look elements up by XPath without a prefix, which matches elements in
 * no namespace only, so such an element is skipped as if it were not there (virsh define accepts a
 * device with its own xmlns whatever it holds). The walk up stops at libxml2's depth: a deeper element
 * is an xml-syntax error to libvirt, and devices nested 100,000 deep must not each walk to the root.
 */
export function inNamespace(el: XmlElement): boolean {
  let e: XmlElement | null = el;
  for (let level = 0; e && level <= MAX_OPEN_ELEMENTS; e = e.parent, level++) {
    const xmlns = attrValue(e, 'xmlns');
    if (xmlns !== null) return xmlns !== '';
  }
  return false;
}

/** the chain of element names from the root down to el, e.g. ['domain', 'devices', 'interface'] */
export function pathOf(el: XmlElement): string[] {
  const names: string[] = [];
  for (let e: XmlElement | null = el; e; e = e.parent) names.push(e.name);
  return names.reverse();
}
