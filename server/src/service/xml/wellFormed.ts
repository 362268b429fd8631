// Well-formedness checks beyond tag structure, each one a libxml2 error that makes libvirt's
// virXMLParse reject the document (message texts of libxml2 quoted where they help). Every check
// only looks forward from a cursor that never moves back, so the whole pass stays linear.
import type { Problem, Span } from '../types';
import { isNameChar, isNameStart } from './scanner';
import { LF, isWhitespace } from './chars';
import type { XmlElement } from './types';
import { LineTable } from './lines';
import type { AttributeTable } from './nodes';
import { doctypeEntities, type DoctypeEntities } from './entities';
import { forbiddenCharacterMessage } from './forbiddenCharacters';
// the element's name is repeated in the message of each of its repeated attributes
import { shortName } from '../../../../shared/quotedName';

/** More problems than this only slow the editor down: binary garbage would yield millions. */
export const MAX_SYNTAX_PROBLEMS = 1000;

/** Collects 'xml-syntax' problems: at most one per offset, at most MAX_SYNTAX_PROBLEMS. */
export class ProblemSink {
  readonly problems: Problem[] = [];
  private readonly offsets = new Set<number>();
  private readonly lines: LineTable;

  /** `firstLine`: the line `text` starts on in its document (a fragment parsed alone), 1 by default */
  constructor(
    text: string,
    private readonly firstLine: () => number = () => 1,
  ) {
    this.lines = new LineTable(text);
  }

  /**
   * The first problem reported at an offset wins; a message function is only called when kept. The
   * span is copied: a problem never shares a span object with the tree (an edit moves them apart).
   */
  add(span: Span, message: string | (() => string)): void {
    if (this.problems.length >= MAX_SYNTAX_PROBLEMS || this.offsets.has(span.start)) return;
    this.offsets.add(span.start);
    const kept = { start: span.start, end: span.end };
    this.problems.push({ code: 'xml-syntax', severity: 'error', message: typeof message === 'string' ? message : message(), span: kept });
  }

  /** 1-based line of an offset, for messages; the line table is built once, on first use */
  lineOf(offset: number): number {
    return this.lines.lineOf(offset) + this.firstLine();
  }
}

const PREDEFINED_ENTITIES = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);
const MAX_REFERENCE_LENGTH = 64;
/** A binary file has thousands of forbidden characters: each is reported this many times at most. */
export const MAX_FORBIDDEN_REPORTS = 20;

/** libxml2 refuses an element inside more than this many open elements: "Excessive depth in document: 256" */
export const MAX_OPEN_ELEMENTS = 256;

export class WellFormedness {
  /** what the document's DOCTYPE declares of entities (null: no DOCTYPE, only the predefined five exist) */
  doctype: DoctypeEntities | null = null;
  /** offset of the next '&' that references() has not looked at yet (-1: none left) */
  nextAmpersand: number;
  private cdataEndAt: number;
  private saidTooDeep = false;
  /** first non-whitespace text outside every element */
  private strayText: Span | null = null;

  constructor(
    private readonly text: string,
    private readonly sink: ProblemSink,
  ) {
    this.nextAmpersand = text.indexOf('&');
    this.cdataEndAt = text.indexOf(']]>');
  }

  /**
   * Characters XML 1.0 forbids anywhere (C0 controls but tab, LF, CR; U+FFFE, U+FFFF), reported a few
   * times only (a binary file has thousands). Returns the problems kept for them: what libxml2 says
   * of one depends on where it stands, which the tree tells once it is built (forbiddenCharacters.ts).
   */
  forbiddenCharacters(): Problem[] {
    const forbidden = /[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]/g;
    const kept: Problem[] = [];
    for (let n = 0; n < MAX_FORBIDDEN_REPORTS; n++) {
      const m = forbidden.exec(this.text);
      if (!m) break;
      const before = this.sink.problems.length;
      this.sink.add({ start: m.index, end: m.index + 1 }, forbiddenCharacterMessage(m[0].charCodeAt(0)));
      if (this.sink.problems.length > before) kept.push(this.sink.problems[before]);
    }
    return kept;
  }

  /** an element inside more than MAX_OPEN_ELEMENTS open ones: said once, at the first */
  tooDeep(el: XmlElement): void {
    if (this.saidTooDeep) return;
    this.saidTooDeep = true;
    this.sink.add(
      { start: el.start, end: el.start + 1 + el.name.length },
      `Elements nested more than ${MAX_OPEN_ELEMENTS + 1} deep: libvirt's XML parser (libxml2) stops with "Excessive depth in document: ${MAX_OPEN_ELEMENTS}"`,
    );
  }

  /** a DOCTYPE at `offset`: the entities it declares decide which references are errors */
  sawDoctype(offset: number): void {
    this.doctype ??= doctypeEntities(this.text, offset);
  }

  /** entity and character references in content or an attribute value [start, end) */
  references(start: number, end: number, inAttribute: boolean): void {
    const text = this.text;
    while (this.nextAmpersand >= 0 && this.nextAmpersand < start) this.nextAmpersand = text.indexOf('&', this.nextAmpersand + 1);
    while (this.nextAmpersand >= 0 && this.nextAmpersand < end) {
      const problem = referenceProblem(text, this.nextAmpersand, end, this.doctype, inAttribute);
      if (problem) this.sink.add({ start: this.nextAmpersand, end: problem.end }, problem.message);
      this.nextAmpersand = text.indexOf('&', this.nextAmpersand + 1);
    }
  }

  /** libxml2: "Sequence ']]>' not allowed in content" */
  cdataEndInContent(start: number, end: number): void {
    const text = this.text;
    while (this.cdataEndAt >= 0 && this.cdataEndAt < start) this.cdataEndAt = text.indexOf(']]>', this.cdataEndAt + 1);
    if (this.cdataEndAt >= 0 && this.cdataEndAt + 3 <= end) {
      this.sink.add({ start: this.cdataEndAt, end: this.cdataEndAt + 3 }, "Sequence ']]>' not allowed in content: write ]]&gt;");
    }
  }

  /** libxml2: "Double hyphen within comment" (also '--->'); `end` is after the '-->' */
  comment(start: number, end: number): void {
    const at = this.text.indexOf('--', start + 4);
    if (at >= 0 && at < end - 3)
      this.sink.add({ start: at, end: at + 2 }, "Double hyphen '--' within a comment: libvirt's XML parser rejects it");
  }

  /** '<?target data?>': libxml2's xmlParsePI wants a target name, then whitespace or '?>' */
  processingInstruction(offset: number, end: number): void {
    const text = this.text;
    let i = offset + 2;
    if (i >= end || !isNameStart(text.charCodeAt(i))) {
      this.sink.add(
        { start: offset, end: Math.min(offset + 2, end) },
        "Processing instruction without a target name: '<?name ...?>' expected",
      );
      return;
    }
    while (i < end && isNameChar(text.charCodeAt(i))) i++;
    if (i < end && !isWhitespace(text.charCodeAt(i)) && !text.startsWith('?>', i)) {
      this.sink.add({ start: i, end: i + 1 }, 'Whitespace expected after the processing instruction target');
    }
    this.xmlDeclaration(offset);
  }

  /** libxml2: "XML declaration allowed only at the start of the document" (a BOM may precede it) */
  xmlDeclaration(offset: number): void {
    const allowedAt = this.text.charCodeAt(0) === 0xfeff ? 1 : 0;
    if (offset > allowedAt && /^<\?xml(?:[\s?]|$)/.test(this.text.substring(offset, offset + 6))) {
      this.sink.add(
        { start: offset, end: offset + 5 },
        'The XML declaration <?xml ...?> is allowed only at the very start of the document',
      );
    }
  }

  /** content outside every element: remembered for singleDomainRoot */
  topLevelText(start: number, end: number): void {
    if (this.strayText) return;
    const text = this.text;
    let a = start === 0 && text.charCodeAt(0) === 0xfeff ? 1 : start;
    while (a < end && isWhitespace(text.charCodeAt(a))) a++;
    if (a === end) return;
    let b = a;
    while (b < end && text.charCodeAt(b) !== LF) b++;
    while (b > a && isWhitespace(text.charCodeAt(b - 1))) b--;
    this.strayText = { start: a, end: b };
  }

  /**
   * A bare device snippet may hold several elements and notes around them, but a <domain>
   * document is read by libvirt as one document: libxml2 says "Extra content at the end of the
   * document" / "Start tag expected, '<' not found".
   */
  singleDomainRoot(roots: XmlElement[]): void {
    const domain = roots.find((r) => r.name === 'domain');
    if (!domain) return;
    if (this.strayText) {
      const where = this.strayText.start < domain.start ? 'before' : 'after';
      this.sink.add(this.strayText, `Text ${where} the <domain> element: a domain XML file holds only the <domain> element`);
    }
    let reported = 0;
    for (const r of roots) {
      if (r === domain) continue;
      this.sink.add(r.nameSpan, `<${r.name}> outside the <domain> element: a domain XML file holds only the <domain> element`);
      if (++reported >= 10) break;
    }
  }
}

/** XML 1.0 Char production; libxml2's xmlParseCharRef: "invalid xmlChar value" */
function isXmlChar(c: number): boolean {
  return (
    c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff)
  );
}

/** what is wrong with the reference starting with '&' at `at` (reading no further than `limit`), if anything */
function referenceProblem(
  text: string,
  at: number,
  limit: number,
  doctype: DoctypeEntities | null,
  inAttribute: boolean,
): { end: number; message: string } | null {
  const stop = Math.min(limit, at + MAX_REFERENCE_LENGTH);
  let i = at + 1;
  const bad = (message: string) => ({ end: Math.max(i, at + 1), message });
  if (i < stop && text.charCodeAt(i) === 0x23 /* # */) {
    i++;
    const hex = i < stop && text.charCodeAt(i) === 0x78; /* x */
    if (hex) i++;
    const digitsStart = i;
    while (i < stop && (hex ? /[0-9a-fA-F]/ : /[0-9]/).test(text[i])) i++;
    if (i === digitsStart || i >= stop || text.charCodeAt(i) !== 0x3b)
      return bad("Malformed character reference: '&#NN;' or '&#xHH;' expected (write &amp; for a literal '&')");
    const value = parseInt(text.substring(digitsStart, i), hex ? 16 : 10);
    if (!isXmlChar(value)) return { end: i + 1, message: `Character reference ${text.substring(at, i + 1)} is not an XML character` };
    return null;
  }
  if (i >= stop || !isNameStart(text.charCodeAt(i))) return bad("'&' must start a reference: write &amp; for a literal '&'");
  while (i < stop && isNameChar(text.charCodeAt(i))) i++;
  if (i >= stop || text.charCodeAt(i) !== 0x3b) return bad("Entity reference without ';': write &amp; for a literal '&'");
  const name = text.substring(at + 1, i);
  if (PREDEFINED_ENTITIES.has(name) || doctype?.internal.has(name)) return null;
  // libxml2 does not load external entities for libvirt: in content the reference stays as it is
  if (doctype?.external.has(name))
    return inAttribute ? { end: i + 1, message: `Attribute references external entity '${name}': libvirt's XML parser refuses it` } : null;
  if (doctype?.externalSubset) return null;
  return { end: i + 1, message: `Undefined entity &${name};` };
}

/**
 * `type=`, a bare `type` or a repeated attribute in the finished start tag of <`element`>, whose
 * attributes are those of `table` from `first` on: libxml2 rejects them
 */
export function attributeProblems(sink: ProblemSink, table: AttributeTable, first: number, element: string): void {
  const names = table.names;
  const end = table.count;
  // pairwise: a start tag has a handful of attributes, and a Set per tag was measurable garbage
  const seen = end - first <= 16 ? null : new Set<string>();
  for (let i = first; i < end; i++) {
    const name = names[i];
    if (table.values[i] === null) sink.add(table.nameSpan(i), `Attribute ${name} has no value: ${name}='...' expected`);
    if (seen ? seen.has(name) : repeatsEarlier(names, first, i))
      sink.add(table.nameSpan(i), `Attribute ${name} is repeated in <${shortName(element)}>`);
    seen?.add(name);
  }
}

/** a name in names[first, i) is names[i] */
function repeatsEarlier(names: readonly string[], first: number, i: number): boolean {
  const name = names[i];
  for (let j = first; j < i; j++) if (names[j] === name) return true;
  return false;
}
