import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { hover } from '../../../server/src/service/index';
import type { ServiceContext } from '../../../server/src/service/types';
import { context82576, cursor } from './helpers';

function hoverAt(marked: string, ctx: ServiceContext = context82576()) {
  const { text, offset } = cursor(marked);
  return { text, result: hover(text, offset, ctx) };
}

const spanText = (text: string, span: { start: number; end: number }) => text.slice(span.start, span.end);

/** a network document named `name` whose hostdev <forward> holds `forward` */
function pool(forward: string, name = 'new-pool'): string {
  return `<network>\n  <name>${name}</name>\n  <forward mode='hostdev' managed='yes'>\n    ${forward}\n  </forward>\n</network>\n`;
}

describe('hover on a VF pool <pf dev>', () => {
  it('names the PF, its VFs and how many are free, and who uses the others in the words of the address hover', () => {
    const { text, result } = hoverAt(pool("<pf dev='enp1|1s0f0'/>"));
    assert.ok(result);
    assert.equal(spanText(text, result.span), 'enp11s0f0');
    const c = result.contents;
    assert.match(c, /^\*\*PF\*\* 'enp11s0f0' `0000:0b:00\.0`: 7 of 7 VFs enabled, 4 free for this pool/);
    assert.match(c, /82576 Gigabit Network Connection/);
    assert.match(c, /\*\*Free\*\*: VF 3 `0000:0b:10\.6`, VF 4 `0000:0b:11\.0`, VF 5 `0000:0b:11\.2`, VF 6 `0000:0b:11\.4`/);
    assert.match(c, /\*\*In use\*\* \(3\):\n- VF 0 `0000:0b:10\.0`: Used by \*\*'web01'\*\* \(running; live \+ persistent\)\n/);
    assert.match(c, /- VF 1 `0000:0b:10\.2`: Used by \*\*'db01'\*\* \(shut off; persistent\)/);
    assert.match(c, /_Inventory of 'kvm1', taken 5 min ago_$/);
  });

  it("counts VFs another active pool lists as in use, and the host's definition of this same network as free", () => {
    const other = hoverAt(pool("<pf dev='enp11s0f1|'/>")).result!.contents;
    assert.match(other, /7 of 7 VFs enabled, 5 free for this pool/);
    assert.match(other, /- VF 0 `0000:0b:10\.1`: Not free: in network 'sriov-pool'/);
    const own = hoverAt(pool("<pf dev='enp11s0f1|'/>", 'sriov-pool')).result!.contents;
    assert.match(own, /7 of 7 VFs enabled, 7 free for this pool/);
    assert.doesNotMatch(own, /In use/);
  });

  it('says why net-start finds no usable VF on a name that is no PF of the host (the network-pf words)', () => {
    const missing = hoverAt(pool("<pf dev='et|h9'/>")).result!.contents;
    assert.match(missing, /^\*\*PF\*\* `eth9` on 'kvm1'/);
    // the rule's message is Markdown-escaped text: read without the escapes
    const unescaped = (s: string) => s.replace(/\\(.)/g, '$1');
    assert.match(
      unescaped(missing),
      /No network device 'eth9' on host 'kvm1' — net-start fails; libvirt: "internal error: No usable Vf's present on SRIOV PF eth9"/,
    );
    const vf = hoverAt(pool("<pf dev='enp11s0f1v|0'/>")).result!.contents;
    assert.match(unescaped(vf), /'enp11s0f1v0' \(0000:0b:10\.1\) is a VF, not a PF/);
  });

  it('gives nothing without an inventory', () => {
    assert.equal(hoverAt(pool("<pf dev='enp1|1s0f0'/>"), {}).result, null);
  });
});

describe('hover on a VF pool <address>', () => {
  it('tells the VF as the guest <source> address hover does, and this network as the host defines it', () => {
    const { text, result } = hoverAt(pool("<address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x|1'/>", 'sriov-pool'));
    assert.ok(result);
    assert.equal(spanText(text, result.span), '0x1');
    const c = result.contents;
    assert.match(c, /\*\*Host PCI address\*\* `0000:0b:10\.1`/);
    assert.match(c, /\*\*VF 0\*\* of PF `0000:0b:00\.1` \('enp11s0f1', igb\)/);
    assert.match(c, /Free: no guest uses it/);
    assert.match(c, /In network pool `sriov-pool` \(active; this network, as the host defines it\)/);
  });

  it('tells who uses a VF a guest holds', () => {
    const c = hoverAt(pool("<addr|ess type='pci' domain='0' bus='11' slot='16' function='0'/>")).result!.contents;
    assert.match(c, /\*\*VF 0\*\* of PF `0000:0b:00\.0`/);
    assert.match(c, /Used by \*\*'web01'\*\* \(running; live \+ persistent\)/);
  });

  it("says net-define refuses a PF or a missing device in the list, in libvirt's words", () => {
    const pf = hoverAt(pool("<addr|ess type='pci' domain='0' bus='0x0b' slot='0' function='1'/>")).result!.contents;
    assert.match(
      pf,
      /A physical function, not a VF: a pool lists VFs only \(net-define refuses it: \*device '\/sys\/bus\/pci\/devices\/0000:0b:00\.1' in network 'new-pool' is not an SR-IOV Virtual Function\*\)/,
    );
    assert.doesNotMatch(pf, /interface type='hostdev'/);
    const missing = hoverAt(pool("<addr|ess type='pci' domain='0' bus='0x3b' slot='2' function='1'/>")).result!.contents;
    assert.match(missing, /\*\*Not on host 'kvm1'\*\*: no PCI device `0000:3b:02\.1` there \(net-define refuses it/);
  });

  it('reads the numbers without an inventory', () => {
    const { result } = hoverAt(pool("<address type='pci' domain='0' bus='1|1' slot='16' function='1'/>"), {});
    assert.ok(result);
    assert.match(result.contents, /`bus='11'` decimal 11 = `0x0b`/);
  });
});

describe('hover on a network <portgroup>', () => {
  /** the 82576 host, where web01 (running) and db01 (shut off) name sriov-pool, whose definition has portgroup blue */
  function withGuests(): ServiceContext {
    const ctx = context82576();
    const inv = ctx.inventory!;
    inv.guests.find((g) => g.name === 'web01')!.networks = ['sriov-pool'];
    inv.guests.find((g) => g.name === 'db01')!.networks = ['sriov-pool'];
    inv.networks.find((n) => n.name === 'sriov-pool')!.portgroups = [{ name: 'blue', default: true, vlan: [42] }];
    return ctx;
  }
  const doc = (portgroups: string, extra = '') =>
    `<network>\n  <name>sriov-pool</name>\n  <forward mode='hostdev'>\n    <pf dev='enp11s0f1'/>\n  </forward>\n${extra}${portgroups}</network>\n`;

  it('tells its VLAN tags and virtualport, and that it is the default', () => {
    const { text, result } = hoverAt(
      doc(
        "  <port|group name='blue' default='yes'>\n    <vlan><tag id='42'/></vlan>\n    <virtualport type='802.1Qbh'><parameters profileid='p1'/></virtualport>\n  </portgroup>\n",
      ),
      {},
    );
    assert.ok(result);
    assert.equal(spanText(text, result.span), 'portgroup');
    const c = result.contents;
    assert.match(c, /^\*\*Portgroup\*\* 'blue' of network 'sriov-pool'/);
    assert.match(c, /\*\*Default\*\*: guests whose `<source>` names no portgroup get its settings/);
    assert.match(c, /\*\*VLAN\*\*: tag `42`/);
    assert.match(c, /\*\*Virtualport\*\*: type `802\.1Qbh`, profileid `p1`/);
    assert.doesNotMatch(c, /Guests on/);
  });

  it("names the other default, and the network's own <vlan> and <virtualport> where the portgroup has none", () => {
    const extra = "  <vlan><tag id='7'/></vlan>\n  <portgroup name='blue' default='yes'/>\n";
    const c = hoverAt(doc("  <portgroup name='re|d'/>\n", extra), {}).result!.contents;
    assert.match(c, /\*\*Not the default\*\* \('blue' is\): only guests whose `<source portgroup>` names it/);
    assert.match(c, /\*\*VLAN\*\*: tag `7`, the network's/);
    assert.match(c, /\*\*Virtualport\*\*: none/);
  });

  it("with an inventory: the guests that name the network, and the host's definition of the portgroup", () => {
    const c = hoverAt(doc("  <portgroup name='bl|ue'/>\n"), withGuests()).result!.contents;
    assert.match(
      c,
      /\*\*Guests on 'kvm1' naming 'sriov-pool'\*\*: 'web01' \(running\) and 'db01' \(shut off\) \(the inventory does not tell which portgroup/,
    );
    assert.match(c, /The host's definition has it \(default\), VLAN 42/);
    assert.match(c, /_Inventory of 'kvm1', taken 5 min ago_$/);
    const other = hoverAt(doc("  <portgroup name='gr|een'/>\n"), withGuests()).result!.contents;
    assert.match(other, /The host's definition has no such portgroup/);
  });

  it('with a snapshot that tells their portgroups: the guests that take it, by name or as the default', () => {
    const ctx = withGuests();
    const guests = ctx.inventory!.guests;
    guests.find((g) => g.name === 'web01')!.portgroupsPerNetwork = { 'sriov-pool': ['blue'] };
    guests.find((g) => g.name === 'db01')!.defaultPortgroupOn = ['sriov-pool'];
    const unescaped = (s: string) => s.replace(/\\(.)/g, '$1');
    // not the default here: only web01, which names it
    assert.match(
      unescaped(hoverAt(doc("  <portgroup name='bl|ue'/>\n"), ctx).result!.contents),
      /\*\*Guests on 'kvm1' that take it\*\*: 'web01' \(running\) \(their `<source portgroup>` names it\)/,
    );
    // the default here: db01 too, whose <source> names none
    assert.match(
      unescaped(hoverAt(doc("  <portgroup name='bl|ue' default='yes'/>\n"), ctx).result!.contents),
      /\*\*Guests on 'kvm1' that take it\*\*: 'web01' \(running\) and 'db01' \(shut off\) \(their `<source>` names it or no portgroup\)/,
    );
    assert.match(
      unescaped(hoverAt(doc("  <portgroup name='gr|een'/>\n"), ctx).result!.contents),
      /No guest on 'kvm1' takes it \(2 name 'sriov-pool' but take another portgroup or none\)/,
    );
  });
});

describe('hover on a network <forward>', () => {
  const doc = (forward: string) => `<network>\n  <name>p</name>\n  ${forward}\n</network>\n`;
  const unescaped = (s: string) => s.replace(/\\(.)/g, '$1');

  it('explains its mode in one line, in the words of the mode completion', () => {
    const { text, result } = hoverAt(doc("<forward mode='host|dev' managed='yes'/>"), {});
    assert.ok(result);
    assert.equal(spanText(text, result.span), 'hostdev');
    assert.equal(
      unescaped(result.contents),
      "**Forward mode** `hostdev`: VF pool: each guest's <interface type='network'> gets a whole VF by PCI passthrough (from <pf dev> or the <address> list)",
    );
    assert.equal(result.contents.split('\n').length, 1);
  });

  it("calls a <forward> without a mode libvirt's default nat, and an unknown mode refused", () => {
    assert.match(
      hoverAt(doc('<for|ward/>'), {}).result!.contents,
      /^\*\*Forward mode\*\* none given, libvirt's default `nat`: NAT to the host/,
    );
    assert.match(
      hoverAt(doc("<forward mode='vf|pool'/>"), {}).result!.contents,
      /^\*\*Forward mode\*\* `vfpool`: net-define refuses it \(unknown forwarding type\); the modes are `none`, `nat`/,
    );
  });
});
