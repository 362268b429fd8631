// guest-address-type, address-multifunction, and the number rules on the guest-side address (virDomainDeviceInfoParseXML, virDomainHostdevDefValidate)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectAt, expectNone, hostdev, iface } from './helpers';

test("guest-address-type: type='drive' is rejected; reported on the value", () => {
  const [p] = expectAt(iface("<address type='[[drive]]' controller='0' bus='0' unit='0'/>"), 'guest-address-type', 'error');
  assert.match(p.message, /internal error: PCI host devices must use 'pci' or 'unassigned' address type/);
  expectAt(hostdev(undefined, "<address type='[[usb]]' bus='0' port='1'/>"), 'guest-address-type', 'error');
});

test('guest-address-type: an unknown type and a missing type are rejected', () => {
  const [foo] = expectAt(iface("<address type='[[foo]]'/>"), 'guest-address-type', 'error');
  assert.match(foo.message, /unknown address type 'foo'/);
  const [none] = expectAt(iface("<[[address]] bus='0x00' slot='0x05' function='0x0'/>"), 'guest-address-type', 'error');
  assert.match(none.message, /No type specified for device address/);
});

test("guest-address-type: type='unassigned' is for a plain <hostdev> only", () => {
  const [p] = expectAt(iface("<address type='[[unassigned]]'/>"), 'guest-address-type', 'error');
  assert.match(p.message, /address of type 'unassigned' is supported only for hostdevs/);
});

test("guest-address-type: 'pci', and 'unassigned' on a <hostdev>, are fine; the host <source><address> is not the guest address", () => {
  expectNone(iface("<address type='pci' domain='0x0000' bus='0x00' slot='0x05' function='0x0'/>"), 'guest-address-type');
  expectNone(hostdev(undefined, "<address type='unassigned'/>"), 'guest-address-type');
  expectNone(hostdev(), 'guest-address-type');
});

test('guest address numbers follow the host address number rules (no decimal hint, no zero warning)', () => {
  expectAt(iface("<address type='pci' domain='0x0000' bus='[[0b]]' slot='0x05' function='0x0'/>"), 'pci-number', 'error');
  expectAt(iface("<address type='pci' domain='0x0000' bus='0x00' slot='[[0x20]]' function='0x0'/>"), 'pci-range', 'error');
  expectAt(iface("<address type='pci' domain='0x0000' bus='0x00' slot='[[010]]' function='0x0'/>"), 'pci-octal', 'warning');
  expectNone(iface("<address type='pci' domain='0x0000' bus='0' slot='12' function='0'/>"), 'pci-decimal');
  expectNone(iface("<address type='pci' domain='0x0000' bus='0x00' slot='0x00' function='0x0'/>"), 'pci-zero');
});

test("address-multifunction: the guest address takes only on/off too ('yes', 'true' are rejected on the value)", () => {
  const [p] = expectAt(
    iface("<address type='pci' domain='0x0000' bus='0x00' slot='0x05' function='0x0' multifunction='[[yes]]'/>"),
    'address-multifunction',
    'error',
  );
  assert.match(p.message, /Invalid value for attribute 'multifunction' in element 'address': 'yes'\./);
  expectAt(
    hostdev(undefined, "<address type='pci' domain='0x0000' bus='0x00' slot='0x05' function='0x0' multifunction='[[true]]'/>"),
    'address-multifunction',
    'error',
  );
});

test("address-multifunction: guest multifunction='on'/'off' is fine", () => {
  expectNone(
    iface("<address type='pci' domain='0x0000' bus='0x00' slot='0x05' function='0x0' multifunction='on'/>"),
    'address-multifunction',
  );
  expectNone(
    hostdev(undefined, "<address type='pci' domain='0x0000' bus='0x00' slot='0x05' function='0x0' multifunction='off'/>"),
    'address-multifunction',
  );
});
