// A device in another namespace than libvirt's (none): libvirt's XPath lookups do not see it
// (virsh define on the test driver accepts a <domain> holding one, whatever it holds).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validate } from '../../../../server/src/service/validate';

const DEVICE = (xmlns: string) =>
  `<interface type='hostdev' managed='yes'${xmlns}><source><address type='pci' domain='0x0000' bus='0x100' slot='0x10' function='0x2'/></source>` +
  `<address type='pci' domain='0x0000' bus='0x00' slot='0x20' function='0x0'/></interface>`;
const DOMAIN = (devices: string, xmlns = '') =>
  `<domain type='kvm'${xmlns}><name>g</name><memory>1048576</memory><os><type>hvm</type></os><devices>${devices}</devices></domain>`;
const codes = (text: string) =>
  validate(text)
    .filter((p) => p.severity === 'error')
    .map((p) => p.code);

test('a device with its own default namespace inside <domain> is skipped, as libvirt skips it', () => {
  assert.deepEqual(codes(DOMAIN(DEVICE(" xmlns='urn:example:other'"))), []);
  assert.deepEqual(codes(DOMAIN(`<x:interface xmlns:x='urn:example:other'/>` + DEVICE(" xmlns='urn:example:other'"))), []);
});

test("xmlns='' puts a device back in no namespace, and a bare snippet with one is default-namespace's only", () => {
  assert.deepEqual(codes(DOMAIN(DEVICE(" xmlns=''"))), ['pci-range', 'pci-range']);
  assert.deepEqual(codes(DEVICE(" xmlns='urn:example:other'")), ['default-namespace']);
});
