// The readiness step for libvirt's VF pools (service/poolReadiness.ts, step 7 'vf-pools') over the
// 82576 host: one line per pool, each problem in the pool rules' own words (the same message a guest
// document on that network gets), FAIL only when a guest meets an error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readinessChecks } from '../../../server/src/service/readinessChecks';
import type { ReadinessCheck } from '../../../shared/readiness';
import { validate } from '../../../server/src/service/index';
import type { Inventory, InventoryGuest, InventoryNetwork } from '../../../server/src/service/types';
import { readinessField } from '../../../server/src/inventory/fileProvider';
import { hostReadiness, inventory82576 } from './helpers';
import { countedPoolGuest, PF1_VFS, poolGuest as guest, sriovPool } from './rules/helpers';

const NAT: InventoryNetwork = { name: 'default', active: true, autostart: true, forwardMode: 'nat', addresses: [] };

function host(networks: InventoryNetwork[], guests: InventoryGuest[] = []): Inventory {
  const inventory = inventory82576();
  inventory.networks = [NAT, ...networks];
  inventory.guests.push(...guests);
  return inventory;
}

const step = (inventory: Inventory, warnings: string[] = []): ReadinessCheck => {
  const check = readinessChecks(inventory, warnings, (verb, network) => `libvirt-hostdev ${verb} --network ${network} --host kvm1`).find(
    (c) => c.id === 'vf-pools',
  );
  assert.ok(check);
  return check;
};

/** The message a guest document on `network` gets for `code` from the rules. */
function ruleMessage(inventory: Inventory, network: string, code: string): string {
  const doc = `<domain type='kvm'><name>probe01</name><devices><interface type='network'><mac address='52:54:00:12:34:56'/><source network='${network}'/></interface></devices></domain>`;
  const found = validate(doc, { inventory }).filter((p) => p.code === code);
  assert.equal(found.length, 1, `${code}: ${JSON.stringify(found)}`);
  return found[0].message;
}

test('no hostdev pool (a NAT network only): PASS, guests use VFs directly; numbered 7 after the free VFs, ids unchanged', () => {
  const checks = readinessChecks(host([]));
  assert.deepEqual(
    checks.map((c) => `${c.step} ${c.id}`),
    [
      '1 iommu',
      '2 sriov-device',
      '3 pf-driver',
      '4 vfs-enabled',
      '5 vfs-persistent',
      '6 vfs-visible',
      '7 vfs-free',
      '7 vf-pools',
      '8 vfio-pci',
    ],
  );
  const pools = checks.find((c) => c.id === 'vf-pools')!;
  assert.equal(pools.status, 'pass');
  assert.deepEqual(pools.details, ['no VF pools defined (guests use VFs directly)']);
});

test('a ready pool: PASS, one line with its PF, free/total VFs, state and who uses it (running holders and persistent definitions)', () => {
  const inventory = host(
    [sriovPool()],
    [guest('web03', 'running', ['sriov-pool'], ['0000:0b:10.3']), guest('db02', 'shut off', ['sriov-pool'])],
  );
  const check = step(inventory);
  assert.equal(check.status, 'pass', check.details.join('\n'));
  assert.deepEqual(check.details, [
    "'sriov-pool': PF 'enp11s0f1', 6/7 VFs free, active, autostarts; used by 'web03' at least 1 (running, holds 0000:0b:10.3), 'db02' at least 1 (shut off)",
  ]);
});

test('a pool of a snapshot written before networks carried their forward mode (hostdev pools only): step 7 lists it, and the VF rules apply to its interfaces', () => {
  const { forwardMode: _mode, autostart: _autostart, managed: _managed, pfDevs: _pfs, ...older } = sriovPool();
  const inventory = inventory82576();
  inventory.networks = [older];
  const check = step(inventory);
  assert.equal(check.status, 'pass', check.details.join('\n'));
  assert.match(check.details[0], /^'sriov-pool': addresses 0000:0b:10\.1, .*, 7\/7 VFs free, active, autostart unknown; no guest uses it$/);
  // a VF of the pool takes one VLAN tag: the trunk is a hostdev rule, not one of <interface type='network'> as such
  const trunk = `<domain type='kvm'><name>probe01</name><devices><interface type='network'><mac address='52:54:00:12:34:56'/><source network='sriov-pool'/><vlan trunk='yes'><tag id='1'/><tag id='2'/></vlan></interface></devices></domain>`;
  const codes = (inv: Inventory) => validate(trunk, { inventory: inv }).map((p) => p.code);
  assert.ok(
    codes(inventory).some((c) => c.startsWith('vlan')),
    codes(inventory).join(', '),
  );
  // a network of a newer snapshot without a forward mode is an isolated network, no pool
  const isolated = inventory82576();
  isolated.networks = [{ ...older, autostart: true, addresses: [] }];
  assert.deepEqual(step(isolated).details, ['no VF pools defined (guests use VFs directly)']);
  assert.deepEqual(
    codes(isolated).filter((c) => c.startsWith('vlan')),
    [],
  );
});

test("active but not autostart: WARN with network-inactive's own message, virsh's fix and ours", () => {
  const inventory = host([sriovPool({ autostart: false })]);
  const check = step(inventory);
  assert.equal(check.status, 'warn');
  assert.equal(check.details[1], `WARN: ${ruleMessage(inventory, 'sriov-pool', 'network-inactive')}`);
  assert.match(check.details[1], /does not autostart: after a host reboot it is down .*Mark it: virsh net-autostart sriov-pool\.$/);
  assert.equal(check.details[2], 'or: libvirt-hostdev net-autostart --network sriov-pool --host kvm1');
});

test("inactive and named by a shut-off guest's persistent definition: FAIL quoting libvirt's start refusal", () => {
  const inventory = host([sriovPool({ active: false, autostart: false })], [guest('db02', 'shut off', ['sriov-pool'])]);
  const check = step(inventory);
  assert.equal(check.status, 'fail');
  assert.equal(
    check.details[0],
    "'sriov-pool': PF 'enp11s0f1', 7 VFs, none handed out while inactive, inactive, no autostart; used by 'db02' at least 1 (shut off)",
  );
  assert.equal(check.details[1], `FAIL: ${ruleMessage(inventory, 'sriov-pool', 'network-inactive')}`);
  assert.match(check.details[1], /libvirt: "Requested operation is not valid: network 'sriov-pool' is not active"/);
  assert.equal(
    check.details[2],
    'or: libvirt-hostdev net-start --network sriov-pool --host kvm1 && libvirt-hostdev net-autostart --network sriov-pool --host kvm1',
  );
});

test('inactive and unused: WARN (no guest fails), the same message; an autostart pool is only started', () => {
  const check = step(host([sriovPool({ active: false, autostart: true })]));
  assert.equal(check.status, 'warn');
  assert.match(
    check.details[1],
    /^WARN: Network 'sriov-pool' is not active .*It autostarts with libvirt; start it now: virsh net-start sriov-pool\.$/,
  );
  assert.equal(check.details[2], 'or: libvirt-hostdev net-start --network sriov-pool --host kvm1');
});

test("no free VF: WARN while running guests hold them all; FAIL when a shut-off guest's definition waits for one", () => {
  const holders = PF1_VFS.map((vf, i) => guest(`web1${i}`, 'running', ['sriov-pool'], [vf]));
  const full = host([sriovPool()], holders);
  const check = step(full);
  assert.equal(check.status, 'warn');
  assert.match(
    check.details[0],
    /^'sriov-pool': PF 'enp11s0f1', 0\/7 VFs free, active, autostarts; used by 'web10' at least 1 \(running, holds 0000:0b:10\.1\), /,
  );
  assert.equal(check.details[1], `WARN: ${ruleMessage(full, 'sriov-pool', 'network-pool-exhausted')}`);
  assert.match(check.details[1], /requires exclusive access to interfaces, but none are available/);

  const waiting = host([sriovPool()], [...holders, guest('db02', 'shut off', ['sriov-pool'])]);
  assert.equal(step(waiting).status, 'fail');
  assert.equal(step(waiting).details[1], `FAIL: ${ruleMessage(waiting, 'sriov-pool', 'network-pool-exhausted')}`);
});

test('more shut-off guests name the pool than it has free VFs: WARN naming them (each takes one at its start); as many as are free: PASS', () => {
  const holders = PF1_VFS.slice(0, 5).map((vf, i) => guest(`web1${i}`, 'running', ['sriov-pool'], [vf]));
  const waiting = ['db02', 'db03', 'db04'].map((name) => guest(name, 'shut off', ['sriov-pool']));
  const short = step(host([sriovPool()], [...holders, ...waiting]));
  assert.equal(short.status, 'warn');
  assert.match(short.details[0], /^'sriov-pool': PF 'enp11s0f1', 2\/7 VFs free, active, autostarts; used by 'web10' /);
  assert.match(
    short.details[1],
    /^WARN: Pool 'sriov-pool' may run out: 2 of its 7 VFs are free, and its guests take at least 3 when they start \(shut-off 'db02', 'db03' and 'db04' at least 1 each\) — the guest fails to start; libvirt: "internal error: network 'sriov-pool' requires exclusive access to interfaces, but none are available"/,
  );
  assert.deepEqual(readinessField(host([sriovPool()], [...holders, ...waiting])).readiness, [
    "VF pool 'sriov-pool': Pool 'sriov-pool' may run out: 2 of its 7 VFs are free, and its guests take at least 3 when they start (shut-off 'db02', 'db03' and 'db04' at least 1 each)",
  ]);
  // two shut-off guests for two free VFs: both start
  assert.equal(step(host([sriovPool()], [...holders, ...waiting.slice(0, 2)])).status, 'pass');
});

test('a shut-off guest with two interfaces on the pool counts as two VFs when the snapshot counts them: WARN with the exact numbers, the same as the rule', () => {
  const holders = PF1_VFS.slice(0, 5).map((vf, i) => guest(`web1${i}`, 'running', ['sriov-pool'], [vf]));
  // 2 free: db02 takes 2 and db03 1
  const waiting = [countedPoolGuest('db02', 'shut off', { 'sriov-pool': 2 }), countedPoolGuest('db03', 'shut off', { 'sriov-pool': 1 })];
  const inventory = host([sriovPool()], [...holders, ...waiting]);
  const short = step(inventory);
  assert.equal(short.status, 'warn');
  // the "used by" line gives each guest's VFs as the warning does
  assert.match(short.details[0], /, 'db02' 2 \(shut off\), 'db03' 1 \(shut off\)$/);
  assert.equal(
    short.details[1],
    `WARN: Pool 'sriov-pool' may run out: 2 of its 7 VFs are free, and its guests take 3 when they start (shut-off 'db02' 2 and 'db03' 1) — the guest fails to start; libvirt: "internal error: network 'sriov-pool' requires exclusive access to interfaces, but none are available". The pool has 7 VFs (PF 'enp11s0f1'); enable more VFs or use another pool.`,
  );
  assert.deepEqual(readinessField(inventory).readiness, [
    "VF pool 'sriov-pool': Pool 'sriov-pool' may run out: 2 of its 7 VFs are free, and its guests take 3 when they start (shut-off 'db02' 2 and 'db03' 1)",
  ]);
  // db02 alone takes the two free VFs: it starts
  assert.equal(step(host([sriovPool()], [...holders, waiting[0]])).status, 'pass');
});

test('an empty active pool (no PF, no address): no VF at all', () => {
  const check = step(host([sriovPool({ pfDevs: undefined, addresses: [] })], [guest('db02', 'shut off', ['sriov-pool'])]));
  assert.equal(check.status, 'fail');
  assert.match(check.details[0], /^'sriov-pool': no PF or address, 0\/0 VFs free/);
  assert.match(check.details[1], /^FAIL: Pool 'sriov-pool' has no VFs at all/);
});

test('its PF and addresses against the host: network-pf for a PF it lacks, network-vf for a PF address and a VF a guest names directly', () => {
  const gone = host([sriovPool({ name: 'gone-pool', pfDevs: ['ens9f0'], addresses: [] })], [guest('db02', 'shut off', ['gone-pool'])]);
  const pf = step(gone);
  assert.equal(pf.status, 'fail');
  assert.match(
    pf.details[1],
    /^FAIL: No network device 'ens9f0' on host 'kvm1' — net-start fails; libvirt: "internal error: No usable Vf's present on SRIOV PF ens9f0"/,
  );

  // 0000:0b:00.0 is a PF; 0000:0b:10.2 is in db01's persistent definition (the fixture's shut-off guest)
  const listed = host([sriovPool({ name: 'listed', pfDevs: undefined, addresses: ['0000:0b:00.0', '0000:0b:10.2', '0000:0b:10.6'] })]);
  const check = step(listed);
  assert.equal(check.status, 'warn', 'no guest uses the pool: its errors are warnings');
  assert.match(check.details[0], /^'listed': addresses 0000:0b:00\.0, 0000:0b:10\.2, 0000:0b:10\.6, /);
  assert.match(
    check.details[1],
    /^WARN: 0000:0b:00\.0 is a PF, not a VF — net-define fails; libvirt: "unsupported configuration: device '\/sys\/bus\/pci\/devices\/0000:0b:00\.0' in network 'listed' is not an SR-IOV Virtual Function"/,
  );
  assert.match(check.details[2], /^WARN: VF 0000:0b:10\.2 is also in the persistent definition of guest 'db01' — the guest fails to start/);
  const used = host(
    [sriovPool({ name: 'listed', pfDevs: undefined, addresses: ['0000:0b:00.0'] })],
    [guest('app02', 'shut off', ['listed'])],
  );
  assert.equal(step(used).status, 'fail');
});

test("a pool address the host has no VF at counts as no free VF: the guest naming the pool FAILs, in the rule's words", () => {
  const inventory = host(
    [sriovPool({ name: 'explicit', pfDevs: undefined, addresses: ['0000:3b:02.1'] })],
    [guest('app02', 'shut off', ['explicit'])],
  );
  const check = step(inventory);
  assert.equal(check.status, 'fail');
  assert.equal(
    check.details[0],
    "'explicit': addresses 0000:3b:02.1, 0/1 VFs free: no device 0000:3b:02.1 on host 'kvm1', active, autostarts; used by 'app02' at least 1 (shut off)",
  );
  const exhausted = check.details.find((d) => d.includes('No VF a start can get'));
  assert.equal(exhausted, `FAIL: ${ruleMessage(inventory, 'explicit', 'network-pool-exhausted')}`);
});

test('a PF whose VFs are created at runtime only: WARN, the pool is empty after a reboot (with the modprobe line)', () => {
  const inventory = host([sriovPool()]);
  inventory.readiness = hostReadiness({ maxVfsDrivers: ['igb'], vfPersistence: { '0000:0b:00.0': [], '0000:0b:00.1': [] } });
  const check = step(inventory);
  assert.equal(check.status, 'warn');
  assert.match(
    check.details[1],
    /^WARN: The 7 VFs of PF 'enp11s0f1' were created at runtime: after a host reboot the pool is empty .*"options igb max_vfs=7"/,
  );
});

test("a PF whose boot line sets fewer VFs than it has now: WARN, the pool shrinks after a reboot, in the rule's words", () => {
  const inventory = host([sriovPool()]);
  const maxVfs2 = { mechanism: 'modprobe', file: 'etc/modprobe.d/igb.conf', detail: 'options igb max_vfs=2', count: 2 } as const;
  inventory.readiness = hostReadiness({ maxVfsDrivers: ['igb'], vfPersistence: { '0000:0b:00.0': [maxVfs2], '0000:0b:00.1': [maxVfs2] } });
  const check = step(inventory);
  assert.equal(check.status, 'warn');
  assert.match(
    check.details[1],
    /^WARN: PF 'enp11s0f1': a boot restores 2 of the 7 VFs \(VFs 2\.\.6 will not come back\), so after a host reboot the pool hands out 2 — /,
  );
});

test("a network the host lacks, named by guests' persistent definitions: FAIL with network-unknown's own message, after the pools", () => {
  const inventory = host(
    [sriovPool()],
    [
      guest('db02', 'shut off', ['sriov-pool', 'gone-pool']),
      guest('web05', 'running', ['gone-pool', 'default']),
      guest('app03', 'shut off', ['nosuch']),
    ],
  );
  const check = step(inventory);
  assert.equal(check.status, 'fail');
  assert.deepEqual(check.details.slice(1), [
    "'gone-pool': no such network; named by 'db02' (shut off), 'web05' (running)",
    `FAIL: ${ruleMessage(inventory, 'gone-pool', 'network-unknown')}`,
    "'nosuch': no such network; named by 'app03' (shut off)",
    `FAIL: ${ruleMessage(inventory, 'nosuch', 'network-unknown')}`,
  ]);
  assert.match(
    check.details[2],
    /^FAIL: No libvirt network 'gone-pool' on host 'kvm1' — the guest fails to start; libvirt: "Network not found: no network with matching name 'gone-pool'"\. Its networks: 'default', 'sriov-pool'\.$/,
  );
});

test('no VF pool, but a guest names a network the host lacks: FAIL, not "no VF pools defined"; known networks and older snapshots add nothing', () => {
  const missing = step(host([], [guest('db02', 'shut off', ['sriov-pool'])]));
  assert.equal(missing.status, 'fail');
  assert.deepEqual(missing.details[0], "'sriov-pool': no such network; named by 'db02' (shut off)");
  assert.match(missing.details[1], /^FAIL: No libvirt network 'sriov-pool' on host 'kvm1' .*Its networks: 'default'\.$/);

  const known = step(host([], [guest('db02', 'shut off', ['default'])]));
  assert.deepEqual([known.status, known.details], ['pass', ['no VF pools defined (guests use VFs directly)']]);
  // a snapshot that does not record a guest's networks says nothing about them
  const older = host([], [{ ...guest('db02', 'shut off', []), networks: undefined }]);
  assert.equal(step(older).status, 'pass');
});

test('libvirt unreadable: WARN instead of "no VF pools" (step 6 fails)', () => {
  const check = step(host([]), ['virsh -c qemu:///system failed: error: failed to connect to the hypervisor']);
  assert.equal(check.status, 'warn');
  assert.deepEqual(check.details, ["libvirt's networks could not be read (step 6)"]);
});

test('the status tooltip lists each pool with a problem after the host lines; a ready pool adds none', () => {
  assert.deepEqual(readinessField(host([sriovPool()])), {});
  const field = readinessField(host([sriovPool({ autostart: false })]));
  assert.deepEqual(field.readiness, ["VF pool 'sriov-pool': Network 'sriov-pool' does not autostart: after a host reboot it is down"]);
});

test('the status tooltip says a listed address that is no VF once, as the cause of the pool giving no VF; the readiness step keeps both findings', () => {
  const pool = (addresses: string[]) => host([sriovPool({ name: 'explicit', pfDevs: undefined, addresses })]);
  assert.deepEqual(readinessField(pool(['0000:3b:02.1'])).readiness, [
    "VF pool 'explicit': No VF a start can get from pool 'explicit': no device 0000:3b:02.1 on host 'kvm1'",
  ]);
  assert.deepEqual(readinessField(pool(['0000:0b:00.0', '0000:3b:02.1'])).readiness, [
    "VF pool 'explicit': No VF a start can get from pool 'explicit': PF 0000:0b:00.0 listed as a VF and no device 0000:3b:02.1 on host 'kvm1'",
  ]);
  // the step keeps the network's own finding (net-start refuses the address) beside the guests' one
  const details = step(pool(['0000:3b:02.1'])).details;
  assert.ok(details.some((d) => d.includes("No device 0000:3b:02.1 on host 'kvm1'")));
  assert.ok(details.some((d) => d.includes('No VF a start can get')));
  // a free VF listed before it: a start gets that one, the address is no cause of a shortage and its finding stays
  assert.deepEqual(readinessField(pool([PF1_VFS[0], '0000:3b:02.1'])).readiness, [
    "VF pool 'explicit': No device 0000:3b:02.1 on host 'kvm1'",
  ]);
});

test("the status tooltip lists each network a guest's persistent definition names and the host lacks, in network-unknown's problem, with and without VF pools", () => {
  const named = [guest('db02', 'shut off', ['gone-pool']), guest('web05', 'running', ['gone-pool', 'default'])];
  const missing = "No libvirt network 'gone-pool' on host 'kvm1'; named by 'db02' (shut off), 'web05' (running)";
  assert.deepEqual(readinessField(host([], named)).readiness, [missing]);
  assert.deepEqual(readinessField(host([sriovPool({ autostart: false })], named)).readiness, [
    "VF pool 'sriov-pool': Network 'sriov-pool' does not autostart: after a host reboot it is down",
    missing,
  ]);
  // the rule's own problem, as the readiness step and a guest document on that network get it
  const inventory = host([], named);
  assert.ok(ruleMessage(inventory, 'gone-pool', 'network-unknown').startsWith("No libvirt network 'gone-pool' on host 'kvm1' — "));
  assert.deepEqual(readinessField(host([], [guest('db02', 'shut off', ['default'])])), {});
});

test("the status tooltip names no network as missing when libvirt's networks could not be read (the snapshot lists none)", () => {
  const unread = host([], [guest('db02', 'shut off', ['default', 'sriov-pool'])]);
  unread.networks = [];
  assert.deepEqual(readinessField(unread), {});
});

test("guest and network names with a space, a trailing full stop or a parenthesis: each quoted whole in the step's lines and the status notes", () => {
  const holder = guest('web 10 (old)', 'running', ['pool (a).'], [PF1_VFS[0]]);
  const waiting = ['db02.', 'my guest'].map((name) => guest(name, 'shut off', ['pool (a).']));
  const inventory = host([sriovPool({ name: 'pool (a).', addresses: PF1_VFS.slice(0, 2), pfDevs: undefined })], [holder, ...waiting]);
  inventory.guests.push(guest('app 03.', 'shut off', ['gone pool.']));
  const check = step(inventory);
  assert.deepEqual(
    check.details[0].split('; ')[1],
    "used by 'web 10 (old)' at least 1 (running, holds 0000:0b:10.1), 'db02.' at least 1 (shut off), 'my guest' at least 1 (shut off)",
  );
  assert.ok(check.details[0].startsWith("'pool (a).': addresses 0000:0b:10.1, 0000:0b:10.3, 1/2 VFs free"), check.details[0]);
  assert.match(check.details[1], /\(shut-off 'db02\.' and 'my guest' at least 1 each\)/);
  assert.ok(check.details.includes("'gone pool.': no such network; named by 'app 03.' (shut off)"), check.details.join('\n'));
  assert.deepEqual(readinessField(inventory).readiness, [
    "VF pool 'pool (a).': Pool 'pool (a).' may run out: 1 of its 2 VFs are free, and its guests take at least 2 when they start (shut-off 'db02.' and 'my guest' at least 1 each)",
    "No libvirt network 'gone pool.' on host 'kvm1'; named by 'app 03.' (shut off)",
  ]);
});

test('the used-by line gives the VFs each guest naming the pool takes at its start, as network-pool-exhausted counts them; a guest holding a pool VF its definition does not name gets none', () => {
  const inventory = host(
    [sriovPool()],
    [
      countedPoolGuest('web03', 'running', { 'sriov-pool': 2 }, PF1_VFS.slice(0, 2)),
      countedPoolGuest('db02', 'shut off', { 'sriov-pool': 4 }),
      guest('db03', 'shut off', ['sriov-pool']),
      guest('web04', 'running', [], [PF1_VFS[2]]),
    ],
  );
  assert.equal(
    step(inventory).details[0].split('; ')[1],
    "used by 'web03' 2 (running, holds 0000:0b:10.1, 0000:0b:10.3), 'db02' 4 (shut off), 'db03' at least 1 (shut off), 'web04' (running, holds 0000:0b:10.5)",
  );
  // 4 free, 5 wanted: the rule's warning gives the same figures
  assert.match(step(inventory).details[1], /\(shut-off 'db02' 4; shut-off 'db03' at least 1\)/);
});

test("a pool listing VFs that a boot does not recreate: one WARN for the pool in step 7 and one status note, in vf-not-persistent's words; a PF pool says it once, of its PF", () => {
  const inventory = host([sriovPool({ pfDevs: [] })]);
  assert.equal(step(inventory).status, 'pass');
  const pf = inventory.devices.find((d) => d.address === inventory.devices.find((v) => v.address === PF1_VFS[0])?.pf)!;
  inventory.readiness = hostReadiness({ vfPersistence: { [pf.address]: [] } });
  const check = step(inventory);
  assert.equal(check.status, 'warn');
  const listed = sriovPool().addresses.length;
  const warn = check.details.find((d) => d.startsWith('WARN: '))!;
  assert.match(
    warn,
    new RegExp(
      `^WARN: ${listed} of its ${listed} listed VFs may not come back after a host reboot \\(${PF1_VFS[0].replace(/\./g, '\\.')}, `,
    ),
  );
  assert.match(warn, new RegExp(`\\. VF ${PF1_VFS[0].replace(/\./g, '\\.')} was created at runtime: gone after a host reboot — `));
  const note = readinessField(inventory).readiness!.find((n) => n.startsWith("VF pool 'sriov-pool'"));
  assert.ok(note?.includes(`${listed} of its ${listed} listed VFs may not come back after a host reboot`), String(note));
  inventory.networks = [NAT, sriovPool()];
  const fromPf = step(inventory).details.filter((d) => d.startsWith('WARN: '));
  assert.equal(fromPf.length, 1, fromPf.join('\n'));
  assert.match(fromPf[0], /^WARN: The 7 VFs of PF 'enp11s0f1' were created at runtime/);
});
