// pci-duplicate (virDomainDefHostdevValidate / virDomainHostdevMatch), mac-duplicate, boot-order-duplicate (virDomainDefCollectBootOrder), alias-duplicate (virDomainDefValidateAliases)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { domain, expectAt, expectNone, hostdev, iface } from './helpers';

const at = (fields: string, mark = false) => `<source><${mark ? '[[address]]' : 'address'} type='pci' ${fields}/></source>`;

test('pci-duplicate: the same VF in two interfaces is an error on both host addresses', () => {
  const text = domain(
    iface('', { source: at("domain='0x0000' bus='0x0b' slot='0x10' function='0x2'", true) }) +
      iface('', { source: at("domain='0x0000' bus='0x0b' slot='0x10' function='0x2'", true), mac: "<mac address='52:54:00:6d:90:03'/>" }),
  );
  const [p] = expectAt(text, 'pci-duplicate', 'error');
  assert.match(
    p.message,
    /^Host PCI address 0000:0b:10.2 is assigned 2 times in this guest — define\/attach fails; libvirt: "XML error: Hostdev already exists in the domain configuration/,
  );
});

test("pci-duplicate: numbers are compared, not text: bus='11' slot='16' equals 0x0b/0x10, across interface and hostdev", () => {
  const text = domain(
    iface('', { source: at("bus='0x0b' slot='0x10' function='0x2'", true) }) +
      hostdev("bus='11' slot='16' function='2'").replace('<address', '<[[address]]'),
  );
  expectAt(text, 'pci-duplicate', 'error');
});

test('pci-duplicate: different functions, or an unparsable address, are not duplicates', () => {
  expectNone(domain(iface() + hostdev("bus='0x0b' slot='0x10' function='0x3'")), 'pci-duplicate');
  expectNone(domain(hostdev("bus='0b' slot='0x10' function='0x2'") + hostdev("bus='0b' slot='0x10' function='0x2'")), 'pci-duplicate');
});

test('mac-duplicate: one MAC (any spelling) on two interfaces is a warning on both values, other interface types included', () => {
  const text = domain(
    iface('', { mac: "<mac address='[[52:54:00:6d:90:02]]'/>" }) +
      "<interface type='network'><mac address='[[52:54:0:6D:90:2]]'/><source network='default'/></interface>\n",
  );
  const [p] = expectAt(text, 'mac-duplicate', 'warning');
  assert.match(p.message, /multiple devices matching MAC address 52:54:00:6d:90:02 found/);
});

test('mac-duplicate: distinct MACs are fine', () => {
  expectNone(
    domain(iface() + iface('', { mac: "<mac address='52:54:00:6d:90:03'/>", source: at("bus='0x0b' slot='0x10' function='0x4'") })),
    'mac-duplicate',
  );
});

const DISK = (extra: string) => `<disk type='file' device='disk'><source file='/x.img'/><target dev='vda' bus='virtio'/>${extra}</disk>\n`;

test('boot-order-duplicate: one order on two devices is an error on both values, compared as decimal numbers', () => {
  const text = domain(iface("<boot order='[[1]]'/>") + hostdev("bus='0x0b' slot='0x10' function='0x3'", "<boot order='[[01]]'/>"));
  const [p] = expectAt(text, 'boot-order-duplicate', 'error');
  assert.match(p.message, / — define\/attach fails; libvirt: "unsupported configuration: boot order '1' used for more than one device/);
});

test("boot-order-duplicate: blanks or a '+' before the digits and ten-digit orders are read as strtoul reads them", () => {
  // virsh define (test driver): ' 1', '+1' and '01' beside '1' all fail with "boot order '1' used for more than one device"
  const second = (order: string) => hostdev("bus='0x0b' slot='0x10' function='0x3'", `<boot order='[[${order}]]'/>`);
  for (const order of [' 1', '+1', ' +1']) {
    const [p] = expectAt(domain(iface("<boot order='[[1]]'/>") + second(order)), 'boot-order-duplicate', 'error');
    assert.match(p.message, /boot order '1' used for more than one device/, order);
  }
  expectAt(domain(iface("<boot order='[[4294967295]]'/>") + second('4294967295')), 'boot-order-duplicate', 'error');
  // a trailing blank is not a number to libvirt ("Expected non-negative integer value"): boot-order says so, not this rule
  expectNone(
    domain(iface("<boot order='1'/>") + hostdev("bus='0x0b' slot='0x10' function='0x3'", "<boot order='1 '/>")),
    'boot-order-duplicate',
  );
});

test('boot-order-duplicate: a disk of the domain counts, and a bare snippet of several devices is checked too', () => {
  expectAt(domain(iface("<boot order='[[2]]'/>") + DISK("<boot order='[[2]]'/>")), 'boot-order-duplicate', 'error');
  expectAt(
    iface("<boot order='[[3]]'/>") + hostdev("bus='0x0b' slot='0x10' function='0x3'", "<boot order='[[3]]'/>"),
    'boot-order-duplicate',
    'error',
  );
});

test('boot-order-duplicate: distinct orders, and a second <boot> in one device (libvirt reads the first), are fine', () => {
  expectNone(
    domain(iface("<boot order='1'/>") + hostdev("bus='0x0b' slot='0x10' function='0x3'", "<boot order='2'/>")),
    'boot-order-duplicate',
  );
  expectNone(hostdev(undefined, "<boot order='1'/><boot order='1'/>"), 'boot-order-duplicate');
});

test('boot-order-duplicate: only disks, filesystems, interfaces, host devices and redirdevs have a boot order', () => {
  // virsh define (test driver and qemu:///session): each of these beside a VF's order 1 fails with
  // "boot order '1' used for more than one device"; a <video>'s or <controller>'s <boot> is dropped unread
  const vf = iface("<boot order='[[1]]'/>");
  expectAt(
    domain(vf + "<filesystem type='mount'><source dir='/srv'/><target dir='t'/><boot order='[[1]]'/></filesystem>\n"),
    'boot-order-duplicate',
    'error',
  );
  expectAt(domain(vf + "<redirdev bus='usb' type='spicevmc'><boot order='[[1]]'/></redirdev>\n"), 'boot-order-duplicate', 'error');
  const unread = [
    "<video><model type='vga'/><boot order='1'/></video>",
    "<controller type='usb' model='qemu-xhci'><boot order='1'/></controller>",
    "<memballoon model='virtio'><boot order='1'/></memballoon>",
    "<input type='tablet' bus='usb'><boot order='1'/></input>",
  ];
  for (const device of unread) {
    expectNone(domain(iface("<boot order='1'/>") + device + '\n'), 'boot-order-duplicate');
    expectNone(iface("<boot order='1'/>") + device, 'boot-order-duplicate');
  }
});

test('alias-duplicate: one user alias (ua-) on two devices is an error on both names, disks included', () => {
  const text = domain(iface("<alias name='[[ua-net0]]'/>") + DISK("<alias name='[[ua-net0]]'/>"));
  const [p] = expectAt(text, 'alias-duplicate', 'error');
  assert.match(p.message, / — define\/attach fails; libvirt: "unsupported configuration: non unique alias detected: ua-net0/);
  expectAt(
    iface("<alias name='[[ua-a]]'/>") + hostdev("bus='0x0b' slot='0x10' function='0x3'", "<alias name='[[ua-a]]'/>"),
    'alias-duplicate',
    'error',
  );
});

test('alias-duplicate: distinct aliases, and repeated aliases without ua- (libvirt drops them at define), are fine', () => {
  expectNone(
    domain(iface("<alias name='ua-a'/>") + hostdev("bus='0x0b' slot='0x10' function='0x3'", "<alias name='ua-b'/>")),
    'alias-duplicate',
  );
  expectNone(
    domain(iface("<alias name='hostdev0'/>") + hostdev("bus='0x0b' slot='0x10' function='0x3'", "<alias name='hostdev0'/>")),
    'alias-duplicate',
  );
});

test("alias-duplicate: a user alias is 'ua-' and letters, digits, '_', '-': others are dropped at define and never clash", () => {
  // virsh define (test driver and qemu:///session) accepts each of these twice
  const twice = (name: string, other = hostdev("bus='0x0b' slot='0x10' function='0x3'", `<alias name='${name}'/>`)) =>
    domain(iface(`<alias name='${name}'/>`) + other);
  for (const name of ['ua-a b', 'ua-x.y', 'ua-é', 'UA-a']) expectNone(twice(name), 'alias-duplicate');
  for (const name of ['ua-', 'ua-A_b-9']) expectAt(twice(`[[${name}]]`), 'alias-duplicate', 'error');
  // no device info to hold an alias: a graphics, or a balloon or USB controller of model 'none'
  for (const other of [
    "<graphics type='vnc'><alias name='ua-x'/></graphics>\n",
    "<memballoon model='none'><alias name='ua-x'/></memballoon>\n",
    "<controller type='usb' model='none'><alias name='ua-x'/></controller>\n",
  ])
    expectNone(twice('ua-x', other), 'alias-duplicate');
  expectAt(twice('[[ua-x]]', "<memballoon model='virtio'><alias name='[[ua-x]]'/></memballoon>\n"), 'alias-duplicate', 'error');
});

const VIRTIO_PERSISTENT = (mac: string) =>
  `<interface type='network'><mac address='${mac}'/><source network='default'/><model type='virtio'/><teaming type='persistent'/><alias name='ua-backup0'/></interface>\n`;

test('mac-duplicate: a virtio/VF failover pair shares its MAC on purpose (net_failover pairs them by MAC): no warning', () => {
  const text = domain(VIRTIO_PERSISTENT('52:54:00:6d:90:02') + iface("<teaming type='transient' persistent='ua-backup0'/>"));
  expectNone(text, 'mac-duplicate');
  // a third interface with the same MAC is still a clash
  expectAt(
    domain(
      VIRTIO_PERSISTENT('[[52:54:00:6d:90:02]]') +
        iface("<teaming type='transient' persistent='ua-backup0'/>", { mac: "<mac address='[[52:54:00:6d:90:02]]'/>" }) +
        iface('', { mac: "<mac address='[[52:54:00:6d:90:02]]'/>", source: at("bus='0x0b' slot='0x10' function='0x4'") }),
    ),
    'mac-duplicate',
    'warning',
  );
});

test('mac-duplicate: a MAC shared by emulated NICs only is not about a VF: no warning', () => {
  const user = "<interface type='user'><mac address='00:11:22:33:44:55'/></interface>\n";
  expectNone(domain(user + user + iface()), 'mac-duplicate');
});

const guest = (name: string, devices: string) =>
  `<domain type='kvm'><name>${name}</name><memory>1</memory><os><type>hvm</type></os><devices>\n${devices}</devices></domain>\n`;

test('several <domain>s in one file are several guests: one VF in two of them is a cross-guest conflict, not a duplicate', () => {
  const vf = at("domain='0x0000' bus='0x0b' slot='0x10' function='0x2'", true);
  const text = guest('web01', iface('', { source: vf })) + guest('web02', iface('', { source: vf }));
  expectNone(text.replace(/\[\[|\]\]/g, ''), 'pci-duplicate');
  const [p] = expectAt(text, 'vf-in-use', 'warning');
  assert.match(
    p.message,
    /^Host PCI address 0000:0b:10.2 is also assigned to guest 'web02' in this file, and only one guest can hold a VF at a time — the guest fails to start/,
  );
  // boot orders, aliases and MACs are per guest too
  const other =
    guest('a', iface("<boot order='1'/><alias name='ua-x'/>")) +
    guest('b', iface("<boot order='1'/><alias name='ua-x'/>", { source: at("bus='0x0b' slot='0x10' function='0x4'") }));
  expectNone(other, 'boot-order-duplicate');
  expectNone(other, 'alias-duplicate');
  expectNone(other, 'mac-duplicate');
});
