import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { complete } from '../../../server/src/service/index';
import { FORWARD_MODES } from '../../../server/src/service/rules/forwardModes';
import type { CompletionCandidate, ServiceContext } from '../../../server/src/service/types';
import { context82576, cursor } from './helpers';

function completeAt(marked: string, ctx: ServiceContext = context82576()) {
  const { text, offset } = cursor(marked);
  return { text, offset, items: complete(text, offset, ctx) };
}

const bySort = (items: CompletionCandidate[]) => [...items].sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label));
const labels = (items: CompletionCandidate[]) => items.map((i) => i.label);
const detail = (items: CompletionCandidate[], label: string) => items.find((i) => i.label === label)?.detail;
const applyItem = (text: string, item: CompletionCandidate) => text.slice(0, item.span.start) + item.insertText + text.slice(item.span.end);

/** a network document named `name` whose <forward> holds `forward` (the cursor may be in either) */
function pool(forward: string, { name = 'new-pool', mode = "mode='hostdev' managed='yes'", after = '' } = {}): string {
  return `<network>\n  <name>${name}</name>\n  <forward ${mode}>\n    ${forward}\n  </forward>\n${after}</network>\n`;
}

describe('completion of <forward mode> in a network document', () => {
  it('offers every mode virsh net-define accepts, the VF pool modes hostdev and passthrough first, each described', () => {
    const { items } = completeAt(pool('', { mode: "mode='|'" }));
    const sorted = labels(bySort(items));
    assert.deepEqual(sorted.slice(0, 2), ['hostdev', 'passthrough']);
    assert.deepEqual([...sorted].sort(), [...FORWARD_MODES].sort());
    for (const item of items) assert.ok(item.detail && item.detail.length > 10, item.label);
    assert.match(detail(items, 'hostdev')!, /VF/);
    assert.match(detail(items, 'nat')!, /<ip>/);
  });

  it('replaces what is typed, also without an inventory', () => {
    const { text, items } = completeAt(pool('', { mode: "mode='ho|st'" }), {});
    const hostdev = items.find((i) => i.label === 'hostdev')!;
    assert.equal(applyItem(text, hostdev), pool('', { mode: "mode='hostdev'" }));
  });

  it('offers nothing in another element of the network (a <bridge name>)', () => {
    const { items } = completeAt("<network>\n  <name>n</name>\n  <bridge name='|'/>\n</network>\n");
    assert.deepEqual(items, []);
  });
});

describe("completion of a pool <forward>'s managed and <driver name>", () => {
  it('managed: yes and no, as on a hostdev interface', () => {
    const { items } = completeAt(pool('', { mode: "mode='hostdev' managed='|'" }));
    assert.deepEqual(labels(bySort(items)), ['yes', 'no']);
    assert.match(detail(items, 'yes')!, /binds vfio-pci/);
  });

  it('driver name: the two net-define accepts, vfio first (kvm fails at start)', () => {
    const { items } = completeAt(pool("<driver name='|'/>"));
    assert.deepEqual(labels(bySort(items)), ['vfio', 'kvm']);
    assert.match(detail(items, 'kvm')!, /fails at start/);
  });
});

describe('completion of <pf dev> in a network document', () => {
  it("offers the host's SR-IOV PFs by netdev name (no VF netdevs, no plain NIC), with their VFs and how many are free", () => {
    const { items } = completeAt(pool("<pf dev='|'/>"));
    assert.deepEqual(labels(bySort(items)), ['enp11s0f1', 'enp11s0f0']);
    // enp11s0f0: web01 runs on 10.0, db01 and app01 name 10.2 and 10.4; enp11s0f1: the active sriov-pool lists 10.1 and 10.3
    assert.equal(detail(items, 'enp11s0f0'), 'PF 0000:0b:00.0 · igb · 7/7 VFs enabled, 4 free');
    assert.equal(detail(items, 'enp11s0f1'), 'PF 0000:0b:00.1 · igb · 7/7 VFs enabled, 5 free');
  });

  it("counts the VFs the host's definition of this same network holds as free", () => {
    const { items } = completeAt(pool("<pf dev='|'/>", { name: 'sriov-pool' }));
    assert.equal(detail(items, 'enp11s0f1'), 'PF 0000:0b:00.1 · igb · 7/7 VFs enabled, 7 free');
  });

  it('puts a PF without VFs enabled last and says net-start fails on it', () => {
    const ctx = context82576();
    const pf = ctx.inventory!.devices.find((d) => d.netdev === 'enp11s0f0')!;
    pf.numVfs = 0;
    ctx.inventory!.devices = ctx.inventory!.devices.filter((d) => d.pf !== pf.address);
    const { items } = completeAt(pool("<pf dev='|'/>"), ctx);
    assert.deepEqual(labels(bySort(items)), ['enp11s0f1', 'enp11s0f0']);
    assert.equal(detail(items, 'enp11s0f0'), "PF 0000:0b:00.0 · igb · 0/7 VFs enabled: net-start fails (No usable Vf's)");
  });

  it('offers nothing without an inventory', () => {
    assert.deepEqual(completeAt(pool("<pf dev='|'/>"), {}).items, []);
  });
});

describe('completion of a VF pool <address> in a network document', () => {
  it('offers a full <address type=pci> per VF inside <forward mode=hostdev>, free ones first, like a guest <source>', () => {
    const { offset, items: all } = completeAt(pool('|'));
    const items = all.filter((i) => i.insertText.startsWith('<address'));
    assert.equal(items.length, 14);
    const vf3 = items.find((i) => i.label === '0000:0b:10.6')!;
    assert.equal(vf3.insertText, "<address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x6'/>");
    assert.equal(vf3.detail, "'enp11s0f0' VF 3 · igbvf");
    assert.deepEqual(vf3.span, { start: offset, end: offset });
    assert.equal(detail(items, '0000:0b:10.1'), "'enp11s0f1' VF 0 · igbvf · in network 'sriov-pool'");
    assert.equal(detail(items, '0000:0b:10.0'), "'enp11s0f0' VF 0 · vfio-pci · in use by 'web01' (running)");
    const last = labels(bySort(items).slice(-5)).sort();
    assert.deepEqual(last, ['0000:0b:10.0', '0000:0b:10.1', '0000:0b:10.2', '0000:0b:10.3', '0000:0b:10.4']);
  });

  it('leaves out the VFs the pool lists already, and completes a half-typed <addr', () => {
    const listed = "<address type='pci' domain='0' bus='11' slot='16' function='6'/>\n    <addr|";
    const { text, items } = completeAt(pool(listed));
    assert.equal(items.filter((i) => i.kind !== 'element').length, 13);
    assert.ok(!items.some((i) => i.label === '0000:0b:10.6'));
    const item = items.find((i) => i.label === '0000:0b:10.7')!;
    assert.equal(
      applyItem(text, item),
      pool(
        "<address type='pci' domain='0' bus='11' slot='16' function='6'/>\n    <address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x7'/>",
      ),
    );
  });

  it("does not call the VFs the host's definition of this same network lists busy", () => {
    const { items } = completeAt(pool('|', { name: 'sriov-pool' }));
    assert.equal(detail(items, '0000:0b:10.1'), "'enp11s0f1' VF 0 · igbvf");
  });

  it('offers no VF address in a network of another mode (net-define refuses one there)', () => {
    const { items } = completeAt(pool('|', { mode: "mode='passthrough'" }));
    assert.ok(!items.some((i) => i.insertText.startsWith('<address')));
    assert.deepEqual(completeAt(pool('|', { mode: "mode='nat'" })).items, []);
  });

  it("completes the address's type (pci) and the bus/slot/function values of the host's VFs", () => {
    assert.deepEqual(labels(completeAt(pool("<address type='|'/>")).items), ['pci']);
    const { items } = completeAt(pool("<address type='pci' domain='0x0000' bus='0x0b' slot='0x11' function='|'/>"));
    assert.deepEqual(labels(items), ['0x0', '0x1', '0x2', '0x3', '0x4', '0x5']);
    assert.equal(detail(items, '0x1'), "0000:0b:11.1 · 'enp11s0f1' VF 4 · igbvf");
  });
});

describe('completion of a <pf> element in a pool <forward>', () => {
  it("offers a <pf dev='…'/> per SR-IOV PF before the VF addresses in an empty hostdev <forward>", () => {
    const { text, items } = completeAt(pool('<|'));
    const sorted = bySort(items);
    assert.deepEqual(labels(sorted.slice(0, 2)), ['enp11s0f1', 'enp11s0f0']);
    assert.equal(sorted[0].detail, 'PF 0000:0b:00.1 · igb · 7/7 VFs enabled, 5 free');
    assert.equal(applyItem(text, sorted[0]), pool("<pf dev='enp11s0f1'/>"));
    assert.equal(items.filter((i) => i.kind !== 'element').length, 16);
  });

  it('offers them in a passthrough pool too, and none once the pool has a <pf> or an <address> (libvirt takes one source)', () => {
    assert.deepEqual(labels(bySort(completeAt(pool('|', { mode: "mode='passthrough'" })).items)), ['enp11s0f1', 'enp11s0f0']);
    const withPf = completeAt(pool("<pf dev='enp11s0f1'/>\n    |")).items;
    assert.ok(!withPf.some((i) => i.insertText.startsWith('<pf')));
    const withAddress = completeAt(pool("<address type='pci' domain='0' bus='11' slot='16' function='6'/>\n    |")).items;
    assert.ok(!withAddress.some((i) => i.insertText.startsWith('<pf')));
  });
});

describe('completion of <portgroup default> in a network document', () => {
  it('offers yes and no', () => {
    const { items } = completeAt(pool("<pf dev='enp11s0f0'/>", { after: "  <portgroup name='blue' default='|'/>\n" }));
    assert.deepEqual(labels(bySort(items)), ['yes', 'no']);
  });

  it("puts no first when another portgroup is the default: net-define refuses a second (libvirt's network driver)", () => {
    const after = "  <portgroup name='blue' default='yes'/>\n  <portgroup name='red' default='|'/>\n";
    const { items } = completeAt(pool("<pf dev='enp11s0f0'/>", { after }));
    assert.deepEqual(labels(bySort(items)), ['no', 'yes']);
    assert.match(detail(items, 'yes')!, /'blue' is the default already: net-define refuses a second/);
  });
});
