// teaming (virDomainNetDefValidate, virDomainHostdevDefValidate), rom (virDomainDeviceInfoParseXML)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectAt, expectNone, hostdev, iface } from './helpers';

test("teaming: an interface's type='transient' without persistent (or with an empty one) is rejected on the type", () => {
  const [p] = expectAt(iface("<teaming type='[[transient]]'/>"), 'teaming', 'error');
  assert.match(p.message, / — define\/attach fails; libvirt: "unsupported configuration: teaming persistent attribute must be set if teaming type is 'transient'/);
  expectAt(iface("<teaming type='[[transient]]' persistent=''/>"), 'teaming', 'error');
});

test("teaming: an interface's type='persistent' with persistent is rejected on the persistent value", () => {
  const [p] = expectAt(iface("<teaming type='persistent' persistent='[[ua-net0]]'/>"), 'teaming', 'error');
  assert.match(p.message, /teaming persistent attribute not allowed if teaming type is 'persistent'/);
});

test('teaming: an unknown type is rejected on an interface and a <hostdev>', () => {
  const [p] = expectAt(iface("<teaming type='[[bogus]]'/>"), 'teaming', 'error');
  assert.match(p.message, /unknown teaming type 'bogus'/);
  expectAt(hostdev(undefined, "<teaming type='[[none]]'/>"), 'teaming', 'error');
});

test("teaming: a plain <hostdev> must be type='transient', with persistent", () => {
  const [persistent] = expectAt(hostdev(undefined, "<teaming type='[[persistent]]'/>"), 'teaming', 'error');
  assert.match(persistent.message, /teaming hostdev devices must have type='transient'/);
  expectAt(hostdev(undefined, "<teaming type='[[persistent]]' persistent='ua-net0'/>"), 'teaming', 'error');
  const [missing] = expectAt(hostdev(undefined, "<teaming type='[[transient]]'/>"), 'teaming', 'error');
  assert.match(missing.message, /missing required persistent attribute in hostdev teaming element/);
});

test('teaming: transient with persistent, persistent alone on an interface, and a <teaming> without type are fine', () => {
  expectNone(iface("<teaming type='transient' persistent='ua-net0'/>"), 'teaming');
  expectNone(iface("<teaming type='persistent'/>"), 'teaming');
  expectNone(hostdev(undefined, "<teaming type='transient' persistent='ua-net0'/>"), 'teaming');
  expectNone(iface('<teaming/>'), 'teaming');
  expectNone(hostdev(undefined, '<teaming/>'), 'teaming');
});

test("rom: enabled='no' with bar or file is rejected on each tuning attribute, on an interface and a <hostdev>", () => {
  const [p] = expectAt(iface("<rom enabled='no' bar='[[on]]'/>"), 'rom', 'error');
  assert.match(p.message, / — define\/attach fails; libvirt: "unsupported configuration: ROM tuning is not supported when ROM is disabled/);
  expectAt(iface("<rom enabled='no' file='[[/x.rom]]'/>"), 'rom', 'error');
  expectAt(hostdev(undefined, "<rom enabled='no' bar='[[off]]' [[file]]=''/>"), 'rom', 'error');
});

test("rom: enabled='no' alone, and bar/file with ROM enabled, are fine", () => {
  expectNone(iface("<rom enabled='no'/>"), 'rom');
  expectNone(iface("<rom enabled='yes' bar='on' file='/x.rom'/>"), 'rom');
  expectNone(hostdev(undefined, "<rom bar='off'/>"), 'rom');
});
