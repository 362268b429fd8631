// controller-index: <controller index> as virDomainControllerDefParseXML reads it (virXMLPropInt base 10,
// non-negative), and the rules that look a controller up by index reading it the same way. Every case
// below was run through `virsh define` (test:///default and qemu:///session, libvirt 9.0).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectAt, expectNone } from './helpers';

const domain = (devices: string, os = "<type arch='x86_64' machine='q35'>hvm</type>") =>
  `<domain type='kvm'><name>c</name><memory>1</memory><os>${os}</os><devices>\n${devices}</devices></domain>\n`;
/** the value is marked, or the attribute's name when the value is empty */
const pciController = (index: string) =>
  `<controller type='pci' ${index === '' ? "[[index]]=''" : `index='[[${index}]]'`} model='pcie-root-port'/>\n`;

test("controller-index: '0x1', '1e0', '1 ', '' and numbers above INT_MAX are not integers to libvirt", () => {
  for (const index of ['0x1', '1e0', '1 ', '', '1.0', '2147483648']) {
    const [p] = expectAt(domain(pciController(index)), 'controller-index', 'error');
    assert.ok(
      p.message.includes(`"XML error: Invalid value for attribute 'index' in element 'controller': '${index}'. Expected integer value"`),
      p.message,
    );
  }
});

test("controller-index: '-1' is an integer libvirt refuses as negative", () => {
  const [p] = expectAt(domain(pciController('-1')), 'controller-index', 'error');
  assert.ok(
    p.message.includes(`"XML error: Invalid value for attribute 'index' in element 'controller': '-1'. Expected non-negative value"`),
    p.message,
  );
});

test("controller-index: ' 1', '+1', '01', '-0' and a missing index are read; any controller type, any hypervisor, snippets too", () => {
  for (const index of [' 1', '+1', '01', '-0', '\t1'])
    expectNone(domain(pciController(index)).replace(/\[\[|\]\]/g, ''), 'controller-index');
  expectNone(domain("<controller type='usb' model='qemu-xhci'/>\n"), 'controller-index');
  expectAt("<controller type='usb' index='[[0x0]]' model='qemu-xhci'/>\n", 'controller-index', 'error');
  expectAt(
    "<domain type='xen'><name>x</name><memory>1</memory><devices>\n<controller type='xenbus' index='[[-1]]'/>\n</devices></domain>\n",
    'controller-index',
    'error',
  );
});

test("controller-index: a PCI controller index above 255 is refused with virDomainControllerDefValidate's message (virsh define)", () => {
  for (const [index, read] of [
    ['256', 256],
    [' 300', 300],
    ['268435456', 268435456],
    ['2147483647', 2147483647],
  ] as const) {
    const [p] = expectAt(domain(pciController(index)), 'controller-index', 'error');
    assert.ok(p.message.includes(`"unsupported configuration: PCI controller index ${read} too high, maximum is 255"`), p.message);
    assert.ok(p.message.includes('libvirt daemon abort'), p.message);
  }
  // the bus numbers themselves, and controllers that are not PCI ones, are libvirt's to take
  expectNone(domain(pciController('255')).replace(/\[\[|\]\]/g, ''), 'controller-index');
  expectNone(domain("<controller type='usb' index='300' model='qemu-xhci'/>\n"), 'controller-index');
  expectNone(domain("<controller type='scsi' index='2147483647' model='virtio-scsi'/>\n"), 'controller-index');
  // a bare snippet is checked the same way
  expectAt("<controller type='pci' index='[[256]]' model='pci-bridge'/>\n", 'controller-index', 'error');
});

test("guest-address-duplicate: USB controller '+0', '00' or '-0' is controller 0, so an i440fx guest's 01.2 is free (virsh define)", () => {
  const pc = (usbIndex: string, model: string) =>
    domain(
      `<controller type='usb' index='${usbIndex}' model='${model}'/>\n` +
        "<interface type='user'><model type='e1000'/><[[address]] type='pci' domain='0' bus='0' slot='1' function='2'/></interface>\n",
      "<type arch='x86_64' machine='pc'>hvm</type>",
    );
  for (const index of ['+0', '00', '-0']) expectNone(pc(index, 'qemu-xhci').replace(/\[\[|\]\]/g, ''), 'guest-address-duplicate');
  expectAt(pc('+0', 'piix3-uhci'), 'guest-address-duplicate', 'error');
});

test("guest-address-type: a bus named by a controller index '+1' is that controller's (virsh define)", () => {
  expectAt(
    domain(
      "<controller type='pci' index='0' model='pcie-root'/>\n<controller type='pci' index='+1' model='pcie-root-port'/>\n" +
        "<controller type='pci' index='2' model='dmi-to-pci-bridge'><[[address]] type='pci' bus='1'/></controller>\n",
    ),
    'guest-address-type',
    'error',
  );
});
