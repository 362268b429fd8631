// validate(): the parser's xml-syntax problems plus every rule family, in document order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { validate } from '../../../../server/src/service/validate';
import { domain, expectAt, hostdev, iface, inventory82576 } from './helpers';

test('xml-syntax problems come through, and the rest of the document is still checked', () => {
  const text = domain(
    "<interface type='hostdev' managed='yes'>\n  <[[mac]] address='52:54:00:6d:90:22'\n  <source><address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x6'/></source>\n" +
      "  <[[vlan]]><tag id='42'/></vlan>\n  <virtualport type='802.1Qbh'><parameters profileid='finance'/></virtualport>\n</interface>\n",
  );
  expectAt(text.replace('<[[vlan]]>', '<vlan>'), 'xml-syntax', 'error');
  expectAt(text.replace('<[[mac]]', '<mac'), 'vlan-virtualport', 'error');
});

test('problems are sorted by offset across devices and families', () => {
  const text = domain(
    iface('', { mac: "<mac address='01:00:5e:00:00:01'/>" }) +
      hostdev("bus='0b' slot='0x10' function='0x3'") +
      iface("<vlan><tag id='5000'/></vlan>", {
        mac: "<mac address='52:54:00:6d:90:09'/>",
        source: "<source><address type='pci' bus='0x0b' slot='0x10' function='0x4'/></source>",
      }),
  );
  const problems = validate(text);
  assert.deepEqual(
    problems.map((p) => p.code),
    ['mac-multicast', 'pci-number', 'vlan-tag'],
  );
  const starts = problems.map((p) => p.span.start);
  assert.deepEqual(
    starts,
    [...starts].sort((a, b) => a - b),
  );
});

test('a bare snippet with several devices, an empty text and a clean device give what they should', () => {
  assert.deepEqual(validate(''), []);
  assert.deepEqual(validate(iface()), []);
  const codes = validate(iface() + iface()).map((p) => p.code);
  assert.deepEqual(codes, ['mac-duplicate', 'pci-duplicate', 'mac-duplicate', 'pci-duplicate']);
});

test('a clean VF with the inventory has no problems, and the same inventory object can be reused', () => {
  const inventory = inventory82576();
  const text = domain(
    iface('', { source: "<source><address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x6'/></source>" }),
  );
  assert.deepEqual(validate(text, { inventory }), []);
  assert.deepEqual(validate(text, { inventory }), []);
});

test('a large domain (1,000 devices) is validated in one piece and every device is seen', () => {
  let devices = '';
  for (let i = 0; i < 1000; i++) {
    const bus = 0x20 + (i >> 5);
    const mac = `52:54:00:00:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 0xff).toString(16).padStart(2, '0')}`;
    devices += iface('', {
      mac: `<mac address='${mac}'/>`,
      source: `<source><address type='pci' domain='0x0000' bus='0x${bus.toString(16)}' slot='0x${(i & 31).toString(16)}' function='0x8'/></source>`,
    });
  }
  const problems = validate(domain(devices), { inventory: inventory82576() });
  assert.equal(problems.filter((p) => p.code === 'pci-range').length, 1000);
});

test('binary garbage and deep nesting do not throw', () => {
  assert.doesNotThrow(() => validate('\u0000\u00ff<<<>>>&&&<interface type="hostdev"><source><address'.repeat(200)));
  assert.doesNotThrow(() => validate('<a>'.repeat(20000) + iface()));
});

test('each rule family file names the libvirt function it mirrors in its header comment', () => {
  // compiled to out/test/unit/service/rules/: read the sources
  const dir = resolve(__dirname, '../../../../../server/src/service/rules');
  const families = readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'common.ts');
  assert.ok(families.length >= 10, `rule families in ${dir}`);
  for (const file of families) {
    const header = readFileSync(join(dir, file), 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('//'))
      .join('\n');
    assert.match(header, /Mirrors libvirt's[\s\S]*\b(vir|qemu)[A-Z]\w+/, `${file} names no libvirt function`);
  }
});
