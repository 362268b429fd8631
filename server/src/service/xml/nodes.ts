// The objects the parser builds the XmlElement tree of xml/types.ts from. They keep offsets as plain
// numbers and hand out a name or value span as a fresh object when one is read: the tree of a large
// document is kept for as long as it is open, and span objects kept for every element and attribute
// were most of its objects, each one copied by the garbage collector and paid for in fresh memory.
// Spans are read for problems, hover and edits, a few per element at most.
import type { Span } from '../types';
import type { XmlAttribute, XmlElement } from './types';

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

export class ElementNode implements XmlElement {
  declare readonly name: string;
  declare start: number;
  declare startTagEnd: number;
  declare selfClosing: boolean;
  declare endTagStart: number | null;
  declare end: number;
  declare closed: boolean;
  declare attributes: XmlAttribute[];
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
    this.attributes = attributes;
    this.children = children;
    this.parent = parent;
    this.textSpans = textSpans;
  }

  /** the name follows the '<' at `start` */
  get nameSpan(): Span {
    return { start: this.start + 1, end: this.start + 1 + this.name.length };
  }
}
