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

/** an attribute's flags in the table: which quote (none, ", ') and whether the closing quote is there */
const DOUBLE_QUOTED = 1;
const SINGLE_QUOTED = 2;
const CLOSED = 4;
/** the flags of an element's first attribute also hold how many attributes the element has, from this bit on */
export const COUNT_SHIFT = 3;
/** int32s per attribute in AttributeTable.offsets: name start, value start, value end, flags */
export const STRIDE = 4;

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
 * names and values in two arrays, offsets and flags in a typed array, which the garbage collector
 * neither scans nor copies. A large document fills several tables of TABLE_SIZE: one table for all
 * would be a large object, which V8 allocates in fresh memory every time (slow to touch first here)
 * and returns to the system when it dies, where regular objects reuse memory already touched.
 */
export class AttributeTable {
  /** names and values by index, as many as `count` (the arrays have room for `capacity` until `trim`) */
  readonly names: string[];
  readonly values: (string | null)[];
  /** STRIDE int32s per attribute, see there */
  offsets: Int32Array;
  count = 0;
  readonly capacity: number;

  constructor(capacity: number) {
    this.capacity = capacity;
    // made at their full length at once: grown by push, they would be copied as they grow
    this.names = new Array<string>(capacity);
    this.values = new Array<string | null>(capacity);
    this.offsets = new Int32Array(capacity * STRIDE);
  }

  /** appends an attribute (there is room: count < capacity); a null value comes with offsets 0 and no quote */
  add(name: string, nameStart: number, value: string | null, valueStart: number, valueEnd: number, flags: number): void {
    const i = this.count++;
    this.names[i] = name;
    this.values[i] = value;
    const offsets = this.offsets;
    const o = i * STRIDE;
    offsets[o] = nameStart;
    offsets[o + 1] = valueStart;
    offsets[o + 2] = valueEnd;
    offsets[o + 3] = flags;
  }

  /** moves the attributes of `other` from `first` on (a start tag still being read) to the end of this table */
  takeFrom(other: AttributeTable, first: number): void {
    for (let i = first; i < other.count; i++) {
      const j = this.count++;
      this.names[j] = other.names[i];
      this.values[j] = other.values[i];
      this.offsets.set(other.offsets.subarray(i * STRIDE, (i + 1) * STRIDE), j * STRIDE);
    }
    other.count = first;
  }

  /** gives attribute `i`, which has no value yet, its value */
  setValue(i: number, value: string, valueStart: number, valueEnd: number, flags: number): void {
    this.values[i] = value;
    const o = i * STRIDE;
    this.offsets[o + 1] = valueStart;
    this.offsets[o + 2] = valueEnd;
    this.offsets[o + 3] = flags;
  }

  /** the attributes from `first` on, `count` of them, are one element's */
  setCount(first: number, count: number): void {
    this.offsets[first * STRIDE + 3] |= count << COUNT_SHIFT;
  }

  /** how many attributes the element whose first attribute is `first` has */
  countAt(first: number): number {
    return this.offsets[first * STRIDE + 3] >>> COUNT_SHIFT;
  }

  /**
   * No attribute will be added: the arrays drop the room they did not use, and the typed array too
   * when it used less than half (copied then; TypedArray.prototype.slice, which copies element by
   * element, cost milliseconds).
   */
  trim(): void {
    const used = this.count * STRIDE;
    if (used < this.offsets.length >> 1) {
      const offsets = new Int32Array(used);
      offsets.set(this.offsets.subarray(0, used));
      this.offsets = offsets;
    }
    this.names.length = this.count;
    this.values.length = this.count;
  }

  /** span of the name of attribute `i` */
  nameSpan(i: number): Span {
    const start = this.offsets[i * STRIDE];
    return { start, end: start + this.names[i].length };
  }

  node(i: number): AttributeNode {
    const o = i * STRIDE;
    const flags = this.offsets[o + 3];
    return new AttributeNode(
      this.names[i],
      this.offsets[o],
      this.values[i],
      this.offsets[o + 1],
      this.offsets[o + 2],
      flags & DOUBLE_QUOTED ? '"' : flags & SINGLE_QUOTED ? "'" : null,
      (flags & CLOSED) !== 0,
    );
  }

  /** adds `delta` to the offsets of the element's attributes from `first` on */
  moveBy(first: number, delta: number): void {
    const offsets = this.offsets;
    const end = first + this.countAt(first);
    for (let i = first; i < end; i++) {
      const o = i * STRIDE;
      offsets[o] += delta;
      if (this.values[i] === null) continue;
      offsets[o + 1] += delta;
      offsets[o + 2] += delta;
    }
  }
}

/** AttributeTable flags for a value in `quote` (null: unquoted), `closed` when its closing quote is there */
export function attributeFlags(quote: number, closed: boolean): number {
  return (quote === 0x22 ? DOUBLE_QUOTED : quote === 0x27 ? SINGLE_QUOTED : 0) | (closed ? CLOSED : 0);
}

export class ElementNode implements XmlElement {
  declare readonly name: string;
  declare start: number;
  declare startTagEnd: number;
  declare selfClosing: boolean;
  declare endTagStart: number | null;
  declare end: number;
  declare closed: boolean;
  /**
   * While `attributeFirst` is -1, the attribute list (made, or set); else the table that holds this
   * element's attributes packed from index `attributeFirst` on (the table knows how many). Read by
   * xml/query.ts, which looks attributes up here without a call per step: the first check of a
   * document runs before V8 optimizes anything, when every call costs.
   */
  declare attributeSource: XmlAttribute[] | AttributeTable;
  declare attributeFirst: number;
  declare children: XmlElement[];
  declare parent: XmlElement | null;
  declare textSpans: Span[];

  constructor(
    name: string,
    start: number,
    startTagEnd: number,
    selfClosing: boolean,
    endTagStart: number | null,
    end: number,
    closed: boolean,
    attributes: XmlAttribute[],
    children: XmlElement[],
    parent: XmlElement | null,
    textSpans: Span[],
  ) {
    this.name = name;
    this.start = start;
    this.startTagEnd = startTagEnd;
    this.selfClosing = selfClosing;
    this.endTagStart = endTagStart;
    this.end = end;
    this.closed = closed;
    this.attributeSource = attributes;
    this.attributeFirst = -1;
    this.children = children;
    this.parent = parent;
    this.textSpans = textSpans;
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
    const list = new Array<XmlAttribute>(table.countAt(first));
    for (let k = 0; k < list.length; k++) list[k] = table.node(first + k);
    this.attributes = list;
    return list;
  }

  set attributes(list: XmlAttribute[]) {
    this.attributeSource = list;
    this.attributeFirst = -1;
  }

  /** this element's attributes are `count` (at least one) of `table` from `first` on */
  packAttributes(table: AttributeTable, first: number, count: number): void {
    table.setCount(first, count);
    this.attributeSource = table;
    this.attributeFirst = first;
  }

  /** adds `delta` to the offsets of every attribute */
  moveAttributesBy(delta: number): void {
    if (this.attributeFirst >= 0) (this.attributeSource as AttributeTable).moveBy(this.attributeFirst, delta);
    else for (const a of this.attributeSource as XmlAttribute[]) (a as AttributeNode).moveBy(delta);
  }
}
