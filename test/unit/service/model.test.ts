import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildDocumentModel, deviceKindOf } from '../../../server/src/service/model';
import { attrValue } from '../../../server/src/service/xml/query';
import type { XmlElement } from '../../../server/src/service/xml/types';
import { assertSane, nth } from './xml/helpers';

function spanText(text: string, el: XmlElement | null): string | null {
  return el ? text.substring(el.start, el.end) : null;
}

const DOMAIN = `<?xml version="1.0"?>
<domain type='kvm'>
  <name>  vm-a  </name>
  <memory unit='KiB'>1048576</memory>
  <devices>
    <interface type='network'><source network='default'/></interface>
    <interface type='hostdev' managed='yes'>
      <mac address='52:54:00:6d:90:02'/>
      <driver name='vfio'/>
      <source>
        <address type='pci' domain='0x0000' bus='0x03' slot='0x10' function='0x1'/>
      </source>
      <vlan><tag id='42'/></vlan>
      <virtualport type='802.1Qbh'><parameters profileid='p'/></virtualport>
      <address type='pci' domain='0x0000' bus='0x00' slot='0x07' function='0x0'/>
    </interface>
    <hostdev mode='subsystem' type='pci' managed='yes'>
      <source><address domain='0x0000' bus='0x04' slot='0x00' function='0x0'/></source>
    </hostdev>
    <hostdev mode='subsystem' type='usb'><source><vendor id='0x1234'/></source></hostdev>
    <hostdev mode='capabilities' type='pci'/>
  </devices>
</domain>
`;

test('model: finds the hostdev interface and the PCI hostdev in a whole <domain>, nothing else', () => {
  const model = buildDocumentModel(DOMAIN);
  assert.deepEqual(model.xml.problems, []);
  assert.equal(model.domain?.name, 'domain');
  assert.deepEqual(
    model.devices.map((d) => [d.kind, d.element.start]),
    [
      ['interface', nth(DOMAIN, `<interface type='hostdev'`)],
      ['hostdev', nth(DOMAIN, `<hostdev mode='subsystem' type='pci'`)],
    ],
  );
});

test('model: host address (<source><address>) is told from the guest-side <address> child', () => {
  const [iface, hostdev] = buildDocumentModel(DOMAIN).devices;
  assert.equal(attrValue(iface.hostAddress!, 'bus'), '0x03');
  assert.equal(iface.hostAddress!.parent, iface.source);
  assert.equal(attrValue(iface.guestAddress!, 'slot'), '0x07');
  assert.equal(iface.guestAddress!.parent, iface.element);
  assert.equal(attrValue(hostdev.hostAddress!, 'bus'), '0x04');
  assert.equal(hostdev.guestAddress, null);
});

test('model: mac, driver, vlan and virtualport are the direct children of the device', () => {
  const [iface, hostdev] = buildDocumentModel(DOMAIN).devices;
  assert.equal(attrValue(iface.mac!, 'address'), '52:54:00:6d:90:02');
  assert.equal(attrValue(iface.driver!, 'name'), 'vfio');
  assert.equal(spanText(DOMAIN, iface.vlan), `<vlan><tag id='42'/></vlan>`);
  assert.equal(attrValue(iface.virtualport!, 'type'), '802.1Qbh');
  assert.equal(iface.source?.name, 'source');
  assert.deepEqual([hostdev.mac, hostdev.vlan, hostdev.virtualport, hostdev.driver], [null, null, null, null]);
});

test('model: guest name is the /domain/name text as libvirt reads it (blanks kept), its span on the trimmed text', () => {
  const model = buildDocumentModel(DOMAIN);
  const at = nth(DOMAIN, 'vm-a');
  assert.deepEqual(model.guestName, { value: '  vm-a  ', span: { start: at, end: at + 4 } });
});

test("model: guest name keeps surrounding blanks, as libvirt does (<name> vm-a </name> defines ' vm-a ')", () => {
  const text = `<domain><name> vm-a </name></domain>`;
  assert.deepEqual(buildDocumentModel(text).guestName, { value: ' vm-a ', span: { start: 15, end: 19 } });
});

test('model: guest name entities are decoded; the span stays on the text as written', () => {
  const text = `<domain><name>db&amp;web</name></domain>`;
  assert.deepEqual(buildDocumentModel(text).guestName, { value: 'db&web', span: { start: 14, end: 24 } });
  assert.equal(buildDocumentModel(`<domain><name> </name></domain>`).guestName, null);
  assert.equal(buildDocumentModel(`<domain><devices><name>x</name></devices></domain>`).guestName, null);
});

test('model: a bare snippet with several devices has no domain and no guest name', () => {
  const text = `<interface type='hostdev'>\n  <source><address type='pci' bus='0x03' slot='0x10' function='0x1'/></source>\n</interface>\n<interface type="hostdev"><mac address='52:54:00:00:00:02'/></interface>\n<hostdev type='pci'/>\n`;
  const model = buildDocumentModel(text);
  assert.equal(model.domain, null);
  assert.equal(model.guestName, null);
  assert.deepEqual(
    model.devices.map((d) => d.kind),
    ['interface', 'interface', 'hostdev'],
  );
  assert.equal(model.devices[1].source, null);
  assert.equal(model.devices[1].hostAddress, null);
  assert.equal(attrValue(model.devices[1].mac!, 'address'), '52:54:00:00:00:02');
});

test('model: devices are found outside <devices> and inside other elements', () => {
  const text = `<wrapper><interface type='hostdev'/><x><hostdev type='pci' mode='subsystem'/></x></wrapper>`;
  assert.deepEqual(
    buildDocumentModel(text).devices.map((d) => d.kind),
    ['interface', 'hostdev'],
  );
});

test('model: device kinds follow type and mode (mode defaults to subsystem)', () => {
  const kinds = (xml: string) => buildDocumentModel(xml).devices.map((d) => d.kind);
  assert.deepEqual(kinds(`<hostdev type='pci'/>`), ['hostdev']);
  assert.deepEqual(kinds(`<hostdev mode='subsystem' type='pci'/>`), ['hostdev']);
  assert.deepEqual(kinds(`<hostdev mode='capabilities' type='pci'/>`), []);
  assert.deepEqual(kinds(`<hostdev mode='subsystem' type='scsi'/>`), []);
  assert.deepEqual(kinds(`<interface type='bridge'/>`), []);
  assert.deepEqual(kinds(`<interface type=`), []);
  assert.deepEqual(kinds(`<qemu:interface type='hostdev'/>`), []);
  assert.equal(deviceKindOf(buildDocumentModel(`<interface type='hostdev'/>`).xml.roots[0]), 'interface');
});

test('model: the seed example with an unclosed <mac ...> still yields the device with its source', () => {
  const text = `<domain type='kvm'>\n  <name>guest1</name>\n  <devices>\n    <interface type='hostdev' managed='yes'>\n      <mac address='52:54:00:6d:90:02'\n      <source>\n        <address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x0'/>\n      </source>\n      <vlan><tag id='42'/></vlan>\n      <virtualport type='802.1Qbh'/>\n    </interface>\n  </devices>\n</domain>\n`;
  const model = buildDocumentModel(text);
  assert.equal(model.xml.problems.length, 1);
  assert.equal(model.guestName?.value, 'guest1');
  const device = model.devices[0];
  assert.equal(model.devices.length, 1);
  assert.equal(device.mac?.closed, false);
  assert.equal(attrValue(device.mac!, 'address'), '52:54:00:6d:90:02');
  assert.equal(attrValue(device.hostAddress!, 'bus'), '0x0b');
  assert.ok(device.vlan && device.virtualport);
});

test('model: comments and CDATA hide devices', () => {
  const text = `<devices><!-- <interface type='hostdev'/> --><x><![CDATA[<hostdev type='pci'/>]]></x></devices>`;
  assert.deepEqual(buildDocumentModel(text).devices, []);
});

test('model: empty, binary and deeply nested input give sane, empty models', () => {
  for (const text of [
    '',
    '\0\0\0<\0>',
    '<a>'.repeat(100_000),
    String.fromCharCode(...Array.from({ length: 5000 }, (_, i) => (i * 7919) % 65536)),
  ]) {
    const model = buildDocumentModel(text);
    assert.deepEqual(model.devices, []);
    assert.equal(model.guestName, null);
    assertSane(model.xml);
  }
});
