import { describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import { codeLenses } from '../../../server/src/service/index';
import { inventory82576, withNetworks } from './rules/helpers';

const DEVICE_A =
  "<interface type='hostdev' managed='yes'>\n      <source><address type='pci' bus='0x0b' slot='0x10' function='0x4'/></source>\n    </interface>";
const DEVICE_B =
  "<hostdev mode='subsystem' type='pci' managed='yes'>\n      <source><address domain='0x0000' bus='0x0b' slot='0x00' function='0x1'/></source>\n    </hostdev>";
const DOMAIN = `<domain type='kvm'>\n  <name>web01</name>\n  <devices>\n    <interface type='network'><source network='default'/></interface>\n    ${DEVICE_A}\n    ${DEVICE_B}\n  </devices>\n</domain>\n`;

describe('code lenses', () => {
  it('in a domain without an inventory: attach-pick and attach to that guest above each device (nothing says a detach can work)', () => {
    const lenses = codeLenses(DOMAIN);
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
    const lenses = codeLenses(DOMAIN + second).filter((l) => l.action === 'attach');
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
      codeLenses(text, { inventory: inventory82576() }).map((l) => [l.title, l.action]),
      [
        ['Attach to guest…', 'attachPick'],
        ["Detach from 'web01'", 'detach'],
        ['Attach to guest…', 'attachPick'],
        ["Attach to 'web01'", 'attach'],
      ],
    );
  });

  it('with an inventory that has no such guest: a label says why, no attach or detach for it', () => {
    const lenses = codeLenses(DOMAIN.replace('web01', 'nosuch'), { inventory: inventory82576() });
    assert.deepEqual(
      lenses.slice(0, 2).map((l) => [l.title, l.action, l.guest]),
      [
        ['Attach to guest…', 'attachPick', undefined],
        ["'nosuch' is not defined on 'kvm1': no attach/detach", 'none', undefined],
      ],
    );
  });

  it('in a bare device snippet: only "Attach to guest…"', () => {
    const lenses = codeLenses(`${DEVICE_A}\n`);
    assert.deepEqual(
      lenses.map((l) => l.action),
      ['attachPick'],
    );
    assert.deepEqual(lenses[0].deviceSpan, { start: 0, end: DEVICE_A.length });
  });

  it('none for documents without hostdev devices', () => {
    assert.deepEqual(codeLenses("<domain><name>x</name><devices><interface type='network'/></devices></domain>"), []);
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
