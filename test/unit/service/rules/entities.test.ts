// libxml2 hands libvirt attribute values with character and predefined entity references
// replaced: `bus='0x0&#98;'` is bus 0x0b to libvirt (virsh define of such a domain reports
// "Hostdev already exists" against a `bus='11'` hostdev), so the rules must read the decoded value.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { domain, expectNone, hostdev, iface, problemsOf } from './helpers';
import { parseXml } from '../../../../server/src/service/xml/parser';

test('entities: an attribute value is decoded, its span stays on the text as written', () => {
  const text = `<a b='0x0&#98;&amp;'/>`;
  const [a] = parseXml(text).roots[0].attributes;
  assert.equal(a.value, '0x0b&');
  assert.equal(text.slice(a.valueSpan!.start, a.valueSpan!.end), '0x0&#98;&amp;');
});

test("entities: bus='0x0&#98;' is a valid number and duplicates bus='11'", () => {
  const text = domain(
    iface('', { source: "<source><address type='pci' domain='0x0000' bus='0x0&#98;' slot='0x10' function='0x2'/></source>" }) +
      hostdev("domain='0' bus='11' slot='0x10' function='2'"),
  );
  expectNone(text, 'pci-number');
  assert.equal(problemsOf(text, 'pci-duplicate').length, 2);
});

test("entities: type='host&#100;ev' is a hostdev interface and a MAC with a reference is read decoded", () => {
  const text = `<interface type='host&#100;ev' managed='yes'><source><address type='pci' bus='0x0b' slot='0x10' function='0x2'/></source></interface>`;
  assert.equal(problemsOf(text, 'mac-missing').length, 1);
  expectNone(iface('', { mac: "<mac address='52:54:00:6d:90:0&#x32;'/>" }), 'mac-syntax');
  assert.equal(problemsOf(iface('', { mac: "<mac address='&#x30;1:00:5e:00:00:fb'/>" }), 'mac-multicast').length, 1);
});

test("entities: a general entity of the internal DTD subset is expanded in attribute values (virsh dumpxml shows bus='0x0b')", () => {
  const text =
    `<!DOCTYPE domain [\n  <!ENTITY b "0x0&#98;">\n  <!ENTITY vf 'slot="0x10"'>\n]>\n` +
    domain(
      iface('', { source: "<source><address type='pci' domain='0x0000' bus='&b;' slot='0x10' function='0x2'/></source>" }) +
        hostdev("domain='0' bus='11' slot='0x10' function='2'"),
    );
  expectNone(text, 'pci-number');
  expectNone(text, 'xml-syntax');
  assert.equal(problemsOf(text, 'pci-duplicate').length, 2);
});

test('entities: an undeclared or recursive entity is left as written (and still an error)', () => {
  const text =
    `<!DOCTYPE domain [<!ENTITY a "&a;">]>\n` +
    iface('', { source: "<source><address type='pci' domain='0x0000' bus='&a;' slot='0x10' function='0x2'/></source>" });
  assert.equal(problemsOf(text, 'pci-number').length, 1);
});

test('entities: a "billion laughs" DTD does not blow up an attribute value', () => {
  const lol =
    `<!ENTITY l0 "${'x'.repeat(1000)}">` + Array.from({ length: 5 }, (_, i) => `<!ENTITY l${i + 1} "${`&l${i};`.repeat(100)}">`).join('');
  const text =
    `<!DOCTYPE domain [${lol}]>\n` +
    iface('', { source: "<source><address type='pci' domain='0x0000' bus='&l5;' slot='0x10' function='0x2'/></source>" });
  const source = parseXml(text).roots[0].children.find((c) => c.name === 'source')!;
  const bus = source.children[0].attributes.find((a) => a.name === 'bus')!;
  assert.ok(bus.value!.length <= 200_000, `${bus.value!.length} characters`);
});
