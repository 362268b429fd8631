import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseXml } from '../../../../server/src/service/xml/parser';
import { attr, attrValue, walk } from '../../../../server/src/service/xml/query';
import type { XmlElement } from '../../../../server/src/service/xml/types';
import { assertSane, attributeData, marked, nth } from './helpers';

function names(els: XmlElement[]): string[] {
  return els.map((e) => e.name);
}

function only<T>(list: T[]): T {
  assert.equal(list.length, 1, `expected exactly one, got ${list.length}`);
  return list[0];
}

test('parser: well-formed element tree with exact spans', () => {
  const { text, at } = marked(`|<|interface| type='|hostdev|'>|\n  |<|source|>|<|address| bus="|0x03|"/>|</source>|\n|</interface>|`);
  const doc = parseXml(text);
  assert.deepEqual(doc.problems, []);
  assertSane(doc);
  const iface = only(doc.roots);
  assert.equal(iface.name, 'interface');
  assert.equal(iface.start, at[0]);
  assert.deepEqual(iface.nameSpan, { start: at[1], end: at[2] });
  assert.equal(iface.startTagEnd, at[5]);
  assert.equal(iface.endTagStart, at[16]);
  assert.equal(iface.end, at[17]);
  assert.equal(iface.closed, true);
  assert.equal(iface.selfClosing, false);
  assert.deepEqual(iface.attributes.map(attributeData), [
    {
      name: 'type',
      nameSpan: { start: at[2] + 1, end: at[2] + 5 },
      value: 'hostdev',
      valueSpan: { start: at[3], end: at[4] },
      quote: "'",
      closed: true,
    },
  ]);
  const source = only(iface.children);
  assert.equal(source.start, at[6]);
  assert.deepEqual(source.nameSpan, { start: at[7], end: at[8] });
  assert.equal(source.parent, iface);
  assert.equal(source.endTagStart, at[14]);
  assert.equal(source.end, at[15]);
  const address = only(source.children);
  assert.equal(address.selfClosing, true);
  assert.equal(address.closed, true);
  assert.equal(address.endTagStart, null);
  assert.equal(address.start, at[9]);
  assert.equal(address.end, at[14]);
  assert.deepEqual(attr(address, 'bus')?.valueSpan, { start: at[12], end: at[13] });
  assert.equal(attr(address, 'bus')?.quote, '"');
  // indentation only: no text spans
  assert.deepEqual(iface.textSpans, []);
});

test('parser: text spans cover the direct text runs that hold more than whitespace', () => {
  const { text, at } = marked(`<name>|  vm |<!-- c -->| -a|<x/>  </name>`);
  const name = only(parseXml(text).roots);
  assert.deepEqual(name.textSpans, [
    { start: at[0], end: at[1] },
    { start: at[2], end: at[3] },
  ]);
});

test('parser: unclosed <mac ...> before <source> ends at the next "<" and is closed by recovery', () => {
  const text = `<interface type='hostdev'>\n  <mac address='52:54:00:00:00:01'\n  <source><address type='pci' bus='0x03'/></source>\n</interface>`;
  const doc = parseXml(text);
  assertSane(doc);
  const iface = only(doc.roots);
  assert.equal(iface.closed, true);
  assert.deepEqual(names(iface.children), ['mac', 'source']);
  const [mac, source] = iface.children;
  assert.equal(mac.closed, false);
  assert.equal(mac.startTagEnd, nth(text, '<source'));
  assert.equal(mac.end, nth(text, '<source'));
  assert.deepEqual(mac.children, []);
  assert.equal(attr(mac, 'address')?.value, '52:54:00:00:00:01');
  assert.equal(source.closed, true);
  assert.deepEqual(names(source.children), ['address']);
  const problem = only(doc.problems);
  assert.equal(problem.code, 'xml-syntax');
  assert.equal(problem.severity, 'error');
  assert.deepEqual(problem.span, { start: nth(text, 'mac'), end: nth(text, 'mac') + 3 });
  assert.equal(problem.message, "Unclosed start tag <mac …>: '>' expected before <source> on line 3");
});

test('parser: unclosed start tag at EOF ends at text.length; open ancestors end there too, unclosed', () => {
  const text = `<interface type='hostdev'><mac address='x'`;
  const doc = parseXml(text);
  assertSane(doc);
  const iface = only(doc.roots);
  const mac = only(iface.children);
  assert.equal(mac.end, text.length);
  assert.equal(mac.startTagEnd, text.length);
  assert.equal(mac.closed, false);
  assert.equal(iface.end, text.length);
  assert.equal(iface.closed, false);
  assert.deepEqual(
    doc.problems.map((p) => p.span.start).sort((a, b) => a - b),
    [nth(text, 'interface'), nth(text, 'mac')],
  );
  assert.match(doc.problems.find((p) => p.span.start === 1)!.message, /<interface> is not closed/);
  assert.equal(
    doc.problems.find((p) => p.span.start === nth(text, 'mac'))!.message,
    "Unclosed start tag <mac …>: '>' expected before the end of the document",
  );
  assert.match(parseXml('<a><b</a>').problems[0].message, /^Unclosed start tag <b>: '>' expected before <\/a> on line 1$/);
});

test('parser: end tag matching an ancestor closes the open elements in between (closed=false)', () => {
  const text = `<devices>\n  <interface type='hostdev'>\n    <source>\n</devices>\n<after/>`;
  const doc = parseXml(text);
  assertSane(doc);
  assert.deepEqual(names(doc.roots), ['devices', 'after']);
  const devices = doc.roots[0];
  const iface = only(devices.children);
  const source = only(iface.children);
  const endTag = nth(text, '</devices>');
  assert.equal(devices.closed, true);
  assert.equal(devices.endTagStart, endTag);
  assert.equal(devices.end, endTag + '</devices>'.length);
  for (const el of [iface, source]) {
    assert.equal(el.closed, false);
    assert.equal(el.end, endTag);
    assert.equal(el.endTagStart, null);
  }
  const problem = only(doc.problems);
  assert.deepEqual(problem.span, { start: endTag + 2, end: endTag + 9 });
  assert.match(problem.message, /End tag <\/devices> does not match <source> opened at line 3/);
});

test('parser: end tag matching nothing open is reported and ignored', () => {
  const text = `<interface><source></hostdev></source></interface>`;
  const doc = parseXml(text);
  assertSane(doc);
  const iface = only(doc.roots);
  assert.equal(iface.closed, true);
  assert.equal(only(iface.children).closed, true);
  const problem = only(doc.problems);
  assert.deepEqual(problem.span, { start: nth(text, 'hostdev'), end: nth(text, 'hostdev') + 7 });
  assert.match(problem.message, /End tag <\/hostdev> has no matching start tag \(the open element is <source> from line 1\)/);
});

test('parser: recovery keeps track of which names are open', () => {
  const text = `<a><b><a><c></a></b></b></a><y></x><y></y>`;
  const doc = parseXml(text);
  assertSane(doc);
  assert.deepEqual(names(doc.roots), ['a', 'y']);
  const outer = doc.roots[0];
  const b = only(outer.children);
  const inner = only(b.children);
  assert.equal(inner.closed, true);
  assert.equal(only(inner.children).closed, false);
  assert.equal(b.closed, true);
  assert.equal(outer.closed, true);
  assert.deepEqual(names(doc.roots[1].children), ['y']);
  assert.deepEqual(
    doc.problems.map((p) => p.span.start),
    [nth(text, 'a>', 2), nth(text, 'b>', 2), nth(text, 'x>'), nth(text, 'y')],
  );
});

test('parser: 100,000 stray end tags inside 100,000 open elements are each rejected without walking the ancestors', () => {
  const depth = 100_000;
  const doc = parseXml('<a>'.repeat(depth) + '</b>'.repeat(depth) + '</a>'.repeat(depth));
  assert.equal(doc.roots[0].closed, true);
  assert.equal(doc.problems.length, 1000);
});

test('parser: end tag without ">" is applied and reported', () => {
  const text = `<a><b></b\n<c/></a>`;
  const doc = parseXml(text);
  assertSane(doc);
  const a = only(doc.roots);
  assert.deepEqual(names(a.children), ['b', 'c']);
  assert.equal(a.children[0].closed, true);
  assert.equal(a.children[0].end, nth(text, '</b') + 3);
  assert.match(only(doc.problems).message, /Unclosed end tag <\/b>: '>' expected/);
});

test('parser: missing closing quote gives an unclosed attribute and a problem at the value', () => {
  const text = `<mac address='52:54:00:00:00:01/>\n<model type="virtio"/>`;
  const doc = parseXml(text);
  assertSane(doc);
  assert.deepEqual(names(doc.roots), ['mac', 'model']);
  const a = attr(doc.roots[0], 'address')!;
  assert.equal(a.value, '52:54:00:00:00:01');
  assert.equal(a.closed, false);
  assert.equal(a.quote, "'");
  const q = nth(text, "'");
  assert.deepEqual(a.valueSpan, { start: q + 1, end: q + 18 });
  assert.equal(doc.roots[0].selfClosing, true);
  const problem = only(doc.problems);
  assert.equal(problem.span.start, q);
  assert.match(problem.message, /Missing closing quote/);
});

test('parser: an opening quote at EOF gives an empty value right after the quote', () => {
  const text = `<address type='`;
  const a = attr(only(parseXml(text).roots), 'type')!;
  assert.equal(a.value, '');
  assert.deepEqual(a.valueSpan, { start: text.length, end: text.length });
  assert.equal(a.closed, false);
});

test('parser: half-typed `type=` and bare `type` have value null', () => {
  const open = only(parseXml(`<address type=`).roots);
  assert.deepEqual(attributeData(attr(open, 'type')), {
    name: 'type',
    nameSpan: { start: 9, end: 13 },
    value: null,
    valueSpan: null,
    quote: null,
    closed: false,
  });
  const text = `<address type= bus='0x1' managed/>`;
  const doc = parseXml(text);
  assertSane(doc);
  const el = only(doc.roots);
  assert.equal(attr(el, 'type')?.value, null);
  assert.equal(attr(el, 'bus')?.value, '0x1');
  assert.equal(attr(el, 'managed')?.value, null);
  assert.deepEqual(
    doc.problems.map((p) => [p.span.start, /has no value/.test(p.message)]),
    [
      [nth(text, 'type'), true],
      [nth(text, 'managed'), true],
    ],
  );
});

test('parser: unquoted value is taken, reported, and has quote null', () => {
  const doc = parseXml(`<address type=pci/>`);
  const a = attr(only(doc.roots), 'type')!;
  assert.equal(a.value, 'pci');
  assert.equal(a.quote, null);
  assert.deepEqual(a.valueSpan, { start: 14, end: 17 });
  assert.match(only(doc.problems).message, /must be quoted/);
});

test("parser: comments and CDATA containing <interface type='hostdev'> produce no element", () => {
  const text = `<devices><!-- <interface type='hostdev'> --><![CDATA[<interface type='hostdev'>]]></devices>`;
  const doc = parseXml(text);
  assert.deepEqual(doc.problems, []);
  const devices = only(doc.roots);
  assert.deepEqual(devices.children, []);
  const cdata = nth(text, '<![CDATA[') + 9;
  assert.deepEqual(devices.textSpans, [{ start: cdata, end: cdata + `<interface type='hostdev'>`.length }]);
});

test('parser: unterminated comment swallows the rest and is reported at "<!--"', () => {
  const text = `<devices><!-- <interface type='hostdev'></interface></devices>`;
  const doc = parseXml(text);
  assertSane(doc);
  assert.deepEqual(only(doc.roots).children, []);
  const comment = doc.problems.find((p) => p.span.start === nth(text, '<!--'))!;
  assert.match(comment.message, /Unterminated comment/);
});

test('parser: XML declaration and other processing instructions; a late <?xml is reported', () => {
  const ok = parseXml(`<?xml version="1.0" encoding="UTF-8"?>\n<domain><?pi data?></domain>`);
  assert.deepEqual(ok.problems, []);
  assert.deepEqual(names(ok.roots), ['domain']);
  const bom = parseXml(`\ufeff<?xml version="1.0"?><domain/>`);
  assert.deepEqual(bom.problems, []);
  const late = parseXml(`\n<?xml version="1.0"?><domain/>`);
  assert.match(only(late.problems).message, /only at the very start/);
  assert.deepEqual(only(parseXml(`<a><?pi=x?></a>`).problems).span, { start: 7, end: 8 });
  assert.deepEqual(only(parseXml(`<a><? x?></a>`).problems).span, { start: 3, end: 5 });
  assert.deepEqual(parseXml(`<a><?pi?></a>`).problems, []);
});

test('parser: DOCTYPE with an internal subset; declared entities are accepted', () => {
  const doc = parseXml(`<!DOCTYPE domain [<!ENTITY vm "guest">]><domain><name>&vm;</name></domain>`);
  assert.deepEqual(doc.problems, []);
  assert.deepEqual(names(doc.roots), ['domain']);
});

test('parser: namespaced names (qemu:commandline) are kept as written', () => {
  const text = `<domain xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'><qemu:commandline><qemu:arg value='-x'/></qemu:commandline></domain>`;
  const doc = parseXml(text);
  assert.deepEqual(doc.problems, []);
  const domain = only(doc.roots);
  assert.equal(domain.attributes[0].name, 'xmlns:qemu');
  const cmd = only(domain.children);
  assert.equal(cmd.name, 'qemu:commandline');
  assert.equal(cmd.closed, true);
  assert.equal(only(cmd.children).name, 'qemu:arg');
});

test('parser: several top-level elements with text around them, as in a bare snippet', () => {
  const doc = parseXml(`notes\n<interface type='hostdev'/>\n\n<hostdev type='pci'></hostdev>\ntrailing`);
  assert.deepEqual(doc.problems, []);
  assert.deepEqual(names(doc.roots), ['interface', 'hostdev']);
});

test('parser: entity and character references', () => {
  assert.deepEqual(parseXml(`<a b='&amp;&#38;&#x26;'>&lt;&gt;&quot;&apos;</a>`).problems, []);
  const text = `<a b='x & y'>&nbsp; &#xZZ; &amp</a>`;
  const doc = parseXml(text);
  assertSane(doc);
  assert.deepEqual(
    doc.problems.map((p) => p.span.start),
    [nth(text, '&'), nth(text, '&nbsp'), nth(text, '&#x'), nth(text, '&amp')],
  );
  assert.match(doc.problems[1].message, /Undefined entity &nbsp;/);
  const refs = `<a>&#0;&#xD800;&#x10FFFF;&#9;</a>`;
  assert.deepEqual(
    parseXml(refs).problems.map((p) => [p.span.start, p.span.end]),
    [
      [3, 7],
      [7, 15],
    ],
  );
});

test('parser: <!DOCTYPE ...> inside or after the root element is reported', () => {
  const text = `<a><!DOCTYPE x></a>`;
  assert.deepEqual(only(parseXml(text).problems).span, { start: 3, end: 12 });
  assert.deepEqual(parseXml(`<!DOCTYPE a>\n<a/>`).problems, []);
});

test('parser: libxml2 content rules: "--" in comments, "]]>" in content', () => {
  const text = `<a><!-- --opt --><!-- x ---><b>]]></b><!-- ok - fine --></a>`;
  const doc = parseXml(text);
  assertSane(doc);
  assert.deepEqual(
    doc.problems.map((p) => p.span),
    [
      { start: nth(text, '--opt'), end: nth(text, '--opt') + 2 },
      { start: nth(text, '--->'), end: nth(text, '--->') + 2 },
      { start: nth(text, ']]>'), end: nth(text, ']]>') + 3 },
    ],
  );
  assert.match(doc.problems[0].message, /Double hyphen/);
});

test('parser: a <domain> document holds only <domain>; a snippet may hold several elements and notes', () => {
  const extra = `<domain><name>x</name></domain>
<interface type='hostdev'/>
`;
  const extraDoc = parseXml(extra);
  assert.deepEqual(
    extraDoc.problems.map((p) => p.span),
    [{ start: nth(extra, 'interface'), end: nth(extra, 'interface') + 9 }],
  );
  const before = `hello there
<domain/>`;
  assert.deepEqual(only(parseXml(before).problems).span, { start: 0, end: 11 });
  assert.match(only(parseXml(before).problems).message, /Text before the <domain> element/);
  assert.deepEqual(
    parseXml(`<!-- c -->
<domain/>
<!-- c -->
`).problems,
    [],
  );
  assert.deepEqual(
    parseXml(`note
<interface/><hostdev/>
more`).problems,
    [],
  );
});

test('parser: forbidden control characters and attributes without whitespace between them', () => {
  const text = `<a b='1'c='2'>x\u0000y\u0007</a>`;
  const doc = parseXml(text);
  assertSane(doc);
  assert.equal(attrValue(doc.roots[0], 'c'), '2');
  assert.deepEqual(
    doc.problems.map((p) => p.span.start).sort((x, y) => x - y),
    [nth(text, 'c='), nth(text, '\u0000'), nth(text, '\u0007')],
  );
  assert.ok(doc.problems.some((p) => p.message === 'Character U+0000 is not allowed in XML'));
});

test('parser: a repeated attribute is reported at its second name', () => {
  const text = `<address bus='1' bus='2'/>`;
  const doc = parseXml(text);
  assert.deepEqual(only(doc.problems).span, { start: nth(text, 'bus', 1), end: nth(text, 'bus', 1) + 3 });
  assert.equal(attr(only(doc.roots), 'bus')?.value, '1');
});

test('parser: a stray "<" in text is reported and the rest still parses', () => {
  const doc = parseXml(`<name>a < b</name><x/>`);
  assertSane(doc);
  assert.deepEqual(names(doc.roots), ['name', 'x']);
  assert.equal(doc.roots[0].closed, true);
  assert.equal(only(doc.problems).span.start, 8);
});

test('parser: end tags without a name are reported at "</" and change nothing', () => {
  for (const text of ['<a></></a>', '<a></ b></a>', '<a></']) {
    const doc = parseXml(text);
    assertSane(doc);
    assert.ok(
      doc.problems.some((p) => p.span.start === 3),
      text,
    );
    assert.equal(doc.roots[0].closed, text.endsWith('</a>'), text);
  }
});

test('parser: empty text gives an empty document', () => {
  assert.deepEqual(parseXml(''), { text: '', roots: [], problems: [] });
});

test('parser: 100,000-deep nesting does not overflow the stack', () => {
  const depth = 100_000;
  const text = '<a>'.repeat(depth) + '</a>'.repeat(depth);
  const doc = parseXml(text);
  assert.deepEqual(doc.problems, []);
  let deepest = 0;
  let level = 0;
  for (let el: XmlElement | undefined = doc.roots[0]; el; el = el.children[0]) {
    level++;
    assert.equal(el.closed, true);
  }
  deepest = level;
  assert.equal(deepest, depth);
  const unclosed = parseXml('<a>'.repeat(depth));
  assert.equal(unclosed.roots[0].end, 3 * depth);
  assert.ok(unclosed.problems.length > 0 && unclosed.problems.length <= 1000);
});

test('parser: a 20 MB generated document parses completely', () => {
  const device = `    <interface type='hostdev' managed='yes'>\n      <mac address='52:54:00:6d:90:02'/>\n      <source>\n        <address type='pci' domain='0x0000' bus='0x03' slot='0x10' function='0x1'/>\n      </source>\n    </interface>\n`;
  const count = Math.ceil((20 * 1024 * 1024) / device.length);
  const text = `<domain type='kvm'>\n  <name>big</name>\n  <devices>\n${device.repeat(count)}  </devices>\n</domain>\n`;
  const doc = parseXml(text);
  assert.deepEqual(doc.problems, []);
  const devices = doc.roots[0].children[1];
  assert.equal(devices.children.length, count);
  assert.equal(devices.children[count - 1].children[1].children[0].attributes.length, 5);
});

test('parser: assertSane checks attribute values as decoded (references, tab/newline)', () => {
  assertSane(parseXml(`<a b='x\ny' c='x\ty' d='x&#10;y' e='x&amp;y'/>`));
});

test('parser: random bytes including NUL never throw and keep the invariants', () => {
  let seed = 12345;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let round = 0; round < 300; round++) {
    const size = Math.floor(rnd() * 400);
    let text = '';
    const structured = round % 2 === 0;
    const alphabet = `<></='"!?[]-&#;x: \n\tab\0`;
    for (let i = 0; i < size; i++) {
      text += structured ? alphabet[Math.floor(rnd() * alphabet.length)] : String.fromCharCode(Math.floor(rnd() * 65536));
    }
    assertSane(parseXml(text));
  }
  const bytes = Buffer.alloc(1 << 20);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(rnd() * 256);
  const binary = parseXml(bytes.toString('latin1'));
  assertSane(binary);
  assert.ok(binary.problems.length <= 1000);
});

test('parser: every element of a typical domain is visited once by walk', () => {
  const doc = parseXml(
    `<domain><name>x</name><devices><interface type='hostdev'><source><address/></source></interface></devices></domain>`,
  );
  const seen: string[] = [];
  walk(doc, (el) => {
    seen.push(el.name);
  });
  assert.deepEqual(seen, ['domain', 'name', 'devices', 'interface', 'source', 'address']);
});

test('parser: a span read from the tree is a copy: changing it moves nothing in the tree', () => {
  const text = `<devices><address bus='0x03'/></devices>`;
  const address = only(only(parseXml(text).roots).children);
  const bus = attr(address, 'bus')!;
  const valueSpan = bus.valueSpan!;
  valueSpan.start += 5;
  address.nameSpan.start += 5;
  bus.nameSpan.end += 5;
  assert.deepEqual(bus.valueSpan, { start: text.indexOf('0x03'), end: text.indexOf('0x03') + 4 });
  assert.deepEqual(bus.nameSpan, { start: text.indexOf('bus'), end: text.indexOf('bus') + 3 });
  assert.deepEqual(address.nameSpan, { start: text.indexOf('address'), end: text.indexOf('address') + 7 });
  assert.equal(text.substring(address.nameSpan.start, address.nameSpan.end), 'address');
});
