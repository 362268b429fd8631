// <interface type='network'>: the checks libvirt makes of every interface type, with its messages
// (each seen with virsh define on the test driver, or on qemu:///session for the QEMU driver's).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectAt, expectNone, withNetworks } from './helpers';

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

// On a hostdev pool the interface is a VF once it starts: define takes these (the interface is of
// type network then), every start fails with libvirt's check of the actual hostdev interface
// (virDomainActualNetDefValidate, qemuDomainValidateActualNetDef, networkCheckBandwidth).
const onPool = (extra: string, network = 'sriov-pool') =>
  `<interface type='network'><mac address='52:54:00:6D:90:02'/><source network='${network}'/>${extra}</interface>`;
const atStart = (what: string) => new RegExp(`— the guest fails to start; libvirt: "${what.replace(/[()[\]{}.*+?^$|\\/]/g, '\\$&')}"`);

test('network interface on a hostdev pool: <bandwidth> and <port isolated> fail at start, with the MAC as libvirt writes it', () => {
  const inventory = withNetworks();
  const [bandwidth] = expectAt(onPool("<[[bandwidth]]><inbound average='1000'/></bandwidth>"), 'element-unsupported', 'error', {
    inventory,
  });
  assert.match(
    bandwidth.message,
    atStart('unsupported configuration: interface 52:54:00:6d:90:02 - bandwidth settings are not supported for hostdev interfaces'),
  );
  const [isolated] = expectAt(onPool("<port isolated='[[yes]]'/>"), 'element-unsupported', 'error', { inventory });
  assert.match(
    isolated.message,
    atStart(
      "unsupported configuration: interface 52:54:00:6d:90:02 - <port isolated='yes'/> is not supported for network interfaces with type='hostdev'",
    ),
  );
  // on a NAT network, or without an inventory, all of them are a tap's and fine
  const all =
    "<bandwidth><inbound average='1000'/></bandwidth><port isolated='yes'/><model type='virtio'/><driver queues='4'/><filterref filter='clean-traffic'/><backend tap='/dev/net/tun'/>";
  expectNone(onPool(all, 'default'), 'element-unsupported', { inventory });
  expectNone(onPool(all), 'element-unsupported');
});

test('network interface on a hostdev pool: multiqueue, <filterref> and <backend tap> fail at start (qemuDomainValidateActualNetDef)', () => {
  const inventory = withNetworks();
  const problems = expectAt(
    onPool("<model type='virtio'/><driver queues='[[4]]'/><filterref filter='[[clean-traffic]]'/><backend tap='[[/dev/net/tun]]'/>"),
    'element-unsupported',
    'error',
    { inventory },
  );
  const said = (what: string) =>
    `unsupported configuration: interface 52:54:00:6d:90:02 - ${what} is not supported for network interfaces of type hostdev`;
  assert.match(problems[0].message, atStart(said('multiqueue')));
  assert.match(problems[1].message, atStart(said('filterref')));
  assert.match(problems[2].message, atStart(said('custom tap device path')));
});

test('network interface on a hostdev pool: what libvirt reads as nothing is not reported', () => {
  const inventory = withNetworks();
  // queues are read with a virtio model only, and 1 is none; a filterref without filter is no filter;
  // a bandwidth without inbound/outbound is none
  for (const extra of [
    "<driver queues='4'/>",
    "<model type='virtio'/><driver queues='1'/>",
    '<filterref/>',
    '<bandwidth/>',
    "<port isolated='no'/>",
  ])
    expectNone(onPool(extra), 'element-unsupported', { inventory });
});

test('network interface on a hostdev pool: an inbound floor fails earlier, in networkCheckBandwidth', () => {
  const [p] = expectAt(onPool("<bandwidth><inbound average='10' floor='[[5]]'/></bandwidth>"), 'element-unsupported', 'error', {
    inventory: withNetworks(),
  });
  assert.match(
    p.message,
    atStart(
      "Operation not supported: Invalid use of 'floor' on interface with MAC address 52:54:00:6d:90:02 - 'floor' is only supported for interface type 'network' with forward type 'nat', 'route', 'open' or none",
    ),
  );
});
