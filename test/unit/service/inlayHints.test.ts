import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { inlayHints, type Inventory } from '../../../server/src/service/index';
import { context82576, inventory82576 } from './helpers';

const hostdev = (bus: string, slot: string, fn: string): string =>
  `  <interface type='hostdev' managed='yes'><source><address type='pci' domain='0x0000' bus='${bus}' slot='${slot}' function='${fn}'/></source></interface>\n`;
const network = (name: string): string => `  <interface type='network'><source network='${name}'/></interface>\n`;
const domain = (guest: string, devices: string): string =>
  `<domain type='kvm'><name>${guest}</name><devices>\n${devices}</devices></domain>\n`;

/** each hint as the text it follows (the end of its element) and its label */
function hintsOf(text: string, ctx = context82576(), range = { start: 0, end: text.length }): [string, string][] {
  return inlayHints(text, range, ctx).map((h) => [text.slice(text.lastIndexOf('<', h.offset - 1), h.offset), h.label]);
}

describe('inlay hints', () => {
  it("after each host address, what the host has there: the VF and its PF's interface, and whether it is free, whose, or in a pool", () => {
    const text = domain(
      'web01',
      hostdev('0x0b', '0x10', '0x0') +
        hostdev('0x0b', '0x10', '0x2') +
        hostdev('0x0b', '0x10', '0x1') +
        hostdev('11', '16', '6') +
        hostdev('0x0b', '0x00', '0x0') +
        hostdev('0x0b', '0x1f', '0x0'),
    );
    const address = (bus: string, slot: string, fn: string) =>
      `<address type='pci' domain='0x0000' bus='${bus}' slot='${slot}' function='${fn}'/>`;
    assert.deepEqual(hintsOf(text), [
      [address('0x0b', '0x10', '0x0'), "'enp11s0f0' VF 0 · held by this guest"],
      [address('0x0b', '0x10', '0x2'), "'enp11s0f0' VF 1 · in use by 'db01' (shut off, persistent config)"],
      [address('0x0b', '0x10', '0x1'), "'enp11s0f1' VF 0 · in network 'sriov-pool'"],
      [address('11', '16', '6'), "'enp11s0f0' VF 3 · free"],
      [address('0x0b', '0x00', '0x0'), "PF 'enp11s0f0': not a VF"],
      [address('0x0b', '0x1f', '0x0'), "not on host 'kvm1'"],
    ]);
  });

  it('a plain <hostdev> may take any PCI device: a PF is the whole card, another device is named by its driver, each free or whose', () => {
    const plain = (slot: string, fn: string, bus = '0x0b') =>
      `  <hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0x0000' bus='${bus}' slot='${slot}' function='${fn}'/></source></hostdev>\n`;
    const text = domain('app01', plain('0x00', '0x1') + plain('0x19', '0x0', '0x00') + plain('0x10', '0x4'));
    assert.deepEqual(
      hintsOf(text).map(([, label]) => label),
      ["PF 'enp11s0f1' (the whole card) · free", 'PCI device, driver e1000e · free', "'enp11s0f0' VF 2 · held by this guest"],
    );
  });

  it("after an <interface type='network'>'s <source>, a VF pool's free VFs, or that it is inactive; nothing for a name an older snapshot may not list", () => {
    const text = domain('web01', network('sriov-pool') + network('idle-pool') + network('elsewhere'));
    assert.deepEqual(hintsOf(text), [
      ["<source network='sriov-pool'/>", 'VF pool · 2/2 VFs free'],
      ["<source network='idle-pool'/>", 'VF pool · inactive'],
    ]);
    const listed: Inventory = { ...inventory82576(), networks: inventory82576().networks.map((n) => ({ ...n, autostart: false })) };
    assert.deepEqual(hintsOf(domain('web01', network('elsewhere')), { inventory: listed }), [
      ["<source network='elsewhere'/>", "no network 'elsewhere' on host 'kvm1'"],
    ]);
  });

  it("in a <network> document, after its <pf dev>: the PF's address and free VFs, or what the host has under that name", () => {
    const text =
      "<network><name>pool3</name><forward mode='hostdev' managed='yes'>\n" +
      "  <pf dev='enp11s0f1'/>\n  <pf dev='enp11s0f1v1'/>\n  <pf dev='eth9'/>\n" +
      '</forward></network>\n';
    assert.deepEqual(hintsOf(text), [
      ["<pf dev='enp11s0f1'/>", 'PF 0000:0b:00.1 · 5/7 VFs free'],
      ["<pf dev='enp11s0f1v1'/>", '0000:0b:10.3: not a PF'],
      ["<pf dev='eth9'/>", "no interface 'eth9' on host 'kvm1'"],
    ]);
  });

  it("in a <network> document, after each of the pool's addresses", () => {
    const text =
      "<network><name>pool2</name><forward mode='hostdev' managed='yes'>\n" +
      "  <address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x0'/>\n" +
      "  <address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x7'/>\n" +
      '</forward></network>\n';
    assert.deepEqual(
      hintsOf(text).map(([, label]) => label),
      ["'enp11s0f0' VF 0 · in use by 'web01' (running)", "'enp11s0f1' VF 3 · free"],
    );
  });

  it('only where the element ends inside the range asked for; none without an inventory or for an address not read', () => {
    const first = hostdev('0x0b', '0x10', '0x6');
    const text = domain('web01', first + hostdev('0x0b', '0x10', '0x7') + hostdev('0x0b', 'zz', '0x0'));
    const firstEnd = text.indexOf(first) + first.indexOf('/></source>') + 2;
    assert.deepEqual(
      hintsOf(text, context82576(), { start: 0, end: firstEnd }).map(([, label]) => label),
      ["'enp11s0f0' VF 3 · free"],
    );
    assert.equal(hintsOf(text).length, 2, 'slot zz: no hint');
    assert.deepEqual(inlayHints(text, { start: 0, end: text.length }, {}), []);
  });

  it("a host's names stay one line of plain text: controls and line feeds written out, a long label cut with …", () => {
    const inventory = inventory82576();
    const db01 = inventory.guests.find((g) => g.name === 'db01')!;
    db01.name = 'db\n01\u001b[31m';
    const pf = inventory.devices.find((d) => d.netdev === 'enp11s0f0')!;
    pf.netdev = `enp${'x'.repeat(100)}`;
    const [[, vf], [, used]] = hintsOf(domain('web01', hostdev('0x0b', '0x10', '0x6') + hostdev('0x0b', '0x10', '0x2')), { inventory });
    assert.equal(vf.length, 80);
    assert.match(vf, /^'enpxxx+…$/);
    assert.equal(used.length, 80);
    assert.match(used, /^'enpxxx+…$/, 'cut before the guest');
    const [[, named]] = hintsOf(domain('web01', hostdev('0x0b', '0x10', '0x2')), {
      inventory: { ...inventory, devices: inventory82576().devices },
    });
    assert.equal(named, "'enp11s0f0' VF 1 · in use by 'db\\n01\\x1b[31m' (shut off, persistent config)");
  });
});
