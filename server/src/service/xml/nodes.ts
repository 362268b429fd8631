// The objects the parser builds the XmlElement tree of xml/types.ts from. They keep offsets as plain
// numbers and hand out a name or value span as a fresh object when one is read: the tree of a large
// document is kept for as long as it is open, and span objects kept for every element and attribute
// were most of its objects, each one copied by the garbage collector and paid for in fresh memory.
// Spans are read for problems, hover and edits, a few per element at most.
import type { Span } from '../types';
import type { XmlAttribute, XmlElement } from './types';

export class AttributeNode implements XmlAttribute {
  constructor(
    readonly name: string,
    /** offset of the name's first character (the name is the text as written, so its length ends it) */
    public nameStart: number,
    public value: string | null,
    /** the value's offsets between the quotes; both 0 while value is null */
    public valueStart: number,
    public valueEnd: number,
    public quote: '"' | "'" | null,
    public closed: boolean,
  ) {}

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
  constructor(
    readonly name: string,
    public start: number,
    public startTagEnd: number,
    public selfClosing: boolean,
    public endTagStart: number | null,
    public end: number,
    public closed: boolean,
    public attributes: XmlAttribute[],
    public children: XmlElement[],
    public parent: XmlElement | null,
    public textSpans: Span[],
  ) {}

  /** the name follows the '<' at `start` */
  get nameSpan(): Span {
    return { start: this.start + 1, end: this.start + 1 + this.name.length };
  }
}
