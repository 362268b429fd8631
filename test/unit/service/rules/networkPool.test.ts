// <interface type='network'> against the host's networks and hostdev pools (rules/networkPool.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validate } from '../../../../server/src/service/validate';
import type { Inventory } from '../../../../server/src/service/types';
import { poolVfsAtStart } from '../../../../server/src/service/rules/networkPool';
import { countedPoolGuest, inventory82576, PF1_VFS, poolGuest, sriovPool, withNetworks } from './helpers';

const domain = (...sources: string[]) =>
  `<domain type='kvm'><name>web09</name><devices>\n${sources.map((s) => `<interface type='network'><source ${s}/></interface>`).join('\n')}\n</devices></domain>`;

function found(text: string, inventory = withNetworks()) {
  return validate(text, { inventory })
    .filter((p) => p.code.startsWith('network-'))
    .map((p) => `${p.severity} ${p.code} ${text.slice(p.span.start, p.span.end)}`);
}

test("an unknown network is an error naming the host's networks; libvirt's start-time message quoted", () => {
  const text = domain("network='nosuch'");
  assert.deepEqual(found(text), ['error network-unknown nosuch']);
  const [p] = validate(text, { inventory: withNetworks() }).filter((x) => x.code === 'network-unknown');
  assert.match(
    p.message,
    /^No libvirt network 'nosuch' on host 'kvm1' — the guest fails to start; libvirt: "Network not found: no network with matching name 'nosuch'"\. Its networks: 'default', 'idle-pool', 'sriov-pool'\./,
  );
});

test('an inactive network is an error; an active one that does not autostart a warning; an autostarting one nothing', () => {
  assert.deepEqual(found(domain("network='idle-pool'")), ['error network-inactive idle-pool']);
  assert.deepEqual(found(domain("network='default'")), ['warning network-inactive default']);
  assert.deepEqual(found(domain("network='sriov-pool' portgroup='blue'")), []);
});

test('pool capacity: one free VF (web01 holds 0b:10.0 live) serves one interface; a second is an error', () => {
  assert.deepEqual(found(domain("network='sriov-pool'", "network='sriov-pool'")), ['error network-pool-exhausted sriov-pool']);
  const full = withNetworks();
  full.networks[0].addresses = ['0000:0b:10.0'];
  const [p] = validate(domain("network='sriov-pool'"), { inventory: full }).filter((x) => x.code === 'network-pool-exhausted');
  assert.equal(p.severity, 'error');
  assert.match(
    p.message,
    /^No free VF left in pool 'sriov-pool': running guests hold all 1 — .*requires exclusive access to interfaces, but none are available/,
  );
  // db01 (shut off) has the pool's other VF in its config: a warning, it may start first
  const claimed = withNetworks();
  claimed.networks[0].addresses = ['0000:0b:10.0', '0000:0b:10.2'];
  assert.deepEqual(found(domain("network='sriov-pool'"), claimed), ['warning network-pool-exhausted sriov-pool']);
});

test('a pool address the host has no VF at is no free VF: a start that libvirt hands it fails, and the VFs listed after it are never reached', () => {
  const explicit = withNetworks();
  explicit.networks[0].addresses = ['0000:3b:02.1'];
  const [p] = validate(domain("network='sriov-pool'"), { inventory: explicit }).filter((x) => x.code === 'network-pool-exhausted');
  assert.equal(p?.severity, 'error');
  assert.equal(
    p.message,
    "No VF a start can get from pool 'sriov-pool': no device 0000:3b:02.1 on host 'kvm1' — the guest fails to start; libvirt: " +
      '"Device 0000:3b:02.1 not found: could not access /sys/bus/pci/devices/0000:3b:02.1/config". ' +
      'Take 0000:3b:02.1 out of the pool (virsh net-edit), or use another pool.',
  );
  // libvirt hands each start the first listed address no start holds: the missing one before 0b:10.3
  explicit.networks[0].addresses = ['0000:3b:02.1', '0000:0b:10.3'];
  const [stuck] = validate(domain("network='sriov-pool'"), { inventory: explicit }).filter((x) => x.code === 'network-pool-exhausted');
  assert.match(
    stuck.message,
    /^No VF a start can get from pool 'sriov-pool': no device 0000:3b:02\.1 on host 'kvm1', listed before its 1 free VF\(s\)/,
  );
  // after it, 0b:10.3 serves one interface; a second meets the missing address; a PF listed meets virHostdevSaveNetConfig
  explicit.networks[0].addresses = ['0000:0b:10.3', '0000:0b:00.0'];
  assert.deepEqual(found(domain("network='sriov-pool'"), explicit), []);
  const [second] = validate(domain("network='sriov-pool'", "network='sriov-pool'"), { inventory: explicit }).filter(
    (x) => x.code === 'network-pool-exhausted',
  );
  assert.match(
    second.message,
    /^Pool 'sriov-pool' has 1 free VF\(s\), this document needs 2 — .*"unsupported configuration: Interface type hostdev is currently supported on SR-IOV Virtual Functions only"\. PF 0000:0b:00\.0 listed as a VF\. Take 0000:0b:00\.0 out of the pool/,
  );
});

test("an unknown portgroup is a warning listing the network's portgroups", () => {
  assert.deepEqual(found(domain("network='sriov-pool' portgroup='red'")), ['warning network-portgroup red']);
});

test('old snapshots that list only hostdev pools get no network rules', () => {
  const old = inventory82576();
  assert.deepEqual(found(domain("network='default'"), old), []);
});

/**
 * The 82576 host with 'sriov-pool' (the seven VFs of enp11s0f1) and the NAT network: running guests
 * web10… hold the first `held` VFs (their definitions name the pool, their live XML shows the VF),
 * and shut-off guests `waiting` name the pool in their persistent definitions.
 */
function demandHost(held: number, waiting: string[]): Inventory {
  const inventory = inventory82576();
  inventory.networks = [sriovPool(), { name: 'default', active: true, autostart: true, forwardMode: 'nat', addresses: [] }];
  inventory.guests.push(
    ...PF1_VFS.slice(0, held).map((vf, i) => poolGuest(`web1${i}`, 'running', ['sriov-pool'], [vf])),
    ...waiting.map((name) => poolGuest(name, 'shut off', ['sriov-pool'])),
  );
  return inventory;
}

const poolProblems = (text: string, inventory: Inventory) =>
  validate(text, { inventory }).filter((p) => p.code === 'network-pool-exhausted');

test("shut-off guests naming the pool take a VF each at start: a warning when they and this guest want more than are free, naming them, the counts and the pool's size, libvirt's text kept", () => {
  // 5 of 7 held by running guests (not counted again), 2 free; db02 and db03 shut off: 1 + 2 > 2
  const [p, ...more] = poolProblems(domain("network='sriov-pool'"), demandHost(5, ['db02', 'db03']));
  assert.equal(more.length, 0);
  assert.equal(p.severity, 'warning');
  assert.equal(
    p.message,
    "Pool 'sriov-pool' may run out: 2 of its 7 VFs are free, and its guests take at least 3 when they start ('web09' 1; shut-off 'db02' and 'db03' at least 1 each)" +
      ` — the guest fails to start; libvirt: "internal error: network 'sriov-pool' requires exclusive access to interfaces, but none are available". The pool has 7 VFs (PF 'enp11s0f1'); enable more VFs or use another pool.`,
  );
});

test('pool demand: room for this guest and every shut-off guest that names the pool is no finding; running guests that name it hold theirs already', () => {
  // 1 + 1 = 2 free; the five running guests also name the pool and are not counted twice
  assert.deepEqual(poolProblems(domain("network='sriov-pool'"), demandHost(5, ['db02'])), []);
  // no running holder: 7 free, 1 + 6 shut-off guests fit exactly
  assert.deepEqual(poolProblems(domain("network='sriov-pool'"), demandHost(0, ['a1', 'a2', 'a3', 'a4', 'a5', 'a6'])), []);
  assert.equal(
    poolProblems(domain("network='sriov-pool'"), demandHost(0, ['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7']))[0]?.severity,
    'warning',
  );
});

test("pool demand: the document's own guest is not counted again as a shut-off guest naming the pool", () => {
  const text = domain("network='sriov-pool'").replace('<name>web09</name>', '<name>db02</name>');
  assert.deepEqual(poolProblems(text, demandHost(5, ['db02', 'db03'])), []);
  // as a new guest, db02 and db03 both wait: 1 + 2 > 2
  assert.equal(poolProblems(domain("network='sriov-pool'"), demandHost(5, ['db02', 'db03'])).length, 1);
});

test("pool demand: the document's interfaces on a pool count together, in one finding on the first interface left without a VF", () => {
  const inventory = demandHost(5, ['db02']);
  const lineOf = (text: string, p: { span: { start: number } }) => text.slice(0, p.span.start).split('\n').length - 1;
  // 2 free: three interfaces are more than are free at all; the start fails at the third
  const threeText = domain("network='sriov-pool'", "network='sriov-pool'", "network='sriov-pool'");
  const three = poolProblems(threeText, inventory);
  assert.deepEqual(
    three.map((p) => `${p.severity} ${p.message.split(' — ')[0]}`),
    ["error Pool 'sriov-pool' has 2 free VF(s), this document needs 3"],
  );
  assert.equal(lineOf(threeText, three[0]), 3);
  // ten interfaces: still one error, with the whole count, on the third
  const tenText = domain(...Array<string>(10).fill("network='sriov-pool'"));
  const ten = poolProblems(tenText, inventory);
  assert.deepEqual(
    ten.map((p) => `${p.severity} ${p.message.split(' — ')[0]}`),
    ["error Pool 'sriov-pool' has 2 free VF(s), this document needs 10"],
  );
  assert.equal(lineOf(tenText, ten[0]), 3);
  // two fit, but db02's start takes one of them: one warning, on the second interface, counting both
  const twoText = domain("network='sriov-pool'", "network='sriov-pool'");
  const two = poolProblems(twoText, inventory);
  assert.deepEqual(
    two.map((p) => `${p.severity} ${p.message.split(' — ')[0]}`),
    [
      "warning Pool 'sriov-pool' may run out: 2 of its 7 VFs are free, and its guests take at least 3 when they start ('web09' 2; shut-off 'db02' at least 1)",
    ],
  );
  assert.equal(lineOf(twoText, two[0]), 2);
});

test('pool demand: configs that name free pool VFs directly count with the shut-off guests; long guest lists are cut', () => {
  // db01 (the fixture's shut-off guest) names 0000:0b:10.2 directly; a pool of it and two more VFs
  const inventory = demandHost(0, ['db02', 'db03', 'db04', 'db05', 'db06', 'db07', 'db08', 'db09']);
  inventory.networks[0] = sriovPool({ pfDevs: undefined, addresses: ['0000:0b:10.2', '0000:0b:10.4', '0000:0b:10.6'] });
  const [p] = poolProblems(domain("network='sriov-pool'"), inventory);
  assert.equal(p.severity, 'warning');
  // app01 (running) has 0b:10.4 in its config but not live: it takes it at its next start
  assert.equal(
    p.message.split(' — ')[0],
    "Pool 'sriov-pool' may run out: 3 of its 3 VFs are free, and its guests take at least 11 when they start ('web09' 1; shut-off 'db02', 'db03', 'db04', 'db05', 'db06', 'db07' and 2 more at least 1 each; 'db01' names 0000:0b:10.2 directly; 'app01' names 0000:0b:10.4 directly)",
  );
});

/** demandHost, and shut-off guests as snapshots with interface counts record them: `counted` maps each to its interfaces on the pool. */
function countedDemandHost(held: number, counted: Record<string, number>, uncounted: string[] = []): Inventory {
  const inventory = demandHost(held, uncounted);
  inventory.guests.push(...Object.entries(counted).map(([name, n]) => countedPoolGuest(name, 'shut off', { 'sriov-pool': n })));
  return inventory;
}

test('the VFs a guest takes from a pool at start: one per interface on it when the snapshot counts them; one at least when it only names the pool', () => {
  assert.deepEqual(poolVfsAtStart(countedPoolGuest('db02', 'shut off', { 'sriov-pool': 2, default: 1 }), 'sriov-pool'), {
    vfs: 2,
    exact: true,
  });
  assert.deepEqual(poolVfsAtStart(poolGuest('db02', 'shut off', ['sriov-pool']), 'sriov-pool'), { vfs: 1, exact: false });
  assert.deepEqual(poolVfsAtStart(countedPoolGuest('db02', 'shut off', { default: 1 }), 'sriov-pool'), { vfs: 0, exact: true });
  // network names are host data: one called 'constructor' is no inherited property of the counts
  const named = { ...countedPoolGuest('db02', 'shut off', { default: 1 }), networks: ['default', 'constructor'] };
  assert.deepEqual(poolVfsAtStart(named, 'constructor'), { vfs: 1, exact: false });
});

test('a shut-off guest with two interfaces on the pool takes two VFs at its start: the warning fires on the exact count and says the exact numbers', () => {
  // 2 free: web09 1 + db02 2 > 2
  const [p, ...more] = poolProblems(domain("network='sriov-pool'"), countedDemandHost(5, { db02: 2 }));
  assert.equal(more.length, 0);
  assert.equal(p.severity, 'warning');
  assert.equal(
    p.message,
    "Pool 'sriov-pool' may run out: 2 of its 7 VFs are free, and its guests take 3 when they start ('web09' 1; shut-off 'db02' 2)" +
      ` — the guest fails to start; libvirt: "internal error: network 'sriov-pool' requires exclusive access to interfaces, but none are available". The pool has 7 VFs (PF 'enp11s0f1'); enable more VFs or use another pool.`,
  );
  assert.equal(
    poolProblems(domain("network='sriov-pool'"), countedDemandHost(5, { db02: 2, db03: 1 }))[0]?.message.split(' — ')[0],
    "Pool 'sriov-pool' may run out: 2 of its 7 VFs are free, and its guests take 4 when they start ('web09' 1; shut-off 'db02' 2 and 'db03' 1)",
  );
  // one interface each: web09 1 + db02 1 fit the 2 free exactly
  assert.deepEqual(poolProblems(domain("network='sriov-pool'"), countedDemandHost(5, { db02: 1 })), []);
  // the document's own guest is not counted again
  const own = domain("network='sriov-pool'").replace('<name>web09</name>', '<name>db02</name>');
  assert.deepEqual(poolProblems(own, countedDemandHost(5, { db02: 2 })), []);
});

test('a guest an older snapshot lists without a count stays a lower bound: "at least", beside the exact counts of the others', () => {
  // the snapshot names the pool once for db02: one VF at least, which fits
  assert.deepEqual(poolProblems(domain("network='sriov-pool'"), demandHost(5, ['db02'])), []);
  assert.equal(
    poolProblems(domain("network='sriov-pool'"), countedDemandHost(5, { db02: 2 }, ['db03']))[0]?.message.split(' — ')[0],
    "Pool 'sriov-pool' may run out: 2 of its 7 VFs are free, and its guests take at least 4 when they start ('web09' 1; shut-off 'db02' 2; shut-off 'db03' at least 1)",
  );
});

test("a name ending in '.' before a message's full stop stays readable: names quoted as libvirt does, commands with the name quoted", () => {
  const inv = withNetworks();
  inv.networks[0].portgroups = [{ name: 'blue.', default: true, vlan: [100] }];
  inv.networks[1].name = 'idle.';
  inv.networks[2].name = 'nat.';
  const messages = (text: string) =>
    validate(text, { inventory: inv })
      .filter((p) => p.code.startsWith('network-'))
      .map((p) => p.message);
  const [unknown] = messages(domain("network='nosuch'"));
  assert.match(unknown, /\. Its networks: 'idle\.', 'nat\.', 'sriov-pool'\.$/);
  const [inactive] = messages(domain("network='idle.'"));
  assert.match(inactive, /: virsh net-start 'idle\.'; virsh net-autostart 'idle\.'\.$/);
  const [noAutostart] = messages(domain("network='nat.'"));
  assert.match(noAutostart, /Mark it: virsh net-autostart 'nat\.'\.$/);
  const [portgroup] = messages(domain("network='sriov-pool' portgroup='red'"));
  assert.match(portgroup, /\. Its portgroups: 'blue\.'\.$/);
  for (const m of [unknown, inactive, noAutostart, portgroup]) assert.doesNotMatch(m, /\.\.|\.\.'/, m);
});

test('pool demand: guest names with a space, a trailing full stop or a parenthesis stay whole, each quoted as libvirt quotes a name', () => {
  // 'web 09' is the document's guest; 'db02.', 'my guest' and 'db (old)' are shut off and name the pool: 1 + 3 > 2
  const text = domain("network='sriov-pool'").replace('<name>web09</name>', '<name>web 09</name>');
  const [p] = poolProblems(text, demandHost(5, ['db02.', 'my guest', 'db (old)']));
  assert.equal(
    p.message.split(' — ')[0],
    "Pool 'sriov-pool' may run out: 2 of its 7 VFs are free, and its guests take at least 4 when they start ('web 09' 1; shut-off 'db02.', 'my guest' and 'db (old)' at least 1 each)",
  );
  // a config naming a free VF directly: the guest's name quoted too
  const claimed = demandHost(0, []);
  claimed.networks[0] = sriovPool({ pfDevs: undefined, addresses: ['0000:0b:10.2'] });
  claimed.guests.find((g) => g.name === 'db01')!.name = 'db01 (copy).';
  assert.match(poolProblems(text, claimed)[0].message, /\('web 09' 1; 'db01 \(copy\)\.' names 0000:0b:10\.2 directly\)/);
});
