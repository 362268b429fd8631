// The guest-side <address type='pci'> of every device: numbers and ranges (virPCIDeviceAddressIsValid),
// double use and domain 0 (QEMU's domain_addr.c), zPCI uid/fid (virZPCIDeviceAddressIsValid,
// virDomainZPCIAddressReserveId). Messages verified with virsh define (test:///default and qemu:///session).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { domain, expectAt, expectNone, hostdev, iface } from './helpers';

const BALLOON = (attrs: string) => `<memballoon model='virtio'><address type='pci' ${attrs}/></memballoon>\n`;
const GUEST = (attrs: string) => `<address type='pci' ${attrs}/>`;

test('pci-range / pci-number on the guest address of any device, not only passthrough ones', () => {
  const [slot] = expectAt(domain(BALLOON("domain='0x0000' bus='0x00' slot='[[0x20]]' function='0x0'")), 'pci-range', 'error');
  assert.match(slot.message, /libvirt: "XML error: Invalid PCI address slot='0x20', must be <= 0x1F"/);
  expectAt(domain(BALLOON("domain='0x0000' bus='[[0x100]]' slot='0x05' function='0x0'")), 'pci-range', 'error');
  expectAt(domain(BALLOON("domain='0x0000' bus='0x00' slot='0x05' function='[[0x8]]'")), 'pci-range', 'error');
  expectAt(domain(BALLOON("domain='0x0000' bus='0x00' slot='[[1f]]' function='0x0'")), 'pci-number', 'error');
  expectAt(domain(BALLOON("bus='0x00' slot='0x05' multifunction='[[yes]]'")), 'address-multifunction', 'error');
});

test('pci-range: a guest address outside PCI domain 0 is refused by QEMU, on every device', () => {
  const [p] = expectAt(domain(BALLOON("domain='[[0x0001]]' bus='0x00' slot='0x05' function='0x0'")), 'pci-range', 'error');
  assert.match(p.message, /libvirt: "XML error: Invalid PCI address 0001:00:05.0. Only PCI domain 0 is available"/);
  expectAt(iface(GUEST("domain='[[0x0001]]' bus='0x00' slot='0x05' function='0x0'")), 'pci-range', 'error');
  // the host side may have any domain
  expectNone(hostdev("domain='0x0001' bus='0x0b' slot='0x10' function='0x2'"), 'pci-range');
});

test('guest-address-duplicate: two devices at one guest PCI address is an error on both, whatever the devices', () => {
  const text = domain(
    iface("<[[address]] type='pci' domain='0x0000' bus='0x00' slot='0x05' function='0x0'/>") +
      BALLOON("domain='0' bus='0' slot='5' function='0'").replace('<address', '<[[address]]'),
  );
  const [p] = expectAt(text, 'guest-address-duplicate', 'error');
  assert.match(
    p.message,
    /^Guest PCI address 0000:00:05.0 is given to 2 devices of this guest — define\/attach fails; libvirt: "XML error: Attempted double use of PCI Address 0000:00:05.0"/,
  );
});

test('guest-address-duplicate: other functions of one slot, all-zero addresses (libvirt picks one) and other guests are fine', () => {
  expectNone(
    domain(BALLOON("bus='0x00' slot='0x05' function='0x0' multifunction='on'") + BALLOON("bus='0x00' slot='0x05' function='0x1'")),
    'guest-address-duplicate',
  );
  expectNone(
    domain(
      BALLOON("domain='0x0000' bus='0x00' slot='0x00' function='0x0'") +
        iface(GUEST("domain='0x0000' bus='0x00' slot='0x00' function='0x0'")),
    ),
    'guest-address-duplicate',
  );
  expectNone(domain(BALLOON("bus='0x00' slot='0x05'"), 'a') + domain(BALLOON("bus='0x00' slot='0x05'"), 'b'), 'guest-address-duplicate');
});

const s390 = (devices: string, arch = 's390x') =>
  `<domain type='kvm'><name>z</name><memory>1</memory><os><type arch='${arch}' machine='m'>hvm</type></os><devices>\n${devices}</devices></domain>\n`;
const ZPCI = (zpci: string, host = "domain='0x0000' bus='0x00' slot='0x00' function='0x0'") =>
  hostdev(host, `<address type='pci' domain='0x0000' bus='0x00' slot='0x00' function='0x0'>${zpci}</address>`);

test('zpci: uid 0 or above 0xffff is refused, fid 0 is fine', () => {
  const [p] = expectAt(s390(ZPCI("<zpci uid='[[0x000]]' fid='0x0'/>")), 'zpci', 'error');
  assert.match(p.message, /libvirt: "XML error: Invalid PCI address uid='0x0000', must be > 0x0000 and <= 0xffff"/);
  expectAt(s390(ZPCI("<zpci uid='[[0x10000]]'/>")), 'zpci', 'error');
  expectNone(s390(ZPCI("<zpci uid='0xffff' fid='0x0'/>")), 'zpci');
  expectAt(s390(ZPCI("<zpci uid='0x1' fid='[[0x100000000]]'/>")), 'zpci', 'error');
});

test('zpci: a uid or fid used twice in one guest is refused, with the id in octal as libvirt prints it', () => {
  const text = s390(
    ZPCI("<zpci uid='0x1234' fid='0x00001234'/>") +
      ZPCI("<zpci uid='[[0x1234]]' fid='[[0x00001234]]'/>", "domain='0x0001' bus='0x00' slot='0x00' function='0x0'"),
  );
  const [uid, fid] = expectAt(text, 'zpci', 'error');
  assert.match(uid.message, /libvirt: "internal error: zPCI uid 11064 is already reserved"/);
  assert.match(fid.message, /libvirt: "internal error: zPCI fid 11064 is already reserved"/);
});

test('zpci: on a guest that is not s390x, QEMU has no zPCI', () => {
  const [p] = expectAt(s390(ZPCI("<[[zpci]] uid='0x0019' fid='0x0000001f'/>"), 'i686'), 'zpci', 'error');
  assert.match(p.message, /libvirt: "unsupported configuration: This QEMU binary doesn't support zPCI"/);
});

test('zpci: an empty <zpci/> is no zPCI address on any guest, and an id libvirt cannot read is its parse error first', () => {
  expectNone(s390(ZPCI('<zpci/>'), 'x86_64'), 'zpci');
  const [p] = expectAt(s390(ZPCI("<zpci [[uid]]=''/>"), 'x86_64'), 'zpci', 'error');
  assert.match(
    p.message,
    /libvirt: "XML error: Invalid value for attribute 'uid' in element 'zpci': ''\. Expected non-negative integer value"/,
  );
});

test('guest-address-duplicate: a serial <console> is the first <serial> again, at its address: no clash', () => {
  const at = "<address type='pci' domain='0x0000' bus='0x00' slot='0x04' function='0x0'/>";
  expectNone(
    domain(
      `<serial type='pty'><target type='pci-serial' port='0'/>${at}</serial><console type='pty'><target type='serial' port='0'/>${at}</console>\n`,
    ),
    'guest-address-duplicate',
  );
});

test("guest-address-duplicate: a 'none' balloon, USB controller or video holds no slot (qemu:///session defines each)", () => {
  const at = "<address type='pci' domain='0x0000' bus='0x00' slot='0x06' function='0x0'/>";
  const vf = iface(at);
  for (const none of [
    `<memballoon model='none'>${at}</memballoon>`,
    `<controller type='usb' index='0' model='none'>${at}</controller>`,
    `<video><model type='none'/>${at}</video>`,
  ]) {
    expectNone(domain(vf + none + '\n'), 'guest-address-duplicate');
    expectNone(vf + none, 'guest-address-duplicate');
  }
  expectAt(
    domain(
      iface("<[[address]] type='pci' bus='0x00' slot='0x06'/>") +
        "<video><model type='vga'/><[[address]] type='pci' bus='0' slot='6'/></video>\n",
    ),
    'guest-address-duplicate',
    'error',
  );
});

test("pci-range / address-multifunction: the address of a 'none' balloon or USB controller is not read, a 'none' video's is", () => {
  const bad = "<address type='pci' bus='0x00' slot='0x99' function='0x0' multifunction='maybe'/>";
  expectNone(domain(`<memballoon model='none'>${bad}</memballoon>\n`), 'pci-range');
  expectNone(domain(`<controller type='usb' model='none'>${bad}</controller>\n`), 'address-multifunction');
  expectAt(domain("<video><model type='none'/><address type='pci' bus='0x00' slot='[[0x99]]'/></video>\n"), 'pci-range', 'error');
});

const pc = (devices: string, os = "<type arch='x86_64' machine='pc'>hvm</type>", type = 'qemu') =>
  `<domain type='${type}'><name>p</name><memory>1</memory><os>${os}</os><devices>\n${devices}</devices></domain>\n`;
const NIC = (fn: number) =>
  `<interface type='user'><model type='e1000'/><[[address]] type='pci' domain='0' bus='0' slot='1' function='${fn}'/></interface>\n`;

test("guest-address-duplicate: on an i440fx ('pc') guest slot 1 is the PIIX3 chip's (ISA 01.0, ACPI 01.3 always)", () => {
  const [p] = expectAt(pc(NIC(0)), 'guest-address-duplicate', 'error');
  assert.match(
    p.message,
    /^Guest PCI address 0000:00:01.0 is the i440fx machine's PIIX3 ISA bridge — define\/attach fails; libvirt: "XML error: Attempted double use of PCI Address 0000:00:01.0"/,
  );
  expectAt(pc(NIC(3)), 'guest-address-duplicate', 'error');
  expectAt(pc(NIC(0), "<type arch='x86_64' machine='pc-i440fx-7.2'>hvm</type>"), 'guest-address-duplicate', 'error');
  // QEMU's default x86 machine is i440fx
  expectAt(pc(NIC(0), "<type arch='x86_64'>hvm</type>"), 'guest-address-duplicate', 'error');
  // q35, another architecture, or another hypervisor: no PIIX3
  const free = (text: string) => expectNone(text.replace(/\[\[|\]\]/g, ''), 'guest-address-duplicate');
  free(pc(NIC(0), "<type arch='x86_64' machine='q35'>hvm</type>"));
  free(pc(NIC(0), "<type arch='aarch64'>hvm</type>"));
  free(pc(NIC(0), "<type arch='x86_64' machine='pc'>hvm</type>", 'bhyve'));
});

test('guest-address-duplicate: PIIX3 IDE 01.1 with an IDE controller or disk, USB 01.2 unless USB controller 0 is another model (virsh define)', () => {
  const free = (text: string) => expectNone(text.replace(/\[\[|\]\]/g, ''), 'guest-address-duplicate');
  free(pc(NIC(1)));
  expectAt(pc("<controller type='ide' index='0'/>\n" + NIC(1)), 'guest-address-duplicate', 'error');
  expectAt(pc("<disk type='file' device='cdrom'><target dev='hdc' bus='ide'/></disk>\n" + NIC(1)), 'guest-address-duplicate', 'error');
  // the IDE controller itself sits there
  free(pc("<controller type='ide' index='0'><address type='pci' domain='0' bus='0' slot='1' function='1'/></controller>\n"));
  expectAt(pc(NIC(2)), 'guest-address-duplicate', 'error');
  expectAt(pc("<controller type='usb' index='0' model='piix3-uhci'/>\n" + NIC(2)), 'guest-address-duplicate', 'error');
  free(pc("<controller type='usb' index='0' model='none'/>\n" + NIC(2)));
  free(pc("<controller type='usb' index='0' model='qemu-xhci'/>\n" + NIC(2)));
  free(pc("<controller type='usb' index='0' model='ich9-ehci1'/>\n" + NIC(2)));
});

const q35 = (controllers: string) =>
  `<domain type='kvm'><name>q</name><memory>1</memory><os><type arch='x86_64' machine='q35'>hvm</type></os><devices>\n` +
  `<controller type='pci' index='0' model='pcie-root'/>\n<controller type='pci' index='1' model='pcie-root-port'/>\n${controllers}</devices></domain>\n`;

test('guest-address-type: an expander bus or DMI bridge on a controller that does not take it (virsh define)', () => {
  const [p] = expectAt(
    q35("<controller type='pci' index='2' model='dmi-to-pci-bridge'><[[address]] type='pci' bus='1'/></controller>\n"),
    'guest-address-type',
    'error',
  );
  assert.match(
    p.message,
    /^A dmi-to-pci-bridge cannot sit on the pcie-root-port \(bus 1\) — define\/attach fails; libvirt: "XML error: The device at PCI address 0000:01:00.0 cannot be plugged into the PCI controller with index='1'. It requires a controller that accepts a dmi-to-pci-bridge."/,
  );
  expectAt(
    q35("<controller type='pci' index='2' model='pcie-expander-bus'><[[address]] type='pci' bus='1'/></controller>\n"),
    'guest-address-type',
    'error',
  );
  // on the root, or on a bus the guest does not declare (implicit: depends on the machine type), nothing is said
  expectNone(
    q35("<controller type='pci' index='2' model='dmi-to-pci-bridge'><address type='pci' bus='0' slot='0x1e'/></controller>\n"),
    'guest-address-type',
  );
  expectNone(
    q35("<controller type='pci' index='2' model='pcie-expander-bus'><address type='pci' bus='5' slot='2'/></controller>\n"),
    'guest-address-type',
  );
});
