// Strings from a host, a snapshot or the document inside hover and completion Markdown: always shown
// as written, never as markup. A guest named "web_01_`x`_[a](http://e)" must not become a link or
// break a code span; a netdev name with a newline must not start a new paragraph.

/** a line break shown as the two characters \n, so one value stays on one line */
function oneLine(value: string): string {
  return value.replace(/\r\n|[\r\n\u2028\u2029]/g, '\\n');
}

/**
 * `value` as plain Markdown text: every character escaped that could start markup where it stands, and
 * no other, so a client that shows Markdown source with its escapes (Neovim 0.7 to 0.9 does) still
 * shows `kvm-1.example.com` and `max_vfs=7` as written.
 */
export function mdText(value: string): string {
  // the characters that may start markup somewhere (CommonMark, and GFM's tables, strikethrough and autolinks)
  return oneLine(value).replace(/[\\`*_[\]<>&~|!@#+\-=.):]/g, (c, at: number, text: string) => (escapes(c, at, text) ? `\\${c}` : c));
}

/** markup wherever it stands: escapes, code, emphasis, links, HTML, entities, strikethrough, tables, images, e-mail autolinks */
const ALWAYS: ReadonlySet<string> = new Set(['\\', '`', '*', '[', ']', '<', '>', '&', '~', '|', '!', '@']);
const ALNUM = /[\p{L}\p{N}]/u;

function escapes(c: string, at: number, text: string): boolean {
  if (ALWAYS.has(c)) return true;
  // inside a word '_' opens no emphasis; at the value's ends the neighbour is text around it
  if (c === '_') return !(ALNUM.test(text[at - 1] ?? '') && ALNUM.test(text[at + 1] ?? ''));
  // a heading, list item, setext underline or thematic break, should the value start a line
  if (c === '#' || c === '+' || c === '-' || c === '=') return at === 0;
  // an ordered list item ("1. ", "2) ") should the value start a line; a "www." autolink
  if (c === '.' || c === ')')
    return (at > 0 && at < 10 && /^\d+$/.test(text.slice(0, at))) || (c === '.' && /www$/i.test(text.slice(Math.max(0, at - 3), at)));
  // "http://", "ftp://": a scheme autolink
  return c === ':' && text[at + 1] === '/';
}

/** `value` as a code span that shows it literally, backticks included (CommonMark: a longer fence, padded when needed) */
export function mdCode(value: string): string {
  const flat = oneLine(value);
  if (flat === '') return ''; // CommonMark has no empty code span
  let longest = 0;
  for (const run of flat.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(longest + 1);
  // CommonMark strips one space from each end when both ends have one (unless all spaces): pad so it strips ours
  const pad = /^[` ]|[` ]$/.test(flat) && flat.trim() !== '' ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** what a backslash escapes in CommonMark: any ASCII punctuation */
const ESCAPABLE = /[!-/:-@[-`{-~]/;
const WORD = /[\p{L}\p{N}]/u;

/**
 * Our hover and completion Markdown as plain text, for a client that shows only plain text (Emacs's
 * eglot without markdown-mode): escapes and code spans give back the text as written, emphasis
 * markers go. Only for Markdown made here: mdText() escapes every literal `*` and `_` of a value, so
 * one left unescaped is our emphasis (an `_` inside a word, as in sriov_numvfs, stays: CommonMark
 * does not read it as emphasis either).
 */
export function markdownAsPlainText(markdown: string): string {
  let out = '';
  let i = 0;
  while (i < markdown.length) {
    const c = markdown[i];
    if (c === '\\' && i + 1 < markdown.length && ESCAPABLE.test(markdown[i + 1])) {
      out += markdown[i + 1];
      i += 2;
    } else if (c === '`') {
      const fenceEnd = runEnd(markdown, i, '`');
      const fence = markdown.slice(i, fenceEnd);
      const close = closingFence(markdown, fenceEnd, fence);
      if (close < 0) {
        out += fence;
        i = fenceEnd;
        continue;
      }
      const content = markdown.slice(fenceEnd, close);
      const padded = content.length >= 2 && content.startsWith(' ') && content.endsWith(' ') && content.trim() !== '';
      out += padded ? content.slice(1, -1) : content;
      i = close + fence.length;
    } else if (c === '*' || (c === '_' && !(WORD.test(markdown[i - 1] ?? '') && WORD.test(markdown[i + 1] ?? '')))) {
      i++;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

function runEnd(text: string, from: number, char: string): number {
  let end = from;
  while (text[end] === char) end++;
  return end;
}

/** where the backtick run exactly as long as `fence` starts after `from`, or -1 */
function closingFence(text: string, from: number, fence: string): number {
  for (let at = text.indexOf(fence, from); at >= 0; at = text.indexOf(fence, at + 1)) {
    const end = runEnd(text, at, '`');
    if (end - at === fence.length) return at;
    at = end - 1;
  }
  return -1;
}
