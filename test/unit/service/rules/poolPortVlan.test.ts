// vlan-virtualport for an <interface type='network'> on a host's hostdev pool whose port gets a VLAN and a
// <virtualport> from different places (the interface, its portgroup, the network): networkAllocatePort
// builds the port from all three, and virHostdevNetConfigReplace refuses the pair at the guest's start.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validate } from '../../../../server/src/service/validate';
import { parseInventorySnapshot, serializeInventory } from '../../../../server/src/inventory/snapshot';
import type { Inventory } from '../../../../server/src/service/types';
import { withNetworks } from './helpers';

/** sriov-pool: default portgroup 'blue' (VLAN 100); 'qbh' a portgroup with an 802.1Qbh virtualport and no VLAN */
function host(network: { vlan?: number[]; virtualport?: string } = {}): Inventory {
  const inv = withNetworks();
  const pool = inv.networks.find((n) => n.name === 'sriov-pool')!;
  pool.portgroups = [...(pool.portgroups ?? []), { name: 'qbh', virtualport: '802.1Qbh' }];
  Object.assign(pool, network);
  return inv;
}

const guest = (iface: string) =>
  `<domain type='kvm'><name>web09</name><devices><interface type='network'><mac address='52:54:00:00:00:09'/>${iface}</interface></devices></domain>`;

const found = (text: string, inventory = host()) =>
  validate(text, { inventory })
    .filter((p) => p.code === 'vlan-virtualport')
    .map((p) => [text.slice(p.span.start, p.span.end), p.message.slice(0, p.message.indexOf(' — '))]);

const QBH = "<virtualport type='802.1Qbh'><parameters profileid='finance'/></virtualport>";

test("the interface's own <virtualport> beside the default portgroup's VLAN: an error on the <virtualport>", () => {
  assert.deepEqual(found(guest(`<source network='sriov-pool'/>${QBH}`)), [
    ['virtualport', "A VLAN from portgroup 'blue' of 'sriov-pool' and a <virtualport> from this interface"],
  ]);
});

test("the interface's own <vlan> on a portgroup or a network with a virtualport: an error on the <vlan>, in libvirt's words", () => {
  const text = guest("<source network='sriov-pool' portgroup='qbh'/><vlan><tag id='300'/></vlan>");
  const [p] = validate(text, { inventory: host() }).filter((x) => x.code === 'vlan-virtualport');
  assert.equal(text.slice(p.span.start, p.span.end), 'vlan');
  assert.match(
    p.message,
    /^A VLAN from this interface and a <virtualport> from portgroup 'qbh' of 'sriov-pool' — the guest fails to start; libvirt: "direct setting of the vlan tag is not allowed for hostdev devices using 802\.1Qbh mode"/,
  );
  assert.deepEqual(found(guest("<source network='sriov-pool'/><vlan><tag id='300'/></vlan>"), host({ virtualport: '802.1Qbh' })), [
    ['vlan', "A VLAN from this interface and a <virtualport> from network 'sriov-pool'"],
  ]);
});

test('the network VLAN and the portgroup virtualport meet too; nothing when only one side sets anything, or the network is no pool', () => {
  assert.deepEqual(found(guest("<source network='sriov-pool' portgroup='qbh'/>"), host({ vlan: [42] })), [
    ['source', "A VLAN from network 'sriov-pool' and a <virtualport> from portgroup 'qbh' of 'sriov-pool'"],
  ]);
  assert.deepEqual(found(guest("<source network='sriov-pool' portgroup='qbh'/>")), []);
  assert.deepEqual(found(guest("<source network='sriov-pool'/>")), []);
  assert.deepEqual(found(guest(`<source network='default'/>${QBH}`), host({ vlan: [42] })), []);
});

test('a snapshot keeps the network and portgroup virtualport types', () => {
  const inv = host({ virtualport: '' });
  const back = parseInventorySnapshot(serializeInventory(inv), 'x.json').networks.find((n) => n.name === 'sriov-pool')!;
  assert.deepEqual([back.virtualport, back.portgroups?.find((pg) => pg.name === 'qbh')?.virtualport], ['', '802.1Qbh']);
});
