// The client's text fallbacks (client/src/deviceText.ts): device around the cursor, the domain's own
// name, fresh MACs, the interface XML Insert SR-IOV Interface writes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deviceSpans, domainName, findDevice, freshMac, interfaceXml, pciAddressXml } from '../../../client/src/deviceText';

const DOMAIN = `<domain type='kvm'>
  <name>web01</name>
  <devices>
    <interface type='network'><source network='default'/></interface>
    <interface type='hostdev' managed='yes'>
      <source><address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x2'/></source>
    </interface>
    <hostdev mode='subsystem' type='pci' managed='yes'>
      <source><address domain='0x0000' bus='0x0b' slot='0x10' function='0x4'/></source>
    </hostdev>
  </devices>
</domain>`;

test('deviceSpans finds hostdev interfaces and <hostdev>, not other interfaces', () => {
  const spans = deviceSpans(DOMAIN).map((s) => DOMAIN.slice(s.start, s.end));
  assert.equal(spans.length, 2);
  assert.match(spans[0], /^<interface type='hostdev'[\s\S]*<\/interface>$/);
  assert.match(spans[1], /^<hostdev [\s\S]*<\/hostdev>$/);
});

test('findDevice takes the device around the cursor, else the only device, else nothing', () => {
  const inHostdev = DOMAIN.indexOf("function='0x4'");
  const found = findDevice(DOMAIN, inHostdev);
  assert.ok(found);
  assert.match(DOMAIN.slice(found.start, found.end), /^<hostdev /);
  assert.equal(findDevice(DOMAIN, DOMAIN.indexOf('<name>')), null, 'two devices and the cursor in neither');
  const snippet = "<interface type='hostdev'><source/></interface>";
  assert.deepEqual(findDevice(snippet, null), { start: 0, end: snippet.length });
});

test('domainName reads the guest name of a domain XML and nothing from a snippet', () => {
  assert.equal(domainName(DOMAIN), 'web01');
  assert.equal(domainName("<interface type='hostdev'/>"), null);
});

test('freshMac is a 52:54:00 unicast MAC not in the used list', () => {
  const values = [0, 0, 0, 0, 0, 0, 0.5, 0.5, 0.5];
  let i = 0;
  const mac = freshMac(['52:54:00:00:00:00', '52:54:00:00:00:00'], () => values[i++]);
  assert.equal(mac, '52:54:00:80:80:80', 'the colliding candidates are skipped');
  assert.match(freshMac([]), /^52:54:00(:[0-9a-f]{2}){3}$/);
});

test('interfaceXml writes a full hostdev interface for a VF, indented like the cursor line', () => {
  assert.equal(pciAddressXml('0000:0b:11.3'), "<address type='pci' domain='0x0000' bus='0x0b' slot='0x11' function='0x3'/>");
  assert.equal(interfaceXml('0000:0b:11.3', '52:54:00:12:34:56', '    ', '  '), [
    "<interface type='hostdev' managed='yes'>",
    "      <mac address='52:54:00:12:34:56'/>",
    '      <source>',
    "        <address type='pci' domain='0x0000' bus='0x0b' slot='0x11' function='0x3'/>",
    '      </source>',
    '    </interface>',
  ].join('\n'));
  assert.throws(() => pciAddressXml('0b:11.3'), /not a PCI address/);
});
