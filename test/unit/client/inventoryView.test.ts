// What the SR-IOV view, Insert Interface and the guest pick read from a snapshot (client/src/inventoryView.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  asSnapshot,
  freePools,
  freeVfs,
  networksOf,
  pfPersistenceLabel,
  pfs,
  poolPickDescription,
  guestsHolding,
  usersOf,
  vfsOf,
} from '../../../client/src/inventoryView';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const snapshot = asSnapshot(JSON.parse(fs.readFileSync(path.join(root, 'examples', '82576-inventory.json'), 'utf8')));

test('asSnapshot accepts the example snapshot and rejects other values', () => {
  assert.ok(snapshot);
  assert.equal(asSnapshot(null), null);
  assert.equal(asSnapshot({ devices: 'x' }), null);
});

test('PFs in address order, each with its VFs in VF-index order', () => {
  assert.ok(snapshot);
  const pf = pfs(snapshot).map((d) => d.address);
  assert.deepEqual(pf, ['0000:0b:00.0', '0000:0b:00.1']);
  const vfs = vfsOf(snapshot, pf[0]);
  assert.equal(vfs.length, 7);
  assert.deepEqual(
    vfs.map((v) => v.vfIndex),
    [0, 1, 2, 3, 4, 5, 6],
  );
});

test('a VF a guest uses is not free, and its users are named; free VFs exclude network pool members', () => {
  assert.ok(snapshot);
  const used = snapshot.guests.flatMap((g) => g.devices.map((d) => d.address));
  assert.ok(used.length > 0, 'the example has a guest with a VF');
  assert.ok(usersOf(snapshot, used[0]).length > 0);
  const free = freeVfs(snapshot).map((d) => d.address);
  for (const address of used) assert.ok(!free.includes(address), `${address} is used`);
  const pooled = snapshot.devices.filter((x) => x.kind === 'vf' && networksOf(snapshot!, x.address).length > 0);
  assert.ok(pooled.length > 0, 'the example has VFs in a hostdev network');
  for (const d of pooled) assert.ok(!free.includes(d.address), `${d.address} is in a hostdev network`);
});

test('pfPersistenceLabel: the mechanisms, runtime-only, or nothing when the snapshot has no readiness', () => {
  const base = { format: 'libvirt-hostdev-inventory/1' as const, host: 'kvm1', takenAt: '', devices: [], guests: [], networks: [] };
  assert.equal(pfPersistenceLabel(asSnapshot(base)!, '0000:0b:00.0'), null);
  const s = {
    ...base,
    readiness: {
      vfPersistence: {
        '0000:0b:00.0': [
          { mechanism: 'modprobe', file: 'etc/modprobe.d/igb.conf' },
          { mechanism: 'udev', file: 'etc/udev/rules.d/70.rules' },
        ],
        '0000:0b:00.1': [],
      },
    },
  };
  assert.equal(pfPersistenceLabel(asSnapshot(s)!, '0000:0b:00.0'), 'VFs persistent: modprobe, udev');
  assert.equal(pfPersistenceLabel(asSnapshot(s)!, '0000:0b:00.1'), 'VFs runtime only (lost at reboot)');
  assert.deepEqual(asSnapshot({ ...s })?.readiness, s.readiness);
});

test('a VF listed only by an INACTIVE network is free, as the status bar counts it', () => {
  assert.ok(snapshot);
  const vf = snapshot.devices.find(
    (d) => d.kind === 'vf' && usersOf(snapshot, d.address).length === 0 && networksOf(snapshot, d.address).length === 0,
  )!;
  const withIdlePool = { ...snapshot, networks: [...snapshot.networks, { name: 'idle-pool', active: false, addresses: [vf.address] }] };
  assert.deepEqual(networksOf(withIdlePool, vf.address), []);
  assert.ok(freeVfs(withIdlePool).some((d) => d.address === vf.address));
});

/** where the example's hostdev pool 'sriov-pool' is among its networks (after the NAT network 'default') */
const POOL = 1;

test('freePools: active hostdev pools with a VF a start gets, for "from pool X"', () => {
  assert.equal(snapshot?.networks[POOL].name, 'sriov-pool');
  assert.ok(snapshot);
  assert.deepEqual(
    freePools(snapshot).map((p) => [p.name, p.vfs.free.length, p.vfs.listed, p.pfs]),
    [['sriov-pool', 3, 3, ["'enp11s0f0'"]]],
  );
  const held = structuredClone(snapshot);
  held.guests[0].devices = ['0000:0b:11.0', '0000:0b:11.2', '0000:0b:11.4'].map((address) => ({
    address,
    element: 'interface' as const,
    config: true,
    live: true,
    mac: null,
  }));
  assert.deepEqual(freePools(held), [], 'web01 (running) holds every pool VF');
  const inactive = structuredClone(snapshot);
  inactive.networks[POOL].active = false;
  assert.deepEqual(freePools(inactive), []);
  const nat = structuredClone(snapshot);
  nat.networks[POOL].forwardMode = 'nat';
  assert.deepEqual(freePools(nat), []);
});

test('freePools: a listed address the host has no VF at is no free VF, and a pool of only such is not offered', () => {
  assert.ok(snapshot);
  const explicit = structuredClone(snapshot);
  explicit.networks[POOL].addresses = ['0000:3b:02.1'];
  assert.deepEqual(freePools(explicit), [], 'libvirt hands 0000:3b:02.1 out and the start fails');
  // the start gets the first listed address no start holds: the VF after the missing one is never reached
  explicit.networks[POOL].addresses = ['0000:3b:02.1', '0000:0b:11.0'];
  assert.deepEqual(freePools(explicit), []);
  explicit.networks[POOL].addresses = ['0000:0b:11.0', '0000:3b:02.1'];
  const [pool] = freePools(explicit);
  assert.deepEqual([pool.vfs.free, pool.vfs.notVfs, pool.pfs], [['0000:0b:11.0'], ['0000:3b:02.1'], ["'enp11s0f0'"]]);
  assert.equal(poolPickDescription(pool), "1/2 VFs free ('enp11s0f0'): no device 0000:3b:02.1 on host 'kvm-82576.example.com'");
  const byPf = structuredClone(snapshot);
  byPf.networks[POOL].pfDevs = ['enp11s0f0'];
  assert.deepEqual(freePools(byPf)[0].pfs, ["'enp11s0f0'"]);
});

test("poolPickDescription: free and listed VFs, then the pool's PFs, as completion counts them; a name with $(icon) syntax as written", () => {
  assert.ok(snapshot);
  assert.equal(poolPickDescription(freePools(snapshot)[0]), "3/3 VFs free ('enp11s0f0')");
  const odd = structuredClone(snapshot);
  odd.devices.find((d) => d.netdev === 'enp11s0f0')!.netdev = '$(alert)';
  assert.equal(poolPickDescription(freePools(odd)[0]), "3/3 VFs free ('\\$(alert)')");
});

test('guestsHolding: the guests whose definition holds an address, each once; none for a free VF or a pool', () => {
  assert.ok(snapshot);
  const twice = structuredClone(snapshot);
  const web01 = twice.guests.find((g) => g.name === 'web01')!;
  web01.devices.push({ ...web01.devices[0], element: 'hostdev' });
  assert.deepEqual(guestsHolding(twice, '0000:0b:10.0'), ['web01']);
  assert.deepEqual(guestsHolding(snapshot, '0000:0b:10.6'), []);
});
