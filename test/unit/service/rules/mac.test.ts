// mac-syntax, mac-multicast, mac-zero, mac-missing (virMacAddrParse and friends)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectAt, expectNone, hostdev, iface } from './helpers';

const withMac = (value: string) => iface('', { mac: `<mac address='${value}'/>` });

test('mac-syntax: 3-digit octets, 5 or 7 octets, dashes, no separators, non-hex and a leading space are errors', () => {
  for (const bad of [
    '52:54:000:6d:90:02',
    '52:54:00:6d:90',
    '52:54:00:6d:90:02:03',
    '52-54-00-6d-90-02',
    '5254006d9002',
    '52:54:00:6d:90:0g',
    ' 52:54:00:6d:90:02',
  ]) {
    const [p] = expectAt(iface('', { mac: `<mac address='[[${bad}]]'/>` }), 'mac-syntax', 'error');
    assert.match(
      p.message,
      new RegExp(`^MAC '${bad}' is not a MAC address — define/attach fails; libvirt: "XML error: unable to parse mac address '${bad}'`),
    );
  }
});

test("mac-syntax: an empty address='' is reported on the attribute name", () => {
  expectAt(iface('', { mac: `<mac [[address]]=''/>` }), 'mac-syntax', 'error');
});

test('mac-syntax: one-digit octets, upper case and a trailing space are accepted like libvirt does', () => {
  for (const good of ['52:54:0:6d:9:2', '52:54:00:6D:90:02', '52:54:00:6d:90:02 ']) expectNone(withMac(good), 'mac-syntax');
});

test('mac-multicast: an odd first octet (and the broadcast address) is an error', () => {
  const [p] = expectAt(iface('', { mac: `<mac address='[[01:00:5e:00:00:01]]'/>` }), 'mac-multicast', 'error');
  assert.match(p.message, /XML error: expected unicast mac address, found multicast '01:00:5e:00:00:01'/);
  expectAt(iface('', { mac: `<mac address='[[ff:ff:ff:ff:ff:ff]]'/>` }), 'mac-multicast', 'error');
});

test('mac-multicast: a locally administered unicast MAC is fine', () => {
  expectNone(withMac('52:54:00:6d:90:02'), 'mac-multicast');
  expectNone(withMac('02:00:00:00:00:01'), 'mac-multicast');
});

test('mac-zero: 00:00:00:00:00:00 (in any spelling) is a warning', () => {
  expectAt(iface('', { mac: `<mac address='[[00:00:00:00:00:00]]'/>` }), 'mac-zero', 'warning');
  expectAt(iface('', { mac: `<mac address='[[0:0:0:0:0:0]]'/>` }), 'mac-zero', 'warning');
  expectNone(withMac('00:00:00:00:00:01'), 'mac-zero');
});

test('mac-missing: no <mac> is information on the interface name and says libvirt generates one', () => {
  const [p] = expectAt(
    `<[[interface]] type='hostdev' managed='yes'><source><address type='pci' bus='0x0b' slot='0x10' function='0x2'/></source></interface>`,
    'mac-missing',
    'information',
  );
  assert.match(p.message, /libvirt generates one \(52:54:00/);
});

test('mac-missing: <mac/> without an address is reported on the mac element', () => {
  expectAt(iface('', { mac: '<[[mac]]/>' }), 'mac-missing', 'information');
});

test('mac-missing: not reported with a MAC, nor for a plain <hostdev> (which has none)', () => {
  expectNone(iface(), 'mac-missing');
  expectNone(hostdev(), 'mac-missing');
});

test('MAC rules do not look inside a plain <hostdev> (libvirt ignores <mac> there)', () => {
  const text = hostdev(undefined, "<mac address='01:00:5e:00:00:01'/>");
  expectNone(text, 'mac-multicast');
  expectNone(text, 'mac-syntax');
});
