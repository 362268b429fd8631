import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { guestUseLabel, isHostdevPool, pfLabel, poolVfsText, VfUsage, vfName } from '../../../shared/vfUse';
import type { Inventory } from '../../../shared/snapshot';

const fixture = path.resolve(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'inventory', '82576.json');
const load = (): Inventory => JSON.parse(fs.readFileSync(fixture, 'utf8')) as Inventory;

test('who uses a VF and why it is busy: live guest, persistent config only, active pool; the own guest does not count', () => {
  const usage = new VfUsage(load());
  assert.deepEqual(usage.useOf('0000:0b:10.0').busy, "in use by 'web01' (running)");
  assert.equal(usage.useOf('0000:0b:10.0', 'web01').free, true);
  assert.equal(usage.useOf('0000:0b:10.2').busy, "in use by 'db01' (shut off, persistent config)");
  assert.equal(
    usage.useOf('0000:0b:10.4').busy,
    "in use by 'app01' (running, persistent config)",
    'held only in the persistent config of a running guest',
  );
  assert.equal(usage.useOf('0000:0b:10.1').busy, "in network 'sriov-pool'");
  assert.equal(usage.useOf('0000:0b:10.6').free, true);
});

test('a VF that a second guest defines says so: the busy text names it (or counts the others), since whichever starts second fails', () => {
  const inventory = load();
  const db01 = inventory.guests.find((g) => g.name === 'db01')!;
  // db01 (shut off) also defines web01's running VF
  db01.devices.push({ address: '0000:0b:10.0', element: 'interface', config: true, live: false, mac: null });
  let usage = new VfUsage(inventory);
  assert.equal(usage.useOf('0000:0b:10.0').busy, "in use by 'web01' (running), and by 'db01' (shut off, persistent config)");
  assert.equal(usage.useOf('0000:0b:10.0', 'db01').busy, "in use by 'web01' (running)", 'the own guest is not named');
  assert.equal(usage.useOf('0000:0b:10.0', 'web01').busy, "in use by 'db01' (shut off, persistent config)");
  inventory.guests
    .find((g) => g.name === 'app01')!
    .devices.push({ address: '0000:0b:10.0', element: 'hostdev', config: true, live: false, mac: null });
  usage = new VfUsage(inventory);
  assert.equal(usage.useOf('0000:0b:10.0').busy, "in use by 'web01' (running), and by 2 other guests");
});

test("the busy text and the users' labels quote a name with a space, a trailing full stop or a parenthesis whole", () => {
  const inventory = load();
  const rename = (from: string, to: string) => (inventory.guests.find((g) => g.name === from)!.name = to);
  rename('web01', 'web 01 (old)');
  rename('db01', 'db01.');
  inventory.networks.find((n) => n.name === 'sriov-pool')!.name = 'pool (a).';
  const usage = new VfUsage(inventory);
  assert.equal(usage.useOf('0000:0b:10.0').busy, "in use by 'web 01 (old)' (running)");
  assert.equal(usage.useOf('0000:0b:10.2').busy, "in use by 'db01.' (shut off, persistent config)");
  assert.equal(usage.useOf('0000:0b:10.1').busy, "in network 'pool (a).'");
  assert.deepEqual(usage.usersOf('0000:0b:10.0').map(guestUseLabel), ["'web 01 (old)' (running, config)"]);
});

test('addresses written in upper case find the same use', () => {
  const inventory = load();
  inventory.guests[0].devices[0].address = '0000:0B:10.0';
  const usage = new VfUsage(inventory);
  assert.deepEqual(
    usage.usersOf('0000:0b:10.0').map((u) => u.guest.name),
    ['web01'],
  );
  assert.equal(usage.useOf('0000:0B:10.0').free, false);
});

test('a VF in an INACTIVE network pool is free, for the status bar count and the free list alike', () => {
  const usage = new VfUsage(load());
  // idle-pool (inactive) lists 0000:0b:10.5: an inactive network hands nothing out
  assert.equal(usage.useOf('0000:0b:10.5').free, true);
  assert.deepEqual(
    usage.networksOf('0000:0b:10.5').map((n) => n.name),
    ['idle-pool'],
  );
  const free = usage.freeVfs().map((d) => d.address);
  assert.ok(free.includes('0000:0b:10.5'));
  // 14 VFs; web01, db01, app01 hold one each and sriov-pool (active) two
  assert.deepEqual(usage.counts(), { freeVfs: 9, totalVfs: 14 });
  assert.equal(free.length, usage.counts().freeVfs);
});

test('a VF is named by its PF interface and index', () => {
  const usage = new VfUsage(load());
  const vf = usage.device('0000:0b:10.6')!;
  assert.equal(vfName(vf, usage.device(vf.pf!)), "'enp11s0f0' VF 3");
  assert.equal(vfName(vf, undefined), '0000:0b:00.0 VF 3');
});

test('pfLabel: a PF by address, then its quoted interface name and any details; the address alone without a name', () => {
  assert.equal(pfLabel({ address: '0000:0b:00.0', netdev: 'enp11s0f0' }), "PF 0000:0b:00.0 ('enp11s0f0')");
  assert.equal(pfLabel({ address: '0000:0b:00.0', netdev: 'lan 0.' }, ['igb']), "PF 0000:0b:00.0 ('lan 0.', igb)");
  assert.equal(pfLabel({ address: '0000:0b:00.0', netdev: null }), 'PF 0000:0b:00.0');
});

test("a pool's PFs: its <pf dev> names, else the PFs of the VFs it lists, each once, by interface name or else address", () => {
  const inventory = load();
  const usage = new VfUsage(inventory);
  const pool = (addresses: string[], pfDevs?: string[]) => ({ name: 'p', active: true, addresses, ...(pfDevs ? { pfDevs } : {}) });
  assert.deepEqual(usage.poolPfs(pool(['0000:0b:10.1'], ['enp11s0f1', 'lan 1.'])), ["'enp11s0f1'", "'lan 1.'"]);
  assert.deepEqual(usage.poolPfs(pool(['0000:0b:10.1', '0000:0b:10.2', '0000:0b:10.3'])), ["'enp11s0f1'", "'enp11s0f0'"]);
  inventory.devices.find((d) => d.address === '0000:0b:00.1')!.netdev = null;
  assert.deepEqual(new VfUsage(inventory).poolPfs(pool(['0000:0b:10.1', '0000:0b:10.2'])), ['0000:0b:00.1', "'enp11s0f0'"]);
  assert.deepEqual(usage.poolPfs(pool([])), []);
});

test("a listed address that is no VF of the host is no PF's: the PFs name only the VFs' own", () => {
  const usage = new VfUsage(load());
  const pool = (addresses: string[]) => ({ name: 'p', active: true, addresses });
  assert.deepEqual(usage.poolPfs(pool(['0000:3b:02.1'])), []);
  assert.deepEqual(usage.poolPfs(pool(['0000:0b:10.1', '0000:3b:02.1', '0000:0b:00.0', '0000:00:19.0'])), ["'enp11s0f1'"]);
  const orphan = load();
  delete orphan.devices.find((d) => d.address === '0000:0b:10.1')!.pf;
  assert.deepEqual(new VfUsage(orphan).poolPfs(pool(['0000:0b:10.1'])), ['PF of VF 0000:0b:10.1 unknown']);
});

test('poolVfs: a start gets the VFs no running guest holds, listed before the first address that is no VF of the host', () => {
  const usage = new VfUsage(load());
  const pool = (addresses: string[]) => ({ name: 'p', active: true, addresses });
  // 0b:10.0: web01 holds it live; 0b:10.2: only shut-off db01's config names it
  assert.deepEqual(usage.poolVfs(pool(['0000:0b:10.0', '0000:0b:10.2', '0000:0b:10.1'])), {
    listed: 3,
    free: ['0000:0b:10.2', '0000:0b:10.1'],
    notVfs: [],
    behind: [],
    missing: [],
  });
  assert.deepEqual(usage.poolVfs(pool(['0000:0b:10.0']), 'web01').free, ['0000:0b:10.0'], 'the own guest holds nothing');
  assert.deepEqual(usage.poolVfs(pool(['0000:3b:02.1'])), {
    listed: 1,
    free: [],
    notVfs: ['0000:3b:02.1'],
    behind: [],
    missing: ["no device 0000:3b:02.1 on host 'kvm1'"],
  });
  // libvirt hands the missing address out before the VFs after it: no start reaches them
  const stuck = usage.poolVfs(pool(['0000:0b:10.1', '0000:3B:02.1', '0000:0b:10.3', '0000:0b:00.0', '0000:00:19.0', '0000:3b:02.2']));
  assert.deepEqual(stuck, {
    listed: 6,
    free: ['0000:0b:10.1'],
    notVfs: ['0000:3b:02.1', '0000:0b:00.0', '0000:00:19.0', '0000:3b:02.2'],
    behind: ['0000:0b:10.3'],
    missing: ['PF 0000:0b:00.0 listed as a VF', '0000:00:19.0 not a VF', "no device at 2 listed addresses on host 'kvm1'"],
  });
});

test('poolVfsText: free of listed VFs, the PFs, then the listed addresses that are no VF and the VFs behind them', () => {
  const usage = new VfUsage(load());
  const pool = (addresses: string[]) => ({ name: 'p', active: true, addresses });
  assert.equal(poolVfsText(usage.poolVfs(pool(['0000:0b:10.1', '0000:0b:10.0'])), ["'enp11s0f1'"]), "1/2 VFs free ('enp11s0f1')");
  assert.equal(poolVfsText(usage.poolVfs(pool(['0000:3b:02.1']))), "0/1 VFs free: no device 0000:3b:02.1 on host 'kvm1'");
  assert.equal(
    poolVfsText(usage.poolVfs(pool(['0000:3b:02.1', '0000:0b:10.1', '0000:0b:10.3'])), ["'enp11s0f1'"]),
    "0/3 VFs free ('enp11s0f1'): no device 0000:3b:02.1 on host 'kvm1'; a start gets 0000:3b:02.1 before the 2 free VFs listed after it",
  );
});

test("a VF pool is a network with <forward mode='hostdev'>, or any network of a snapshot from before networks had their mode (they listed pools only)", () => {
  const network = { name: 'n', active: true, addresses: ['0000:0b:10.1'] };
  assert.equal(isHostdevPool({ ...network, forwardMode: 'hostdev', autostart: true }), true);
  assert.equal(isHostdevPool({ ...network, forwardMode: 'nat', autostart: true }), false);
  // newer snapshots record every network's autostart: one without a mode is isolated (no <forward>)
  assert.equal(isHostdevPool({ ...network, addresses: [], autostart: false }), false);
  assert.equal(isHostdevPool(network), true);
});
