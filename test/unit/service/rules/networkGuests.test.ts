// portgroup-in-use: a <network> document against the portgroups the snapshot's guests name on it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validate } from '../../../../server/src/service/validate';
import { applyEdits, codeActions } from '../../../../server/src/service/index';
import type { Inventory, InventoryGuest } from '../../../../server/src/service/types';
import { countedPoolGuest, withNetworks } from './helpers';

/**
 * withNetworks() (sriov-pool's default portgroup is 'blue', VLAN 100) with `guests`, each naming
 * portgroups per network, and naming none (taking the default) on `onDefault`
 */
function hostWith(guests: Array<[string, Record<string, string[]>, string[]?]>): Inventory {
  const inventory = withNetworks();
  inventory.guests = guests.map(([name, portgroups, onDefault = []]): InventoryGuest => ({
    ...countedPoolGuest(name, 'shut off', Object.fromEntries([...Object.keys(portgroups), ...onDefault].map((n) => [n, 1]))),
    portgroupsPerNetwork: portgroups,
    ...(onDefault.length ? { defaultPortgroupOn: onDefault } : {}),
  }));
  return inventory;
}

const pool = (portgroups: string) =>
  `<network><name>sriov-pool</name><forward mode='hostdev' managed='yes'><pf dev='enp11s0f0'/></forward>${portgroups}</network>`;
const inUse = (text: string, inventory: Inventory) => validate(text, { inventory }).filter((p) => p.code === 'portgroup-in-use');

test('portgroup-in-use: a pool definition without the portgroup a guest names, on the network name, with the VLAN the host gives it now', () => {
  const text = pool('');
  const [problem, ...others] = inUse(text, hostWith([['web01', { 'sriov-pool': ['blue'] }]]));
  assert.deepEqual(others, []);
  assert.equal(problem.severity, 'warning');
  assert.equal(text.slice(problem.span.start, problem.span.end), 'sriov-pool');
  assert.equal(
    problem.message,
    "Portgroup 'blue' missing, and a guest names it — guest 'web01' starts without its VLAN 100 and any bandwidth after net-define, " +
      "and libvirt says nothing. Add <portgroup name='blue'> or change its <source portgroup>.",
  );
});

test("portgroup-in-use: where the definition's network has a <vlan> of its own, the guests start on it instead", () => {
  const tagged = (id: string) =>
    `<network><name>sriov-pool</name><forward mode='hostdev' managed='yes'><pf dev='enp11s0f0'/></forward><vlan><tag id='${id}'/></vlan></network>`;
  const lead = (text: string, inventory: Inventory) => inUse(text, inventory).map((p) => p.message.slice(p.message.indexOf(' — ') + 3));
  assert.deepEqual(lead(tagged('50'), hostWith([['web01', { 'sriov-pool': ['blue'] }]])), [
    "guest 'web01' starts on the network's own VLAN 50 instead of its VLAN 100 after net-define, and libvirt says nothing. " +
      "Add <portgroup name='blue'> or change its <source portgroup>.",
  ]);
  assert.deepEqual(lead(tagged('100'), hostWith([['web01', { 'sriov-pool': ['blue'] }]])), [
    "guest 'web01' starts without its settings (its VLAN 100 stays: the network's own <vlan> has it) after net-define, and libvirt says nothing. " +
      "Add <portgroup name='blue'> or change its <source portgroup>.",
  ]);
  const [defaultLost] = lead(tagged('50'), hostWith([['web01', {}, ['sriov-pool']]]));
  assert.match(defaultLost, /after net-define it starts on the network's own VLAN 50 instead of its VLAN 100, and libvirt says nothing\./);
});

test('portgroup-in-use: one warning per missing portgroup, naming every guest; none for a portgroup the definition has', () => {
  const inventory = hostWith([
    ['web01', { 'sriov-pool': ['blue', 'red'] }],
    ['db01', { 'sriov-pool': ['red'] }],
  ]);
  const problems = inUse(pool("<portgroup name='blue'><vlan><tag id='100'/></vlan></portgroup>"), inventory);
  assert.deepEqual(
    problems.map((p) => p.message),
    [
      "Portgroup 'red' missing, and 2 guests name it — guests 'web01', 'db01' start without its VLAN and bandwidth after net-define, " +
        "and libvirt says nothing. Add <portgroup name='red'> or change their <source portgroup>.",
    ],
  );
});

test('portgroup-in-use: nothing for portgroups named on another network, for a network named like an Object property, or for a snapshot without portgroups', () => {
  assert.deepEqual(inUse(pool(''), hostWith([['web01', { default: ['blue'] }]])), []);
  const constructor = "<network><name>constructor</name><forward mode='nat'/></network>";
  assert.deepEqual(inUse(constructor, hostWith([['web01', { default: ['blue'] }]])), []);
  assert.equal(inUse(constructor, hostWith([['web01', { constructor: ['blue'] }]])).length, 1);
  const older = withNetworks();
  older.guests = [countedPoolGuest('web01', 'shut off', { 'sriov-pool': 1 })];
  assert.deepEqual(inUse(pool(''), older), []);
  // without a snapshot there is no guest to name
  assert.deepEqual(
    validate(pool(''), {}).filter((p) => p.code === 'portgroup-in-use'),
    [],
  );
});

test("portgroup-in-use: a definition without a default portgroup, while guests name none on the network and take the host's default now", () => {
  const inventory = hostWith([
    ['web01', {}, ['sriov-pool']],
    ['db01', {}, ['sriov-pool']],
    ['app01', {}, ['default']],
  ]);
  const text = pool("<portgroup name='blue'><vlan><tag id='100'/></vlan></portgroup>");
  const [problem, ...others] = inUse(text, inventory);
  assert.deepEqual(others, []);
  assert.equal(text.slice(problem.span.start, problem.span.end), 'sriov-pool');
  assert.equal(
    problem.message,
    "No default portgroup, and 2 guests rely on one — guests 'web01', 'db01' name no portgroup on this network, so they take 'blue', " +
      "the host's default now; after net-define they start without its VLAN 100 and any bandwidth, and libvirt says nothing. " +
      "Mark a portgroup default='yes' or give their interfaces a <source portgroup>.",
  );
  // a default in the definition, in any case (libvirt reads default='YES' as yes): nothing
  assert.deepEqual(inUse(pool("<portgroup name='blue' default='YES'/>"), inventory), []);
  assert.deepEqual(inUse(pool("<portgroup name='green' default='yes'/>"), inventory), []);
  // the host's network has no default now: the definition takes nothing away
  const noDefault = hostWith([['web01', {}, ['sriov-pool']]]);
  noDefault.networks[0].portgroups = [{ name: 'blue', vlan: [100] }];
  assert.deepEqual(inUse(pool(''), noDefault), []);
});

test('portgroup-in-use quick fix: adds the portgroup as the host has it, on its own line before </network>, or marks the own one the default', () => {
  const fixed = (text: string, inventory: Inventory): string[] => {
    const problems = inUse(text, inventory);
    return problems.flatMap((p) =>
      codeActions(text, p.span, [p], { inventory })
        // the fix, not the suppression comment every warning also offers
        .filter((a) => !a.title.startsWith('Disable '))
        .map((a) => `${a.title}\n${applyEdits(text, a.edits)}`),
    );
  };
  const text =
    "<network>\n  <name>sriov-pool</name>\n  <forward mode='hostdev' managed='yes'><pf dev='enp11s0f0'/></forward>\n</network>\n";
  assert.deepEqual(fixed(text, hostWith([['web01', { 'sriov-pool': ['blue', 'red'] }]])), [
    "Add portgroup 'blue' with VLAN 100\n" +
      "<network>\n  <name>sriov-pool</name>\n  <forward mode='hostdev' managed='yes'><pf dev='enp11s0f0'/></forward>\n" +
      "  <portgroup name='blue'><vlan><tag id='100'/></vlan></portgroup>\n</network>\n",
    "Add portgroup 'red'\n" +
      "<network>\n  <name>sriov-pool</name>\n  <forward mode='hostdev' managed='yes'><pf dev='enp11s0f0'/></forward>\n" +
      "  <portgroup name='red'/>\n</network>\n",
  ]);
  // the guests take 'blue' as the default: the definition's own 'blue' becomes the default, or it is added as one
  const takesDefault = hostWith([['web01', {}, ['sriov-pool']]]);
  assert.deepEqual(fixed(pool("<portgroup name='blue'/>"), takesDefault), [
    `Make portgroup 'blue' the default\n${pool("<portgroup default='yes' name='blue'/>")}`,
  ]);
  assert.deepEqual(fixed(pool(''), takesDefault), [
    `Add portgroup 'blue' with VLAN 100 as the default\n${pool("<portgroup name='blue' default='yes'><vlan><tag id='100'/></vlan></portgroup>")}`,
  ]);
  // a name with the quote and markup characters is written as an attribute value
  assert.deepEqual(fixed(pool(''), hostWith([['web01', { 'sriov-pool': ["it's <b>&"] }]])), [
    `Add portgroup 'it's <b>&'\n${pool("<portgroup name='it&apos;s &lt;b>&amp;'/>")}`,
  ]);
});

const vlanChanges = (text: string, inventory: Inventory) =>
  validate(text, { inventory }).filter((p) => p.code === 'portgroup-vlan-changed');
const spanned = (text: string, p: { span: { start: number; end: number } }) => text.slice(p.span.start, p.span.end);

test("portgroup-vlan-changed: a portgroup guests name, kept with other tags than the host's network gives it now, moves them to that VLAN", () => {
  const inventory = hostWith([
    ['web01', { 'sriov-pool': ['blue'] }],
    ['db01', { 'sriov-pool': ['blue'] }],
  ]);
  const text = pool("<portgroup name='blue' default='yes'><vlan><tag id='200'/></vlan></portgroup>");
  const [problem, ...others] = vlanChanges(text, inventory);
  assert.deepEqual(others, []);
  assert.equal(problem.severity, 'information');
  assert.equal(spanned(text, problem), 'vlan');
  assert.equal(
    problem.message,
    "2 guests move from VLAN 100 to VLAN 200 — guests 'web01', 'db01' name portgroup 'blue' on this network, so after net-define " +
      'they start on VLAN 200 (an interface with a <vlan> of its own keeps that). If that is not the intent, keep VLAN 100.',
  );
  // the same tags, in any spelling libvirt reads as that number: nothing
  assert.deepEqual(vlanChanges(pool("<portgroup name='blue'><vlan><tag id='+0100'/></vlan></portgroup>"), inventory), []);
  // a tag libvirt refuses is vlan-tag's: nothing to compare
  assert.deepEqual(vlanChanges(pool("<portgroup name='blue'><vlan><tag id='0x64'/></vlan></portgroup>"), inventory), []);
  // a portgroup the definition lacks is portgroup-in-use's alone
  assert.deepEqual(vlanChanges(pool(''), inventory), []);
  // no guest names it, or no snapshot: nothing
  assert.deepEqual(vlanChanges(text, hostWith([['web01', { 'sriov-pool': ['red'] }]])), []);
  assert.deepEqual(
    validate(text, {}).filter((p) => p.code === 'portgroup-vlan-changed'),
    [],
  );
});

test("portgroup-vlan-changed: a portgroup without tags gives the network's own <vlan>, on the definition and on the host alike", () => {
  const inventory = hostWith([['web01', { 'sriov-pool': ['blue'] }]]);
  const withNetworkVlan = (id: string, portgroups: string) =>
    `<network><name>sriov-pool</name><forward mode='hostdev' managed='yes'><pf dev='enp11s0f0'/></forward><vlan><tag id='${id}'/></vlan>${portgroups}</network>`;
  // the host's blue gives VLAN 100; a blue without tags on a network tagged 100 gives the same
  assert.deepEqual(vlanChanges(withNetworkVlan('100', "<portgroup name='blue'/>"), inventory), []);
  const text = withNetworkVlan('300', "<portgroup name='blue'/>");
  const [problem, ...others] = vlanChanges(text, inventory);
  assert.deepEqual(others, []);
  assert.equal(spanned(text, problem), 'vlan');
  assert.ok(problem.span.start < text.indexOf('<portgroup'), "on the network's own <vlan>, where the tags come from");
  assert.match(
    problem.message,
    /^A guest moves from VLAN 100 to VLAN 300 — guest 'web01' names portgroup 'blue' on this network, so after net-define it starts on VLAN 300 /,
  );
  // a portgroup the host's network lacks gives its ports the network's tags (none here): the definition's tags move them
  const red = hostWith([['web01', { 'sriov-pool': ['red'] }]]);
  const added = pool("<portgroup name='red'><vlan><tag id='300'/></vlan></portgroup>");
  assert.deepEqual(
    vlanChanges(added, red).map((p) => [spanned(added, p), p.message.slice(0, p.message.indexOf(' — '))]),
    [['vlan', 'A guest moves from no VLAN to VLAN 300']],
  );
  // a network the host does not have yet: nobody moves
  assert.deepEqual(vlanChanges(added.replace('<name>sriov-pool', '<name>new-pool'), red), []);
});

test('portgroup-vlan-changed: guests that name no portgroup move with the default they take, or with the network’s own <vlan>', () => {
  const inventory = hostWith([
    ['web01', {}, ['sriov-pool']],
    ['db01', { 'sriov-pool': ['blue'] }],
  ]);
  // another default with other tags: the guest that names none moves; the one that names blue does not
  const text = pool("<portgroup name='blue'><vlan><tag id='100'/></vlan></portgroup><portgroup name='green' default='yes'/>");
  const [problem, ...others] = vlanChanges(text, inventory);
  assert.deepEqual(others, []);
  assert.equal(spanned(text, problem), 'green');
  assert.equal(
    problem.message,
    "A guest moves from VLAN 100 to no VLAN — guest 'web01' names no portgroup on this network and takes its default portgroup 'green', " +
      'so after net-define it starts untagged (an interface with a <vlan> of its own keeps that). If that is not the intent, keep VLAN 100.',
  );
  // the default is the portgroup another guest names, moved the same way: one finding for both guests
  const both = pool("<portgroup name='blue' default='yes'><vlan><tag id='200'/></vlan></portgroup>");
  assert.deepEqual(
    vlanChanges(both, inventory).map((p) => [spanned(both, p), p.message.slice(0, p.message.indexOf(', so'))]),
    [
      [
        'vlan',
        "2 guests move from VLAN 100 to VLAN 200 — guests 'db01', 'web01' name portgroup 'blue' on this network or take it as the default",
      ],
    ],
  );
  // a default portgroup without a name (net-define refuses it) is pointed at by its tag
  const nameless = pool("<portgroup name='blue'><vlan><tag id='100'/></vlan></portgroup><portgroup default='yes'/>");
  assert.deepEqual(
    vlanChanges(nameless, inventory).map((p) => spanned(nameless, p)),
    ['portgroup'],
  );
  // no default of its own while the host's network has one: portgroup-in-use says what they lose, once
  const noDefault = pool("<portgroup name='blue'><vlan><tag id='100'/></vlan></portgroup>");
  assert.deepEqual(vlanChanges(noDefault, inventory), []);
  assert.deepEqual(
    inUse(noDefault, inventory).map((p) => p.code),
    ['portgroup-in-use'],
  );
  // neither has portgroups: the network's own <vlan> against the host's
  const plain = hostWith([['web01', {}, ['sriov-pool']]]);
  plain.networks[0].portgroups = undefined;
  plain.networks[0].vlan = [100];
  const retagged =
    "<network><name>sriov-pool</name><forward mode='hostdev' managed='yes'><pf dev='enp11s0f0'/></forward><vlan><tag id='101'/></vlan></network>";
  assert.deepEqual(
    vlanChanges(retagged, plain).map((p) => [spanned(retagged, p), p.message.slice(0, p.message.indexOf(', so'))]),
    [
      [
        'vlan',
        "A guest moves from VLAN 100 to VLAN 101 — guest 'web01' names no portgroup on this network and takes the network's own <vlan>",
      ],
    ],
  );
  assert.deepEqual(vlanChanges(retagged.replace("'101'", "'100'"), plain), []);
});

test("portgroup-vlan-changed quick fix: the host's tag back in the portgroup's own <vlan>; none for the network's own", () => {
  const inventory = hostWith([['web01', { 'sriov-pool': ['blue'] }]]);
  const fixes = (text: string) =>
    vlanChanges(text, inventory).flatMap((p) =>
      codeActions(text, p.span, [p], { inventory })
        .filter((a) => !a.title.startsWith('Disable '))
        .map((a) => [a.title, applyEdits(text, a.edits)]),
    );
  const text = pool("<portgroup name='blue'><vlan><tag id='200'/></vlan></portgroup>");
  const [[title, fixed], ...others] = fixes(text);
  assert.deepEqual(others, []);
  assert.equal(title, "Keep VLAN 100, as the host's network has it");
  assert.equal(fixed, pool("<portgroup name='blue'><vlan><tag id='100'/></vlan></portgroup>"));
  assert.deepEqual(vlanChanges(fixed, inventory), [], 'fixed: nothing moves');
  // the tags come from the network's own <vlan> (it tags every other port too), or the host had none: no fix
  const networkWide =
    "<network><name>sriov-pool</name><forward mode='hostdev' managed='yes'><pf dev='enp11s0f0'/></forward><vlan><tag id='300'/></vlan><portgroup name='blue'/></network>";
  assert.equal(vlanChanges(networkWide, inventory).length, 1);
  assert.deepEqual(fixes(networkWide), []);
  const untaggedNow = hostWith([['web01', { 'sriov-pool': ['red'] }]]);
  const added = pool("<portgroup name='red'><vlan><tag id='300'/></vlan></portgroup>");
  assert.deepEqual(
    vlanChanges(added, untaggedNow).flatMap((p) =>
      codeActions(added, p.span, [p], { inventory: untaggedNow }).filter((a) => !a.title.startsWith('Disable ')),
    ),
    [],
  );
});
