// The tree under construction, for the parser's token loop and for the one-step reading of ordinary
// tags (ordinaryTags.ts) alike: the chain of open elements, their children and attributes gathered
// into exact-size arrays, the text runs, and the checks that belong to a finished start tag.
import type { Span } from '../types';
import type { XmlElement } from './types';
import { AttributeTable, ElementNode, addTextSpan, attributeFlags, compactFlags } from './nodes';
import { OpenNames } from './openNames';
import { MAX_OPEN_ELEMENTS, type ProblemSink, type WellFormedness, attributeProblems } from './wellFormed';
import type { StringTable } from './strings';
import { AttributeShape, type TagShape, TagShapes } from './tagShapes';
import { NAME_CHAR_CLASS, NAME_START_CLASS } from './scanner';
import { DQ, EQ, GT, SLASH, SPACE, SQ, isWhitespace } from './chars';
import { NEEDS_DECODING, attributeValue, decodedValue, type ValueReader } from './attributeValues';

/** attributes per AttributeTable (nodes.ts): its arrays stay regular objects (8 KiB each), not large ones */
const TABLE_SIZE = 1024;
const DOUBLE_QUOTED_COMPACT = compactFlags(DQ);
const SINGLE_QUOTED_COMPACT = compactFlags(SQ);

export class TreeBuilder {
  readonly roots: XmlElement[] = [];
  /** innermost element whose start tag is complete and whose end tag has not been seen */
  current: XmlElement | null = null;
  /** the most elements open at once so far */
  deepest = 0;
  private readonly strings: StringTable;
  /** the names of the open elements, from the first end tag that does not close `current` on (openNames.ts) */
  private openNames: OpenNames | null = null;
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
  /** what the ordinary start tags read so far looked like */
  private readonly shapes: TagShapes;
  /** an XML name as scanner.ts reads one (isNameStart, then isNameChar), read with one native call */
  private readonly name = new RegExp(`${NAME_START_CLASS}${NAME_CHAR_CLASS}*`, 'y');
  /** a run of XML whitespace, matched with one native call (a cold loop costs a call per character) */
  private readonly blank = /[ \t\n\r]*/y;

  constructor(
    private readonly text: string,
    private readonly sink: ProblemSink,
    private readonly reader: ValueReader,
    private readonly checks: WellFormedness,
  ) {
    this.strings = reader.strings;
    this.shapes = new TagShapes(text, reader.strings);
    // a domain has about one attribute per 25 to 35 characters: a short text gets a small table
    this.attributes = new AttributeTable(Math.min(TABLE_SIZE, Math.ceil(text.length / 20) + 1));
  }

  /** a new element whose name is text[start + 1, nameEnd), a child of `current`; its start tag ends at `end` so far */
  element(start: number, nameEnd: number, end: number): ElementNode {
    this.shapes.last = null;
    const el = new ElementNode(this.strings.name(this.text, start + 1, nameEnd), start, end, this.current, false, null, 0, 0);
    this.place(el);
    this.attributeFirst = this.attributes.count;
    return el;
  }

  /** `el` (made for `current`) becomes the last child of `current`, or a root */
  private place(el: ElementNode): void {
    if (this.childBase.length > MAX_OPEN_ELEMENTS) this.checks.tooDeep(el);
    if (this.current) this.childStack[this.childTop++] = el;
    else this.roots.push(el);
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
    if (q === DQ || q === SQ) {
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
    attributeProblems(this.sink, this.attributes, first, el.name);
    el.startTagEnd = end;
    el.end = end;
  }

  /**
   * Reads the ordinary start tag whose '<' is at `lt` (OrdinaryTagReader): `<name a='v' b="w">` or
   * `<name .../>`, whitespace before each attribute, no '<' inside a value. Returns the offset after its
   * '>', or -1 when the tag is not ordinary: the tree and the problems are then as they were (only what
   * is expected of the next tags may have changed), and the parser's token loop reads the tag.
   *
   * One function with the table's arrays in local variables, the name and attributes compared first
   * with those expected there (tagShapes.ts): in the first parse of a document, which runs before V8
   * optimizes anything, every call and every property access costs more than the work it does here.
   * Values that need decoding, and references, are dealt with once the tag is known to be ordinary.
   */
  ordinaryStartTag(lt: number): number {
    const text = this.text;
    const shapes = this.shapes;
    const last = shapes.last;
    let shape: TagShape | null = null;
    let nameEnd = -1;
    if (last !== null) {
      const expected = last.next;
      // TagShapes.isNamed written out, nameEnd kept: this test runs for nearly every tag of a first parse
      if (expected !== null && text.startsWith(expected.name, lt + 1)) {
        nameEnd = lt + 1 + expected.name.length;
        const c = text.charCodeAt(nameEnd);
        // no tag syntax after the name (or a longer name): read by the expression
        if (c === SPACE || c === GT || c === SLASH) shape = shapes.last = expected;
      }
      if (shape === null) {
        const before = last.nextBefore;
        if (before !== null && shapes.isNamed(before, lt)) {
          shape = shapes.last = before;
          nameEnd = lt + 1 + before.name.length;
          last.nextBefore = last.next;
          last.next = before;
        }
      }
    }
    if (shape === null) {
      nameEnd = this.nameEnd(lt + 1);
      if (nameEnd < 0) return -1;
      shape = shapes.of(lt + 1, nameEnd);
    }
    const expectedAttributes = shape.attributes;
    let expectedCount = expectedAttributes.length;
    const strings = this.strings;
    let table = this.attributes;
    let capacity = table.capacity;
    let first = table.count;
    let names = table.names;
    let values = table.values;
    let valueStarts = table.valueStarts;
    let flags = table.flags;
    let at = first;
    /** every attribute so far is the one the shape expects at its position (read by one comparison or two) */
    let asExpected = true;
    let undecoded = false;
    let i = nameEnd;
    let end = -1;
    let selfClosing = false;
    /** the first '<' from the value being read on, found once a value is not the expected one (-1: not yet) */
    let nextLt = -1;
    for (;;) {
      const position = at - first;
      let attribute = position < expectedCount ? expectedAttributes[position] : undefined;
      let valueStart = -1;
      let closing = -1;
      let value = '';
      if (attribute !== undefined) {
        // compared first: both start with whitespace, so a match is an attribute (no '>' to look for)
        const whole = attribute.whole;
        if (whole !== undefined && text.startsWith(whole, i)) {
          // whitespace, name, '=', quotes and value as last time: the value holds no quote and no '<'
          value = attribute.value!;
          closing = i + whole.length - 1;
          valueStart = closing - value.length;
        } else if (text.startsWith(attribute.prefix, i)) valueStart = i + attribute.prefix.length;
        else attribute = undefined;
      }
      if (attribute === undefined) {
        const c = text.charCodeAt(i);
        if (c === GT) {
          end = i + 1;
          break;
        }
        if (c === SLASH) {
          if (text.charCodeAt(i + 1) !== GT) return this.dropAttributes(table, first);
          end = i + 2;
          selfClosing = true;
          break;
        }
        // whitespace is at most ' ' (a single space, nearly always): no call for anything above it
        if (c > SPACE || (c !== SPACE && !isWhitespace(c))) return this.dropAttributes(table, first);
        asExpected = false;
        let nameStart = i + 1;
        if (text.charCodeAt(nameStart) <= SPACE) {
          const blank = this.blank;
          blank.lastIndex = nameStart;
          blank.test(text);
          nameStart = blank.lastIndex;
        }
        const attributeNameEnd = this.nameEnd(nameStart);
        if (attributeNameEnd < 0) {
          // whitespace before '>' or '/>'
          i = nameStart;
          continue;
        }
        if (text.charCodeAt(attributeNameEnd) !== EQ) return this.dropAttributes(table, first);
        const quote = text.charCodeAt(attributeNameEnd + 1);
        if (quote !== SQ && quote !== DQ) return this.dropAttributes(table, first);
        valueStart = attributeNameEnd + 2;
        attribute = new AttributeShape(
          strings.keptName(text, nameStart, attributeNameEnd),
          text.substring(i, valueStart),
          quote === DQ ? DOUBLE_QUOTED_COMPACT : SINGLE_QUOTED_COMPACT,
        );
        shape.setAttribute(position, attribute);
        expectedCount = expectedAttributes.length;
      }
      if (closing < 0) {
        closing = text.indexOf(attribute.flags === DOUBLE_QUOTED_COMPACT ? '"' : "'", valueStart);
        if (closing < 0) return this.dropAttributes(table, first);
        // the scanner ends a value at a '<' before its closing quote (missing quote); nothing read
        // before this value holds one
        if (nextLt < valueStart) {
          nextLt = text.indexOf('<', valueStart);
          if (nextLt < 0) nextLt = text.length;
        }
        if (closing > nextLt) return this.dropAttributes(table, first);
        const last = attribute.value;
        if (last !== undefined && last.length === closing - valueStart && text.startsWith(last, valueStart)) {
          value = last;
          // the same value twice in a row: the next tag is likely to repeat the whole attribute
          attribute.whole = text.substring(i, closing + 1);
        } else {
          value = strings.substring(text, valueStart, closing);
          // decoded once the tag is known to be ordinary (entities have a budget)
          const clean = !NEEDS_DECODING.test(value);
          if (!clean) undecoded = true;
          attribute.value = clean ? value : undefined;
          attribute.whole = undefined;
        }
      }
      if (at === capacity) {
        table.count = at;
        table = this.newTable(at - first + 1);
        capacity = table.capacity;
        first = 0;
        at = table.count;
        names = table.names;
        values = table.values;
        valueStarts = table.valueStarts;
        flags = table.flags;
      }
      names[at] = attribute.name;
      values[at] = value;
      valueStarts[at] = valueStart;
      flags[at] = attribute.flags;
      at++;
      i = closing + 1;
    }
    const count = at - first;
    const parent = this.current;
    const el = new ElementNode(shape.name, lt, end, parent, selfClosing, count > 0 ? table : null, first, at);
    if (this.childBase.length > MAX_OPEN_ELEMENTS) this.checks.tooDeep(el);
    if (parent !== null) this.childStack[this.childTop++] = el;
    else this.roots.push(el);
    if (count > 0) {
      table.count = at;
      this.attributeFirst = at;
      const ampersand = this.checks.nextAmpersand;
      if (undecoded || (ampersand >= 0 && ampersand < end)) this.decodeValues(table, first, at, undecoded);
      // every attribute has a value here, so attributeProblems has something to say only about a
      // repeated name: it runs when one may be repeated (or for a tag with so many that it looks with a Set)
      if (count > 16 || !asExpected || (count > shape.distinctNames && shape.repeatsName(count)))
        attributeProblems(this.sink, this.attributes, first, el.name);
    } else this.attributeFirst = at;
    if (!selfClosing) this.open(el);
    return end;
  }

  /** as the token loop does it: each value of attributes [first, at) decoded (when `undecoded`), then its references checked */
  private decodeValues(table: AttributeTable, first: number, at: number, undecoded: boolean): void {
    for (let a = first; a < at; a++) {
      const value = table.values[a]!;
      const valueStart = table.valueStarts[a];
      const valueEnd = table.valueEnd(a);
      if (undecoded && NEEDS_DECODING.test(value))
        table.decoded(a, decodedValue(this.text, valueStart, valueEnd, value, this.reader.declared));
      this.checks.references(valueStart - 1, valueEnd + 1, true);
    }
  }

  /** a start tag that is not ordinary after all: the attributes it wrote past the table's count are left to be overwritten */
  private dropAttributes(table: AttributeTable, first: number): number {
    table.count = first;
    return -1;
  }

  /** the end of the XML name (as scanner.ts reads one) that starts at `i`, or -1 when none starts there */
  nameEnd(i: number): number {
    const name = this.name;
    name.lastIndex = i;
    return name.test(this.text) ? name.lastIndex : -1;
  }

  /** `el`, whose start tag is complete, becomes `current` */
  open(el: XmlElement): void {
    this.openNames?.opened(el.name);
    if (this.childBase.push(this.childTop) > this.deepest) this.deepest = this.childBase.length;
    this.current = el;
  }

  /** pops `current` */
  close(): void {
    const el = this.current!;
    this.openNames?.closed(el.name);
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
    return (this.openNames ??= new OpenNames(this.current)).has(name);
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
      addTextSpan(this.current, { start: offset, end });
    } else {
      this.checks.topLevelText(offset, end);
    }
    this.checks.references(offset, end, false);
    // libxml2 parses a declared entity's text where content first refers to it, and stops at a loop
    // or an amplification there as it does in an attribute value
    this.reader.declared?.admit(this.text, offset, end);
    this.checks.cdataEndInContent(offset, end);
  }

  /** a terminated comment [start, end) */
  comment(start: number, end: number): void {
    this.checks.comment(start, end);
  }

  /** a text run of `current` (CDATA content) */
  cdata(span: Span): void {
    if (this.current) addTextSpan(this.current, span);
  }
}
