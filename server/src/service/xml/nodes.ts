// The objects the parser builds the XmlElement tree of xml/types.ts from. They keep offsets as plain
// numbers and hand out a name or value span as a fresh object when one is read: the tree of a large
// document is kept for as long as it is open, and span objects kept for every element and attribute
// were most of its objects, each one copied by the garbage collector and paid for in fresh memory.
// Spans are read for problems, hover and edits, a few per element at most.
//
// Attributes are kept packed the same way: one AttributeTable per parse holds every attribute's name,
// value and offsets, and an element's `attributes` become AttributeNode objects only when that list is
// read (hover, completion, code actions). The rules look attributes up by name (xml/query.ts), which
// reads the table without making any object.
import type { Span } from '../types';
import type { XmlAttribute, XmlElement } from './types';
import { DQ, SQ } from './chars';

/** an attribute's flags in the table: which quote (none, ", ') and whether the closing quote is there */
const DOUBLE_QUOTED = 1;
const SINGLE_QUOTED = 2;
const CLOSED = 4;
/**
 * Written `name='value'` (or with "), the value as read: the name starts name.length + 2 before the
 * value and the value ends value.length after its start, so nameStarts and valueEnds are not written
 * for it. Most attributes are written so, and each typed-array store costs in a first parse.
 */
const COMPACT = 8;

export class AttributeNode implements XmlAttribute {
  // `declare`d and set in the constructor only: a field declaration would first define every field
  // as undefined on each of the tens of thousands of nodes of a large document
  declare readonly name: string;
  /** offset of the name's first character (the name is the text as written, so its length ends it) */
  declare nameStart: number;
  declare value: string | null;
  /** the value's offsets between the quotes; both 0 while value is null */
  declare valueStart: number;
  declare valueEnd: number;
  declare quote: '"' | "'" | null;
  declare closed: boolean;

  constructor(
    name: string,
    nameStart: number,
    value: string | null,
    valueStart: number,
    valueEnd: number,
    quote: '"' | "'" | null,
    closed: boolean,
  ) {
    this.name = name;
    this.nameStart = nameStart;
    this.value = value;
    this.valueStart = valueStart;
    this.valueEnd = valueEnd;
    this.quote = quote;
    this.closed = closed;
  }

  get nameSpan(): Span {
    return { start: this.nameStart, end: this.nameStart + this.name.length };
  }

  get valueSpan(): Span | null {
    return this.value === null ? null : { start: this.valueStart, end: this.valueEnd };
  }

  moveBy(delta: number): void {
    this.nameStart += delta;
    if (this.value === null) return;
    this.valueStart += delta;
    this.valueEnd += delta;
  }
}

/**
 * Attributes of one parse, in the order they were read (an element's are consecutive, in one table):
 * names and values in two arrays, offsets and flags in typed arrays (one per field: indexing them
 * needs no arithmetic, which costs a call per operation in the code a first check runs), which the
 * garbage collector neither scans nor copies. A large document fills several tables of TABLE_SIZE
 * (treeBuilder.ts): one table for all would be a large object, which V8 allocates in fresh memory
 * every time (slow to touch first here) and returns to the system when it dies, where regular
 * objects reuse memory already touched.
 */
export class AttributeTable {
  /** by index, as many as `count` (with room for `capacity` until `trim`) */
  readonly names: string[];
  readonly values: (string | null)[];
  /** not written for a COMPACT attribute: nameStart() */
  nameStarts: Int32Array;
  /** the value's offsets between the quotes; both 0 while the value is null */
  valueStarts: Int32Array;
  /** not written for a COMPACT attribute: valueEnd() */
  valueEnds: Int32Array;
  flags: Uint8Array;
  count = 0;
  readonly capacity: number;

  constructor(capacity: number) {
    this.capacity = capacity;
    // made at their full length at once: grown by push, they would be copied as they grow
    this.names = new Array<string>(capacity);
    this.values = new Array<string | null>(capacity);
    this.nameStarts = new Int32Array(capacity);
    this.valueStarts = new Int32Array(capacity);
    this.valueEnds = new Int32Array(capacity);
    this.flags = new Uint8Array(capacity);
  }

  /** appends an attribute (there is room: count < capacity); a null value comes with offsets 0 and no quote */
  add(name: string, nameStart: number, value: string | null, valueStart: number, valueEnd: number, flags: number): void {
    const i = this.count++;
    this.names[i] = name;
    this.values[i] = value;
    this.nameStarts[i] = nameStart;
    this.valueStarts[i] = valueStart;
    this.valueEnds[i] = valueEnd;
    this.flags[i] = flags;
  }

  /** moves the attributes of `other` from `first` on (a start tag still being read) to the end of this table */
  takeFrom(other: AttributeTable, first: number): void {
    for (let i = first; i < other.count; i++) {
      this.add(other.names[i], other.nameStart(i), other.values[i], other.valueStarts[i], other.valueEnd(i), other.flags[i] & ~COMPACT);
    }
    other.count = first;
  }

  /** offset of the name of attribute `i` */
  nameStart(i: number): number {
    return this.flags[i] & COMPACT ? this.valueStarts[i] - 2 - this.names[i].length : this.nameStarts[i];
  }

  /** offset after the value of attribute `i` (before its closing quote) */
  valueEnd(i: number): number {
    return this.flags[i] & COMPACT ? this.valueStarts[i] + this.values[i]!.length : this.valueEnds[i];
  }

  /**
   * Attribute `i`, COMPACT, gets the value `value` (decoded from the one it has, which is as written):
   * it is no longer COMPACT.
   */
  decoded(i: number, value: string): void {
    this.nameStarts[i] = this.nameStart(i);
    this.valueEnds[i] = this.valueEnd(i);
    this.flags[i] &= ~COMPACT;
    this.values[i] = value;
  }

  /** gives attribute `i`, which has no value yet, its value */
  setValue(i: number, value: string, valueStart: number, valueEnd: number, flags: number): void {
    this.values[i] = value;
    this.valueStarts[i] = valueStart;
    this.valueEnds[i] = valueEnd;
    this.flags[i] = flags;
  }

  /**
   * No attribute will be added: the arrays drop the room they did not use, and the typed arrays too
   * when they used less than half (copied then; TypedArray.prototype.slice, which copies element by
   * element, cost milliseconds).
   */
  trim(): void {
    const count = this.count;
    if (count < this.capacity >> 1) {
      this.nameStarts = trimmed(this.nameStarts, new Int32Array(count));
      this.valueStarts = trimmed(this.valueStarts, new Int32Array(count));
      this.valueEnds = trimmed(this.valueEnds, new Int32Array(count));
      this.flags = trimmed(this.flags, new Uint8Array(count));
    }
    this.names.length = count;
    this.values.length = count;
  }

  /** span of the name of attribute `i` */
  nameSpan(i: number): Span {
    const start = this.nameStart(i);
    return { start, end: start + this.names[i].length };
  }

  node(i: number): AttributeNode {
    const flags = this.flags[i];
    return new AttributeNode(
      this.names[i],
      this.nameStart(i),
      this.values[i],
      this.valueStarts[i],
      this.valueEnd(i),
      flags & DOUBLE_QUOTED ? '"' : flags & SINGLE_QUOTED ? "'" : null,
      (flags & CLOSED) !== 0,
    );
  }

  /** adds `delta` to the offsets of attributes [first, end) */
  moveBy(first: number, end: number, delta: number): void {
    for (let i = first; i < end; i++) {
      if (this.flags[i] & COMPACT) {
        this.valueStarts[i] += delta;
        continue;
      }
      this.nameStarts[i] += delta;
      if (this.values[i] === null) continue;
      this.valueStarts[i] += delta;
      this.valueEnds[i] += delta;
    }
  }
}

/** `into` (of the length wanted) filled from the start of `from` */
function trimmed<T extends Int32Array | Uint8Array>(from: T, into: T): T {
  into.set(from.subarray(0, into.length));
  return into;
}

/** AttributeTable flags for a value in `quote` (null: unquoted), `closed` when its closing quote is there */
export function attributeFlags(quote: number, closed: boolean): number {
  return (quote === DQ ? DOUBLE_QUOTED : quote === SQ ? SINGLE_QUOTED : 0) | (closed ? CLOSED : 0);
}

/** AttributeTable flags for `name='value'` (`quote` ' or ") with the value as read: COMPACT */
export function compactFlags(quote: number): number {
  return attributeFlags(quote, true) | COMPACT;
}

/**
 * Shared empty lists for the (many) elements without children, attributes or text: a leaf then
 * costs no array objects. Frozen, so a mistaken push elsewhere fails loudly instead of adding to
 * every element.
 */
export const NO_ELEMENTS = Object.freeze([]) as unknown as XmlElement[];
export const NO_ATTRIBUTES = Object.freeze([]) as unknown as XmlAttribute[];
export const NO_SPANS = Object.freeze([]) as unknown as Span[];

/** `span` becomes the last text run of `el` (its first makes the list: most elements have none) */
export function addTextSpan(el: XmlElement, span: Span): void {
  if (el.textSpans === NO_SPANS) el.textSpans = [span];
  else el.textSpans.push(span);
}

/** ElementNode.tagState: closed, self-closing, and the offset of the end tag's '</' (+1, times 4; 0: none) */
const ELEMENT_CLOSED = 1;
const ELEMENT_SELF_CLOSING = 2;
const END_TAG_UNIT = 4;

export class ElementNode implements XmlElement {
  declare readonly name: string;
  declare start: number;
  declare startTagEnd: number;
  declare end: number;
  /**
   * `closed`, `selfClosing` and `endTagStart` in one number (ELEMENT_CLOSED, ELEMENT_SELF_CLOSING,
   * END_TAG_UNIT): the tree of a large document holds tens of thousands of elements, each field of
   * which the garbage collector copies, and these three are read only by a few features.
   * Arithmetic, not bit operations: an offset times END_TAG_UNIT may pass 2^31.
   */
  declare tagState: number;
  /**
   * While `attributeFirst` is -1, the attribute list (made, or set); else the table that holds this
   * element's attributes packed at [attributeFirst, attributeEnd). Read by xml/query.ts, which looks
   * attributes up here without a call per step: the first check of a document runs before V8
   * optimizes anything, when every call costs.
   */
  declare attributeSource: XmlAttribute[] | AttributeTable;
  declare attributeFirst: number;
  declare attributeEnd: number;
  declare children: XmlElement[];
  declare parent: XmlElement | null;
  declare textSpans: Span[];

  /**
   * An element without children or text whose start tag ends at `end` (so far), self-closing or not
   * closed yet; its attributes are those of `table` in [attributeFirst, attributeEnd) (none: null, and
   * packAttributes may add them). Everything in one call: the first parse of a large document makes
   * tens of thousands of elements before V8 optimizes anything, when every call and store costs.
   */
  constructor(
    name: string,
    start: number,
    end: number,
    parent: XmlElement | null,
    selfClosing: boolean,
    table: AttributeTable | null,
    attributeFirst: number,
    attributeEnd: number,
  ) {
    this.name = name;
    this.start = start;
    this.startTagEnd = end;
    this.end = end;
    this.tagState = selfClosing ? ELEMENT_CLOSED + ELEMENT_SELF_CLOSING : 0;
    if (table === null) {
      this.attributeSource = NO_ATTRIBUTES;
      this.attributeFirst = -1;
      this.attributeEnd = -1;
    } else {
      this.attributeSource = table;
      this.attributeFirst = attributeFirst;
      this.attributeEnd = attributeEnd;
    }
    this.children = NO_ELEMENTS;
    this.parent = parent;
    this.textSpans = NO_SPANS;
  }

  get closed(): boolean {
    return this.tagState % 2 === ELEMENT_CLOSED;
  }

  set closed(closed: boolean) {
    if (closed !== this.closed) this.tagState += closed ? ELEMENT_CLOSED : -ELEMENT_CLOSED;
  }

  get selfClosing(): boolean {
    return this.tagState % END_TAG_UNIT >= ELEMENT_SELF_CLOSING;
  }

  set selfClosing(selfClosing: boolean) {
    if (selfClosing !== this.selfClosing) this.tagState += selfClosing ? ELEMENT_SELF_CLOSING : -ELEMENT_SELF_CLOSING;
  }

  get endTagStart(): number | null {
    const state = this.tagState;
    return state < END_TAG_UNIT ? null : (state - (state % END_TAG_UNIT)) / END_TAG_UNIT - 1;
  }

  set endTagStart(offset: number | null) {
    this.tagState = (this.tagState % END_TAG_UNIT) + (offset === null ? 0 : (offset + 1) * END_TAG_UNIT);
  }

  /** the start tag ended with '/>': the element is complete */
  closeSelf(): void {
    this.tagState = ELEMENT_CLOSED + ELEMENT_SELF_CLOSING;
  }

  /** the element ends with the end tag whose '</' is at `endTagStart` */
  closeWithEndTag(endTagStart: number): void {
    this.tagState = (endTagStart + 1) * END_TAG_UNIT + ELEMENT_CLOSED;
  }

  /** the name follows the '<' at `start` */
  get nameSpan(): Span {
    return { start: this.start + 1, end: this.start + 1 + this.name.length };
  }

  /** the attributes, as objects made the first time this is read (and kept from then on) */
  get attributes(): XmlAttribute[] {
    const first = this.attributeFirst;
    if (first < 0) return this.attributeSource as XmlAttribute[];
    const table = this.attributeSource as AttributeTable;
    const list = new Array<XmlAttribute>(this.attributeEnd - first);
    for (let k = 0; k < list.length; k++) list[k] = table.node(first + k);
    this.attributes = list;
    return list;
  }

  set attributes(list: XmlAttribute[]) {
    this.attributeSource = list;
    this.attributeFirst = -1;
    this.attributeEnd = -1;
  }

  /** this element's attributes are `count` (at least one) of `table` from `first` on */
  packAttributes(table: AttributeTable, first: number, count: number): void {
    this.attributeSource = table;
    this.attributeFirst = first;
    this.attributeEnd = first + count;
  }

  /** adds `delta` to the offsets of every attribute */
  moveAttributesBy(delta: number): void {
    if (this.attributeFirst >= 0) (this.attributeSource as AttributeTable).moveBy(this.attributeFirst, this.attributeEnd, delta);
    else for (const a of this.attributeSource as XmlAttribute[]) (a as AttributeNode).moveBy(delta);
  }
}
