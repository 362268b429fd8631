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
import type { XmlDocument } from './types';
import { createScanner, isNameChar, ScannerState, TokenType as ScannerTokenType } from './scanner';
import { OrdinaryTagReader } from './ordinaryTags';
import { ProblemSink, WellFormedness } from './wellFormed';
import { StringTable } from './strings';
import { DeclaredEntities } from './entities';
import { TreeBuilder } from './treeBuilder';
import { addLibxml2Words } from './forbiddenCharacters';
import { LT, SLASH } from './chars';
import type { ValueReader } from './attributeValues';
import type { ElementNode } from './nodes';
// an open element's name is repeated in the message of every end tag that does not match it
import { shortName } from '../../../../shared/quotedName';

/** module-local alias: CommonJS output reads imported bindings through a getter on every use */
const TokenType = ScannerTokenType;
type TokenType = ScannerTokenType;

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
  /** the most elements open at once in the fragment (inside the document, its ancestors are open too) */
  deepest: number;
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
  const outcome: FragmentOutcome = { complete: false, strayEndTag: false, declaration: false, deepest: 0 };
  const document = parseWithEntities(fragment, new ProblemSink(fragment, firstLine), { strings, declared: null }, outcome);
  return { document, outcome };
}

function parseWithEntities(
  text: string,
  sink: ProblemSink,
  reader: ValueReader,
  outcome: FragmentOutcome | null,
  ordinaryTags = true,
): XmlDocument {
  const strings = reader.strings;
  const scanner = createScanner(text);
  const checks = new WellFormedness(text, sink);
  const tree = new TreeBuilder(text, sink, reader, checks);
  /** element whose start tag is being scanned */
  let pending: ElementNode | null = null;
  let endTag: PendingEndTag | null = null;

  /** the start tag of `pending` stops at `at` without '>' */
  function closeUnfinishedStartTag(at: number): void {
    const el = pending!;
    pending = null;
    tree.finishAttributes(el);
    el.startTagEnd = at;
    el.end = at;
    el.closed = false;
    const shown = el.attributeFirst >= 0 ? `<${el.name} …>` : `<${el.name}>`;
    sink.add(el.nameSpan, () => `Unclosed start tag ${shown}: '>' expected before ${describeAt(text, at, (o) => sink.lineOf(o))}`);
  }

  /** apply an end tag whose last character is before `end` */
  function resolveEndTag(tag: PendingEndTag, end: number): void {
    const current = tree.current;
    if (current && current.name === tag.name) {
      tree.closeWithEndTag(tag.start, end);
      return;
    }
    if (current && tree.isOpen(tag.name)) {
      // an ancestor matches: every element up to it is closed here, so this walk is paid for once
      const inner = current;
      sink.add(
        tag.nameSpan,
        () =>
          `End tag </${tag.name}> does not match <${shortName(inner.name)}> opened at line ${sink.lineOf(inner.start)}: </${shortName(inner.name)}> expected first`,
      );
      while (tree.current!.name !== tag.name) {
        tree.current!.end = tag.start;
        tree.current!.closed = false;
        tree.close();
      }
      tree.closeWithEndTag(tag.start, end);
      return;
    }
    if (outcome) outcome.strayEndTag = true;
    const innermost = current;
    const context = () =>
      innermost ? ` (the open element is <${shortName(innermost.name)}> from line ${sink.lineOf(innermost.start)})` : '';
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

  const ordinary = ordinaryTags ? new OrdinaryTagReader(text, tree) : null;
  const forbidden = checks.forbiddenCharacters();
  let previous = TokenType.EOS;
  for (;;) {
    if (ordinary && !pending && !endTag && scanner.getScannerState() === ScannerState.WithinContent) {
      const from = scanner.getTokenEnd();
      const to = ordinary.read(from);
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
      case TokenType.StartTag:
        pending = tree.element(offset - 1, end, end);
        break;
      case TokenType.AttributeName:
        // libxml2: "attributes construct error" for b='1'c='2'
        if (previous === TokenType.AttributeValue)
          sink.add({ start: offset, end }, `Whitespace expected before attribute ${text.substring(offset, end)}`);
        if (pending) tree.attribute(offset, end);
        break;
      case TokenType.AttributeValue:
        if (pending) tree.attributeValue(offset, end, error);
        if (error) sink.add({ start: offset, end }, error);
        checks.references(offset, end, true);
        break;
      case TokenType.StartTagClose:
        if (pending) {
          tree.endStartTag(pending, end);
          tree.open(pending);
          pending = null;
        }
        break;
      case TokenType.StartTagSelfClose:
        if (pending) {
          tree.endStartTag(pending, end);
          pending.closeSelf();
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
        tree.content(offset, end);
        break;
      case TokenType.CData:
        if (pending) closeUnfinishedStartTag(offset);
        tree.cdata({ start: Math.min(offset + 9, end), end: error ? end : end - 3 });
        if (error) sink.add({ start: offset, end: Math.min(offset + 9, end) }, error);
        break;
      case TokenType.ProcessingInstruction:
      case TokenType.Comment:
      case TokenType.Doctype:
        if (pending) closeUnfinishedStartTag(offset);
        if (token === TokenType.Doctype) {
          checks.sawDoctype(offset);
          if (outcome) outcome.declaration = true;
          if (!error && (tree.current || tree.roots.length > 0) && text.startsWith('<!DOCTYPE', offset)) {
            sink.add({ start: offset, end: offset + 9 }, '<!DOCTYPE ...> is allowed only before the root element');
          }
        }
        if (token === TokenType.ProcessingInstruction) checks.processingInstruction(offset, end);
        if (token === TokenType.Comment && !error) checks.comment(offset, end);
        if (error) sink.add({ start: offset, end: Math.min(offset + 4, end) }, error);
        break;
      case TokenType.Unknown:
        if (pending && text.charCodeAt(offset) === LT) closeUnfinishedStartTag(offset);
        sink.add({ start: offset, end }, error ?? 'Unexpected characters');
        break;
      case TokenType.DelimiterAssign:
      case TokenType.Whitespace:
        break;
    }
    previous = token;
  }

  const eof = text.length;
  if (outcome) {
    outcome.complete = !pending && !endTag && !tree.current;
    outcome.deepest = tree.deepest;
  }
  if (pending) closeUnfinishedStartTag(eof);
  if (endTag) flushEndTag(eof);
  for (let el = tree.current; el; el = tree.current) {
    el.end = eof;
    el.closed = false;
    const name = el.name;
    sink.add(el.nameSpan, () => `Element <${name}> is not closed: </${name}> expected before the end of the document`);
    tree.close();
  }
  checks.singleDomainRoot(tree.roots);
  tree.finish();
  addLibxml2Words(text, tree.roots, forbidden);
  return { text, roots: tree.roots, problems: sink.problems };
}

/** what starts at `at`, for messages: "<source> (line 23)", "the end of the document" */
function describeAt(text: string, at: number, lineOf: (offset: number) => number): string {
  if (at >= text.length) return 'the end of the document';
  let i = at + 1;
  if (text.charCodeAt(i) === SLASH) i++;
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
    (token === TokenType.Unknown && firstChar !== LT)
  );
}
