// The tags that make up almost all of a real document, read in one step each: `<name a='v' b="w">`,
// `<name/>` and `</name>`. Token by token, the scanner spends most of a large document's first parse
// on dispatch (a call per token, a switch per state) while its JavaScript is still cold. These
// readers accept only what the scanner reads without any error, and only shapes whose tokens the
// parser handles in a single way; for anything else they return -1 and the parser reads the tag
// with the scanner from its '<', so the tree and the problems are exactly the scanner's.
import { isNameChar, isNameStart, isWhitespace } from './scanner';
import type { TreeBuilder } from './treeBuilder';

const GT = 0x3e; // >
const SLASH = 0x2f; // /
const EQ = 0x3d; // =
const DQ = 0x22; // "
const SQ = 0x27; // '

/**
 * Reads ordinary tags and the content between them from `from` on into `tree`, as the parser's token
 * loop would, up to the first thing that needs the scanner (a comment, an unusual tag, an end tag
 * that does not close tree.current); returns where it stopped. `found` is scratch space.
 */
export function readOrdinary(text: string, from: number, tree: TreeBuilder, found: number[]): number {
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
    const c = text.charCodeAt(i + 1);
    let end: number;
    if (c === SLASH) {
      const current = tree.current;
      if (!current) return i;
      end = readOrdinaryEndTag(text, i, current.name);
      if (end < 0) return i;
      tree.closeWithEndTag(i, end);
    } else {
      if (!isNameStart(c)) return i;
      nextLt = text.indexOf('<', i + 1);
      if (nextLt < 0) nextLt = len;
      end = readOrdinaryStartTag(text, i, nextLt, found);
      if (end < 0) return i;
      tree.ordinaryStartTag(i, end, found);
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
 * Reads the start tag whose '<' is at `lt` (a name start follows it). `found` gets the end of its name,
 * then three numbers per attribute: name start, name end, offset of the closing quote (the opening
 * quote is right after the '=' that follows the name). Returns the offset after its '>' or '/>', or -1 when the tag
 * is not ordinary: unterminated, an attribute without `='...'` or `="..."` right after its name, no
 * whitespace before an attribute, a '<' inside a value, anything else between the attributes.
 * `nextLt` is the first '<' after `lt` (text.length when there is none).
 */
export function readOrdinaryStartTag(text: string, lt: number, nextLt: number, found: number[]): number {
  const len = text.length;
  let i = skipName(text, lt + 2);
  found[0] = i;
  let count = 1;
  for (;;) {
    let c = i < len ? text.charCodeAt(i) : -1;
    if (c === GT) {
      found.length = count;
      return i + 1;
    }
    if (c === SLASH) {
      if (i + 1 < len && text.charCodeAt(i + 1) === GT) {
        found.length = count;
        return i + 2;
      }
      return -1;
    }
    if (!isWhitespace(c)) return -1;
    i++;
    while (i < len && isWhitespace((c = text.charCodeAt(i)))) i++;
    if (i >= len || !isNameStart(c)) continue;
    const nameStart = i;
    i = skipName(text, i + 1);
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
export function readOrdinaryEndTag(text: string, lt: number, open: string): number {
  const nameStart = lt + 2;
  const nameEnd = nameStart + open.length;
  if (nameEnd > text.length || !text.startsWith(open, nameStart)) return -1;
  let i = nameEnd;
  const len = text.length;
  while (i < len && isWhitespace(text.charCodeAt(i))) i++;
  return i < len && text.charCodeAt(i) === GT ? i + 1 : -1;
}

function skipName(text: string, i: number): number {
  const len = text.length;
  while (i < len && isNameChar(text.charCodeAt(i))) i++;
  return i;
}
