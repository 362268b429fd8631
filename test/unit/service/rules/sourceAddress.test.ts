// source-missing, source-address-type, pci-number, pci-range, pci-octal, pci-decimal, pci-zero, address-multifunction
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { domain, expectAt, expectNone, hostdev, iface } from './helpers';

const src = (attrs: string) => `<source><address ${attrs}/></source>`;
const pci = (fields: string) => src(`type='pci' ${fields}`);

test('source-missing: an interface without <source> is an error on the interface name', () => {
  const [p] = expectAt(
    `<[[interface]] type='hostdev' managed='yes'><mac address='52:54:00:6d:90:02'/></interface>`,
    'source-missing',
    'error',
  );
  assert.match(p.message, / — define\/attach fails; libvirt: "XML error: missing source address type/);
});

test('source-missing: <source/> without <address> on an interface and on a <hostdev>', () => {
  expectAt(`<[[interface]] type='hostdev'><mac address='52:54:00:6d:90:02'/><source/></interface>`, 'source-missing', 'error');
  const [p] = expectAt(`<[[hostdev]] mode='subsystem' type='pci' managed='yes'><source/></hostdev>`, 'source-missing', 'error');
  assert.match(p.message, / — the guest fails to start; libvirt: "/);
});

test('source-missing: a <hostdev> without <source> says what libvirt says', () => {
  const [p] = expectAt(`<[[hostdev]] mode='subsystem' type='pci' managed='yes'></hostdev>`, 'source-missing', 'error');
  assert.match(p.message, /Missing <source> element in hostdev device/);
});

test('source-missing: not reported when the host address is there', () => {
  expectNone(iface(), 'source-missing');
  expectNone(hostdev(), 'source-missing');
});

test('source-address-type: missing type is an error on the address name', () => {
  const [p] = expectAt(
    iface('', { source: `<source><[[address]] domain='0x0000' bus='0x0b' slot='0x10' function='0x2'/></source>` }),
    'source-address-type',
    'error',
  );
  assert.match(p.message, /XML error: missing source address type/);
});

test("source-address-type: unknown type='drive' and a non-PCI type='usb' are errors on the value", () => {
  const [drive] = expectAt(
    iface('', { source: src("type='[[drive]]' bus='0x0b' slot='0x10' function='0x2'") }),
    'source-address-type',
    'error',
  );
  assert.match(drive.message, /unsupported configuration: unknown host device source address type 'drive'/);
  expectAt(iface('', { source: src("type='[[usb]]' bus='1' device='2'") }), 'source-address-type', 'error');
});

test("source-address-type: an empty type='' is reported on the attribute name", () => {
  expectAt(iface('', { source: src("[[type]]='' bus='0x0b' slot='0x10' function='0x2'") }), 'source-address-type', 'error');
});

test("source-address-type: type='pci' on an interface, and no type on a plain <hostdev>, are fine", () => {
  expectNone(iface(), 'source-address-type');
  expectNone(hostdev(), 'source-address-type');
});

test("pci-number: '0b', '1f', '-1' and 'x' are errors with libvirt's message", () => {
  const [bus] = expectAt(iface('', { source: pci("domain='0x0000' bus='[[0b]]' slot='0x10' function='0x2'") }), 'pci-number', 'error');
  assert.equal(
    bus.message,
    `bus='0b' is not a number libvirt reads — define/attach fails; libvirt: "XML error: Invalid value for attribute 'bus' in element 'address': '0b'. Expected non-negative integer value". Hex needs the 0x prefix: write '0x0b'.`,
  );
  expectAt(iface('', { source: pci("bus='0x0b' slot='[[1f]]' function='[[-1]]' domain='[[x]]'") }), 'pci-number', 'error');
  expectAt(hostdev("bus='[[0b]]' slot='0x10' function='0x2'"), 'pci-number', 'error');
});

test('pci-number: hex with 0x, decimal and octal numbers parse', () => {
  expectNone(iface('', { source: pci("domain='0' bus='0x0B' slot='16' function='01'") }), 'pci-number');
});

test("pci-number: strtoul takes a leading '+' and whitespace ('+0x0b', '+0', ' 0x10' are accepted by virsh define)", () => {
  expectNone(iface('', { source: pci("domain='+0' bus='+0x0b' slot=' 0x10' function='+2'") }), 'pci-number');
  const [p] = expectAt(iface('', { source: pci("domain='0x0000' bus='[[+011]]' slot='0x10' function='0x2'") }), 'pci-octal', 'warning');
  assert.match(
    p.message,
    /libvirt reads 9 \(0x09\), not 11\. Write 0x09 if 9 is meant, 0x0b if decimal 11 was meant, or 0x11 if it was hex\.$/,
  );
  const [d] = expectAt(iface('', { source: pci("domain='0x0000' bus='[[+11]]' slot='0x10' function='0x2'") }), 'pci-decimal', 'hint');
  assert.match(d.message, /or 0x11 if hex was meant\.$/);
});

test('pci-number: a decimal too large for an unsigned int does not suggest a 0x prefix', () => {
  const [p] = expectAt(iface('', { source: pci("domain='[[4294967296]]' bus='0x0b' slot='0x10' function='0x2'") }), 'pci-number', 'error');
  assert.doesNotMatch(p.message, /0x prefix/);
});

test('pci-range: bus > 0xff, slot > 0x1f, function > 7 are errors', () => {
  const problems = expectAt(
    iface('', { source: pci("domain='0x0000' bus='[[0x100]]' slot='[[0x20]]' function='[[0x9]]'") }),
    'pci-range',
    'error',
  );
  assert.match(
    problems[0].message,
    /^bus='0x100' is out of range — define\/attach fails; libvirt: "XML error: Invalid PCI address bus='0x100', must be <= 0xFF"$/,
  );
  assert.match(problems[1].message, /Invalid PCI address slot='0x20', must be <= 0x1F"$/);
  assert.match(problems[2].message, /Invalid PCI address function=0x9, must be <= 7"$/);
});

test('pci-range: the limits themselves and a large domain are accepted', () => {
  expectNone(iface('', { source: pci("domain='0x10000' bus='0xff' slot='0x1f' function='7'") }), 'pci-range');
});

test("pci-octal: '011' is read as 9 and the message says so", () => {
  const [p] = expectAt(iface('', { source: pci("domain='0x0000' bus='[[011]]' slot='0x10' function='0x2'") }), 'pci-octal', 'warning');
  assert.match(p.message, /^bus='011' is octal — libvirt reads 9 \(0x09\), not 11/);
});

test("pci-octal: leading zeros that read the same ('0000', '07', '00') are not flagged", () => {
  expectNone(iface('', { source: pci("domain='0000' bus='00' slot='0x10' function='07'") }), 'pci-octal');
});

test("pci-decimal: bus='11' is a hint with the hex form", () => {
  const [p] = expectAt(iface('', { source: pci("domain='0x0000' bus='[[11]]' slot='0x10' function='0x2'") }), 'pci-decimal', 'hint');
  assert.match(p.message, /^bus='11' is decimal 11 = 0x0b/);
});

test('pci-decimal: single digits and hex are not flagged', () => {
  expectNone(iface('', { source: pci("domain='0' bus='0x0b' slot='0x10' function='2'") }), 'pci-decimal');
});

test('pci-zero: an all-zero host address is a warning on the address name', () => {
  expectAt(
    iface('', { source: `<source><[[address]] type='pci' domain='0x0000' bus='0x00' slot='0x00' function='0x0'/></source>` }),
    'pci-zero',
    'warning',
  );
});

test('pci-zero: an address without slot is a warning that names what is missing', () => {
  const [p] = expectAt(hostdev("bus='0x0b'").replace('<address', '<[[address]]'), 'pci-zero', 'warning');
  assert.match(p.message, /no slot —/);
});

test('pci-zero: an address that leaves out domain and function means 0 for them, as written: not incomplete', () => {
  expectNone(hostdev("bus='0x0b' slot='0x10'"), 'pci-zero');
  expectNone(iface('', { source: "<source><address type='pci' bus='0x0b' slot='0x10'/></source>" }), 'pci-zero');
});

test('pci-zero: a zPCI device (s390x) at host 0000:00:00.0 is real, and libvirt never warns about a host address', () => {
  const zero = "domain='0x0000' bus='0x00' slot='0x00' function='0x0'";
  expectNone(
    hostdev(
      zero,
      "<address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x0'><zpci uid='0x0001' fid='0x00000001'/></address>",
    ),
    'pci-zero',
  );
  const s390 = `<domain type='kvm'><name>z</name><memory>1</memory><os><type arch='s390x' machine='s390-ccw-virtio'>hvm</type></os><devices>${hostdev(zero)}</devices></domain>`;
  expectNone(s390, 'pci-zero');
  expectAt(hostdev(zero).replace('<address', '<[[address]]'), 'pci-zero', 'warning');
});

test('pci-zero: a complete address (domain may be left out) is fine', () => {
  expectNone(iface(), 'pci-zero');
  expectNone(hostdev("bus='0x0b' slot='0x10' function='0x2'"), 'pci-zero');
});

test('several devices in a domain are each checked', () => {
  const text = domain(
    iface('', { source: pci("bus='[[0b]]' slot='0x10' function='0x2'") }) + hostdev("bus='0x0b' slot='[[0x1g]]' function='0x3'"),
  );
  expectAt(text, 'pci-number', 'error');
});

test("address-multifunction: host multifunction='yes' is rejected on the value, on an interface and a <hostdev>", () => {
  const [p] = expectAt(
    iface('', {
      source: "<source><address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x2' multifunction='[[yes]]'/></source>",
    }),
    'address-multifunction',
    'error',
  );
  assert.match(
    p.message,
    / — define\/attach fails; libvirt: "XML error: Invalid value for attribute 'multifunction' in element 'address': 'yes'\."\. Write 'on'\./,
  );
  expectAt(hostdev("domain='0x0000' bus='0x0b' slot='0x10' function='0x2' multifunction='[[ON]]'"), 'address-multifunction', 'error');
  // an empty value is refused too: reported on the name, the value has no width
  expectAt(hostdev("domain='0x0000' bus='0x0b' slot='0x10' function='0x2' [[multifunction]]=''"), 'address-multifunction', 'error');
});

test("address-multifunction: 'on' and 'off' (and no multifunction) are fine on the host address", () => {
  expectNone(
    iface('', {
      source: "<source><address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x2' multifunction='on'/></source>",
    }),
    'address-multifunction',
  );
  expectNone(hostdev("domain='0x0000' bus='0x0b' slot='0x10' function='0x2' multifunction='off'"), 'address-multifunction');
  expectNone(iface(), 'address-multifunction');
});
