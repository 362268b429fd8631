// What a hostdev pool's <network> puts on every port (rules/poolPorts.ts): a network-level
// <port isolated='yes'/> and an 802.1Qbh <virtualport> without profileid. net-define takes both
// (test/integration/libvirt/networkDefinition.test.ts); a guest's start on the pool does not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validate } from '../../../../server/src/service/validate';

const pool = (rest: string) => `<network><name>pool9</name><forward mode='hostdev'><pf dev='a'/></forward>${rest}</network>`;
const found = (text: string) =>
  validate(text)
    .filter((p) => p.code === 'element-unsupported' || p.code === 'virtualport-parameters')
    .map((p) => `${p.severity} ${p.code} ${text.slice(p.span.start, p.span.end)}`);

test("a pool's <port isolated='yes'/> fails every guest start with the interface's own message; 'no' is fine", () => {
  const text = pool("<port isolated='yes'/>");
  assert.deepEqual(found(text), ['error element-unsupported yes']);
  const [p] = validate(text).filter((x) => x.code === 'element-unsupported');
  assert.match(
    p.message,
    /the guest fails to start; libvirt: "unsupported configuration: interface 52:54:00:xx:xx:xx - <port isolated='yes'\/> is not supported for network interfaces with type='hostdev'"/,
  );
  assert.deepEqual(found(pool("<port isolated='no'/>")), []);
  // a network that is no pool isolates its bridge ports
  assert.deepEqual(
    found(
      "<network><name>n</name><forward mode='nat'/><ip address='192.168.9.1' netmask='255.255.255.0'/><port isolated='yes'/></network>",
    ),
    [],
  );
});

test('an 802.1Qbh profile without profileid, where the network and the portgroup a port gets leave it out, is a warning', () => {
  const qbh = "<virtualport type='802.1Qbh'/>";
  const withId = "<virtualport type='802.1Qbh'><parameters profileid='p1'/></virtualport>";
  assert.deepEqual(found(pool(qbh)), ['warning virtualport-parameters virtualport']);
  const [p] = validate(pool(qbh)).filter((x) => x.code === 'virtualport-parameters');
  assert.match(p.message, /the guest fails to start; libvirt: "XML error: missing profileid in <virtualport type='802.1Qbh'>"/);
  assert.deepEqual(found(pool(withId)), []);
  // the default portgroup gives it to every port that names no portgroup
  assert.deepEqual(
    found(pool(`${qbh}<portgroup name='g' default='yes'><virtualport><parameters profileid='p1'/></virtualport></portgroup>`)),
    [],
  );
  // without a default portgroup a port that names none gets the network's alone
  assert.deepEqual(found(pool(`${qbh}<portgroup name='g'><virtualport><parameters profileid='p1'/></virtualport></portgroup>`)), [
    'warning virtualport-parameters virtualport',
  ]);
  // a portgroup's own profile, with the network's profileid or without
  assert.deepEqual(found(pool(`${withId}<portgroup name='g'>${qbh}</portgroup>`)), []);
  assert.deepEqual(found(pool(`<portgroup name='g'>${qbh}</portgroup>`)), ['warning virtualport-parameters virtualport']);
  // other types are virtualport-type's
  assert.deepEqual(found(pool("<virtualport type='openvswitch'/>")), []);
});
