// virtualport-type, virtualport-parameters (virNetDevVPortProfileParse, CheckComplete/CheckNoExtras, virHostdevNetConfigVirtPortProfile)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectAt, expectNone, hostdev, iface } from './helpers';

const UUID = '09b11c53-8b5c-4eeb-8f00-d84eaa0aaa4f';

test('virtualport-type: a virtualport without type is rejected; reported on its name', () => {
  const [p] = expectAt(iface('<[[virtualport]]/>'), 'virtualport-type', 'error');
  assert.match(p.message, / — define\/attach fails; libvirt: "XML error: missing required virtualport type/);
});

test('virtualport-type: an unknown type is rejected', () => {
  const [p] = expectAt(iface("<virtualport type='[[foo]]'/>"), 'virtualport-type', 'error');
  assert.match(p.message, /unsupported configuration: unknown virtualport type foo/);
});

test('virtualport-type: 802.1Qbg, openvswitch and midonet are accepted at define but fail at start', () => {
  const [p] = expectAt(iface("<virtualport type='[[openvswitch]]'/>"), 'virtualport-type', 'error');
  assert.match(
    p.message,
    / — the guest fails to start; libvirt: "virtualport type openvswitch is currently not supported on interfaces of type hostdev/,
  );
  expectAt(iface(`<virtualport type='[[midonet]]'><parameters interfaceid='${UUID}'/></virtualport>`), 'virtualport-type', 'error');
  expectAt(
    iface("<virtualport type='[[802.1Qbg]]'><parameters managerid='11' typeid='1193047' typeidversion='2'/></virtualport>"),
    'virtualport-type',
    'error',
  );
});

test('virtualport-type: 802.1Qbh is fine', () => {
  expectNone(iface("<virtualport type='802.1Qbh'><parameters profileid='finance'/></virtualport>"), 'virtualport-type');
});

test('virtualport-parameters: 802.1Qbh without profileid (or with an empty one) is rejected', () => {
  const [p] = expectAt(
    iface("<virtualport type='802.1Qbh'/>").replace('<virtualport', '<[[virtualport]]'),
    'virtualport-parameters',
    'error',
  );
  assert.match(p.message, /missing profileid in <virtualport type='802.1Qbh'>/);
  expectAt(iface("<virtualport type='802.1Qbh'><[[parameters]] profileid=''/></virtualport>"), 'virtualport-parameters', 'error');
});

test('virtualport-parameters: extra parameters on 802.1Qbh are errors on their values', () => {
  const problems = expectAt(
    iface(`<virtualport type='802.1Qbh'><parameters profileid='p' managerid='[[12]]' instanceid='[[${UUID}]]'/></virtualport>`),
    'virtualport-parameters',
    'error',
  );
  assert.match(problems[0].message, /extra managerid unsupported in <virtualport type='802.1Qbh'>/);
  assert.match(problems[1].message, /extra instanceid unsupported in <virtualport type='802.1Qbh'>/);
});

test('virtualport-parameters: a profileid longer than 39 characters is rejected', () => {
  const long = 'p'.repeat(40);
  const [p] = expectAt(
    iface(`<virtualport type='802.1Qbh'><parameters profileid='[[${long}]]'/></virtualport>`),
    'virtualport-parameters',
    'error',
  );
  assert.match(p.message, /profileid parameter too long/);
  expectNone(iface(`<virtualport type='802.1Qbh'><parameters profileid='${'p'.repeat(39)}'/></virtualport>`), 'virtualport-parameters');
});

test('virtualport-parameters: 802.1Qbg requires managerid, typeid, typeidversion within range', () => {
  const [missing] = expectAt(
    iface("<virtualport type='802.1Qbg'><[[parameters]] managerid='1' typeid='2'/></virtualport>"),
    'virtualport-parameters',
    'error',
  );
  assert.match(missing.message, /missing typeidversion in <virtualport type='802.1Qbg'>/);
  const [range] = expectAt(
    iface("<virtualport type='802.1Qbg'><parameters managerid='[[256]]' typeid='1' typeidversion='2'/></virtualport>"),
    'virtualport-parameters',
    'error',
  );
  assert.match(range.message, /value of managerid out of range/);
  expectAt(
    iface("<virtualport type='802.1Qbg'><parameters managerid='x' typeid='[[0x1000000]]' typeidversion='2'/></virtualport>").replace(
      "'x'",
      "'[[x]]'",
    ),
    'virtualport-parameters',
    'error',
  );
});

test('virtualport-parameters: UUID parameters must parse; openvswitch refuses managerid', () => {
  const [p] = expectAt(
    iface("<virtualport type='openvswitch'><parameters interfaceid='[[zz]]'/></virtualport>"),
    'virtualport-parameters',
    'error',
  );
  assert.match(p.message, /cannot parse interfaceid parameter as a uuid/);
  expectAt(iface("<virtualport type='openvswitch'><parameters managerid='[[1]]'/></virtualport>"), 'virtualport-parameters', 'error');
});

test('virtualport-parameters: complete parameter sets are fine (midonet drops extras silently)', () => {
  expectNone(iface("<virtualport type='802.1Qbh'><parameters profileid='finance'/></virtualport>"), 'virtualport-parameters');
  expectNone(
    iface(
      `<virtualport type='802.1Qbg'><parameters managerid='0x0b' typeid='0xffffff' typeidversion='255' instanceid='${UUID}'/></virtualport>`,
    ),
    'virtualport-parameters',
  );
  expectNone(
    iface(`<virtualport type='openvswitch'><parameters profileid='x' interfaceid='09b11c538b5c4eeb8f00d84eaa0aaa4f'/></virtualport>`),
    'virtualport-parameters',
  );
  expectNone(
    iface(`<virtualport type='midonet'><parameters interfaceid='${UUID}' managerid='1'/></virtualport>`),
    'virtualport-parameters',
  );
});

test('virtualport rules do not look inside a plain <hostdev>', () => {
  expectNone(hostdev(undefined, '<virtualport/>'), 'virtualport-type');
});
