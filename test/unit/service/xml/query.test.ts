import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseXml } from '../../../../server/src/service/xml/parser';
import {
  attr,
  attributeAt,
  attrValue,
  childElements,
  decodeXmlText,
  elementAt,
  firstChild,
  pathOf,
  textOf,
  textSpanOf,
  walk,
} from '../../../../server/src/service/xml/query';
import type { XmlElement } from '../../../../server/src/service/xml/types';
import { nth } from './helpers';

const TEXT = `<domain>
  <name> vm-a </name>
  <devices>
    <interface type='hostdev'>
      <source><address type='pci' bus='0x03'/></source>
      <address type='pci' slot='0x07'/>
    </interface>
    <qemu:interface type='x'/>
  </devices>
</domain>`;

test('query: attr, attrValue, childElements and firstChild match names exactly', () => {
  const doc = parseXml(TEXT);
  const devices = firstChild(doc.roots[0], 'devices')!;
  assert.deepEqual(
    childElements(devices).map((e) => e.name),
    ['interface', 'qemu:interface'],
  );
  assert.deepEqual(
    childElements(devices, 'interface').map((e) => e.name),
    ['interface'],
  );
  const iface = firstChild(devices, 'interface')!;
  assert.equal(attrValue(iface, 'type'), 'hostdev');
  assert.equal(attrValue(iface, 'managed'), null);
  assert.equal(attr(iface, 'type')?.quote, "'");
  assert.equal(attr(iface, 'Type'), undefined);
  assert.equal(firstChild(iface, 'address')?.parent, iface);
  assert.equal(firstChild(iface, 'mac'), null);
  assert.equal(attrValue(parseXml('<a b=').roots[0], 'b'), null);
});

test('query: textOf concatenates direct text and CDATA, trimmed; textSpanOf spans the trimmed text', () => {
  const text = `<name> vm<![CDATA[-a]]><b>x</b>1 </name>`;
  const el = parseXml(text).roots[0];
  assert.equal(textOf(text, el), 'vm-a1');
  assert.deepEqual(textSpanOf(text, el), { start: nth(text, 'vm'), end: nth(text, '1 </') + 1 });
  const empty = `<name>  </name>`;
  assert.equal(textOf(empty, parseXml(empty).roots[0]), '');
  assert.equal(textSpanOf(empty, parseXml(empty).roots[0]), null);
});

test('query: elementAt finds the innermost element over [start, end)', () => {
  const doc = parseXml(TEXT);
  const at = (needle: string, n = 0, delta = 0) => elementAt(doc.roots, nth(TEXT, needle, n) + delta)?.name ?? null;
  assert.equal(at('<domain'), 'domain');
  assert.equal(at('vm-a'), 'name');
  assert.equal(at("bus='0x03'"), 'address');
  assert.equal(at('slot='), 'address');
  assert.equal(elementAt(doc.roots, nth(TEXT, 'slot='))?.parent?.name, 'interface');
  assert.equal(at('</interface>'), 'interface');
  assert.equal(at('</interface>', 0, '</interface>'.length), 'devices');
  assert.equal(elementAt(doc.roots, TEXT.length), null);
  assert.equal(elementAt(parseXml('x <a/>').roots, 0), null);
});

test('query: elementAt holds the cursor at the end of an element closed by recovery', () => {
  const text = `<interface type='hostdev'>\n  <mac address='x' `;
  const doc = parseXml(text);
  assert.equal(elementAt(doc.roots, text.length)?.name, 'mac');
  const unclosed = `<a><mac b='1'\n<source/></a>`;
  assert.equal(elementAt(parseXml(unclosed).roots, nth(unclosed, "'1'") + 3)?.name, 'mac');
});

test('query: attributeAt covers the name and the value up to its last character', () => {
  const text = `<address type='pci' bus= slot=''/>`;
  const el = parseXml(text).roots[0];
  assert.equal(attributeAt(el, nth(text, 'type'))?.name, 'type');
  assert.equal(attributeAt(el, nth(text, 'pci') + 3)?.name, 'type');
  assert.equal(attributeAt(el, nth(text, 'pci') + 4), undefined);
  assert.equal(attributeAt(el, nth(text, 'bus') + 3)?.name, 'bus');
  assert.equal(attributeAt(el, nth(text, "''") + 1)?.name, 'slot');
  assert.equal(attributeAt(el, 1), undefined);
});

test('query: walk visits in document order and can skip subtrees', () => {
  const doc = parseXml(TEXT);
  const all: string[] = [];
  walk(doc, (el) => void all.push(el.name));
  assert.deepEqual(all, ['domain', 'name', 'devices', 'interface', 'source', 'address', 'address', 'qemu:interface']);
  const pruned: string[] = [];
  walk(doc, (el) => {
    pruned.push(el.name);
    return el.name !== 'interface';
  });
  assert.deepEqual(pruned, ['domain', 'name', 'devices', 'interface', 'qemu:interface']);
});

test('query: walk, elementAt and pathOf work on 100,000-deep trees', () => {
  const depth = 100_000;
  const text = '<a>'.repeat(depth) + '</a>'.repeat(depth);
  const doc = parseXml(text);
  let count = 0;
  walk(doc, () => void count++);
  assert.equal(count, depth);
  const innermost: XmlElement = elementAt(doc.roots, 3 * depth)!;
  assert.equal(innermost.children.length, 0);
  assert.equal(pathOf(innermost).length, depth);
});

test('query: decodeXmlText replaces predefined entities and character references only', () => {
  assert.equal(decodeXmlText('a&amp;b &lt;&gt;&quot;&apos; &#65;&#x42; &nbsp; &#xFFFFFFF;'), `a&b <>"' AB &nbsp; &#xFFFFFFF;`);
  assert.equal(decodeXmlText('plain'), 'plain');
});
