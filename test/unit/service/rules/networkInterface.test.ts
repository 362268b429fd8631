// <interface type='network'>: the checks libvirt makes of every interface type, with its messages
// (each seen with virsh define on the test driver, or on qemu:///session for the QEMU driver's).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectAt, expectNone } from './helpers';

const network = (extra: string, domainType: string | null = null) => {
  const device = `<interface type='network'><source network='default'/>${extra}</interface>`;
  return domainType === null
    ? device
    : `<domain type='${domainType}'><name>g</name><memory>1048576</memory><os><type>hvm</type></os><devices>${device}</devices></domain>`;
};

test("network interface: an 'unassigned' guest address is libvirt's first error, before the ACPI index's", () => {
  const text = network("<acpi index='1'/><address type='[[unassigned]]'/>");
  const [p] = expectAt(text, 'guest-address-type', 'error');
  assert.match(p.message, /libvirt: "unsupported configuration: address of type 'unassigned' is supported only for hostdevs"/);
  expectNone(text.replace(/\[\[|\]\]/g, ''), 'acpi-index');
});

test("network interface: <target managed='no'> names the interface's own type", () => {
  const [p] = expectAt(network("<target dev='tap0' managed='[[no]]'/>"), 'element-unsupported', 'error');
  assert.match(p.message, /libvirt: "unsupported configuration: unmanaged target dev is not supported on interfaces of type 'network'"/);
});

test('network interface: guest-side <ip> and a persistent <teaming> without virtio only in a QEMU guest', () => {
  expectAt(network("<[[ip]] address='192.0.2.5'/>"), 'element-unsupported', 'error');
  expectNone(network("<ip address='192.0.2.5'/>", 'lxc'), 'element-unsupported');
  const [p] = expectAt(network("<teaming type='[[persistent]]'/>"), 'teaming', 'error');
  assert.match(p.message, /must be <model type='virtio'\/>, not 'rtl8139'"/);
  expectNone(network("<model type='virtio'/><teaming type='persistent'/>"), 'teaming');
  expectNone(network("<teaming type='persistent'/>", 'lxc'), 'teaming');
});
