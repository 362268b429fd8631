// VF pools in the editor (service/pools.ts): hover on <source network>, completion of network names
// (pools with free VFs first) and portgroups, quick fixes to a free pool or a known portgroup, and
// "Insert SR-IOV Interface" from a pool. Inventory: the 82576 host with a 2-VF pool whose 0b:10.0
// web01 holds live, an inactive pool and a NAT network (rules/helpers.ts withNetworks).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { complete, hover, newInterfaceXml, validate } from '../../../server/src/service/index';
import { countedPoolGuest, PF1_VFS, poolGuest, sriovPool, withNetworks } from './rules/helpers';
import { fixActions } from './quickFixHelpers';

const guest = (source: string) =>
  `<domain type='kvm'><name>web09</name><devices>\n<interface type='network'><mac address='52:54:00:00:00:09'/><source ${source}/></interface>\n</devices></domain>`;

test('hover on the network name: pool size, free VFs, PF, state, who names its VFs directly, portgroups', () => {
  const text = guest("network='sriov-pool'");
  const h = hover(text, text.indexOf('sriov-pool') + 2, { inventory: withNetworks() })!;
  assert.ok(h, 'no hover');
  assert.equal(text.slice(h.span.start, h.span.end), 'sriov-pool');
  assert.match(h.contents, /^\*\*Network\*\* `sriov-pool` on 'kvm1': VF pool \(`<forward mode='hostdev'>`\), active, autostarts/);
  assert.match(h.contents, /\*\*Pool\*\*: 2 VFs, 1 free for this guest, managed/);
  assert.match(h.contents, /\*\*PF\*\*: 'enp11s0f1'/);
  assert.match(h.contents, /\*\*Also named directly by guests\*\*: `0000:0b:10\.0` 'web01' \(running, config\)/);
  assert.match(h.contents, /\*\*Portgroups\*\*: `blue` \(default\) VLAN 100/);
  const missing = guest("network='nosuch'");
  assert.match(
    hover(missing, missing.indexOf('nosuch') + 1, { inventory: withNetworks() })!.contents,
    /No such network on 'kvm1': its networks are `sriov-pool`, `idle-pool`, `default`/,
  );
  assert.equal(hover(text, text.indexOf('sriov-pool') + 2), null, 'nothing to say without an inventory');
});

test('hover on a pool: how many other guests name it, running and shut off, and how many free VFs the shut-off ones leave', () => {
  const inventory = withNetworks();
  inventory.networks[0] = sriovPool();
  inventory.guests.push(
    poolGuest('web03', 'running', ['sriov-pool'], ['0000:0b:10.1']),
    poolGuest('web04', 'paused', ['sriov-pool'], ['0000:0b:10.3']),
    poolGuest('db02', 'shut off', ['sriov-pool']),
    poolGuest('db_03', 'shut off', ['sriov-pool', 'default']),
    poolGuest('web09', 'shut off', ['sriov-pool']),
    poolGuest('app07', 'shut off', ['default']),
  );
  const text = guest("network='sriov-pool'");
  const contents = hover(text, text.indexOf('sriov-pool') + 2, { inventory })!.contents;
  // web09 is the document's own guest: not among the others
  assert.match(contents, /\*\*Pool\*\*: 7 VFs, 5 free for this guest, at most 3 left once the other guests start, managed/);
  assert.match(
    contents,
    /\*\*Other guests naming it\*\*: 4: 2 running \('web03' and 'web04' \(paused\)\), 2 shut off \('db02' and 'db_03'\), each takes at least one VF at its start/,
  );
  // VFs running guests hold live but their definitions do not name came from the pool
  assert.match(
    contents,
    /\*\*Handed out now\*\*: `0000:0b:10\.1` to 'web03'; `0000:0b:10\.3` to 'web04'\n\nNo guest names a pool VF directly\./,
  );
  // five shut-off guests for five free VFs: none left
  inventory.guests.push(...['db04', 'db05', 'db06'].map((name) => poolGuest(name, 'shut off', ['sriov-pool'])));
  assert.match(
    hover(text, text.indexOf('sriov-pool') + 2, { inventory })!.contents,
    /5 free for this guest, none left once the other guests start, .*\*\*Other guests naming it\*\*: 7: 2 running .*, 5 shut off \('db02', 'db_03', 'db04', 'db05' and 'db06'\)/s,
  );
  // no other guest names the pool
  assert.match(
    hover(text, text.indexOf('sriov-pool') + 2, { inventory: withNetworks() })!.contents,
    /\*\*Other guests naming it\*\*: none/,
  );
});

test("hover on a pool when the snapshot counts each guest's interfaces: the VFs the shut-off guests take and the free VFs they leave, exactly", () => {
  const inventory = withNetworks();
  inventory.networks[0] = sriovPool();
  inventory.guests.push(
    countedPoolGuest('web03', 'running', { 'sriov-pool': 1 }, ['0000:0b:10.1']),
    countedPoolGuest('db02', 'shut off', { 'sriov-pool': 2 }),
    countedPoolGuest('db_03', 'shut off', { 'sriov-pool': 1, default: 1 }),
  );
  const text = guest("network='sriov-pool'");
  const contents = hover(text, text.indexOf('sriov-pool') + 2, { inventory })!.contents;
  // 6 free (web03 holds one), db02 takes 2 and db_03 1
  assert.match(contents, /\*\*Pool\*\*: 7 VFs, 6 free for this guest, 3 left once the other guests start, managed/);
  assert.match(
    contents,
    /\*\*Other guests naming it\*\*: 3: 1 running \('web03'\), 2 shut off \('db02' and 'db_03'\), which take 3 VFs at their start\n/,
  );
  inventory.guests.splice(-1, 1);
  assert.match(
    hover(text, text.indexOf('sriov-pool') + 2, { inventory })!.contents,
    /4 left once the other guests start, .*1 shut off \('db02'\), which takes 2 VFs at its start\n/s,
  );
});

test('completion of network names: pools with free VFs first, then other pools, then other networks', () => {
  const text = guest("network=''");
  const at = text.indexOf("network=''") + "network='".length;
  const items = complete(text, at, { inventory: withNetworks() });
  const ordered = [...items].sort((a, b) => (a.sortText! < b.sortText! ? -1 : 1));
  assert.deepEqual(
    ordered.map((c) => `${c.label}: ${c.detail}`),
    ["sriov-pool: VF pool, 1/2 VFs free ('enp11s0f1')", "idle-pool: VF pool, inactive ('enp11s0f1')", 'default: nat network'],
  );
});

test("completion and hover count only the pool's VFs as free and name its PFs by them; an address that is no VF of the host is said plainly", () => {
  const inventory = withNetworks();
  inventory.networks = [
    sriovPool({ name: 'explicit', pfDevs: undefined, addresses: ['0000:3b:02.1'] }),
    sriovPool({ name: 'mixed', pfDevs: undefined, addresses: ['0000:0b:10.1', '0000:0b:10.2', '0000:0b:00.0'] }),
    // libvirt hands each start the first listed address no start holds: the missing one, every time
    sriovPool({ name: 'stuck', pfDevs: undefined, addresses: ['0000:3b:02.1', '0000:0b:10.3'] }),
  ];
  inventory.devices.find((d) => d.address === '0000:0b:00.1')!.netdev = null;
  const text = guest("network=''");
  const at = text.indexOf("network=''") + "network='".length;
  assert.deepEqual(
    // in the editor's order: a pool a start gets a VF from first
    complete(text, at, { inventory })
      .sort((a, b) => (a.sortText! < b.sortText! ? -1 : 1))
      .map((c) => `${c.label}: ${c.detail}`),
    [
      "mixed: VF pool, 2/3 VFs free (0000:0b:00.1, 'enp11s0f0'): PF 0000:0b:00.0 listed as a VF",
      "explicit: VF pool, 0/1 VFs free: no device 0000:3b:02.1 on host 'kvm1'",
      "stuck: VF pool, 0/2 VFs free (0000:0b:00.1): no device 0000:3b:02.1 on host 'kvm1'; a start gets 0000:3b:02.1 before the 1 free VF listed after it",
    ],
  );
  // the hover's markdown escapes punctuation: read it as the user sees it
  const shown = (name: string) => {
    const doc = guest(`network='${name}'`);
    return hover(doc, doc.indexOf(name) + 1, { inventory })!.contents.replace(/\\(.)/g, '$1');
  };
  assert.match(shown('explicit'), /\n\*\*Pool\*\*: 0 VFs and 1 listed address that is no VF, 0 free for this guest, managed\n/);
  assert.match(
    shown('explicit'),
    /\n\*\*Listed, no VF\*\*: no device 0000:3b:02\.1 on host 'kvm1' — libvirt hands it out like VFs, and the guest start that gets one fails\n/,
  );
  assert.doesNotMatch(shown('explicit'), /\*\*PF\*\*/);
  assert.match(shown('mixed'), /\n\*\*PF\*\*: 0000:0b:00\.1, 'enp11s0f0'\n/);
  assert.match(shown('stuck'), /no start gets past it to the 1 free VF listed after it\n/);
});

/**
 * Three active pools for web09: busy-pool (7 VFs, running guests hold 5, three shut-off guests name
 * it: web09 and they want 4 of its 2 free VFs), quiet-pool (1 of 2 free, 0b:10.0 held live by web01,
 * no one else names it) and tight-pool (3 free, one shut-off guest names it: enough for both).
 */
function crowdedPools(): ReturnType<typeof withNetworks> {
  const inventory = withNetworks();
  inventory.networks = [
    sriovPool({ name: 'busy-pool' }),
    sriovPool({ name: 'quiet-pool', pfDevs: ['enp11s0f0'], addresses: ['0000:0b:10.0', '0000:0b:10.6'] }),
    sriovPool({ name: 'tight-pool', pfDevs: ['enp11s0f0'], addresses: ['0000:0b:11.0', '0000:0b:11.2', '0000:0b:11.4'] }),
    { name: 'default', active: true, autostart: false, forwardMode: 'nat', addresses: [] },
  ];
  inventory.guests.push(
    ...PF1_VFS.slice(0, 5).map((address, i) => poolGuest(`web1${i}`, 'running', ['busy-pool'], [address])),
    ...['db11', 'db12', 'db13'].map((name) => poolGuest(name, 'shut off', ['busy-pool'])),
    poolGuest('db14', 'shut off', ['tight-pool']),
  );
  return inventory;
}

test('completion of network names: a pool its shut-off guests will exhaust ranks after pools that will not run out, and says how many name it', () => {
  const text = guest("network=''");
  const at = text.indexOf("network=''") + "network='".length;
  const items = complete(text, at, { inventory: crowdedPools() });
  const ordered = [...items].sort((a, b) => (a.sortText! < b.sortText! ? -1 : 1));
  assert.deepEqual(
    ordered.map((c) => `${c.label}: ${c.detail}`),
    [
      "quiet-pool: VF pool, 1/2 VFs free ('enp11s0f0')",
      "tight-pool: VF pool, 3/3 VFs free ('enp11s0f0'), 1 shut-off guest names it",
      "busy-pool: VF pool, 2/7 VFs free ('enp11s0f1'), 3 shut-off guests name it",
      'default: nat network',
    ],
  );
  // the rule says the same of busy-pool: it may run out, of the others nothing
  const using = (pool: string) =>
    validate(guest(`network='${pool}'`), { inventory: crowdedPools() }).filter((p) => p.code === 'network-pool-exhausted');
  assert.deepEqual(
    using('busy-pool').map((p) => p.severity),
    ['warning'],
  );
  assert.deepEqual([...using('quiet-pool'), ...using('tight-pool')], []);
});

test('completion and quick fix rank by the exact count: a shut-off guest with three interfaces on a pool of three free VFs uses it up', () => {
  const inventory = crowdedPools();
  const at = inventory.guests.findIndex((g) => g.name === 'db14');
  inventory.guests[at] = countedPoolGuest('db14', 'shut off', { 'tight-pool': 3 });
  const text = guest("network=''");
  const items = complete(text, text.indexOf("network=''") + "network='".length, { inventory });
  assert.deepEqual(
    [...items].sort((a, b) => (a.sortText! < b.sortText! ? -1 : 1)).map((c) => c.label),
    ['quiet-pool', 'busy-pool', 'tight-pool', 'default'],
  );
  const missing = guest("network='nosuch'");
  const problems = validate(missing, { inventory }).filter((p) => p.code === 'network-unknown');
  assert.deepEqual(
    fixActions(missing, problems[0].span, problems, { inventory }).map((f) => `${f.title}${f.isPreferred ? ' *' : ''}`),
    [
      "Use pool 'quiet-pool' (1 free VF) *",
      "Use pool 'tight-pool' (3 free VFs, 1 shut-off guest names it)",
      "Use pool 'busy-pool' (2 free VFs, 3 shut-off guests name it)",
    ],
  );
});

test("quick fix 'Use pool': pools that will not run out first (the rule's count of shut-off guests), the one that will last and not preferred", () => {
  const inventory = crowdedPools();
  const text = guest("network='nosuch'");
  const problems = validate(text, { inventory }).filter((p) => p.code === 'network-unknown' || p.severity === 'error');
  assert.ok(problems.length > 0);
  assert.deepEqual(
    fixActions(text, problems[0].span, problems, { inventory }).map((f) => `${f.title}${f.isPreferred ? ' *' : ''}`),
    [
      "Use pool 'tight-pool' (3 free VFs, 1 shut-off guest names it) *",
      "Use pool 'quiet-pool' (1 free VF)",
      "Use pool 'busy-pool' (2 free VFs, 3 shut-off guests name it)",
    ],
  );
});

test("completion of portgroups: the named network's, the default first", () => {
  const text = guest("network='sriov-pool' portgroup=''");
  const at = text.indexOf("portgroup=''") + "portgroup='".length;
  assert.deepEqual(
    complete(text, at, { inventory: withNetworks() }).map((c) => `${c.label}: ${c.detail}`),
    ["blue: default portgroup of 'sriov-pool', VLAN 100"],
  );
});

test("completion writes a network's or portgroup's name as an attribute value, and reads the network's name as libvirt does", () => {
  const inventory = withNetworks();
  inventory.networks[0] = { ...inventory.networks[0], name: 'r&d pool', portgroups: [{ name: "ops'vlan", default: true, vlan: [7] }] };
  const empty = guest("network=''");
  const network = complete(empty, empty.indexOf("network=''") + "network='".length, { inventory }).find((c) => c.label === 'r&d pool');
  assert.equal(network?.insertText, 'r&amp;d pool');
  const named = guest("network='r&amp;d pool' portgroup=''");
  const portgroups = complete(named, named.indexOf("portgroup=''") + "portgroup='".length, { inventory });
  assert.deepEqual(
    portgroups.map((c) => c.insertText),
    ['ops&apos;vlan'],
  );
  const written = named.replace("portgroup=''", `portgroup='${portgroups[0].insertText}'`);
  assert.deepEqual(
    validate(written, { inventory }).filter((p) => p.code === 'xml-syntax' || p.code === 'network-portgroup'),
    [],
  );
});

test('quick fixes: an unknown or exhausted network → a pool with free VFs; an unknown portgroup → a known one', () => {
  const inventory = withNetworks();
  for (const source of ["network='nosuch'", "network='idle-pool'"]) {
    const text = guest(source);
    const problems = validate(text, { inventory }).filter((p) => p.code.startsWith('network-') && p.severity === 'error');
    assert.equal(problems.length, 1, source);
    const fixes = fixActions(text, problems[0].span, problems, { inventory });
    assert.deepEqual(
      fixes.map((f) => `${f.title}${f.isPreferred ? ' *' : ''}`),
      ["Use pool 'sriov-pool' (1 free VF) *"],
    );
    const edit = fixes[0].edits[0];
    assert.equal(text.slice(edit.span.start, edit.span.end), source.split("'")[1]);
    assert.equal(edit.newText, 'sriov-pool');
  }
  const pg = guest("network='sriov-pool' portgroup='red'");
  const problems = validate(pg, { inventory }).filter((p) => p.code === 'network-portgroup');
  assert.deepEqual(
    fixActions(pg, problems[0].span, problems, { inventory }).map((f) => f.title),
    ["Use portgroup 'blue' (default)"],
  );
});

test('Insert SR-IOV Interface from a pool: an <interface type=network> with a fresh MAC, no error on that host', () => {
  const inventory = withNetworks();
  const made = newInterfaceXml(null, { network: 'sriov-pool' }, { inventory }, { indent: '    ' })!;
  assert.match(
    made.xml,
    /^<interface type='network'>\n {6}<mac address='52:54:00:[0-9a-f:]{8}'\/>\n {6}<source network='sriov-pool'\/>\n {4}<\/interface>$/,
  );
  const text = `<domain type='kvm'><name>web09</name><devices>\n    ${made.xml}\n</devices></domain>`;
  assert.deepEqual(
    validate(text, { inventory }).filter((p) => p.severity === 'error' || p.severity === 'warning'),
    [],
  );
  assert.equal(newInterfaceXml(null, { network: "it's" }, {})!.xml.includes("network='it&apos;s'"), true, 'the name is escaped');
});
