// What the parser makes of broken and half-typed input: every document is a tree, each problem is
// reported once where it starts, and the recovery (libxml2 stops at the first error) keeps the rest.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseXml } from '../../../../server/src/service/xml/parser';
import { attr } from '../../../../server/src/service/xml/query';
import { assertSane, attributeData, names, nth, only } from './helpers';

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

test('parser: unterminated comment swallows the rest and is reported at "<!--"', () => {
  const text = `<devices><!-- <interface type='hostdev'></interface></devices>`;
  const doc = parseXml(text);
  assertSane(doc);
  assert.deepEqual(only(doc.roots).children, []);
  const comment = doc.problems.find((p) => p.span.start === nth(text, '<!--'))!;
  assert.match(comment.message, /Unterminated comment/);
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
