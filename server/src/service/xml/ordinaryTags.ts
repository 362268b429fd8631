// The tags that make up almost all of a real document, read in one step each: `<name a='v' b="w">`,
// `<name/>`, `</name>` and `<!-- comment -->`. Token by token, the scanner spends most of a large
// document's first parse on dispatch (a call per token, a switch per state) while its JavaScript is
// still cold. These readers (and TreeBuilder.ordinaryStartTag, which reads a start tag straight into
// the tree) accept only what the scanner reads without any error, and only shapes whose tokens the
// parser handles in a single way; for anything else they give up and the parser reads the tag with
// the scanner from its '<', so the tree and the problems are exactly the scanner's.
//
// The first parse of a document runs before V8 has optimized anything: no call is inlined, so a
// helper called per character costs a call per character. Names and runs of whitespace are therefore
// read with one sticky regular expression each (native code), not character by character.
import { BANG, GT, SLASH, isWhitespace } from './chars';
import type { TreeBuilder } from './treeBuilder';

/** One per parse: reads the ordinary tags between the constructs the parser's token loop reads. */
export class OrdinaryTagReader {
  /**
   * Whitespace up to a '<': the indentation before a tag, most of the text runs of a pretty-printed
   * document, which means nothing to the tree (TreeBuilder.content). Matched with one native call that
   * also finds the tag (a cold loop costs a call per character).
   */
  private readonly indentation = /[ \t\n\r]*</y;

  constructor(
    private readonly text: string,
    private readonly tree: TreeBuilder,
  ) {}

  /**
   * Reads ordinary tags, comments and the content between them from `from` on into the tree, as the
   * parser's token loop would, up to the first thing that needs the scanner (an unusual tag or
   * comment, CDATA, an end tag that does not close tree.current); returns where it stopped.
   */
  read(from: number): number {
    const text = this.text;
    const tree = this.tree;
    const indentation = this.indentation;
    const len = text.length;
    let i = from;
    while (i < len) {
      indentation.lastIndex = i;
      if (indentation.test(text)) i = indentation.lastIndex - 1;
      else {
        let lt = text.indexOf('<', i);
        if (lt < 0) lt = len;
        tree.content(i, lt);
        i = lt;
        continue;
      }
      let end: number;
      const next = text.charCodeAt(i + 1);
      if (next === SLASH) {
        const current = tree.current;
        if (!current) return i;
        end = readEndTag(text, i, current.name);
        if (end < 0) return i;
        tree.closeWithEndTag(i, end);
      } else if (next === BANG) {
        end = readComment(text, i);
        if (end < 0) return i;
        tree.comment(i, end);
      } else {
        end = tree.ordinaryStartTag(i);
        if (end < 0) return i;
      }
      i = end;
    }
    return i;
  }
}

/**
 * The end of the end tag `</name>` (whitespace allowed before the '>') whose '<' is at `lt`, when it
 * closes an element named `open`, else -1.
 */
function readEndTag(text: string, lt: number, open: string): number {
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

/** The end of the comment whose '<' is at `lt`, when it is one and is terminated (as the scanner reads it), else -1. */
function readComment(text: string, lt: number): number {
  if (!text.startsWith('<!--', lt)) return -1;
  const close = text.indexOf('-->', lt + 4);
  return close < 0 ? -1 : close + 3;
}
