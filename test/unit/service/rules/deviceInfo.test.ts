// boot-order and acpi-index values (virXMLPropUInt base 10, non-zero), <boot order> with <os><boot dev>,
// and device-type / default-namespace (deviceTypes.ts). Messages verified with virsh define / attach-device.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { domain, expectAt, expectNone, hostdev, iface } from './helpers';

test('boot-order: 0, a non-decimal value, or no order at all is refused', () => {
  const [zero] = expectAt(iface("<boot order='[[0]]'/>"), 'boot-order', 'error');
  assert.match(zero.message, /libvirt: "XML error: Invalid value for attribute 'order' in element 'boot': Zero is not permitted"/);
  const [hex] = expectAt(iface("<boot order='[[0x1]]'/>"), 'boot-order', 'error');
  assert.match(
    hex.message,
    /libvirt: "XML error: Invalid value for attribute 'order' in element 'boot': '0x1'. Expected non-negative integer value"/,
  );
  expectAt(iface("<boot order='[[-1]]'/>"), 'boot-order', 'error');
  expectAt(iface('<[[boot]]/>'), 'boot-order', 'error');
  // strtoul base 10: leading blanks and zeros are fine
  expectNone(iface("<boot order=' 1'/>"), 'boot-order');
  expectNone(iface("<boot order='01'/>"), 'boot-order');
});

test('boot-order: a device <boot order> with <os><boot dev> is refused on each device boot', () => {
  const text = `<domain type='kvm'><name>v</name><os><type>hvm</type><boot dev='hd'/></os><devices>\n${iface("<[[boot]] order='1'/>")}</devices></domain>`;
  const [p] = expectAt(text, 'boot-order', 'error');
  assert.match(
    p.message,
    /^A device <boot order> together with <os><boot dev> — define\/attach fails; libvirt: "unsupported configuration: per-device boot elements cannot be used together with os\/boot elements"/,
  );
  expectNone(domain(iface("<boot order='1'/>")), 'boot-order');
});

test('boot-order: the <boot> of a device libvirt reads none from (video, controller …) is not checked', () => {
  // virsh define accepts each: the parser of these devices drops <boot> unread
  expectNone(domain("<video><model type='vga'/><boot order='0'/></video>\n"), 'boot-order');
  expectNone(domain("<controller type='usb' model='qemu-xhci'><boot/></controller>\n"), 'boot-order');
  expectNone("<video><model type='vga'/><boot order='x'/></video>", 'boot-order');
  const withOsBoot = (device: string) =>
    `<domain type='kvm'><name>v</name><os><type>hvm</type><boot dev='hd'/></os><devices>\n${device}</devices></domain>`;
  expectNone(withOsBoot("<video><model type='vga'/><boot order='1'/></video>\n" + iface()), 'boot-order');
  expectAt(withOsBoot("<redirdev bus='usb' type='spicevmc'><[[boot]] order='1'/></redirdev>\n"), 'boot-order', 'error');
  expectAt(
    domain("<filesystem type='mount'><source dir='/srv'/><target dir='t'/><boot order='[[0]]'/></filesystem>\n"),
    'boot-order',
    'error',
  );
});

test('acpi-index: 0 or a non-decimal index is refused', () => {
  const [p] = expectAt(iface("<acpi index='[[0]]'/>"), 'acpi-index', 'error');
  assert.match(p.message, /libvirt: "XML error: Invalid value for attribute 'index' in element 'acpi': Zero is not permitted"/);
  expectAt(hostdev(undefined, "<acpi index='[[0x10]]'/>"), 'acpi-index', 'error');
  expectNone(iface("<acpi index='1'/>"), 'acpi-index');
});

test('acpi-index: not read on a device without device info (graphics) or a balloon / USB controller of model none', () => {
  // virsh define (test driver) accepts each with index 0
  for (const device of [
    "<graphics type='vnc'><acpi index='0'/></graphics>",
    "<memballoon model='none'><acpi index='0'/></memballoon>",
    "<controller type='usb' model='none'><acpi index='0'/></controller>",
  ])
    expectNone(domain(device + '\n'), 'acpi-index');
  expectAt(domain("<memballoon model='virtio'><acpi index='[[0]]'/></memballoon>\n"), 'acpi-index', 'error');
});

test('acpi-index: QEMU refuses an index on a device whose guest address is not PCI (unassigned included)', () => {
  const [p] = expectAt(hostdev(undefined, "<address type='unassigned'/><[[acpi]] index='3'/>"), 'acpi-index', 'error');
  assert.match(
    p.message,
    /^An ACPI index on a device whose guest address type is 'unassigned' — define\/attach fails; libvirt: "unsupported configuration: ACPI index is only supported for PCI devices"/,
  );
  expectNone(iface("<address type='pci' bus='0x00' slot='0x05'/><acpi index='3'/>"), 'acpi-index');
});

test('device-type: values are case-sensitive; a <hostdev> needs a type, its mode is subsystem when left out', () => {
  const [p] = expectAt(
    "<interface type='[[HOSTDEV]]'><source><address type='pci' bus='0x0b' slot='0x10'/></source></interface>",
    'device-type',
    'error',
  );
  assert.match(p.message, /libvirt: "XML error: Invalid value for attribute 'type' in element 'interface': 'HOSTDEV'."/);
  expectAt("<hostdev mode='subsystem' type='[[PCI]]'><source><address bus='0x0b' slot='0x10'/></source></hostdev>", 'device-type', 'error');
  expectAt("<hostdev mode='[[SUBSYSTEM]]' type='pci'><source><address bus='0x0b' slot='0x10'/></source></hostdev>", 'device-type', 'error');
  const [missing] = expectAt(
    "<[[hostdev]] mode='subsystem'><source><address bus='0x0b' slot='0x10'/></source></hostdev>",
    'device-type',
    'error',
  );
  assert.match(missing.message, /libvirt: "XML error: missing source address type"/);
  expectNone("<hostdev type='pci'><source><address bus='0x0b' slot='0x10'/></source></hostdev>", 'device-type');
  expectNone(domain("<interface type='network'><source network='default'/></interface>\n" + iface()), 'device-type');
});

test("device-type: mode='capabilities' (containers) in a QEMU guest is refused with the guest's type (virsh define)", () => {
  const caps = "<hostdev mode='[[capabilities]]' type='storage'><source><block>/dev/sdf1</block></source></hostdev>\n";
  const [p] = expectAt(domain(caps).replace("type='kvm'", "type='qemu'"), 'device-type', 'error');
  assert.match(p.message, /libvirt: "unsupported configuration: hostdev mode 'capabilities' is not supported in qemu"/);
  const plain = caps.replace(/\[\[|\]\]/g, '');
  expectNone(domain(plain).replace("type='kvm'", "type='lxc'"), 'device-type');
  expectNone(plain, 'device-type');
});

test("default-namespace: a device snippet with xmlns=… has no children to libvirt; xmlns='' and prefixes are fine", () => {
  const [p] = expectAt(
    iface().replace('<interface ', "<interface xmlns='[[http://libvirt.org/schemas/domain/1.0]]' "),
    'default-namespace',
    'error',
  );
  assert.match(p.message, /libvirt: "XML error: missing source address type"/);
  expectAt(hostdev().replace('<hostdev ', "<hostdev xmlns='[[urn:x]]' "), 'default-namespace', 'error');
  expectNone(iface().replace('<interface ', "<interface xmlns='' "), 'default-namespace');
  expectNone(iface().replace('<interface ', "<interface xmlns:x='urn:x' "), 'default-namespace');
});
