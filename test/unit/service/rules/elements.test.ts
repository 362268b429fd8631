// element-unsupported, element-ignored (qemuValidateDomainDeviceDefNetwork, virDomainNetDefValidatePortOptions, virDomainActualNetDefValidate)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectAt, expectNone, hostdev, iface } from './helpers';

test('element-unsupported: mtu, coalesce, ip and route are rejected by the QEMU driver', () => {
  const problems = expectAt(
    iface(
      "<[[mtu]] size='9000'/><[[coalesce]]><rx><frames max='7'/></rx></coalesce><[[ip]] address='192.0.2.5' prefix='24'/><[[route]] address='0.0.0.0' gateway='192.0.2.1'/>",
    ),
    'element-unsupported',
    'error',
  );
  assert.match(
    problems[0].message,
    / — define\/attach fails; libvirt: "unsupported configuration: setting MTU on interface type hostdev is not supported yet/,
  );
});

test('element-unsupported: <bandwidth> fails at start', () => {
  const [p] = expectAt(iface("<[[bandwidth]]><inbound average='1000'/></bandwidth>"), 'element-unsupported', 'error');
  assert.match(
    p.message,
    / — the guest fails to start; libvirt: "unsupported configuration: interface 52:54:00:6d:90:02 - bandwidth settings are not supported for hostdev interfaces"/,
  );
});

test('element-unsupported: a <bandwidth> or <coalesce> libvirt parses to nothing is not reported (virsh dumpxml drops them)', () => {
  // virNetDevBandwidthParse keeps a bandwidth only with <inbound>/<outbound>; virDomainNetDefCoalesceParseXML needs rx/frames/@max
  expectNone(iface('<bandwidth/><coalesce><rx><frames/></rx></coalesce>'), 'element-unsupported');
  expectNone(iface('<bandwidth><foo/></bandwidth><coalesce/>'), 'element-unsupported');
  expectAt(
    iface("<[[bandwidth]]><outbound average='5'/></bandwidth><[[coalesce]]><rx><frames max='0'/></rx></coalesce>"),
    'element-unsupported',
    'error',
  );
});

test('element-unsupported: an <mtu> without a size, or of size 0, is no MTU; a size libvirt cannot read is refused as such', () => {
  // virsh define, test driver and qemu:///session: size '', '0', '+0', '00' and none are accepted
  for (const mtu of ['<mtu/>', "<mtu size='0'/>", "<mtu size=''/>", "<mtu size='+0'/>", "<mtu size='00'/>"])
    expectNone(iface(mtu), 'element-unsupported');
  // ' 5' is read as 5: the QEMU driver refuses it like any other size
  expectAt(iface("<[[mtu]] size=' 5'/>"), 'element-unsupported', 'error');
  for (const size of ['abc', '-1', '-0', '0x10', '4294967296']) {
    const [p] = expectAt(iface(`<mtu size='[[${size}]]'/>`), 'element-unsupported', 'error');
    assert.match(
      p.message,
      new RegExp(`^<mtu size='${size}'> is not a number — define/attach fails; libvirt: "XML error: malformed mtu size"`),
    );
  }
});

test("element-unsupported: <port isolated='yes'/> is rejected; reported on the value", () => {
  const [p] = expectAt(iface("<port isolated='[[yes]]'/>"), 'element-unsupported', 'error');
  assert.match(p.message, /<port isolated='yes'\/> is not supported for network interfaces with type='hostdev'/);
});

test("element-unsupported: <port isolated='no'/> and ordinary children are fine", () => {
  expectNone(iface("<port isolated='no'/><rom bar='on'/><boot order='1'/><alias name='ua-sriov'/>"), 'element-unsupported');
});

test('element-ignored: model, filterref, link, target on a hostdev interface are warnings on their names', () => {
  expectAt(
    iface("<[[model]] type='virtio'/><[[filterref]] filter='clean-traffic'/><[[link]] state='down'/><[[target]] dev='vnet0'/>"),
    'element-ignored',
    'warning',
  );
});

test('element-ignored: trustGuestRxFilters has no effect on a VF', () => {
  expectAt(iface('', { attrs: " managed='yes' trustGuestRxFilters='[[yes]]'" }), 'element-ignored', 'warning');
});

test('element-ignored: mac, vlan and virtualport inside a plain <hostdev> are dropped by libvirt', () => {
  const [p] = expectAt(
    hostdev(undefined, "<[[mac]] address='52:54:00:6d:90:02'/><[[vlan]]><tag id='5'/></vlan><[[virtualport]] type='802.1Qbh'/>"),
    'element-ignored',
    'warning',
  );
  assert.match(p.message, /^<mac> inside <hostdev> is silently dropped/);
});

test('element-ignored: a plain interface and a plain hostdev have nothing ignored', () => {
  expectNone(iface("<vlan><tag id='5'/></vlan>"), 'element-ignored');
  expectNone(hostdev(undefined, "<rom bar='off'/>"), 'element-ignored');
});

test("element-unsupported: host-side <source><ip>/<route> and <target managed='no'> on a VF are refused (virsh define)", () => {
  const source =
    "<source><address type='pci' bus='0x0b' slot='0x10' function='0x2'/><[[ip]] address='192.168.1.1' prefix='24'/><[[route]] address='0.0.0.0' gateway='192.168.1.254'/></source>";
  const [ip] = expectAt(iface('', { source }), 'element-unsupported', 'error');
  assert.match(
    ip.message,
    /libvirt: "unsupported configuration: Invalid attempt to set network interface host-side IP route and\/or address info on interface of type 'hostdev'. This is only supported on interfaces of type 'ethernet'"/,
  );
  const [target] = expectAt(iface("<target dev='vf0' managed='[[no]]'/>"), 'element-unsupported', 'error');
  assert.match(
    target.message,
    /libvirt: "unsupported configuration: unmanaged target dev is not supported on interfaces of type 'hostdev'"/,
  );
  expectNone(iface("<target dev='vf0' managed='yes'/>"), 'element-unsupported');
});

test('element-unsupported: writeFiltering on a PCI <hostdev> is refused by QEMU (virsh define, qemu:///session)', () => {
  const [p] = expectAt(
    "<hostdev mode='subsystem' type='pci'><source writeFiltering='[[yes]]'><address bus='0x0b' slot='0x10'/></source></hostdev>",
    'element-unsupported',
    'error',
  );
  assert.match(
    p.message,
    /libvirt: "unsupported configuration: Write filtering of PCI device configuration space is not supported by qemu"/,
  );
  expectNone(hostdev(), 'element-unsupported');
  // Xen has it (libxl): QEMU's checks are not applied to another hypervisor's guest
  const xen =
    "<domain type='xen'><name>x</name><devices><hostdev mode='subsystem' type='pci'><source writeFiltering='no'><address bus='0x0b' slot='0x10'/></source></hostdev></devices></domain>";
  expectNone(xen, 'element-unsupported');
});
