// The tags that make up almost all of a real document, read in one step each: `<name a='v' b="w">`,
// `<name/>` and `</name>`. Token by token, the scanner spends most of a large document's first parse
// on dispatch (a call per token, a switch per state) while its JavaScript is still cold. These
// readers accept only what the scanner reads without any error, and only shapes whose tokens the
// parser handles in a single way; for anything else they give up and the parser reads the tag with
// the scanner from its '<', so the tree and the problems are exactly the scanner's.
//
// The first parse of a document runs before V8 has optimized anything: no call is inlined, so a
// helper called per character costs a call per character. Runs of name characters are therefore
// skipped with one sticky regular expression each (native code), not character by character.
import { NAME_CHAR_CLASS, NAME_START_CLASS, isWhitespace } from './scanner';
import type { TreeBuilder } from './treeBuilder';

const GT = 0x3e; // >
const SLASH = 0x2f; // /
const EQ = 0x3d; // =
const DQ = 0x22; // "
const SQ = 0x27; // '
const SPACE = 0x20;

/** One per parse: it owns the sticky expression (whose lastIndex is state) and the scratch space of a start tag. */
export class OrdinaryTagReader {
  /**
   * After readStartTag accepted a tag: the end of its name, then three numbers per attribute: name
   * start, name end, offset of the closing quote (the opening quote is right after the '=' that
   * follows the name). Only the first `attributeCount` triples belong to the last tag.
   */
  readonly found: number[] = [0];
  attributeCount = 0;
  /** an XML name as scanner.ts reads one (isNameStart, then isNameChar) */
  private readonly name = new RegExp(`${NAME_START_CLASS}${NAME_CHAR_CLASS}*`, 'y');

  constructor(
    private readonly text: string,
    private readonly tree: TreeBuilder,
  ) {}

  /**
   * Reads ordinary tags and the content between them from `from` on into the tree, as the parser's
   * token loop would, up to the first thing that needs the scanner (a comment, an unusual tag, an end
   * tag that does not close tree.current); returns where it stopped.
   */
  read(from: number): number {
    const text = this.text;
    const tree = this.tree;
    const len = text.length;
    let i = from;
    let nextLt = text.indexOf('<', i);
    if (nextLt < 0) nextLt = len;
    while (i < len) {
      if (i < nextLt) {
        tree.content(i, nextLt);
        i = nextLt;
        continue;
      }
      let end: number;
      if (text.charCodeAt(i + 1) === SLASH) {
        const current = tree.current;
        if (!current) return i;
        end = this.readEndTag(i, current.name);
        if (end < 0) return i;
        tree.closeWithEndTag(i, end);
      } else {
        const nameEnd = this.nameEnd(i + 1);
        if (nameEnd < 0) return i;
        nextLt = text.indexOf('<', i + 1);
        if (nextLt < 0) nextLt = len;
        end = this.readStartTag(nameEnd, nextLt);
        if (end < 0) return i;
        tree.ordinaryStartTag(i, end, this.found, this.attributeCount);
      }
      i = end;
      if (nextLt < i) {
        nextLt = text.indexOf('<', i);
        if (nextLt < 0) nextLt = len;
      }
    }
    return i;
  }

  /**
   * Reads the rest of a start tag whose name ends at `nameEnd` into `found`. Returns the
   * offset after its '>' or '/>', or -1 when the tag is not ordinary: unterminated, an attribute
   * without `='...'` or `="..."` right after its name, no whitespace before an attribute, a '<'
   * inside a value, anything else between the attributes. `nextLt` is the first '<' after the tag's own
   * (text.length when there is none).
   */
  readStartTag(nameEnd: number, nextLt: number): number {
    const text = this.text;
    const found = this.found;
    const len = text.length;
    let i = nameEnd;
    found[0] = i;
    let count = 1;
    for (;;) {
      let c = i < len ? text.charCodeAt(i) : -1;
      if (c === GT) {
        this.attributeCount = (count - 1) / 3;
        return i + 1;
      }
      if (c === SLASH) {
        if (i + 1 < len && text.charCodeAt(i + 1) === GT) {
          this.attributeCount = (count - 1) / 3;
          return i + 2;
        }
        return -1;
      }
      // whitespace is at most ' ' (a single space, nearly always): no call for anything above it
      if (c > SPACE || (c !== SPACE && !isWhitespace(c))) return -1;
      do c = ++i < len ? text.charCodeAt(i) : -1;
      while (c === SPACE || (c < SPACE && isWhitespace(c)));
      const nameStart = i;
      i = this.nameEnd(i);
      if (i < 0) {
        i = nameStart;
        continue;
      }
      if (i + 1 >= len || text.charCodeAt(i) !== EQ) return -1;
      const quote = text.charCodeAt(i + 1);
      if (quote !== SQ && quote !== DQ) return -1;
      const closing = text.indexOf(quote === SQ ? "'" : '"', i + 2);
      // the scanner ends a value at a '<' before its closing quote (missing quote)
      if (closing < 0 || closing > nextLt) return -1;
      found[count++] = nameStart;
      found[count++] = i;
      found[count++] = closing;
      i = closing + 1;
    }
  }

  /**
   * Reads the end tag `</name>` (whitespace allowed before the '>') whose '<' is at `lt`, when it
   * closes an element named `open`. Returns the offset after its '>', or -1.
   */
  readEndTag(lt: number, open: string): number {
    const text = this.text;
    const nameStart = lt + 2;
    const nameEnd = nameStart + open.length;
    if (nameEnd > text.length || !text.startsWith(open, nameStart)) return -1;
    let i = nameEnd;
    const len = text.length;
    let c = i < len ? text.charCodeAt(i) : -1;
    if (c === GT) return i + 1;
    while (i < len && isWhitespace(c)) c = ++i < len ? text.charCodeAt(i) : -1;
    return c === GT ? i + 1 : -1;
  }

  /** the end of the name that starts at `i`, or -1 when no name starts there */
  nameEnd(i: number): number {
    const name = this.name;
    name.lastIndex = i;
    return name.test(this.text) ? name.lastIndex : -1;
  }
}
