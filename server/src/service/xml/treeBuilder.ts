// The tree under construction, for the parser's token loop and for the one-step reading of ordinary
// tags (ordinaryTags.ts) alike: the chain of open elements, their children and attributes gathered
// into exact-size arrays, the text runs, and the checks that belong to a finished start tag.
import type { Span } from '../types';
import type { XmlElement } from './types';
import { AttributeTable, ElementNode, NO_SPANS, attributeFlags } from './nodes';
import type { ProblemSink, WellFormedness } from './wellFormed';
import type { StringTable } from './strings';
import type { DeclaredEntities } from './entities';
import { decodeXmlText } from './query';

/** attributes per AttributeTable (nodes.ts): its arrays stay regular objects (8 KiB each), not large ones */
const TABLE_SIZE = 1024;
const DOUBLE_QUOTED_CLOSED = attributeFlags(0x22, true);
const SINGLE_QUOTED_CLOSED = attributeFlags(0x27, true);

/** What attribute values are read with: the shared strings and the general entities of the internal DTD subset. */
export interface ValueReader {
  strings: StringTable;
  declared: DeclaredEntities | null;
}

export class TreeBuilder {
  readonly roots: XmlElement[] = [];
  /** innermost element whose start tag is complete and whose end tag has not been seen */
  current: XmlElement | null = null;
  private readonly strings: StringTable;
  /**
   * How many open elements (current and its ancestors) have each name, from the first end tag that
   * does not close `current` on (null until then): a stray end tag is then rejected without walking
   * the ancestors, which would be quadratic for deep documents. Kept only from then on: nearly every
   * document closes each element with its own end tag, and two map updates per element were a
   * measurable share of a first parse.
   */
  private openNames: Map<string, number> | null = null;
  /**
   * Children of the open elements, innermost last; `childBase` holds where each open element's
   * run starts. An element gets its children as one exact-size array when it closes, instead of
   * an array grown by push (whose spare capacity the kept tree would carry).
   */
  private readonly childStack: XmlElement[] = [];
  private childTop = 0;
  private readonly childBase: number[] = [];
  /** the table the attributes being read go to (nodes.ts); a new one when it is full */
  private attributes: AttributeTable;
  /** index in `attributes` of the first attribute of the start tag being read */
  private attributeFirst = 0;
  /** a run of XML whitespace, matched with one native call (a cold loop costs a call per character) */
  private readonly blank = /[ \t\n\r]*/y;

  constructor(
    private readonly text: string,
    private readonly sink: ProblemSink,
    private readonly reader: ValueReader,
    private readonly checks: WellFormedness,
  ) {
    this.strings = reader.strings;
    // a domain has about one attribute per 25 to 35 characters: a short text gets a small table
    this.attributes = new AttributeTable(Math.min(TABLE_SIZE, Math.ceil(text.length / 20) + 1));
  }

  /** a new element whose name is text[start + 1, nameEnd), a child of `current`; its start tag ends at `end` so far */
  element(start: number, nameEnd: number, end: number): ElementNode {
    const el = new ElementNode(this.strings.name(this.text, start + 1, nameEnd), start, end, this.current);
    if (this.current) this.childStack[this.childTop++] = el;
    else this.roots.push(el);
    this.attributeFirst = this.attributes.count;
    return el;
  }

  /** an attribute without a value yet, of the start tag being read */
  attribute(nameStart: number, nameEnd: number): void {
    let table = this.attributes;
    if (table.count === table.capacity) table = this.newTable(table.count - this.attributeFirst + 1);
    table.add(this.strings.name(this.text, nameStart, nameEnd), nameStart, null, 0, 0, 0);
  }

  /**
   * Continues in a new table with room for `needed` attributes of the start tag being read (an
   * element's attributes are all in one table): those read so far move there.
   */
  private newTable(needed: number): AttributeTable {
    const full = this.attributes;
    const table = new AttributeTable(Math.max(TABLE_SIZE, 2 * needed));
    table.takeFrom(full, this.attributeFirst);
    full.trim();
    this.attributes = table;
    this.attributeFirst = 0;
    return table;
  }

  /** the parse is over: the last table keeps no spare room */
  finish(): void {
    this.attributes.trim();
  }

  /** the value token [start, end) (quotes included, when there are any) of the last attribute, if it has none yet */
  attributeValue(start: number, end: number, error: string | undefined): void {
    const table = this.attributes;
    const last = table.count - 1;
    if (last < this.attributeFirst || table.values[last] !== null) return;
    const text = this.text;
    const q = text.charCodeAt(start);
    if (q === 0x22 || q === 0x27) {
      const closed = !error && end - start >= 2;
      const valueEnd = closed ? end - 1 : end;
      table.setValue(last, attributeValue(text, start + 1, valueEnd, this.reader), start + 1, valueEnd, attributeFlags(q, closed));
    } else {
      table.setValue(last, attributeValue(text, start, end, this.reader), start, end, attributeFlags(0, true));
    }
  }

  /** the start tag of `el` is over: no more attributes */
  finishAttributes(el: ElementNode): void {
    const count = this.attributes.count - this.attributeFirst;
    if (count > 0) el.packAttributes(this.attributes, this.attributeFirst, count);
    this.attributeFirst = this.attributes.count;
  }

  /** the start tag of `el` ends at `end` with '>' or '/>' */
  endStartTag(el: ElementNode, end: number): void {
    const first = this.attributeFirst;
    this.finishAttributes(el);
    this.checkAttributes(el, first);
    el.startTagEnd = end;
    el.end = end;
  }

  /**
   * The element of an ordinary start tag [start, end) that OrdinaryTagReader.readStartTag accepted,
   * with its `count` attributes; `found` is what that method wrote.
   */
  ordinaryStartTag(start: number, end: number, found: readonly number[], count: number): void {
    const text = this.text;
    const el = this.element(start, found[0], end);
    if (count > 0) {
      const strings = this.strings;
      const checks = this.checks;
      let table = this.attributes;
      if (table.count + count > table.capacity) table = this.newTable(count);
      const names = table.names;
      const first = table.count;
      // every attribute has a value here, so checkAttributes has something to say only about a
      // repeated name: it runs only then (names repeat as the same string, compared by pointer)
      let repeated = count > 16;
      // the table's arrays written directly and values read inline: a call per attribute for each
      // of these cost more than the work itself while the first parse runs unoptimized
      const values = table.values;
      const nameStarts = table.nameStarts;
      const valueStarts = table.valueStarts;
      const valueEnds = table.valueEnds;
      const flags = table.flags;
      let at = first;
      for (let k = 1; k < 3 * count; k += 3) {
        const nameStart = found[k];
        const nameEnd = found[k + 1];
        const closing = found[k + 2];
        const valueStart = nameEnd + 2;
        const name = strings.name(text, nameStart, nameEnd);
        for (let j = first; j < at && !repeated; j++) repeated = names[j] === name;
        const raw = strings.substring(text, valueStart, closing);
        names[at] = name;
        values[at] = NEEDS_DECODING.test(raw) ? decodedValue(text, valueStart, closing, raw, this.reader.declared) : raw;
        nameStarts[at] = nameStart;
        valueStarts[at] = valueStart;
        valueEnds[at] = closing;
        flags[at] = text.charCodeAt(nameEnd + 1) === 0x22 ? DOUBLE_QUOTED_CLOSED : SINGLE_QUOTED_CLOSED;
        at++;
        // nearly no value holds a reference: no call unless the next '&' is inside this one
        const ampersand = checks.nextAmpersand;
        if (ampersand >= 0 && ampersand <= closing) checks.references(nameEnd + 1, closing + 1);
      }
      table.count = at;
      el.packAttributes(table, first, count);
      this.attributeFirst = table.count;
      if (repeated) this.checkAttributes(el, first);
    }
    if (text.charCodeAt(end - 2) === 0x2f) el.closeSelf();
    else this.open(el);
  }

  /** `el`, whose start tag is complete, becomes `current` */
  open(el: XmlElement): void {
    const openNames = this.openNames;
    if (openNames) openNames.set(el.name, (openNames.get(el.name) ?? 0) + 1);
    this.childBase.push(this.childTop);
    this.current = el;
  }

  /** pops `current` */
  close(): void {
    const el = this.current!;
    const openNames = this.openNames;
    if (openNames) openNames.set(el.name, openNames.get(el.name)! - 1);
    const base = this.childBase.pop()!;
    if (this.childTop > base) el.children = this.childStack.slice(base, this.childTop);
    this.childTop = base;
    this.current = el.parent;
  }

  /** `current` ends with its end tag [endTagStart, end) */
  closeWithEndTag(endTagStart: number, end: number): void {
    const el = this.current! as ElementNode;
    el.closeWithEndTag(endTagStart);
    el.end = end;
    this.close();
  }

  /** an open element (current or an ancestor) has this name */
  isOpen(name: string): boolean {
    let openNames = this.openNames;
    if (!openNames) {
      openNames = this.openNames = new Map<string, number>();
      for (let el = this.current; el; el = el.parent) openNames.set(el.name, (openNames.get(el.name) ?? 0) + 1);
    }
    return (openNames.get(name) ?? 0) > 0;
  }

  /** character data [offset, end) outside every tag */
  content(offset: number, end: number): void {
    if (this.current) {
      // whitespace-only runs (indentation) are left out: they are most of the tokens of a
      // pretty-printed domain and mean nothing to textOf; they hold no reference and no ']]>' either
      const blank = this.blank;
      blank.lastIndex = offset;
      blank.test(this.text);
      if (blank.lastIndex >= end) return;
      this.addText(this.current, { start: offset, end });
    } else {
      this.checks.topLevelText(offset, end);
    }
    this.checks.references(offset, end);
    this.checks.cdataEndInContent(offset, end);
  }

  /** a text run of `current` (CDATA content) */
  cdata(span: Span): void {
    if (this.current) this.addText(this.current, span);
  }

  private addText(el: XmlElement, span: Span): void {
    if (el.textSpans === NO_SPANS) el.textSpans = [span];
    else el.textSpans.push(span);
  }

  /**
   * `type=`, a bare `type` or a repeated attribute in the finished start tag of `el`, whose attributes
   * are those of the table from `first` on: libxml2 rejects them
   */
  private checkAttributes(el: XmlElement, first: number): void {
    const table = this.attributes;
    const names = table.names;
    const end = table.count;
    const sink = this.sink;
    // pairwise: a start tag has a handful of attributes, and a Set per tag was measurable garbage
    const seen = end - first <= 16 ? null : new Set<string>();
    for (let i = first; i < end; i++) {
      const name = names[i];
      if (table.values[i] === null) sink.add(table.nameSpan(i), `Attribute ${name} has no value: ${name}='...' expected`);
      if (seen ? seen.has(name) : repeatsEarlier(names, first, i))
        sink.add(table.nameSpan(i), `Attribute ${name} is repeated in <${el.name}>`);
      seen?.add(name);
    }
  }
}

/** a name in names[first, i) is names[i] */
function repeatsEarlier(names: readonly string[], first: number, i: number): boolean {
  const name = names[i];
  for (let j = first; j < i; j++) if (names[j] === name) return true;
  return false;
}

/**
 * A value with a reference or a literal tab or line end. One object for every value: a regular
 * expression literal in a function body makes a new RegExp object each time it runs.
 */
const NEEDS_DECODING = /[&\t\n\r]/;

/**
 * The value libxml2 hands libvirt: literal tabs and line ends become spaces (XML 1.0 §3.3.3
 * attribute-value normalization), then character and predefined entity references are replaced,
 * so `bus='0x0&#98;'` is read as 0x0b exactly as virPCIDeviceAddressParseXML sees it.
 */
function attributeValue(text: string, start: number, end: number, { strings, declared }: ValueReader): string {
  const raw = strings.substring(text, start, end);
  return NEEDS_DECODING.test(raw) ? decodedValue(text, start, end, raw, declared) : raw;
}

/** `raw`, the value text[start, end) as written, as attributeValue gives it */
function decodedValue(text: string, start: number, end: number, raw: string, declared: DeclaredEntities | null): string {
  const normalized = raw.replace(/\r\n|[\t\n\r]/g, ' ');
  return decodeXmlText(declared && declared.admit(text, start, end) ? declared.expand(normalized) : normalized);
}
