import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseIpLinkJson } from '../../../server/src/inventory/parseIpLink';

// iproute2 6.1 (Debian 12) output for an igb PF, trimmed to the keys print_vfinfo writes.
const IPROUTE2_61 = JSON.stringify([
  { ifindex: 1, ifname: 'lo', flags: ['LOOPBACK', 'UP'], link_type: 'loopback', address: '00:00:00:00:00:00' },
  {
    ifindex: 4,
    ifname: 'enp11s0f0',
    flags: ['BROADCAST', 'MULTICAST', 'UP'],
    mtu: 1500,
    link_type: 'ether',
    address: '00:1b:21:aa:bb:00',
    broadcast: 'ff:ff:ff:ff:ff:ff',
    vfinfo_list: [
      {
        vf: 0,
        link_type: 'ether',
        address: '52:54:00:6D:90:01',
        broadcast: 'ff:ff:ff:ff:ff:ff',
        vlan_list: [{ vlan: 42, qos: 3 }],
        rate: { max_tx: 0, min_tx: 0 },
        spoofchk: true,
        link_state: 'auto',
        trust: false,
      },
      {
        vf: 1,
        link_type: 'ether',
        address: '00:00:00:00:00:00',
        broadcast: 'ff:ff:ff:ff:ff:ff',
        rate: { max_tx: 0, min_tx: 0 },
        spoofchk: false,
        link_state: 'auto',
        trust: true,
      },
      { vf: 2, link_type: 'ether', address: '52:54:00:00:00:02', vlan_list: [{ vlan: 100, protocol: '802.1ad' }] },
    ],
  },
]);

test('vfinfo_list with address and vlan_list gives admin MAC, first VLAN, spoofchk and trust per VF index', () => {
  const { vfSettings, warnings } = parseIpLinkJson(IPROUTE2_61);
  assert.deepEqual(warnings, []);
  const pf = vfSettings.get('enp11s0f0');
  assert.ok(pf);
  assert.deepEqual(pf.get(0), { mac: '52:54:00:6d:90:01', vlan: 42, spoofchk: true, trust: false });
  assert.deepEqual(pf.get(1), { mac: '00:00:00:00:00:00', vlan: 0, spoofchk: false, trust: true });
  // spoofchk/trust omitted (driver reports -1): unknown, not false
  assert.deepEqual(pf.get(2), { mac: '52:54:00:00:00:02', vlan: 100 });
  assert.equal(vfSettings.has('lo'), false);
});

test('old iproute2 (< 5.3) "mac" key and a plain "vlan" (no IFLA_VF_VLAN_LIST) are read too', () => {
  const old = JSON.stringify([
    {
      ifindex: 4,
      ifname: 'eth2',
      vfinfo_list: [
        { vf: 0, mac: 'a2:b3:c4:d5:e6:f7', vlan: 7, qos: 0, spoofchk: true, link_state: 'auto' },
        { vf: 3, mac: '00:00:00:00:00:00' },
      ],
    },
  ]);
  const pf = parseIpLinkJson(old).vfSettings.get('eth2');
  assert.deepEqual(pf?.get(0), { mac: 'a2:b3:c4:d5:e6:f7', vlan: 7, spoofchk: true });
  assert.deepEqual(pf?.get(3), { mac: '00:00:00:00:00:00', vlan: 0 });
});

test('output that is not JSON is a warning, not a throw', () => {
  const r = parseIpLinkJson('Object "link" is unknown, try "ip help".');
  assert.equal(r.vfSettings.size, 0);
  assert.equal(r.warnings.length, 1);
  assert.match(r.warnings[0], /not JSON/);
});

test('empty output (no ip link section) gives no settings and no warning', () => {
  assert.deepEqual(parseIpLinkJson('  \n'), { vfSettings: new Map(), warnings: [] });
});
