// What is being typed at the cursor, read by scanning the tag around it, so completion works however
// the tolerant parser recovered the rest of the document.
import type { Span } from './types';
import { DQ, SQ } from './xml/chars';
import { ScannerState, TokenType, createScanner } from './xml/scanner';

export interface TypedAttr {
  name: string;
  value: string | null;
}

export type Context =
  | { kind: 'elementName'; lt: number; span: Span }
  | { kind: 'attrValue'; lt: number; element: string; attr: string; attrs: TypedAttr[]; span: Span }
  | { kind: 'content'; span: Span };

/** a quoted attribute value being typed, with the tag's other attributes */
export type AttrValueContext = Extract<Context, { kind: 'attrValue' }>;

/** the tokens a start tag is made of after its name */
const IN_TAG = new Set([
  TokenType.Whitespace,
  TokenType.AttributeName,
  TokenType.DelimiterAssign,
  TokenType.AttributeValue,
  TokenType.Unknown,
]);

/**
 * What is being typed at `offset`: read with the parser's own scanner from the last '<' before it, so
 * a half-typed tag is taken apart as the parser takes it (a value whose closing quote is missing ends
 * where the parser ends it; a '>' inside a quoted value does not end the tag). In a start tag: its
 * name, or a quoted value with the tag's other attributes (those after the cursor too); nothing
 * between attributes, in a name, in an end tag or in a comment.
 */
export function readContext(text: string, offset: number): Context | null {
  const content: Context = { kind: 'content', span: { start: offset, end: offset } };
  // (lastIndexOf clamps a negative start to 0: at offset 0 nothing is before the cursor)
  const lt = offset > 0 ? text.lastIndexOf('<', offset - 1) : -1;
  if (lt < 0) return content;
  const scanner = createScanner(text, lt);
  const first = scanner.scan();
  if (first !== TokenType.StartTagOpen) {
    // a '<' just typed, before anything a name can start with
    if (offset === lt + 1) return { kind: 'elementName', lt, span: { start: lt, end: offset } };
    // a '<' that starts nothing is text inside a comment, CDATA or a processing instruction (in
    // well-formed XML): content once a '>' has ended that
    if (first === TokenType.Unknown) return text.lastIndexOf('>', offset - 1) > lt ? content : null;
    // an end tag, a comment, a declaration: content once it is over (not at the end of a half-typed one)
    while (scanner.getScannerState() !== ScannerState.WithinContent && scanner.getTokenEnd() < offset) scanner.scan();
    const over = scanner.getScannerState() === ScannerState.WithinContent && scanner.getTokenError() === undefined;
    return over && scanner.getTokenEnd() <= offset ? content : null;
  }
  scanner.scan();
  const nameEnd = scanner.getTokenEnd();
  if (offset <= nameEnd) return nameContext(scanner, lt, nameEnd);
  const attrs: TypedAttr[] = [];
  let typed: { attr: string; span: Span } | null = null;
  /** the attribute whose '=' and value may come next */
  let name: string | null = null;
  for (;;) {
    const token = scanner.scan();
    const start = scanner.getTokenOffset();
    const end = scanner.getTokenEnd();
    if (!IN_TAG.has(token) || scanner.getScannerState() === ScannerState.WithinContent) {
      // the tag is over: after its '>' or '/>' the cursor is in content
      if (typed === null)
        return (token === TokenType.StartTagClose || token === TokenType.StartTagSelfClose) && end <= offset ? content : null;
      break;
    }
    // past the cursor without being in a value: it is between attributes or in a name
    if (typed === null && start >= offset) return null;
    if (token === TokenType.AttributeName) {
      if (name !== null) attrs.push({ name, value: null });
      name = text.slice(start, end);
    } else if (token === TokenType.AttributeValue && name !== null) {
      const quote = text.charCodeAt(start);
      const quoted = quote === SQ || quote === DQ;
      const valueStart = quoted ? start + 1 : start;
      const valueEnd = quoted && end - start >= 2 && text.charCodeAt(end - 1) === quote ? end - 1 : end;
      if (typed === null && quoted && offset >= valueStart && offset <= valueEnd)
        typed = { attr: name, span: { start: valueStart, end: valueEnd } };
      else attrs.push({ name, value: text.slice(valueStart, valueEnd) });
      name = null;
    }
  }
  if (name !== null) attrs.push({ name, value: null });
  return { kind: 'attrValue', lt, element: text.slice(lt + 1, nameEnd), attr: typed.attr, attrs, span: typed.span };
}

/**
 * The cursor is in a start tag's name. A completion puts a whole element in place of what the span
 * covers: for a tag that goes on after its name (attributes, '/>') that is the whole tag, or what the
 * tag already says would stay behind the new element; an element that has content (its '>') gets none.
 */
function nameContext(scanner: ReturnType<typeof createScanner>, lt: number, nameEnd: number): Context | null {
  for (;;) {
    const token = scanner.scan();
    if (token === TokenType.StartTagSelfClose) return { kind: 'elementName', lt, span: { start: lt, end: scanner.getTokenEnd() } };
    if (token === TokenType.StartTagClose) return null;
    // a half-typed tag: only its name is replaced
    if (!IN_TAG.has(token) || scanner.getScannerState() === ScannerState.WithinContent)
      return { kind: 'elementName', lt, span: { start: lt, end: nameEnd } };
  }
}
