// pci-duplicate (virDomainDefHostdevValidate / virDomainHostdevMatch), mac-duplicate, boot-order-duplicate (virDomainDefCollectBootOrder), alias-duplicate (virDomainDefValidateAliases)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { domain, expectAt, expectNone, hostdev, iface } from './helpers';

const at = (fields: string, mark = false) =>
  `<source><${mark ? '[[address]]' : 'address'} type='pci' ${fields}/></source>`;

test('pci-duplicate: the same VF in two interfaces is an error on both host addresses', () => {
  const text = domain(
    iface('', { source: at("domain='0x0000' bus='0x0b' slot='0x10' function='0x2'", true) }) +
    iface('', { source: at("domain='0x0000' bus='0x0b' slot='0x10' function='0x2'", true), mac: "<mac address='52:54:00:6d:90:03'/>" }));
  const [p] = expectAt(text, 'pci-duplicate', 'error');
  assert.match(p.message, /^Host PCI address 0000:0b:10.2 is assigned 2 times in this document — define\/attach fails; libvirt: "XML error: Hostdev already exists in the domain configuration/);
});

test("pci-duplicate: numbers are compared, not text: bus='11' slot='16' equals 0x0b/0x10, across interface and hostdev", () => {
  const text = domain(
    iface('', { source: at("bus='0x0b' slot='0x10' function='0x2'", true) }) +
    hostdev("bus='11' slot='16' function='2'").replace('<address', '<[[address]]'));
  expectAt(text, 'pci-duplicate', 'error');
});

test('pci-duplicate: different functions, or an unparsable address, are not duplicates', () => {
  expectNone(domain(iface() + hostdev("bus='0x0b' slot='0x10' function='0x3'")), 'pci-duplicate');
  expectNone(domain(hostdev("bus='0b' slot='0x10' function='0x2'") + hostdev("bus='0b' slot='0x10' function='0x2'")), 'pci-duplicate');
});

test('mac-duplicate: one MAC (any spelling) on two interfaces is a warning on both values, other interface types included', () => {
  const text = domain(
    iface('', { mac: "<mac address='[[52:54:00:6d:90:02]]'/>" }) +
    "<interface type='network'><mac address='[[52:54:0:6D:90:2]]'/><source network='default'/></interface>\n");
  const [p] = expectAt(text, 'mac-duplicate', 'warning');
  assert.match(p.message, /multiple devices matching MAC address 52:54:00:6d:90:02 found/);
});

test('mac-duplicate: distinct MACs are fine', () => {
  expectNone(domain(iface() + iface('', { mac: "<mac address='52:54:00:6d:90:03'/>", source: at("bus='0x0b' slot='0x10' function='0x4'") })), 'mac-duplicate');
});

const DISK = (extra: string) => `<disk type='file' device='disk'><source file='/x.img'/><target dev='vda' bus='virtio'/>${extra}</disk>\n`;

test("boot-order-duplicate: one order on two devices is an error on both values, compared as decimal numbers", () => {
  const text = domain(iface("<boot order='[[1]]'/>") + hostdev("bus='0x0b' slot='0x10' function='0x3'", "<boot order='[[01]]'/>"));
  const [p] = expectAt(text, 'boot-order-duplicate', 'error');
  assert.match(p.message, / — define\/attach fails; libvirt: "unsupported configuration: boot order '1' used for more than one device/);
});

test('boot-order-duplicate: a disk of the domain counts, and a bare snippet of several devices is checked too', () => {
  expectAt(domain(iface("<boot order='[[2]]'/>") + DISK("<boot order='[[2]]'/>")), 'boot-order-duplicate', 'error');
  expectAt(iface("<boot order='[[3]]'/>") + hostdev("bus='0x0b' slot='0x10' function='0x3'", "<boot order='[[3]]'/>"), 'boot-order-duplicate', 'error');
});

test('boot-order-duplicate: distinct orders, and a second <boot> in one device (libvirt reads the first), are fine', () => {
  expectNone(domain(iface("<boot order='1'/>") + hostdev("bus='0x0b' slot='0x10' function='0x3'", "<boot order='2'/>")), 'boot-order-duplicate');
  expectNone(hostdev(undefined, "<boot order='1'/><boot order='1'/>"), 'boot-order-duplicate');
});

test('alias-duplicate: one user alias (ua-) on two devices is an error on both names, disks included', () => {
  const text = domain(iface("<alias name='[[ua-net0]]'/>") + DISK("<alias name='[[ua-net0]]'/>"));
  const [p] = expectAt(text, 'alias-duplicate', 'error');
  assert.match(p.message, / — define\/attach fails; libvirt: "unsupported configuration: non unique alias detected: ua-net0/);
  expectAt(iface("<alias name='[[ua-a]]'/>") + hostdev("bus='0x0b' slot='0x10' function='0x3'", "<alias name='[[ua-a]]'/>"), 'alias-duplicate', 'error');
});

test('alias-duplicate: distinct aliases, and repeated aliases without ua- (libvirt drops them at define), are fine', () => {
  expectNone(domain(iface("<alias name='ua-a'/>") + hostdev("bus='0x0b' slot='0x10' function='0x3'", "<alias name='ua-b'/>")), 'alias-duplicate');
  expectNone(domain(iface("<alias name='hostdev0'/>") + hostdev("bus='0x0b' slot='0x10' function='0x3'", "<alias name='hostdev0'/>")), 'alias-duplicate');
});
