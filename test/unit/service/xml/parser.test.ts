import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseXml, parseXmlByTokens } from '../../../../server/src/service/xml/parser';
import { attr, attrValue, walk } from '../../../../server/src/service/xml/query';
import type { XmlElement } from '../../../../server/src/service/xml/types';
import type { ElementNode } from '../../../../server/src/service/xml/nodes';
import { assertSane, attributeData, marked, names, nth, only } from './helpers';

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

test("parser: comments and CDATA containing <interface type='hostdev'> produce no element", () => {
  const text = `<devices><!-- <interface type='hostdev'> --><![CDATA[<interface type='hostdev'>]]></devices>`;
  const doc = parseXml(text);
  assert.deepEqual(doc.problems, []);
  const devices = only(doc.roots);
  assert.deepEqual(devices.children, []);
  const cdata = nth(text, '<![CDATA[') + 9;
  assert.deepEqual(devices.textSpans, [{ start: cdata, end: cdata + `<interface type='hostdev'>`.length }]);
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

test('parser: a repeated attribute is reported where earlier tags of that name had each name at one of its positions', () => {
  // <a y='1'/> leaves y expected at both positions of the next <a>: its two y are read as expected
  const text = `<r><a x='1' y='2'/><a y='1'/><a y='1' y='2'/></r>`;
  for (const parse of [parseXml, parseXmlByTokens]) {
    const doc = parse(text);
    const last = text.lastIndexOf('y=');
    assert.deepEqual(only(doc.problems).span, { start: last, end: last + 1 });
    assert.match(only(doc.problems).message, /Attribute y is repeated in <a>/);
  }
});

test('parser: empty text gives an empty document', () => {
  assert.deepEqual(parseXml(''), { text: '', roots: [], problems: [] });
});

test('parser: 100,000-deep nesting does not overflow the stack', () => {
  const depth = 100_000;
  const text = '<a>'.repeat(depth) + '</a>'.repeat(depth);
  const doc = parseXml(text);
  // libxml2's depth limit is one problem, at the first element past it; the tree is still whole
  assert.deepEqual(
    doc.problems.map((p) => p.span.start),
    [3 * 257],
  );
  assert.match(doc.problems[0].message, /Excessive depth in document/);
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

test('parser: attributes past the size of an attribute table are all kept, in one step and token by token', () => {
  // a short text gets a small first table: the 40 attributes of <b> (and the 40 of <c>, one without a
  // value, which only the scanner reads) do not fit in it and move to the next table part-way
  const many = (prefix: string): string => Array.from({ length: 40 }, (_, i) => ` ${prefix}${i}='v${i}'`).join('');
  const text = `<a x='1' y="2"><b${many('p')}/><c${many('q')} bare/></a>`;
  for (const parse of [parseXml, parseXmlByTokens]) {
    const doc = parse(text);
    assertSane(doc);
    const a = only(doc.roots);
    const [b, c] = a.children;
    assert.deepEqual(
      a.attributes.map((x) => [x.name, x.value, x.quote]),
      [
        ['x', '1', "'"],
        ['y', '2', '"'],
      ],
    );
    assert.equal(b.attributes.length, 40);
    assert.equal(c.attributes.length, 41);
    for (let i = 0; i < 40; i++) {
      assert.equal(attrValue(b, `p${i}`), `v${i}`);
      assert.equal(attrValue(c, `q${i}`), `v${i}`);
      const at = text.indexOf(` q${i}=`) + 1;
      assert.deepEqual(attributeData(attr(c, `q${i}`)), {
        name: `q${i}`,
        nameSpan: { start: at, end: at + `q${i}`.length },
        value: `v${i}`,
        valueSpan: { start: at + `q${i}='`.length, end: at + `q${i}='v${i}`.length },
        quote: "'",
        closed: true,
      });
    }
    assert.equal(attrValue(c, 'bare'), null);
    assert.equal(attr(c, 'bare')?.name, 'bare');
    assert.deepEqual(
      doc.problems.map((p) => p.message),
      ["Attribute bare has no value: bare='...' expected"],
    );
  }
});

test('parser: attribute spans are exact for values decoded, values as written, and after the element moves', () => {
  const text = `<r><a x='1&amp;2' y="3" z='&#x20;'/><a x='4' y="5" z=' '/></r>`;
  const [first, second] = only(parseXml(text).roots).children as ElementNode[];
  const spans = (el: XmlElement): unknown =>
    el.attributes.map((a) => [a.name, a.value, text.substring(a.nameSpan.start, a.nameSpan.end), a.valueSpan]);
  const valueAt = (written: string, from: number): { start: number; end: number } => {
    const start = text.indexOf(written, from);
    return { start, end: start + written.length };
  };
  const secondAt = text.indexOf('<a', 1 + text.indexOf('<a'));
  assert.deepEqual(spans(first), [
    ['x', '1&2', 'x', valueAt('1&amp;2', 0)],
    ['y', '3', 'y', valueAt('3', 0)],
    ['z', ' ', 'z', valueAt('&#x20;', 0)],
  ]);
  assert.deepEqual(spans(second), [
    ['x', '4', 'x', valueAt('4', secondAt)],
    ['y', '5', 'y', valueAt('5', secondAt)],
    ['z', ' ', 'z', { start: text.indexOf("z=' '") + 3, end: text.indexOf("z=' '") + 4 }],
  ]);
  // an edit before the elements moves their attributes (incremental.ts), read or not yet read as objects
  const moved = parseXml(text);
  const [a, b] = only(moved.roots).children as ElementNode[];
  a.attributes;
  a.moveAttributesBy(7);
  b.moveAttributesBy(7);
  const shifted = (el: XmlElement): unknown =>
    el.attributes.map((x) => [x.nameSpan.start - 7, x.valueSpan!.start - 7, x.valueSpan!.end - 7]);
  const expected = (el: XmlElement): unknown => el.attributes.map((x) => [x.nameSpan.start, x.valueSpan!.start, x.valueSpan!.end]);
  assert.deepEqual(shifted(a), expected(first));
  assert.deepEqual(shifted(b), expected(second));
});
