// Strings from a host, a snapshot or the document inside hover and completion Markdown: always shown
// as written, never as markup. A guest named "web_01_`x`_[a](http://e)" must not become a link or
// break a code span; a netdev name with a newline must not start a new paragraph.

/** a line break shown as the two characters \n, so one value stays on one line */
function oneLine(value: string): string {
  return value.replace(/\r\n|[\r\n\u2028\u2029]/g, '\\n');
}

/** `value` as plain Markdown text: every markup character escaped */
export function mdText(value: string): string {
  // every ASCII punctuation CommonMark may read as markup; ':' and '@' stop GFM's bare-URL and e-mail autolinks
  return oneLine(value).replace(/[\\`*_{}[\]()#+\-.!|<>~&:@"'=$%^,;?/]/g, (c) => `\\${c}`);
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
