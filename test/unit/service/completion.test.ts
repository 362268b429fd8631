import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { complete, validate } from '../../../server/src/service/index';
import type { CompletionCandidate, ServiceContext } from '../../../server/src/service/types';
import { context82576, cursor, sequence, inventory82576 } from './helpers';

function completeAt(marked: string, ctx: ServiceContext = context82576()) {
  const { text, offset } = cursor(marked);
  return { text, offset, items: complete(text, offset, ctx) };
}

const bySort = (items: CompletionCandidate[]) => [...items].sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label));
const labels = (items: CompletionCandidate[]) => items.map((i) => i.label);
const applyItem = (text: string, item: CompletionCandidate) => text.slice(0, item.span.start) + item.insertText + text.slice(item.span.end);

const SOURCE_OPEN = "<interface type='hostdev' managed='yes'>\n  <mac address='52:54:00:6d:90:02'/>\n  <source>|\n</interface>\n";

describe('completion of VF addresses inside <source>', () => {
  it('offers a full <address> per VF, right after <source> with no closing tag, free ones first', () => {
    const { offset, items } = completeAt(SOURCE_OPEN);
    assert.equal(items.length, 14);
    const sorted = bySort(items);
    assert.equal(sorted[0].label, '0000:0b:10.5');
    // web01 (10.0), db01 (10.2), app01 (10.4) and the sriov-pool network (10.1, 10.3) hold the rest
    const last = labels(sorted.slice(-5)).sort();
    assert.deepEqual(last, ['0000:0b:10.0', '0000:0b:10.1', '0000:0b:10.2', '0000:0b:10.3', '0000:0b:10.4']);
    const vf3 = items.find((i) => i.label === '0000:0b:10.6')!;
    assert.equal(vf3.insertText, "<address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x6'/>");
    assert.equal(vf3.detail, "'enp11s0f0' VF 3 · igbvf");
    assert.deepEqual(vf3.span, { start: offset, end: offset });
  });

  it('inside a plain <hostdev> offers the address without type (domain.rng has no type there)', () => {
    const { items } = completeAt("<hostdev mode='subsystem' type='pci' managed='yes'>\n  <source>|\n</hostdev>\n");
    const vf3 = items.find((i) => i.label === '0000:0b:10.6')!;
    assert.equal(vf3.insertText, "<address domain='0x0000' bus='0x0b' slot='0x10' function='0x6'/>");
  });

  it('marks VFs in use or pooled in a network', () => {
    const { items } = completeAt(SOURCE_OPEN);
    const detail = (label: string) => items.find((i) => i.label === label)!.detail;
    assert.equal(detail('0000:0b:10.0'), "'enp11s0f0' VF 0 · vfio-pci · in use by 'web01' (running)");
    assert.equal(detail('0000:0b:10.2'), "'enp11s0f0' VF 1 · igbvf · in use by 'db01' (shut off, persistent config)");
    assert.equal(detail('0000:0b:10.1'), "'enp11s0f1' VF 0 · igbvf · in network 'sriov-pool'");
  });

  it('marks a VF another device of the document names, ranked with the busy ones; the device being completed does not count', () => {
    const other =
      "<interface type='hostdev'><source><address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x5'/></source></interface>\n";
    const { items } = completeAt(`<devices>\n${other}${SOURCE_OPEN}</devices>\n`);
    const vf = items.find((i) => i.label === '0000:0b:10.5')!;
    assert.equal(vf.detail, "'enp11s0f1' VF 2 · igbvf · used by another device of this document");
    assert.notEqual(bySort(items)[0].label, '0000:0b:10.5');
    assert.ok(bySort(items).indexOf(vf) >= items.length - 6, 'ranked with the five busy VFs');
    // the values of an <address>'s fields count it taken too: bus 0x0b slot 0x10 function 0x5 is no free VF
    const field = completeAt(
      `<devices>\n${other}<interface type='hostdev'><source><address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='|'/></source></interface>\n</devices>\n`,
    ).items.find((i) => i.label === '0x5')!;
    assert.match(field.detail!, / · in use$/);
    // re-completing the device's own <source> does not mark its own VF
    const own = completeAt(
      "<interface type='hostdev'><source><address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x5'/>|</source></interface>\n",
    ).items.find((i) => i.label === '0000:0b:10.5')!;
    assert.equal(own.detail, "'enp11s0f1' VF 2 · igbvf");
  });

  it("tells a use only in a running guest's persistent config from a live one; an inactive pool is free", () => {
    const { items } = completeAt(SOURCE_OPEN, { inventory: inventory82576() });
    const detail = (label: string) => items.find((i) => i.label === label)!.detail;
    assert.equal(detail('0000:0b:10.4'), "'enp11s0f0' VF 2 · igbvf · in use by 'app01' (running, persistent config)");
    assert.equal(detail('0000:0b:10.5'), "'enp11s0f1' VF 2 · igbvf");
    assert.equal(bySort(items)[0].label, '0000:0b:10.5');
  });

  it('a paused guest holds its live VF: marked in use, not "persistent config" (as vf-in-use says)', () => {
    const ctx = context82576();
    const web01 = ctx.inventory!.guests.find((g) => g.name === 'web01')!;
    web01.state = 'paused';
    const { items } = completeAt(SOURCE_OPEN, ctx);
    assert.equal(items.find((i) => i.label === '0000:0b:10.0')!.detail, "'enp11s0f0' VF 0 · vfio-pci · in use by 'web01' (paused)");
  });

  it('replaces a partially typed <addr element', () => {
    const marked = "<interface type='hostdev'>\n  <source>\n    <addr|\n  </source>\n</interface>\n";
    const { text, items } = completeAt(marked);
    const item = items.find((i) => i.label === '0000:0b:11.4')!;
    assert.ok(item.filterText!.startsWith('<addr'));
    assert.equal(
      applyItem(text, item),
      "<interface type='hostdev'>\n  <source>\n    <address type='pci' domain='0x0000' bus='0x0b' slot='0x11' function='0x4'/>\n  </source>\n</interface>\n",
    );
  });

  it('works at the very end of a half-typed document and in a plain <hostdev>, keeping double quotes', () => {
    const { items } = completeAt('<hostdev mode="subsystem" type="pci" managed="yes">\n  <source>\n    |');
    assert.equal(items.length, 14);
    assert.equal(
      items.find((i) => i.label === '0000:0b:10.4')!.insertText,
      '<address domain="0x0000" bus="0x0b" slot="0x10" function="0x4"/>',
    );
  });

  it("does not count the document's own guest as a user", () => {
    const marked =
      "<domain><name>web01</name><devices>\n<interface type='hostdev'>\n  <source>|</source>\n</interface>\n</devices></domain>";
    const { items } = completeAt(marked);
    assert.equal(items.find((i) => i.label === '0000:0b:10.0')!.detail, "'enp11s0f0' VF 0 · vfio-pci");
  });

  it('offers nothing without an inventory, or in the source of another interface type', () => {
    assert.deepEqual(completeAt(SOURCE_OPEN, {}).items, []);
    assert.deepEqual(completeAt("<interface type='network'>\n  <source>|</source>\n</interface>").items, []);
  });
});

describe('completion of attribute values', () => {
  it('interface type: hostdev first', () => {
    const { items } = completeAt("<interface type='|'>\n</interface>");
    assert.equal(bySort(items)[0].label, 'hostdev');
  });

  it('managed: yes and no, replacing what is typed', () => {
    const { text, items } = completeAt("<interface type='hostdev' managed='y|es'>\n</interface>");
    assert.deepEqual(labels(items), ['yes', 'no']);
    assert.equal(applyItem(text, items[1]), "<interface type='hostdev' managed='no'>\n</interface>");
  });

  it("a '>' inside a quoted value before the cursor does not end the tag (XML allows it there)", () => {
    const { text, items } = completeAt("<interface type='hostdev' note='a > b' managed='|'>\n</interface>");
    assert.deepEqual(labels(items), ['yes', 'no']);
    assert.equal(applyItem(text, items[0]), "<interface type='hostdev' note='a > b' managed='yes'>\n</interface>");
  });

  it('in an end tag or a comment: nothing; after them: the content of the element around', () => {
    const inSource = (between: string) =>
      completeAt(`<interface type='hostdev'>\n  <source>\n    ${between}\n  </source>\n</interface>`).items;
    assert.deepEqual(inSource('<!-- a VF | -->'), []);
    assert.equal(inSource('<!-- a VF -->|').length, 14);
    assert.equal(inSource('<!-- VFs < 8 -->|').length, 14);
    assert.deepEqual(inSource('<!-- VFs < 8 | -->'), []);
    assert.deepEqual(completeAt("<interface type='hostdev'>\n  <source>\n    <!-- a VF|").items, []);
    assert.deepEqual(completeAt("<interface type='hostdev'>\n  <source>\n  </sou|rce>\n</interface>").items, []);
  });

  it('virtualport type: 802.1Qbh first; driver name: vfio first', () => {
    const vport = completeAt("<interface type='hostdev'>\n  <virtualport type='|'/>\n</interface>").items;
    assert.equal(bySort(vport)[0].label, '802.1Qbh');
    assert.deepEqual(labels(bySort(vport)), ['802.1Qbh', '802.1Qbg', 'openvswitch', 'midonet']);
    const driver = completeAt("<interface type='hostdev'>\n  <driver name='|\n</interface>").items;
    assert.equal(bySort(driver)[0].label, 'vfio');
  });

  it('source address type: pci; guest address type: pci or unassigned', () => {
    assert.deepEqual(
      labels(completeAt("<interface type='hostdev'>\n  <source>\n    <address type='|'/>\n  </source>\n</interface>").items),
      ['pci'],
    );
    assert.deepEqual(labels(completeAt("<interface type='hostdev'>\n  <address type='|'/>\n</interface>").items), ['pci', 'unassigned']);
  });

  it('slot: the slots present on the bus already typed (VFs only on an interface)', () => {
    const { items } = completeAt(
      "<interface type='hostdev'>\n  <source>\n    <address type='pci' domain='0x0000' bus='0x0b' slot='|'/>\n  </source>\n</interface>",
    );
    assert.deepEqual(labels(items), ['0x10', '0x11']);
    assert.equal(items[1].detail, '6 devices, 6 free VFs');
  });

  it('slot on a plain <hostdev> includes the PFs; a bus with no devices gives nothing', () => {
    const hostdev = completeAt(
      "<hostdev mode='subsystem' type='pci'>\n  <source>\n    <address domain='0' bus='11' slot='|'/>\n  </source>\n</hostdev>",
    );
    assert.deepEqual(labels(hostdev.items), ['0x00', '0x10', '0x11']);
    const none = completeAt(
      "<interface type='hostdev'>\n  <source>\n    <address type='pci' bus='0x0c' slot='|'/>\n  </source>\n</interface>",
    );
    assert.deepEqual(none.items, []);
  });

  it('function: the functions on the typed bus and slot, also when they are typed after the cursor', () => {
    const { items } = completeAt(
      "<interface type='hostdev'>\n  <source>\n    <address type='pci' function='|' bus='0x0b' slot='0x11'/>\n  </source>\n</interface>",
    );
    assert.deepEqual(labels(items), ['0x0', '0x1', '0x2', '0x3', '0x4', '0x5']);
    assert.equal(items[0].detail, "0000:0b:11.0 · 'enp11s0f0' VF 4 · igbvf");
  });

  it("a value with its closing quote missing keeps the '/>' after the cursor", () => {
    const { text, items } = completeAt(
      "<interface type='hostdev'>\n  <source>\n    <address type='pci' bus='0x0b' slot='0x10' function='0x1|/></source>\n</interface>",
    );
    const item = items.find((i) => i.label === '0x4')!;
    assert.equal(
      applyItem(text, item),
      "<interface type='hostdev'>\n  <source>\n    <address type='pci' bus='0x0b' slot='0x10' function='0x4/></source>\n</interface>",
    );
  });

  it('bus: the buses on the host', () => {
    const { items } = completeAt(
      "<interface type='hostdev'>\n  <source>\n    <address type='pci' domain='0x0000' bus='0x|'/>\n  </source>\n</interface>",
    );
    assert.deepEqual(labels(items), ['0x0b']);
  });
});

describe('completion of a fresh MAC', () => {
  it('is 52:54:00:xx:xx:xx and avoids MACs of inventory guests and of the document', () => {
    const random = sequence(0xaa / 256, 0, 1 / 256, 0x10 / 256, 0x20 / 256, 0x30 / 256, 0x11 / 256, 0x22 / 256, 0x33 / 256);
    const marked =
      "<devices>\n<interface type='hostdev'>\n  <mac address='|'/>\n</interface>\n<interface type='network'><mac address='52:54:00:10:20:30'/></interface>\n</devices>";
    const { items } = completeAt(marked, context82576({ random }));
    assert.equal(items.length, 1);
    assert.equal(items[0].insertText, '52:54:00:11:22:33');
  });

  it('works without an inventory and with the closing quote missing', () => {
    const { text, items } = completeAt("<interface type='hostdev'>\n  <mac address='|\n</interface>", {
      random: sequence(0x01 / 256, 0x02 / 256, 0x03 / 256),
    });
    assert.equal(items[0].insertText, '52:54:00:01:02:03');
    assert.equal(applyItem(text, items[0]), "<interface type='hostdev'>\n  <mac address='52:54:00:01:02:03\n</interface>");
  });
});

describe('completion of child elements', () => {
  it('offers the elements valid in a hostdev interface when typing < directly inside it, minus those present', () => {
    const marked =
      "<interface type='hostdev'>\n  <mac address='52:54:00:6d:90:02'/>\n  <source><address type='pci' bus='0x0b' slot='0x10' function='0x4'/></source>\n  <|\n</interface>";
    const { items } = completeAt(marked);
    assert.deepEqual(labels(items), ['vlan', 'virtualport', 'driver', 'address', 'alias', 'boot', 'rom', 'teaming']);
  });

  it('on a line of its own inside the interface, before any <, offers the same elements at the cursor; not after text on the line', () => {
    const { text, offset, items } = completeAt("<interface type='hostdev'>\n  <mac address='52:54:00:6d:90:02'/>\n  |\n</interface>");
    assert.deepEqual(labels(items), ['source', 'vlan', 'virtualport', 'driver', 'address', 'alias', 'boot', 'rom', 'teaming']);
    assert.deepEqual(items[1].span, { start: offset, end: offset });
    assert.match(applyItem(text, items[1]), /\n  <vlan>\n\t<tag id='\$\{1:42\}'\/>\n<\/vlan>\n<\/interface>$/);
    assert.deepEqual(completeAt("<interface type='hostdev'>\n  text |\n</interface>").items, []);
  });

  it('offers mac and source in an empty interface, with a fresh MAC in the snippet', () => {
    const { text, items } = completeAt(
      "<interface type='hostdev'>\n  <m|\n</interface>",
      context82576({ random: sequence(0x01 / 256, 0x02 / 256, 0x03 / 256) }),
    );
    assert.deepEqual(labels(items).slice(0, 2), ['mac', 'source']);
    const mac = items[0];
    assert.equal(mac.isSnippet, true);
    assert.equal(applyItem(text, mac), "<interface type='hostdev'>\n  <mac address='${1:52:54:00:01:02:03}'/>\n</interface>");
  });

  it("in the name of a tag that goes on (attributes, '/>'), an item takes the whole tag's place; in one with content, none is offered", () => {
    // a VF picked in <addr|ess …/> replaces that address element: no attributes left behind after the new one
    const address = completeAt(
      "<interface type='hostdev'>\n  <source>\n    <addr|ess type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x2'/>\n  </source>\n</interface>",
    );
    const vf = address.items.find((i) => i.label === '0000:0b:10.0');
    assert.ok(vf, labels(address.items).join(', '));
    const picked = applyItem(address.text, vf);
    assert.equal((picked.match(/<address /g) ?? []).length, 1, picked);
    assert.equal((picked.match(/function=/g) ?? []).length, 1, picked);
    assert.match(picked, /<address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x0'\/>\n  <\/source>/);
    const mac = completeAt("<interface type='hostdev'>\n  <ma|c address='52:54:00:6d:90:02'/>\n</interface>");
    const item = mac.items.find((i) => i.label === 'mac');
    assert.ok(item, labels(mac.items).join(', '));
    assert.equal((applyItem(mac.text, item).match(/address=/g) ?? []).length, 1);
    assert.deepEqual(completeAt("<interface type='hostdev'>\n  <vl|an>\n    <tag id='42'/>\n  </vlan>\n</interface>").items, []);
  });

  it('offers only hostdev children in a plain <hostdev>', () => {
    const { items } = completeAt("<hostdev mode='subsystem' type='pci'>\n  <|\n</hostdev>");
    assert.deepEqual(labels(items), ['source', 'driver', 'address', 'alias', 'boot', 'rom', 'teaming']);
  });
});

describe('completion of a new interface inside <devices>', () => {
  it('offers, per PF, an interface on its first free VF (not one the document names) with a fresh MAC, and one per active VF pool', () => {
    const inventory = inventory82576();
    const { text, items } = completeAt(
      "<domain type='kvm'><name>vm9</name><devices>\n" +
        "  <interface type='hostdev'><source><address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x5'/></source></interface>\n" +
        '  <in|\n</devices></domain>',
      context82576({ inventory }),
    );
    const hostdev = items.filter((i) => i.label.startsWith('interface hostdev'));
    assert.deepEqual(
      hostdev.map((i) => i.label),
      inventory.devices.filter((d) => d.kind === 'pf').map((pf) => `interface hostdev ${pf.netdev}`),
    );
    // 10.5 is the first free VF of the fixture's host; another device of the document names it
    assert.doesNotMatch(hostdev.map((i) => i.insertText).join('\n'), /slot='0x10' function='0x5'/);
    const picked = applyItem(text, hostdev[0]);
    assert.match(
      picked,
      /\n {2}<interface type='hostdev' managed='yes'>\n\t<mac address='52:54:00(:[0-9a-f]{2}){3}'\/>\n\t<source>\n\t\t<address type='pci' /,
    );
    assert.equal(hostdev[0].filterText, '<interface');
    assert.deepEqual(
      validate(picked.replace(/\t/g, '  '), { inventory })
        .filter((p) => p.severity === 'error')
        .map((p) => p.code),
      [],
    );
    assert.ok(items.some((i) => i.label === 'interface network sriov-pool' && /<source network='sriov-pool'\/>/.test(i.insertText)));
  });

  it('without an inventory: one interface with placeholders for the MAC and the VF address; on an empty line too', () => {
    for (const marked of [
      "<domain type='kvm'><devices>\n  <|\n</devices></domain>",
      "<domain type='kvm'><devices>\n  |\n</devices></domain>",
    ]) {
      const { items } = completeAt(marked, {});
      assert.deepEqual(labels(items), ['interface hostdev']);
      assert.match(items[0].insertText, /bus='\$\{2:0x00\}' slot='\$\{3:0x00\}' function='\$\{4:0x0\}'/);
    }
  });
});
