// driver-name (virDomainHostdevDefParseXMLSubsys, qemuHostdevPreparePCIDevicesCheckSupport)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectAt, expectNone, hostdev, iface } from './helpers';

test("driver-name: name='qemu' (a virtio driver name) is rejected at define", () => {
  const [p] = expectAt(iface("<driver name='[[qemu]]'/>"), 'driver-name', 'error');
  assert.match(p.message, / — define\/attach fails; libvirt: "XML error: Invalid value for attribute 'name' in element 'driver': 'qemu'\./);
  expectAt(hostdev(undefined, "<driver name='[[vhost]]'/>"), 'driver-name', 'error');
});

test('driver-name: an empty name is reported on the attribute name', () => {
  expectAt(iface("<driver [[name]]=''/>"), 'driver-name', 'error');
});

test("driver-name: 'kvm' and 'xen' parse but QEMU refuses them at start", () => {
  const [kvm] = expectAt(iface("<driver name='[[kvm]]'/>"), 'driver-name', 'error');
  assert.match(kvm.message, / — the guest fails to start; libvirt: "host doesn't support legacy PCI passthrough/);
  const [xen] = expectAt(hostdev(undefined, "<driver name='[[xen]]'/>"), 'driver-name', 'error');
  assert.match(xen.message, /QEMU does not support device assignment mode 'xen'/);
});

test("driver-name: 'vfio', no name, or 'xen' in a Xen domain are fine", () => {
  expectNone(iface("<driver name='vfio'/>"), 'driver-name');
  expectNone(iface('<driver/>'), 'driver-name');
  expectNone(`<domain type='xen'><name>x</name><devices>${iface("<driver name='xen'/>")}</devices></domain>`, 'driver-name');
});

test("element-ignored: <driver model='…'> (a VFIO variant driver) is dropped by libvirt before 10.0", () => {
  const [p] = expectAt(iface("<driver name='vfio' model='[[mlx5_vfio_pci]]'/>"), 'element-ignored', 'warning');
  assert.match(p.message, /^VFIO variant driver model='mlx5_vfio_pci' is ignored before libvirt 10.0/);
  expectNone(iface("<driver name='vfio'/>"), 'element-ignored');
});
