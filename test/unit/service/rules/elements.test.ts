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
    / — the guest fails to start; libvirt: "interface 52:54:00:6d:90:02 - bandwidth settings are not supported for hostdev interfaces/,
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
