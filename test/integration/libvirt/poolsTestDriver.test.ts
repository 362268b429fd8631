// VF pools as the inventory reads them from REAL libvirt: the test driver with a custom node XML
// (a hostdev pool on enp11s0f1, a pool of one listed VF with portgroups, a NAT network, guests) and a
// sysfs tree of the 82576 host, read by the same one-exec script as a live host. What virsh reports
// (forward mode, PF, portgroups) must reach the rules and the editor: the VF rules of an
// <interface type='network'> on a pool, network documents against the host's PFs, hover, completion;
// a pool whose listed address the host lacks gives no VF (what libvirt does: poolMissingVf.test.ts).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fetchInventory } from '../../../server/src/inventory/fetchInventory';
import { complete, hover, validate, type Inventory } from '../../../server/src/service/index';
import { ShellTransport, tempDir, writeTestDriverHost } from '../../support/shellHost';
import { buildRhelExampleTree } from '../../support/sysfsTree';

let work: string;
let inventory: Inventory;

before(async () => {
  work = tempDir('lhd-pools-');
  const tree = buildRhelExampleTree(path.join(work, 'sys')).tree.root;
  const uri = writeTestDriverHost(work);
  inventory = (await fetchInventory(new ShellTransport(), { host: 'kvm1', uri, sysfsRoot: tree, timeoutMs: 60_000 })).inventory;
});
after(() => fs.rmSync(work, { recursive: true, force: true }));

const guest = (iface: string) => `<domain type='kvm'><name>app09</name><devices>\n${iface}\n</devices></domain>`;

test('the pools virsh reports: forward mode, PF, VFs, portgroups', () => {
  const pool = inventory.networks.find((n) => n.name === 'sriov-pool')!;
  assert.equal(pool.forwardMode, 'hostdev');
  assert.deepEqual(pool.pfDevs, ['enp11s0f1']);
  assert.equal(pool.addresses.length, 7);
  assert.deepEqual(
    inventory.networks.find((n) => n.name === 'explicit')!.portgroups?.map((p) => p.name),
    ['blue', 'red'],
  );
});

test("<interface type='network'> on the test driver's pool gets the VF rules; on its NAT network not", () => {
  const trunk = "<vlan trunk='yes'><tag id='10'/><tag id='20'/></vlan>";
  const onPool = guest(`<interface type='network'><mac address='52:54:00:00:00:19'/><source network='sriov-pool'/>${trunk}</interface>`);
  assert.deepEqual(
    validate(onPool, { inventory })
      .filter((p) => p.severity === 'error')
      .map((p) => p.code),
    ['vlan-trunk'],
  );
  assert.deepEqual(
    validate(onPool.replace('sriov-pool', 'default'), { inventory })
      .filter((p) => p.code.startsWith('vlan'))
      .map((p) => p.code),
    [],
  );
});

test("network documents against the test driver host's PFs: enp11s0f1 has VFs (the host's sriov-pool hands them out too), a missing device does not", () => {
  const net = (dev: string) => `<network><name>p2</name><forward mode='hostdev' managed='yes'><pf dev='${dev}'/></forward></network>`;
  const same = validate(net('enp11s0f1'), { inventory });
  assert.deepEqual(
    same.map((p) => [p.code, p.severity]),
    [['network-vf', 'warning']],
  );
  assert.match(same[0].message, /^The VFs of 'enp11s0f1' are also in the host's pool 'sriov-pool' — the guest fails to start/);
  assert.deepEqual(
    validate(net('ens9f0'), { inventory }).map((p) => p.code),
    ['network-pf'],
  );
});

test("the test driver's 'explicit' pool is active, yet a guest on it gets no VF: its one address is no VF of the host", () => {
  const pool = inventory.networks.find((n) => n.name === 'explicit')!;
  assert.deepEqual([pool.active, pool.addresses], [true, ['0000:3b:02.1']]);
  const text = guest("<interface type='network'><mac address='52:54:00:00:00:19'/><source network='explicit'/></interface>");
  const [p, ...more] = validate(text, { inventory }).filter((x) => x.code === 'network-pool-exhausted');
  assert.equal(more.length, 0);
  assert.equal(p.severity, 'error');
  assert.match(
    p.message,
    /^No VF a start can get from pool 'explicit': no device 0000:3b:02\.1 on host 'kvm1' — the guest fails to start; libvirt: "Device 0000:3b:02\.1 not found: could not access \/sys\/bus\/pci\/devices\/0000:3b:02\.1\/config"/,
  );
  assert.match(
    hover(text, text.indexOf('explicit') + 1, { inventory })!.contents,
    /\*\*Pool\*\*: 0 VFs and 1 listed address that is no VF, 0 free/,
  );
});

test('hover and completion name the pools virsh reports', () => {
  const text = guest("<interface type='network'><source network='sriov-pool' portgroup=''/></interface>");
  assert.match(hover(text, text.indexOf('sriov-pool') + 1, { inventory })!.contents, /\*\*Pool\*\*: 7 VFs/);
  const names = complete(text, text.indexOf("network='") + "network='".length, { inventory });
  assert.ok(
    names.some((c) => c.label === 'sriov-pool' && /^VF pool, \d+\/7 VFs free \('enp11s0f1'\)$/.test(c.detail ?? '')),
    JSON.stringify(names),
  );
  // 'explicit' lists 0000:3b:02.1, which the 82576 host does not have: no free VF, said plainly
  assert.equal(names.find((c) => c.label === 'explicit')?.detail, "VF pool, 0/1 VFs free: no device 0000:3b:02.1 on host 'kvm1'");
  const groups = guest("<interface type='network'><source network='explicit' portgroup=''/></interface>");
  assert.deepEqual(
    complete(groups, groups.indexOf("portgroup='") + "portgroup='".length, { inventory }).map((c) => c.label),
    ['blue', 'red'],
  );
});
