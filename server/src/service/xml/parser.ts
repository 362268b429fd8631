// Error-tolerant XML parser: builds the XmlElement tree of xml/types.ts from the scanner's
// tokens. It never throws, is iterative (an explicit open-element chain via `parent`, no
// recursion, so 100,000-deep nesting is fine) and linear. Recovery follows
// vscode-html-languageservice's parser:
//  - an unclosed start tag (`<mac address='x'` then `<source>` or EOF) ends where the next
//    '<' (or EOF) is; the element is closed there by recovery (closed=false, no children);
//  - an end tag that matches an ancestor closes the open elements in between (closed=false);
//    one that matches nothing open is reported and ignored;
//  - at EOF every open element ends at text.length with closed=false.
import type { Span } from '../types';
import type { XmlAttribute, XmlDocument, XmlElement } from './types';
import { createScanner, isNameChar, isNameStart, ScannerState, TokenType as ScannerTokenType } from './scanner';
import { readOrdinaryEndTag, readOrdinaryStartTag } from './ordinaryTags';
import { ProblemSink, WellFormedness } from './wellFormed';
import { StringTable } from './strings';
import { decodeXmlText } from './query';
import { DeclaredEntities } from './entities';
import { AttributeNode, ElementNode } from './nodes';

/** module-local alias: CommonJS output reads imported bindings through a getter on every use */
const TokenType = ScannerTokenType;
type TokenType = ScannerTokenType;

/**
 * Shared empty lists for the (many) elements without children, attributes or text: a leaf then
 * costs no array objects. Frozen, so a mistaken push elsewhere fails loudly instead of adding to
 * every element.
 */
const NO_ELEMENTS = Object.freeze([]) as unknown as XmlElement[];
const NO_ATTRIBUTES = Object.freeze([]) as unknown as XmlAttribute[];
const NO_SPANS = Object.freeze([]) as unknown as Span[];

interface PendingEndTag {
  start: number;
  name: string;
  nameSpan: Span;
}

/** `strings`: the language service's table, shared across parses (a fresh one shares within the document only). */
export function parseXml(text: string, strings: StringTable = new StringTable()): XmlDocument {
  const sink = new ProblemSink(text);
  const declared = DeclaredEntities.of(text, (span, message) => sink.add(span, message));
  return parseWithEntities(text, sink, { strings, declared }, null);
}

/**
 * parseXml with every tag read token by token by the scanner, none in one step by ordinaryTags.ts:
 * the reference the one-step reading is tested against.
 */
export function parseXmlByTokens(text: string, strings: StringTable = new StringTable()): XmlDocument {
  const sink = new ProblemSink(text);
  const declared = DeclaredEntities.of(text, (span, message) => sink.add(span, message));
  return parseWithEntities(text, sink, { strings, declared }, null, false);
}

/** How a fragment parse ended: what decides whether it reads as it would inside the whole document. */
export interface FragmentOutcome {
  /** nothing was open or half-written at the end of the fragment */
  complete: boolean;
  /** an end tag matched no open element (inside the whole document it might close an ancestor) */
  strayEndTag: boolean;
  /** a DOCTYPE-like declaration (`<!X`): it changes how the references after it are checked */
  declaration: boolean;
}

/**
 * Parses one element's text cut out of a larger document, as if it stood alone (offsets from 0,
 * no DOCTYPE entities); `firstLine` is the document line the fragment starts on, for messages.
 */
export function parseXmlFragment(
  fragment: string,
  strings: StringTable,
  firstLine: () => number,
): { document: XmlDocument; outcome: FragmentOutcome } {
  const outcome: FragmentOutcome = { complete: false, strayEndTag: false, declaration: false };
  const document = parseWithEntities(fragment, new ProblemSink(fragment, firstLine), { strings, declared: null }, outcome);
  return { document, outcome };
}

/** What attribute values are read with: the shared strings and the general entities of the internal DTD subset. */
interface ValueReader {
  strings: StringTable;
  declared: DeclaredEntities | null;
}

function parseWithEntities(
  text: string,
  sink: ProblemSink,
  reader: ValueReader,
  outcome: FragmentOutcome | null,
  ordinaryTags = true,
): XmlDocument {
  const strings = reader.strings;
  const roots: XmlElement[] = [];
  const scanner = createScanner(text);
  /** innermost element whose start tag is complete and whose end tag has not been seen */
  let current = null as XmlElement | null;
  /** element whose start tag is being scanned */
  let pending: XmlElement | null = null;
  let endTag: PendingEndTag | null = null;
  /**
   * How many open elements (current and its ancestors) have each name: a stray end tag is then
   * rejected without walking the ancestors, which would be quadratic for deep documents.
   */
  const openNames = new Map<string, number>();
  /**
   * Children of the open elements, innermost last; `childBase` holds where each open element's
   * run starts. An element gets its children as one exact-size array when it closes, instead of
   * an array grown by push (whose spare capacity the kept tree would carry).
   */
  const childStack: XmlElement[] = [];
  let childTop = 0;
  const childBase: number[] = [];
  /** attributes of `pending`, copied into an exact-size array when its start tag ends */
  const attributeStack: AttributeNode[] = [];
  let attributeTop = 0;
  const open = (el: XmlElement): void => {
    openNames.set(el.name, (openNames.get(el.name) ?? 0) + 1);
    childBase.push(childTop);
    current = el;
  };
  /** pops `current` */
  const close = (): void => {
    const el = current!;
    openNames.set(el.name, openNames.get(el.name)! - 1);
    const base = childBase.pop()!;
    if (childTop > base) el.children = childStack.slice(base, childTop);
    childTop = base;
    current = el.parent;
  };
  /** the start tag of `el` ends at `end` with '>' or '/>' */
  const endStartTag = (el: XmlElement, end: number): void => {
    finishAttributes(el);
    checkAttributes(el);
    el.startTagEnd = end;
    el.end = end;
  };
  /** the start tag of `el` is over: no more attributes */
  const finishAttributes = (el: XmlElement): void => {
    if (attributeTop > 0) el.attributes = attributeStack.slice(0, attributeTop);
    attributeTop = 0;
  };
  const checks = new WellFormedness(text, sink);
  /** the start tag of `pending` stops at `at` without '>' */
  function closeUnfinishedStartTag(at: number): void {
    const el = pending!;
    pending = null;
    finishAttributes(el);
    el.startTagEnd = at;
    el.end = at;
    el.closed = false;
    const shown = el.attributes.length > 0 ? `<${el.name} …>` : `<${el.name}>`;
    sink.add(el.nameSpan, () => `Unclosed start tag ${shown}: '>' expected before ${describeAt(text, at, (o) => sink.lineOf(o))}`);
  }

  /** apply an end tag whose last character is before `end` */
  function resolveEndTag(tag: PendingEndTag, end: number): void {
    if (current && current.name === tag.name) {
      current.endTagStart = tag.start;
      current.end = end;
      current.closed = true;
      close();
      return;
    }
    if (current && (openNames.get(tag.name) ?? 0) > 0) {
      // an ancestor matches: every element up to it is closed here, so this walk is paid for once
      const inner = current;
      sink.add(
        tag.nameSpan,
        () =>
          `End tag </${tag.name}> does not match <${inner.name}> opened at line ${sink.lineOf(inner.start)}: </${inner.name}> expected first`,
      );
      while (current.name !== tag.name) {
        current.end = tag.start;
        current.closed = false;
        close();
      }
      current.endTagStart = tag.start;
      current.end = end;
      current.closed = true;
      close();
      return;
    }
    if (outcome) outcome.strayEndTag = true;
    const innermost = current;
    const context = () => (innermost ? ` (the open element is <${innermost.name}> from line ${sink.lineOf(innermost.start)})` : '');
    sink.add(tag.nameSpan, () => `End tag </${tag.name}> has no matching start tag${context()}; it is ignored`);
  }

  function flushEndTag(at: number): void {
    if (!endTag) return;
    const tag = endTag;
    endTag = null;
    if (tag.name === '') {
      sink.add({ start: tag.start, end: tag.start + 2 }, "'</' must be followed by an element name and '>'");
      return;
    }
    sink.add(tag.nameSpan, `Unclosed end tag </${tag.name}>: '>' expected`);
    resolveEndTag(tag, at);
  }

  /** name end and attribute positions of the ordinary start tag being read (see readOrdinaryStartTag) */
  const found: number[] = [];
  /**
   * Reads ordinary tags and content from `from` on, as the token loop would, up to the first thing
   * that needs the scanner (a comment, an unusual tag, an end tag that does not close `current`);
   * returns where it stopped.
   */
  function readOrdinary(from: number): number {
    const len = text.length;
    let i = from;
    let nextLt = text.indexOf('<', i);
    if (nextLt < 0) nextLt = len;
    while (i < len) {
      if (i < nextLt) {
        content(i, nextLt);
        i = nextLt;
        continue;
      }
      const c = text.charCodeAt(i + 1);
      let end: number;
      if (c === 0x2f) {
        if (!current) return i;
        end = readOrdinaryEndTag(text, i, current.name);
        if (end < 0) return i;
        current.endTagStart = i;
        current.end = end;
        current.closed = true;
        close();
      } else {
        if (!isNameStart(c)) return i;
        nextLt = text.indexOf('<', i + 1);
        if (nextLt < 0) nextLt = len;
        end = readOrdinaryStartTag(text, i, nextLt, found);
        if (end < 0) return i;
        ordinaryStartTag(i, end);
      }
      i = end;
      if (nextLt < i) {
        nextLt = text.indexOf('<', i);
        if (nextLt < 0) nextLt = len;
      }
    }
    return i;
  }
  /** builds the element of the start tag [lt, end) that readOrdinaryStartTag accepted */
  function ordinaryStartTag(lt: number, end: number): void {
    const nameEnd = found[0];
    const el: XmlElement = new ElementNode(
      strings.name(text, lt + 1, nameEnd),
      lt,
      end,
      false,
      null,
      end,
      false,
      NO_ATTRIBUTES,
      NO_ELEMENTS,
      current,
      NO_SPANS,
    );
    if (current) childStack[childTop++] = el;
    else roots.push(el);
    const count = (found.length - 1) / 3;
    if (count > 0) {
      const attributes = new Array<XmlAttribute>(count);
      for (let k = 0; k < count; k++) {
        const nameStart = found[3 * k + 1];
        const nameEnd = found[3 * k + 2];
        const closing = found[3 * k + 3];
        const valueStart = nameEnd + 2;
        attributes[k] = new AttributeNode(
          strings.name(text, nameStart, nameEnd),
          nameStart,
          attributeValue(text, valueStart, closing, reader),
          valueStart,
          closing,
          text.charCodeAt(nameEnd + 1) === 0x22 ? '"' : "'",
          true,
        );
        checks.references(nameEnd + 1, closing + 1);
      }
      el.attributes = attributes;
      checkAttributes(el);
    }
    if (text.charCodeAt(end - 2) === 0x2f) {
      el.selfClosing = true;
      el.closed = true;
    } else open(el);
  }
  /** character data [offset, end) outside every tag */
  function content(offset: number, end: number): void {
    // whitespace-only runs (indentation) are left out: they are most of the tokens of a
    // pretty-printed domain and mean nothing to textOf
    if (current) {
      if (!isBlank(text, offset, end)) addText(current, { start: offset, end });
    } else {
      checks.topLevelText(offset, end);
    }
    checks.references(offset, end);
    checks.cdataEndInContent(offset, end);
  }

  checks.forbiddenCharacters();
  let previous = TokenType.EOS;
  for (;;) {
    if (ordinaryTags && !pending && !endTag && scanner.getScannerState() === ScannerState.WithinContent) {
      const from = scanner.getTokenEnd();
      const to = readOrdinary(from);
      if (to !== from) {
        scanner.resumeContentAt(to);
        previous = TokenType.Content;
      }
    }
    const token = scanner.scan();
    if (token === TokenType.EOS) break;
    const offset = scanner.getTokenOffset();
    const end = scanner.getTokenEnd();
    const error = scanner.getTokenError();
    if (endTag && !belongsToEndTag(token, text.charCodeAt(offset))) flushEndTag(endTag.nameSpan.end);
    switch (token) {
      case TokenType.StartTagOpen:
        if (pending) closeUnfinishedStartTag(offset);
        break;
      case TokenType.StartTag: {
        const el: XmlElement = new ElementNode(
          strings.name(text, offset, end),
          offset - 1,
          end,
          false,
          null,
          end,
          false,
          NO_ATTRIBUTES,
          NO_ELEMENTS,
          current,
          NO_SPANS,
        );
        if (current) childStack[childTop++] = el;
        else roots.push(el);
        pending = el;
        attributeTop = 0;
        break;
      }
      case TokenType.AttributeName:
        // libxml2: "attributes construct error" for b='1'c='2'
        if (previous === TokenType.AttributeValue)
          sink.add({ start: offset, end }, `Whitespace expected before attribute ${text.substring(offset, end)}`);
        if (pending) {
          attributeStack[attributeTop++] = new AttributeNode(strings.name(text, offset, end), offset, null, 0, 0, null, false);
        }
        break;
      case TokenType.AttributeValue:
        if (pending && attributeTop > 0) fillValue(attributeStack[attributeTop - 1], text, offset, end, error, reader);
        if (error) sink.add({ start: offset, end }, error);
        checks.references(offset, end);
        break;
      case TokenType.StartTagClose:
        if (pending) {
          endStartTag(pending, end);
          open(pending);
          pending = null;
        }
        break;
      case TokenType.StartTagSelfClose:
        if (pending) {
          endStartTag(pending, end);
          pending.selfClosing = true;
          pending.closed = true;
          pending = null;
        }
        break;
      case TokenType.EndTagOpen:
        if (pending) closeUnfinishedStartTag(offset);
        endTag = { start: offset, name: '', nameSpan: { start: end, end } };
        break;
      case TokenType.EndTag:
        if (endTag) {
          endTag.name = strings.name(text, offset, end);
          endTag.nameSpan = { start: offset, end };
        }
        break;
      case TokenType.EndTagClose:
        if (endTag) {
          const tag = endTag;
          endTag = null;
          if (tag.name === '') sink.add({ start: tag.start, end }, 'End tag without a name');
          else resolveEndTag(tag, end);
        }
        break;
      case TokenType.Content:
        if (pending) closeUnfinishedStartTag(offset);
        content(offset, end);
        break;
      case TokenType.CData:
        if (pending) closeUnfinishedStartTag(offset);
        if (current) addText(current, { start: Math.min(offset + 9, end), end: error ? end : end - 3 });
        if (error) sink.add({ start: offset, end: Math.min(offset + 9, end) }, error);
        break;
      case TokenType.ProcessingInstruction:
      case TokenType.Comment:
      case TokenType.Doctype:
        if (pending) closeUnfinishedStartTag(offset);
        if (token === TokenType.Doctype) {
          checks.sawDoctype = true;
          if (outcome) outcome.declaration = true;
          if (!error && (current || roots.length > 0) && text.startsWith('<!DOCTYPE', offset)) {
            sink.add({ start: offset, end: offset + 9 }, '<!DOCTYPE ...> is allowed only before the root element');
          }
        }
        if (token === TokenType.ProcessingInstruction) checks.processingInstruction(offset, end);
        if (token === TokenType.Comment && !error) checks.comment(offset, end);
        if (error) sink.add({ start: offset, end: Math.min(offset + 4, end) }, error);
        break;
      case TokenType.Unknown:
        if (pending && text.charCodeAt(offset) === 0x3c) closeUnfinishedStartTag(offset);
        sink.add({ start: offset, end }, error ?? 'Unexpected characters');
        break;
      case TokenType.DelimiterAssign:
      case TokenType.Whitespace:
        break;
    }
    previous = token;
  }

  const eof = text.length;
  if (outcome) outcome.complete = !pending && !endTag && !current;
  if (pending) closeUnfinishedStartTag(eof);
  if (endTag) flushEndTag(eof);
  while (current) {
    const el: XmlElement = current;
    el.end = eof;
    el.closed = false;
    const name = el.name;
    sink.add(el.nameSpan, () => `Element <${name}> is not closed: </${name}> expected before the end of the document`);
    close();
  }
  checks.singleDomainRoot(roots);
  return { text, roots, problems: sink.problems };

  /** `type=`, a bare `type` or a repeated attribute in a finished start tag: libxml2 rejects them */
  function checkAttributes(el: XmlElement): void {
    const attributes = el.attributes;
    // pairwise: a start tag has a handful of attributes, and a Set per tag was measurable garbage
    const seen = attributes.length <= 16 ? null : new Set<string>();
    for (let i = 0; i < attributes.length; i++) {
      const a = attributes[i];
      if (a.value === null) sink.add(a.nameSpan, `Attribute ${a.name} has no value: ${a.name}='...' expected`);
      if (seen ? seen.has(a.name) : repeatsEarlier(attributes, i)) sink.add(a.nameSpan, `Attribute ${a.name} is repeated in <${el.name}>`);
      seen?.add(a.name);
    }
  }
}

/** an attribute before index `i` has the name of attributes[i] */
function repeatsEarlier(attributes: XmlAttribute[], i: number): boolean {
  const name = attributes[i].name;
  for (let j = 0; j < i; j++) if (attributes[j].name === name) return true;
  return false;
}

function addText(el: XmlElement, span: Span): void {
  if (el.textSpans === NO_SPANS) el.textSpans = [span];
  else el.textSpans.push(span);
}

function isBlank(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x09 && c !== 0x0d) return false;
  }
  return true;
}

/** what starts at `at`, for messages: "<source> (line 23)", "the end of the document" */
function describeAt(text: string, at: number, lineOf: (offset: number) => number): string {
  if (at >= text.length) return 'the end of the document';
  let i = at + 1;
  if (text.charCodeAt(i) === 0x2f) i++;
  const nameStart = i;
  while (i < text.length && i - nameStart < 40 && isNameChar(text.charCodeAt(i))) i++;
  const markup = i > nameStart ? `${text.substring(at, i)}>` : `'${text.substring(at, Math.min(at + 4, text.length))}'`;
  return `${markup} on line ${lineOf(at)}`;
}

/** tokens the scanner yields between '</' and '>'; anything else means the end tag has no '>' */
function belongsToEndTag(token: TokenType, firstChar: number): boolean {
  return (
    token === TokenType.EndTag ||
    token === TokenType.EndTagClose ||
    token === TokenType.Whitespace ||
    (token === TokenType.Unknown && firstChar !== 0x3c)
  );
}

function fillValue(a: AttributeNode, text: string, start: number, end: number, error: string | undefined, reader: ValueReader): void {
  if (a.value !== null) return;
  const q = text.charCodeAt(start);
  if (q === 0x22 || q === 0x27) {
    const closed = !error && end - start >= 2;
    const valueEnd = closed ? end - 1 : end;
    a.quote = q === 0x22 ? '"' : "'";
    a.valueStart = start + 1;
    a.valueEnd = valueEnd;
    a.value = attributeValue(text, start + 1, valueEnd, reader);
    a.closed = closed;
  } else {
    a.quote = null;
    a.valueStart = start;
    a.valueEnd = end;
    a.value = attributeValue(text, start, end, reader);
    a.closed = true;
  }
}

/**
 * The value libxml2 hands libvirt: literal tabs and line ends become spaces (XML 1.0 §3.3.3
 * attribute-value normalization), then character and predefined entity references are replaced,
 * so `bus='0x0&#98;'` is read as 0x0b exactly as virPCIDeviceAddressParseXML sees it.
 */
function attributeValue(text: string, start: number, end: number, { strings, declared }: ValueReader): string {
  const raw = strings.substring(text, start, end);
  if (!/[&\t\n\r]/.test(raw)) return raw;
  const normalized = raw.replace(/\r\n|[\t\n\r]/g, ' ');
  return decodeXmlText(declared && declared.admit(text, start, end) ? declared.expand(normalized) : normalized);
}
