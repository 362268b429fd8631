// The error-tolerant XML tree the rules and features work on. Built by parser.ts; never throws.
// Spans are read-only and computed when read (a fresh object each time, see nodes.ts): take one
// into a result as it is, but never change it to move the tree.
import type { Problem, Span } from '../types';

export interface XmlAttribute {
  /** qualified name as written, e.g. "type" or "xmlns:qemu" */
  readonly name: string;
  readonly nameSpan: Span;
  /**
   * unquoted value as libxml2 hands it to libvirt (character and predefined entity references
   * replaced, literal tab/CR/LF as spaces; valueSpan keeps the text as written); null when the
   * attribute has no value yet (half-typed `type=` or `type`)
   */
  value: string | null;
  /** span of the value between the quotes (empty span right after the opening quote when value is ''); null with value null */
  readonly valueSpan: Span | null;
  quote: '"' | "'" | null;
  /** false when the closing quote is missing */
  closed: boolean;
}

export interface XmlElement {
  /** qualified name as written, e.g. "interface" or "qemu:commandline" */
  readonly name: string;
  /** offset of '<' */
  start: number;
  readonly nameSpan: Span;
  /** offset just after the '>' of the start tag (or where the partial start tag stops) */
  startTagEnd: number;
  selfClosing: boolean;
  /** offset of '</' of the matching end tag, when there is one */
  endTagStart: number | null;
  /** offset after the element (after the end tag's '>', or where recovery closed it) */
  end: number;
  /** false when the element was closed by recovery (missing end tag, EOF, unclosed start tag) */
  closed: boolean;
  attributes: XmlAttribute[];
  children: XmlElement[];
  parent: XmlElement | null;
  /** spans of the direct text content (entity references left as written) */
  textSpans: Span[];
}

export interface XmlDocument {
  text: string;
  /** top-level elements (a bare device snippet may have several) */
  roots: XmlElement[];
  /** xml-syntax problems, at most one per offset */
  problems: Problem[];
}
