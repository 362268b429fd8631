import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createScanner,
  isNameChar,
  isNameStart,
  NAME_CHAR_CLASS,
  NAME_START_CLASS,
  ScannerState,
  TokenType as T,
} from '../../../../server/src/service/xml/scanner';

/** [type, token text, error?] for every token up to EOS */
function tokens(text: string): Array<[T, string] | [T, string, string]> {
  const s = createScanner(text);
  const out: Array<[T, string] | [T, string, string]> = [];
  for (let t = s.scan(); t !== T.EOS; t = s.scan()) {
    const piece = text.substring(s.getTokenOffset(), s.getTokenEnd());
    const error = s.getTokenError();
    out.push(error ? [t, piece, error] : [t, piece]);
    if (out.length > 10_000) throw new Error('scanner does not advance');
  }
  return out;
}

function types(text: string): T[] {
  return tokens(text).map((t) => t[0]);
}

test('scanner: start tag with single- and double-quoted attributes, self-close, end tag, text', () => {
  assert.deepEqual(tokens(`<address type='pci' bus="0x03"/><name>vm</name>`), [
    [T.StartTagOpen, '<'],
    [T.StartTag, 'address'],
    [T.Whitespace, ' '],
    [T.AttributeName, 'type'],
    [T.DelimiterAssign, '='],
    [T.AttributeValue, `'pci'`],
    [T.Whitespace, ' '],
    [T.AttributeName, 'bus'],
    [T.DelimiterAssign, '='],
    [T.AttributeValue, '"0x03"'],
    [T.StartTagSelfClose, '/>'],
    [T.StartTagOpen, '<'],
    [T.StartTag, 'name'],
    [T.StartTagClose, '>'],
    [T.Content, 'vm'],
    [T.EndTagOpen, '</'],
    [T.EndTag, 'name'],
    [T.EndTagClose, '>'],
  ]);
});

test('scanner: comment, CDATA, processing instruction and DOCTYPE are single tokens; markup inside is not seen', () => {
  const text = `<?xml version="1.0"?><!DOCTYPE domain [<!ENTITY x "<a>">]><!-- <interface type='hostdev'> --><![CDATA[<hostdev type='pci'>]]>`;
  assert.deepEqual(tokens(text), [
    [T.ProcessingInstruction, '<?xml version="1.0"?>'],
    [T.Doctype, `<!DOCTYPE domain [<!ENTITY x "<a>">]>`],
    [T.Comment, `<!-- <interface type='hostdev'> -->`],
    [T.CData, `<![CDATA[<hostdev type='pci'>]]>`],
  ]);
});

test('scanner: unterminated comment, CDATA and processing instruction run to EOF with an error', () => {
  for (const text of ['<!-- <a>', '<![CDATA[ <a>', '<?xml version="1.0"', '<!DOCTYPE x [ <a>']) {
    const all = tokens(text);
    assert.equal(all.length, 1, text);
    assert.equal(all[0][1], text);
    assert.ok(all[0][2], `expected an error for ${text}`);
  }
});

test('scanner: namespaced element and attribute names are one name token', () => {
  assert.deepEqual(
    tokens(`<qemu:commandline xmlns:qemu='u'>`).filter((t) => t[0] === T.StartTag || t[0] === T.AttributeName),
    [
      [T.StartTag, 'qemu:commandline'],
      [T.AttributeName, 'xmlns:qemu'],
    ],
  );
});

test('scanner: unclosed start tag stops at the next "<", which starts the next tag', () => {
  assert.deepEqual(types(`<mac address='x'\n<source>`), [
    T.StartTagOpen,
    T.StartTag,
    T.Whitespace,
    T.AttributeName,
    T.DelimiterAssign,
    T.AttributeValue,
    T.Whitespace,
    T.StartTagOpen,
    T.StartTag,
    T.StartTagClose,
  ]);
});

test('scanner: missing closing quote ends the value at whitespace, ">" or "/>" before the next "<"', () => {
  assert.deepEqual(tokens(`<mac address='52:54:00:00:00:01/>\n<source/>`).slice(5, 7), [
    [T.AttributeValue, `'52:54:00:00:00:01`, "Missing closing quote (') of attribute value"],
    [T.StartTagSelfClose, '/>'],
  ]);
  assert.deepEqual(tokens(`<a b="1 c='2'>`).slice(5, 8), [
    [T.AttributeValue, '"1', 'Missing closing quote (") of attribute value'],
    [T.Whitespace, ' '],
    [T.AttributeName, 'c'],
  ]);
});

test("scanner: `bus='0x03 slot='0x10'` reads as a missing quote after 0x03, not as the value \"0x03 slot=\"", () => {
  assert.deepEqual(tokens(`<a bus='0x03 slot='0x10'/>`).slice(5, 11), [
    [T.AttributeValue, `'0x03`, "Missing closing quote (') of attribute value"],
    [T.Whitespace, ' '],
    [T.AttributeName, 'slot'],
    [T.DelimiterAssign, '='],
    [T.AttributeValue, `'0x10'`],
    [T.StartTagSelfClose, '/>'],
  ]);
  // well-formed values that merely end in "name=" stay as they are
  assert.deepEqual(tokens(`<a b='x c=' d='1'/>`)[5], [T.AttributeValue, `'x c='`]);
  assert.deepEqual(tokens(`<a b='x c='/>`)[5], [T.AttributeValue, `'x c='`]);
});

test('scanner: a quoted value may contain ">" and newlines when its quote is closed', () => {
  assert.deepEqual(tokens(`<a b='x>\ny'>`)[5], [T.AttributeValue, `'x>\ny'`]);
});

test('scanner: unquoted value is one token with an error', () => {
  assert.deepEqual(tokens('<address type=pci/>').slice(5), [
    [T.AttributeValue, 'pci', 'Attribute value must be quoted'],
    [T.StartTagSelfClose, '/>'],
  ]);
});

test('scanner: half-typed attribute `type=` yields no value token', () => {
  assert.deepEqual(types('<address type='), [T.StartTagOpen, T.StartTag, T.Whitespace, T.AttributeName, T.DelimiterAssign]);
  assert.deepEqual(types('<address type= bus="1">'), [
    T.StartTagOpen,
    T.StartTag,
    T.Whitespace,
    T.AttributeName,
    T.DelimiterAssign,
    T.Whitespace,
    T.AttributeName,
    T.DelimiterAssign,
    T.AttributeValue,
    T.StartTagClose,
  ]);
  assert.deepEqual(types('<address type>'), [T.StartTagOpen, T.StartTag, T.Whitespace, T.AttributeName, T.StartTagClose]);
});

test('scanner: stray "<", junk in tags and unknown declarations are Unknown tokens or carry errors', () => {
  const stray = tokens('a < b');
  assert.equal(stray[1][0], T.Unknown);
  assert.equal(stray[1][1], '<');
  assert.deepEqual(tokens('<a %% b="1">')[3], [T.Unknown, '%%', "Unexpected '%%' in a start tag: attribute name, '>' or '/>' expected"]);
  assert.ok(tokens('<!ELEMENT x>')[0][2]);
});

test('scanner: end tag with whitespace before ">"; unclosed end tag followed by a start tag', () => {
  assert.deepEqual(types('</a  >'), [T.EndTagOpen, T.EndTag, T.Whitespace, T.EndTagClose]);
  assert.deepEqual(types('</a<b>'), [T.EndTagOpen, T.EndTag, T.StartTagOpen, T.StartTag, T.StartTagClose]);
});

test('scanner: every token advances and tokens tile the text, also for random bytes with NUL', () => {
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const alphabet = `<>/='"!?[]-&; \n\0aZ:x\u00e9\ud83d`;
  for (let round = 0; round < 200; round++) {
    let text = '';
    for (let i = 0; i < 200; i++) text += alphabet[Math.floor(rnd() * alphabet.length)];
    const s = createScanner(text);
    let expected = 0;
    for (let t = s.scan(); t !== T.EOS; t = s.scan()) {
      assert.equal(s.getTokenOffset(), expected);
      assert.ok(s.getTokenEnd() > s.getTokenOffset(), `empty ${t} token at ${s.getTokenOffset()} in ${JSON.stringify(text)}`);
      expected = s.getTokenEnd();
    }
    assert.equal(expected, text.length);
  }
});

test('scanner: empty text is EOS at once', () => {
  const s = createScanner('');
  assert.equal(s.scan(), T.EOS);
  assert.equal(s.scan(), T.EOS);
});

test('scanner: resumable from an offset and a state, e.g. inside a start tag', () => {
  const text = `<address type='pci' bus='0x03'/>`;
  const s = createScanner(text, text.indexOf('bus'), ScannerState.WithinTag);
  const seen: Array<[T, string]> = [];
  for (let t = s.scan(); t !== T.EOS; t = s.scan()) seen.push([t, text.substring(s.getTokenOffset(), s.getTokenEnd())]);
  assert.deepEqual(seen, [
    [T.AttributeName, 'bus'],
    [T.DelimiterAssign, '='],
    [T.AttributeValue, `'0x03'`],
    [T.StartTagSelfClose, '/>'],
  ]);
  assert.equal(s.getScannerState(), ScannerState.WithinContent);
});

test('scanner: resumeContentAt goes on in content at the offset, whatever state it was in', () => {
  const text = `<a b='1'/><c>x</c>`;
  const s = createScanner(text);
  assert.equal(s.scan(), T.StartTagOpen);
  assert.equal(s.getScannerState(), ScannerState.AfterOpeningStartTag);
  s.resumeContentAt(text.indexOf('<c>'));
  const seen: Array<[T, string]> = [];
  for (let t = s.scan(); t !== T.EOS; t = s.scan()) seen.push([t, text.substring(s.getTokenOffset(), s.getTokenEnd())]);
  assert.deepEqual(seen, [
    [T.StartTagOpen, '<'],
    [T.StartTag, 'c'],
    [T.StartTagClose, '>'],
    [T.Content, 'x'],
    [T.EndTagOpen, '</'],
    [T.EndTag, 'c'],
    [T.EndTagClose, '>'],
  ]);
});

test('scanner: the name character classes match exactly the code units isNameStart and isNameChar accept', () => {
  const start = new RegExp(`^${NAME_START_CLASS}$`);
  const char = new RegExp(`^${NAME_CHAR_CLASS}$`);
  const disagreements: string[] = [];
  for (let c = 0; c <= 0xffff; c++) {
    const unit = String.fromCharCode(c);
    if (start.test(unit) !== isNameStart(c)) disagreements.push(`start U+${c.toString(16)}`);
    if (char.test(unit) !== isNameChar(c)) disagreements.push(`char U+${c.toString(16)}`);
  }
  assert.deepEqual(disagreements, []);
});
