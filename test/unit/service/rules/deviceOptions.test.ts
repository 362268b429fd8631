// teaming (virDomainNetDefValidate, virDomainHostdevDefValidate), rom (virDomainDeviceInfoParseXML)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectAt, expectNone, hostdev, iface } from './helpers';

test("teaming: an interface's type='transient' without persistent (or with an empty one) is rejected on the type", () => {
  const [p] = expectAt(iface("<teaming type='[[transient]]'/>"), 'teaming', 'error');
  assert.match(
    p.message,
    / — define\/attach fails; libvirt: "unsupported configuration: teaming persistent attribute must be set if teaming type is 'transient'/,
  );
  expectAt(iface("<teaming type='[[transient]]' persistent=''/>"), 'teaming', 'error');
});

test("teaming: an interface's type='persistent' with persistent is rejected on the persistent value", () => {
  const [p] = expectAt(iface("<teaming type='persistent' persistent='[[ua-net0]]'/>"), 'teaming', 'error');
  assert.match(p.message, /teaming persistent attribute not allowed if teaming type is 'persistent'/);
});

test('teaming: an unknown type is rejected on an interface and a <hostdev>', () => {
  const [p] = expectAt(iface("<teaming type='[[bogus]]'/>"), 'teaming', 'error');
  assert.match(p.message, /unknown teaming type 'bogus'/);
  expectAt(hostdev(undefined, "<teaming type='[[none]]'/>"), 'teaming', 'error');
});

test("teaming: a plain <hostdev> must be type='transient', with persistent", () => {
  const [persistent] = expectAt(hostdev(undefined, "<teaming type='[[persistent]]'/>"), 'teaming', 'error');
  assert.match(persistent.message, /teaming hostdev devices must have type='transient'/);
  expectAt(hostdev(undefined, "<teaming type='[[persistent]]' persistent='ua-net0'/>"), 'teaming', 'error');
  const [missing] = expectAt(hostdev(undefined, "<teaming type='[[transient]]'/>"), 'teaming', 'error');
  assert.match(missing.message, /missing required persistent attribute in hostdev teaming element/);
});

test("teaming: an empty type is no type: dropped without persistent, refused with one (virsh define: '(null)')", () => {
  // test driver and qemu:///session accept both
  expectNone(iface("<teaming type=''/>"), 'teaming');
  expectNone(hostdev(undefined, "<teaming type='' persistent=''/>"), 'teaming');
  for (const teaming of ["<teaming type='' persistent='[[ua-net0]]'/>", "<teaming persistent='[[ua-net0]]'/>"]) {
    const [p] = expectAt(iface(teaming), 'teaming', 'error');
    assert.match(p.message, /libvirt: "unsupported configuration: unknown teaming type '\(null\)'"/);
    expectAt(hostdev(undefined, teaming), 'teaming', 'error');
  }
});

test('teaming: transient with persistent, and a <teaming> without type are fine', () => {
  expectNone(iface("<teaming type='transient' persistent='ua-net0'/>"), 'teaming');
  expectNone(hostdev(undefined, "<teaming type='transient' persistent='ua-net0'/>"), 'teaming');
  expectNone(iface('<teaming/>'), 'teaming');
  expectNone(hostdev(undefined, '<teaming/>'), 'teaming');
});

test("rom: enabled='no' with bar or file is rejected on each tuning attribute, on an interface and a <hostdev>", () => {
  const [p] = expectAt(iface("<rom enabled='no' bar='[[on]]'/>"), 'rom', 'error');
  assert.match(p.message, / — define\/attach fails; libvirt: "unsupported configuration: ROM tuning is not supported when ROM is disabled/);
  expectAt(iface("<rom enabled='no' file='[[/x.rom]]'/>"), 'rom', 'error');
  expectAt(hostdev(undefined, "<rom enabled='no' bar='[[off]]' [[file]]=''/>"), 'rom', 'error');
});

test("rom: enabled='no' alone, and bar/file with ROM enabled, are fine", () => {
  expectNone(iface("<rom enabled='no'/>"), 'rom');
  expectNone(iface("<rom enabled='yes' bar='on' file='/x.rom'/>"), 'rom');
  expectNone(hostdev(undefined, "<rom bar='off'/>"), 'rom');
});

test("teaming: type='persistent' on a hostdev interface is refused by QEMU (the persistent half must be virtio)", () => {
  const [p] = expectAt(iface("<teaming type='[[persistent]]'/>"), 'teaming', 'error');
  assert.match(
    p.message,
    /libvirt: "unsupported configuration: virtio-net teaming persistent interface must be <model type='virtio'\/>, not '\(null\)'"/,
  );
});

test('rom: bar other than on/off and enabled other than yes/no are refused, case-sensitively', () => {
  const [p] = expectAt(iface("<rom bar='[[yes]]'/>"), 'rom', 'error');
  assert.match(p.message, /libvirt: "XML error: Invalid value for attribute 'bar' in element 'rom': 'yes'\."/);
  expectAt(hostdev(undefined, "<rom bar='[[ON]]' enabled='[[maybe]]'/>"), 'rom', 'error');
  expectNone(iface("<rom bar='off' enabled='yes'/>"), 'rom');
});

test('driver iommu on a hostdev interface is refused (virtio only); on a plain <hostdev> libvirt ignores it', () => {
  const [p] = expectAt(iface("<driver name='vfio' iommu='[[on]]'/>"), 'driver-name', 'error');
  assert.match(p.message, /libvirt: "unsupported configuration: iommu driver option is only supported for virtio devices"/);
  expectNone(hostdev(undefined, "<driver name='vfio' iommu='on'/>"), 'driver-name');
});

test('driver ats, packed and page_per_vq on a hostdev interface are refused too, unless <model> is virtio (virsh define)', () => {
  const problems = expectAt(iface("<driver name='vfio' ats='[[on]]' packed='[[on]]' page_per_vq='[[on]]'/>"), 'driver-name', 'error');
  assert.match(problems[0].message, /libvirt: "unsupported configuration: ats driver option is only supported for virtio devices"/);
  assert.match(problems[2].message, /libvirt: "unsupported configuration: page_per_vq option is only supported for virtio devices"/);
  // virDomainNetIsVirtioModel: with a virtio <model> libvirt keeps the options (the VF still ignores them)
  expectNone(iface("<model type='virtio'/><driver name='vfio' iommu='on' ats='on'/>"), 'driver-name');
});

test('<backend tap> on a hostdev interface fails at start, named by the MAC', () => {
  const [p] = expectAt(iface("<backend tap='[[/dev/net/tun]]'/>"), 'element-unsupported', 'error');
  assert.match(
    p.message,
    /the guest fails to start; libvirt: "unsupported configuration: interface 52:54:00:6d:90:02 - custom tap device path is not supported for network interfaces of type hostdev"/,
  );
});
