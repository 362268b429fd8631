// vlan-tag, vlan-trunk, vlan-native-mode, vlan-virtualport (virNetDevVlanParse, virNetDevSetNetConfig, virHostdevSetNetConfig)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectAt, expectNone, hostdev, iface } from './helpers';

test('vlan-tag: <vlan> without a <tag> is an error on the vlan name', () => {
  const [p] = expectAt(iface('<[[vlan]]></vlan>'), 'vlan-tag', 'error');
  assert.match(p.message, /missing tag id - each <vlan> must have at least one <tag id='n'\/> subelement/);
});

test('vlan-tag: a tag without id is an error on the tag name', () => {
  const [p] = expectAt(iface('<vlan><[[tag]]/></vlan>'), 'vlan-tag', 'error');
  assert.match(p.message, /Missing required attribute 'id' in element 'tag'/);
});

test("vlan-tag: ids '0x10', '-1', 'ten' are not decimal; 4096 is too large", () => {
  const [hex] = expectAt(iface("<vlan><tag id='[[0x10]]'/></vlan>"), 'vlan-tag', 'error');
  assert.match(hex.message, /Invalid value for attribute 'id' in element 'tag': '0x10'. Expected non-negative integer value/);
  expectAt(iface("<vlan trunk='yes'><tag id='[[-1]]'/><tag id='[[ten]]'/></vlan>"), 'vlan-tag', 'error');
  const [big] = expectAt(iface("<vlan><tag id='[[4096]]'/></vlan>"), 'vlan-tag', 'error');
  assert.match(big.message, /vlan tag id 4096 too large \(maximum 4095\)/);
});

test('vlan-tag: invalid nativeMode and a second native tag are errors', () => {
  expectAt(iface("<vlan><tag id='5' nativeMode='[[foo]]'/></vlan>"), 'vlan-tag', 'error');
  const [dup] = expectAt(
    iface("<vlan trunk='yes'><tag id='5' nativeMode='tagged'/><tag id='6' nativeMode='[[untagged]]'/></vlan>"),
    'vlan-tag',
    'error',
  );
  assert.match(dup.message, /duplicate native vlan setting/);
});

test("vlan-tag: ids 0, 4095, '010' and '+5' are accepted like libvirt's base-10 parser does", () => {
  for (const id of ['0', '4095', '010', '+5']) expectNone(iface(`<vlan><tag id='${id}'/></vlan>`), 'vlan-tag');
});

test('vlan-trunk: two tags fail at start; reported on the second tag', () => {
  const [p] = expectAt(iface("<vlan><tag id='5'/><[[tag]] id='6'/></vlan>"), 'vlan-trunk', 'error');
  assert.match(p.message, / — the guest fails to start; libvirt: "vlan trunking is not supported by SR-IOV network devices/);
});

test("vlan-trunk: trunk='yes' fails at start, even with one tag", () => {
  expectAt(iface("<vlan trunk='[[yes]]'><tag id='5'/></vlan>"), 'vlan-trunk', 'error');
});

test("vlan-trunk: trunk='no' with two tags, or with a native tag, and trunk='maybe' are rejected at define", () => {
  const [two] = expectAt(iface("<vlan trunk='[[no]]'><tag id='5'/><tag id='6'/></vlan>"), 'vlan-trunk', 'error');
  assert.match(
    two.message,
    / — define\/attach fails; libvirt: "XML error: invalid "trunk='no'" in <vlan> - trunk='yes' is required for more than one vlan tag/,
  );
  expectAt(iface("<vlan trunk='[[no]]'><tag id='5' nativeMode='tagged'/></vlan>"), 'vlan-trunk', 'error');
  const [maybe] = expectAt(iface("<vlan trunk='[[maybe]]'><tag id='5'/></vlan>"), 'vlan-trunk', 'error');
  assert.match(maybe.message, /invalid "trunk='maybe'" in <vlan> - must be yes or no/);
});

test("vlan-trunk: libvirt reads trunk case-insensitively (STRCASEEQ): 'YES' fails at start, 'No' is fine", () => {
  const [p] = expectAt(iface("<vlan trunk='[[YES]]'><tag id='5'/></vlan>"), 'vlan-trunk', 'error');
  assert.match(p.message, / — the guest fails to start; libvirt: "vlan trunking/);
  expectNone(iface("<vlan trunk='No'><tag id='42'/></vlan>"), 'vlan-trunk');
  expectAt(iface("<vlan trunk='[[NO]]'><tag id='5'/><tag id='6'/></vlan>"), 'vlan-trunk', 'error');
});

test("vlan-trunk: one tag, with or without trunk='no', is fine", () => {
  expectNone(iface("<vlan><tag id='42'/></vlan>"), 'vlan-trunk');
  expectNone(iface("<vlan trunk='no'><tag id='42'/></vlan>"), 'vlan-trunk');
});

test('vlan-native-mode: nativeMode on the single tag of a VF is a warning on its value', () => {
  const [p] = expectAt(iface("<vlan><tag id='42' nativeMode='[[untagged]]'/></vlan>"), 'vlan-native-mode', 'warning');
  assert.match(p.message, /ignores nativeMode/);
});

test('vlan-native-mode: not reported without nativeMode', () => {
  expectNone(iface("<vlan><tag id='42'/></vlan>"), 'vlan-native-mode');
});

test('vlan-virtualport: <vlan> and <virtualport> together fail at start; reported on the vlan name', () => {
  const [p] = expectAt(
    iface("<[[vlan]]><tag id='42'/></vlan><virtualport type='802.1Qbh'><parameters profileid='prof'/></virtualport>"),
    'vlan-virtualport',
    'error',
  );
  assert.match(
    p.message,
    /^VLAN and <virtualport> together — the guest fails to start; libvirt: "direct setting of the vlan tag is not allowed for hostdev devices using 802.1Qbh mode/,
  );
});

test('vlan-virtualport: either alone is fine', () => {
  expectNone(iface("<vlan><tag id='42'/></vlan>"), 'vlan-virtualport');
  expectNone(iface("<virtualport type='802.1Qbh'><parameters profileid='prof'/></virtualport>"), 'vlan-virtualport');
});

test('VLAN rules do not look inside a plain <hostdev> (libvirt ignores <vlan> there)', () => {
  expectNone(hostdev(undefined, "<vlan><tag id='0x10'/></vlan>"), 'vlan-tag');
});
