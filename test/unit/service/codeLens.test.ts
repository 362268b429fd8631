import { describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import { codeLenses } from '../../../server/src/service/index';
import { inventory82576, withNetworks } from './rules/helpers';

const DEVICE_A =
  "<interface type='hostdev' managed='yes'>\n      <source><address type='pci' bus='0x0b' slot='0x10' function='0x4'/></source>\n    </interface>";
const DEVICE_B =
  "<hostdev mode='subsystem' type='pci' managed='yes'>\n      <source><address domain='0x0000' bus='0x0b' slot='0x00' function='0x1'/></source>\n    </hostdev>";
/** the lenses above devices (a <domain> also has its Define lens, tested on its own) */
const deviceLenses = (...args: Parameters<typeof codeLenses>) => codeLenses(...args).filter((l) => l.action !== 'guestDefine');

const DOMAIN = `<domain type='kvm'>\n  <name>web01</name>\n  <devices>\n    <interface type='network'><source network='default'/></interface>\n    ${DEVICE_A}\n    ${DEVICE_B}\n  </devices>\n</domain>\n`;

describe('code lenses', () => {
  it('in a domain without an inventory: attach-pick and attach to that guest above each device (nothing says a detach can work)', () => {
    const lenses = deviceLenses(DOMAIN);
    assert.deepEqual(
      lenses.map((l) => [l.title, l.action, l.guest]),
      [
        ['Attach to guest…', 'attachPick', undefined],
        ["Attach to 'web01'", 'attach', 'web01'],
        ['Attach to guest…', 'attachPick', undefined],
        ["Attach to 'web01'", 'attach', 'web01'],
      ],
    );
    const a = DOMAIN.indexOf(DEVICE_A);
    const b = DOMAIN.indexOf(DEVICE_B);
    assert.deepEqual(lenses[0].deviceSpan, { start: a, end: a + DEVICE_A.length });
    assert.deepEqual(lenses[2].deviceSpan, { start: b, end: b + DEVICE_B.length });
    assert.equal(lenses[0].span.start, a);
  });

  it('in a file with two <domain>s, each device is offered to the guest of the <domain> it sits in', () => {
    const second = DOMAIN.replace('web01', 'db02').replace("function='0x4'", "function='0x6'");
    const lenses = deviceLenses(DOMAIN + second).filter((l) => l.action === 'attach');
    assert.deepEqual(
      lenses.map((l) => [l.title, l.guest]),
      [
        ["Attach to 'web01'", 'web01'],
        ["Attach to 'web01'", 'web01'],
        ["Attach to 'db02'", 'db02'],
        ["Attach to 'db02'", 'db02'],
      ],
    );
  });

  it("with an inventory: detach only where the device is in the guest's definition, attach elsewhere", () => {
    const held =
      "<interface type='hostdev' managed='yes'><source><address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x0'/></source></interface>";
    const text = `<domain type='kvm'>\n  <name>web01</name>\n  <devices>\n    ${held}\n    ${DEVICE_A}\n  </devices>\n</domain>\n`;
    assert.deepEqual(
      deviceLenses(text, { inventory: inventory82576() }).map((l) => [l.title, l.action]),
      [
        ['Attach to guest…', 'attachPick'],
        ["Detach from 'web01'", 'detach'],
        ['Attach to guest…', 'attachPick'],
        ["Attach to 'web01'", 'attach'],
      ],
    );
  });

  it('with an inventory that has no such guest: a label says why, no attach or detach for it', () => {
    const lenses = deviceLenses(DOMAIN.replace('web01', 'nosuch'), { inventory: inventory82576() });
    assert.deepEqual(
      lenses.slice(0, 2).map((l) => [l.title, l.action, l.guest]),
      [
        ['Attach to guest…', 'attachPick', undefined],
        ["'nosuch' is not defined on 'kvm1': no attach/detach", 'none', undefined],
      ],
    );
  });

  it('with an inventory that has no such guest: the label stands above its first device only', () => {
    const text = DOMAIN.replace('web01', 'nosuch').replace('</devices>', `${DEVICE_A}${DEVICE_A}</devices>`);
    const lenses = deviceLenses(text, { inventory: inventory82576() });
    assert.ok(lenses.filter((l) => l.action === 'attachPick').length >= 3);
    assert.equal(lenses.filter((l) => l.action === 'none').length, 1);
  });

  it('in a bare device snippet: only "Attach to guest…"', () => {
    const lenses = codeLenses(`${DEVICE_A}\n`);
    assert.deepEqual(
      lenses.map((l) => l.action),
      ['attachPick'],
    );
    assert.deepEqual(lenses[0].deviceSpan, { start: 0, end: DEVICE_A.length });
  });

  it('none above devices for documents without hostdev devices', () => {
    assert.deepEqual(deviceLenses("<domain><name>x</name><devices><interface type='network'/></devices></domain>"), []);
    assert.deepEqual(codeLenses(''), []);
  });
});

test('a <network> document: Define/Start/Autostart without an inventory; with one only what is left to do', () => {
  const lensesOf = codeLenses;
  const net = (name: string) => `<network><name>${name}</name><forward mode='hostdev'><pf dev='enp11s0f0'/></forward></network>`;
  assert.deepEqual(
    lensesOf(net('pool9')).map((l) => `${l.action} ${l.title}`),
    ["netDefine Define 'pool9'", "netStart Start 'pool9'", "netAutostart Autostart 'pool9'"],
  );
  const inventory = withNetworks();
  assert.deepEqual(
    lensesOf(net('pool9'), { inventory }).map((l) => l.title),
    ["Define 'pool9' on 'kvm1'"],
  );
  assert.deepEqual(
    lensesOf(net('idle-pool'), { inventory }).map((l) => l.title),
    ["Redefine 'idle-pool' on 'kvm1'", "Start 'idle-pool'", "Autostart 'idle-pool'"],
  );
  assert.deepEqual(
    lensesOf(net('sriov-pool'), { inventory }).map((l) => `${l.action} ${l.title}`),
    ["netDefine Redefine 'sriov-pool' on 'kvm1'", "none 'sriov-pool' is active and autostarts on 'kvm1'"],
  );
  assert.deepEqual(lensesOf('<network><forward mode="hostdev"/></network>'), [], 'no name, nothing to run');
});

test('a <domain> document: Define above its root without an inventory, Redefine when the host has the guest persistently', () => {
  const domain = (name: string) => `<domain type='kvm'>\n  <name>${name}</name>\n  <devices>\n    ${DEVICE_A}\n  </devices>\n</domain>\n`;
  const defineLenses = (...args: Parameters<typeof codeLenses>) => codeLenses(...args).filter((l) => l.action === 'guestDefine');
  const text = domain('web01');
  const [lens] = defineLenses(text);
  assert.equal(lens.title, "Define 'web01'");
  assert.deepEqual(lens.span, { start: 0, end: "<domain type='kvm'>".length }, 'above the <domain> start tag');
  assert.deepEqual(lens.deviceSpan, { start: 0, end: text.trimEnd().length }, 'the whole <domain> is what define sends');
  const inventory = inventory82576();
  assert.deepEqual(
    defineLenses(text, { inventory }).map((l) => l.title),
    ["Redefine 'web01' on 'kvm1'"],
  );
  assert.deepEqual(
    defineLenses(domain('nosuch'), { inventory }).map((l) => l.title),
    ["Define 'nosuch' on 'kvm1'"],
  );
  const transient = { ...inventory, guests: inventory.guests.map((g) => (g.name === 'web01' ? { ...g, persistent: false } : g)) };
  assert.deepEqual(
    defineLenses(text, { inventory: transient }).map((l) => l.title),
    ["Define 'web01' on 'kvm1'"],
    'a transient guest has no persistent definition to replace',
  );
  assert.deepEqual(defineLenses("<domain type='kvm'><devices/></domain>"), [], 'no <name>: nothing virsh define would take');
  assert.deepEqual(defineLenses(text + text.replace('web01', 'db02')), [], 'two domains: virsh define reads one');
  assert.deepEqual(defineLenses(DEVICE_A), [], 'a snippet is attached, not defined');
  assert.deepEqual(
    defineLenses(domain('&apos;x&apos;'), { inventory }).map((l) => l.title),
    ["Define ''x'' on 'kvm1'"],
    'the name as libvirt reads it (entities decoded), quoted as libvirt quotes names',
  );
});
