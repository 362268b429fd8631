import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits, codeActions, validate } from '../../../server/src/service/index';
import type { DiagnosticCode, ServiceContext } from '../../../server/src/service/types';
import { context82576, sequence } from './helpers';

/** Validates, takes the one problem with `code`, asks for its fixes; `apply(i)` gives the fixed text. */
function fixesFor(text: string, code: DiagnosticCode, ctx: ServiceContext = {}) {
  const problems = validate(text, ctx);
  const mine = problems.filter((p) => p.code === code);
  assert.equal(mine.length, 1, `expected one ${code}, got ${JSON.stringify(problems.map((p) => p.code))}`);
  const actions = codeActions(text, mine[0].span, problems, ctx).filter((a) => a.fixes.includes(code));
  for (const a of actions) assert.deepEqual(a.diagnosticSpan, mine[0].span);
  return {
    actions,
    titles: actions.map((a) => a.title),
    apply(i: number): string {
      return applyEdits(text, actions[i].edits);
    },
  };
}

function codesOf(text: string, ctx: ServiceContext = {}): DiagnosticCode[] {
  return validate(text, ctx).map((p) => p.code);
}

const iface = (body: string, open = "<interface type='hostdev' managed='yes'>") => `${open}\n${body}</interface>\n`;
const SOURCE_104 = "  <source>\n    <address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x4'/>\n  </source>\n";
const MAC = "  <mac address='52:54:00:6d:90:02'/>\n";
const FIXED_RANDOM = () => sequence(0xaa / 256, 0x00, 1 / 256, 0x12 / 256, 0x34 / 256, 0x56 / 256);

describe('quick fixes for MACs', () => {
  for (const [code, bad] of [
    ['mac-multicast', '01:00:5e:00:00:01'],
    ['mac-syntax', '52-54-00-6d-90-02'],
    ['mac-zero', '00:00:00:00:00:00'],
  ] as const) {
    it(`${code}: replaces the value with a fresh MAC unused by inventory guests`, () => {
      const text = iface(`  <mac address='${bad}'/>\n${SOURCE_104}`);
      const ctx = context82576({ random: FIXED_RANDOM() });
      const fix = fixesFor(text, code, ctx);
      // the first draw, 52:54:00:aa:00:01, is web01's MAC and is skipped
      assert.deepEqual(fix.titles, ['Use fresh MAC 52:54:00:12:34:56']);
      const fixed = fix.apply(0);
      assert.equal(fixed, iface(`  <mac address='52:54:00:12:34:56'/>\n${SOURCE_104}`));
      assert.ok(!codesOf(fixed, ctx).includes(code));
    });
  }

  it('mac-missing: inserts <mac> as the first child, indented like its siblings', () => {
    const text = `<domain type='kvm'>\n  <name>vm</name>\n  <devices>\n    <interface type='hostdev' managed='yes'>\n      <source>\n        <address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x4'/>\n      </source>\n    </interface>\n  </devices>\n</domain>\n`;
    const fix = fixesFor(text, 'mac-missing', { random: sequence(0x12 / 256, 0x34 / 256, 0x56 / 256) });
    assert.deepEqual(fix.titles, ["Add <mac address='52:54:00:12:34:56'/>"]);
    const fixed = fix.apply(0);
    assert.equal(fixed, text.replace('      <source>', "      <mac address='52:54:00:12:34:56'/>\n      <source>"));
    assert.ok(!codesOf(fixed).includes('mac-missing'));
  });

  it('mac-missing: a <mac> without address gets the address, not a second <mac> in front of it', () => {
    const text = iface(`  <mac type='static'/>\n${SOURCE_104}`);
    const fix = fixesFor(text, 'mac-missing', { random: sequence(0x12 / 256, 0x34 / 256, 0x56 / 256) });
    assert.equal(fix.apply(0), iface(`  <mac address='52:54:00:12:34:56' type='static'/>\n${SOURCE_104}`));
  });

  it('mac-missing: keeps CRLF line endings in a CRLF document', () => {
    const lf = `<devices>\n  <interface type='hostdev' managed='yes'>\n    <source><address type='pci' bus='0x0b' slot='0x10' function='0x4'/></source>\n  </interface>\n  <interface type='hostdev' managed='yes'></interface>\n</devices>\n`;
    const text = lf.replace(/\n/g, '\r\n');
    const problems = validate(text).filter((p) => p.code === 'mac-missing');
    assert.equal(problems.length, 2);
    for (const p of problems) {
      const [action] = codeActions(text, p.span, [p], { random: sequence(0x12 / 256, 0x34 / 256, 0x56 / 256) });
      const fixed = applyEdits(text, action.edits);
      assert.equal(fixed.replace(/\r\n/g, '').indexOf('\n'), -1, `no bare LF in ${JSON.stringify(fixed)}`);
    }
  });

  it("mac-missing: uses the document's quote style and avoids MACs already in the document", () => {
    const text = `<devices>\n<interface type="hostdev" managed="yes">\n  <mac address="52:54:00:12:34:56"/>\n  <source><address type="pci" bus="0x0b" slot="0x10" function="0x6"/></source>\n</interface>\n<interface type="hostdev" managed="yes">\n  <source><address type="pci" bus="0x0b" slot="0x10" function="0x4"/></source>\n</interface>\n</devices>\n`;
    const fix = fixesFor(text, 'mac-missing', { random: sequence(0x12 / 256, 0x34 / 256, 0x56 / 256, 0x78 / 256, 0x9a / 256, 0xbc / 256) });
    const fixed = fix.apply(0);
    assert.match(
      fixed,
      /<interface type="hostdev" managed="yes">\n {2}<mac address="52:54:00:78:9a:bc"\/>\n {2}<source><address type="pci" bus="0x0b" slot="0x10" function="0x4"/,
    );
    assert.ok(!codesOf(fixed).includes('mac-missing'));
  });
});

describe('quick fixes for PCI numbers', () => {
  it("pci-decimal: rewrites bus='11' as 0x0b", () => {
    const text = iface(`${MAC}  <source>\n    <address type='pci' domain='0x0000' bus='11' slot='0x10' function='0x4'/>\n  </source>\n`);
    const fix = fixesFor(text, 'pci-decimal');
    assert.deepEqual(fix.titles, ["Write bus='0x0b' (hex)", "Write bus='0x11' (if hex was meant)"]);
    assert.equal(fix.actions[0].isPreferred, true);
    assert.ok(!fix.actions[1].isPreferred);
    const fixed = fix.apply(0);
    assert.equal(fixed, iface(MAC + SOURCE_104));
    assert.ok(!codesOf(fixed).includes('pci-decimal'));
    assert.match(fix.apply(1), /bus='0x11'/);
  });

  it('pci-decimal: no hex reading when it is out of range (slot 31 read as hex is 0x31 > 0x1f)', () => {
    const text = iface(`${MAC}  <source>\n    <address type='pci' domain='0x0000' bus='0x0b' slot='31' function='0x4'/>\n  </source>\n`);
    assert.deepEqual(fixesFor(text, 'pci-decimal').titles, ["Write slot='0x1f' (hex)"]);
  });

  it('pci-octal: offers what libvirt reads, the decimal reading and the hex reading (the three the message names)', () => {
    const text = iface(`${MAC}  <source>\n    <address type='pci' domain='0x0000' bus='0x0b' slot='020' function='0x4'/>\n  </source>\n`);
    const fix = fixesFor(text, 'pci-octal');
    assert.deepEqual(fix.titles, ['Write 0x10 (what libvirt reads)', 'Write 0x14 (if decimal was meant)']);
    assert.match(fix.apply(0), /slot='0x10'/);
    const meant = fix.apply(1);
    assert.match(meant, /slot='0x14'/);
    assert.ok(!codesOf(meant).includes('pci-octal'));
  });

  it('pci-octal on a bus: 011 offers 0x09, 0x0b and 0x11', () => {
    const text = iface(`${MAC}  <source>\n    <address type='pci' domain='0x0000' bus='011' slot='0x10' function='0x4'/>\n  </source>\n`);
    const fix = fixesFor(text, 'pci-octal');
    assert.deepEqual(fix.titles, ['Write 0x09 (what libvirt reads)', 'Write 0x0b (if decimal was meant)', 'Write 0x11 (if hex was meant)']);
    assert.match(fix.apply(2), /bus='0x11'/);
  });

  it('pci-octal with an inventory: the reading that is a VF of the host comes first and is preselected', () => {
    const text = iface(`${MAC}  <source>\n    <address type='pci' domain='0x0000' bus='011' slot='0x10' function='0x6'/>\n  </source>\n`);
    const ctx = context82576();
    const fix = fixesFor(text, 'pci-octal', ctx);
    assert.deepEqual(fix.titles, [
      "Write 0x0b (if decimal was meant) — 0000:0b:10.6 is 'enp11s0f0' VF 3 on 'kvm1', free",
      'Write 0x09 (what libvirt reads)',
      'Write 0x11 (if hex was meant)',
    ]);
    assert.deepEqual(
      fix.actions.map((a) => a.isPreferred === true),
      [true, false, false],
    );
    const fixed = fix.apply(0);
    assert.match(fixed, /bus='0x0b'/);
    assert.deepEqual(
      codesOf(fixed, ctx).filter((c) => c.startsWith('pci-')),
      [],
    );
  });

  it('pci-octal with an inventory: a free VF before one a guest holds; none preselected when no reading is a VF', () => {
    // slot 020: libvirt reads 0x10 (0b:10.0, web01 holds it), decimal 0x14 is not on the host
    const held = iface(`${MAC}  <source>\n    <address type='pci' domain='0x0000' bus='0x0b' slot='020' function='0x0'/>\n  </source>\n`);
    const ctx = context82576();
    const first = fixesFor(held, 'pci-octal', ctx);
    assert.match(first.titles[0], /^Write 0x10 \(what libvirt reads\) — 0000:0b:10\.0 is 'enp11s0f0' VF 0 on 'kvm1', in use by 'web01'/);
    assert.equal(first.actions[0].isPreferred, true);
    // bus 012: 0x0a, 0x0c, 0x12 — none on the host: the order of the message, nothing preselected
    const none = iface(`${MAC}  <source>\n    <address type='pci' domain='0x0000' bus='012' slot='0x10' function='0x4'/>\n  </source>\n`);
    const fix = fixesFor(none, 'pci-octal', ctx);
    assert.deepEqual(fix.titles, ['Write 0x0a (what libvirt reads)', 'Write 0x0c (if decimal was meant)', 'Write 0x12 (if hex was meant)']);
    assert.ok(fix.actions.every((a) => !a.isPreferred));
  });

  it('pci-octal on a guest-side <address>: fixed there, not ranked by the host', () => {
    const text = iface(`${MAC}${SOURCE_104}  <address type='pci' domain='0x0000' bus='0x00' slot='010' function='0x0'/>\n`);
    const fix = fixesFor(text, 'pci-octal', context82576());
    assert.deepEqual(fix.titles, ['Write 0x08 (what libvirt reads)', 'Write 0x0a (if decimal was meant)', 'Write 0x10 (if hex was meant)']);
    assert.match(fix.apply(2), /slot='0x10' function='0x0'\/>\n<\/interface>/);
  });

  it('pci-octal: one action when both readings agree (07 is 7 either way)', () => {
    // the rules do not report 07 (same value), but a client may send back an older diagnostic
    const text = iface(`${MAC}  <source>\n    <address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='07'/>\n  </source>\n`);
    const at = text.indexOf("'07'") + 1;
    const problem = { code: 'pci-octal' as const, severity: 'warning' as const, message: '', span: { start: at, end: at + 2 } };
    assert.deepEqual(
      codeActions(text, problem.span, [problem]).map((a) => a.title),
      ['Write 0x7 (what libvirt reads)'],
    );
  });
});

describe('quick fixes for VLAN, virtualport, driver and elements', () => {
  const VLAN = "  <vlan>\n    <tag id='42'/>\n  </vlan>\n";
  const VPORT = "  <virtualport type='802.1Qbh'>\n    <parameters profileid='finance'/>\n  </virtualport>\n";

  it('vlan-virtualport: removes either element with its lines', () => {
    const text = iface(MAC + SOURCE_104 + VLAN + VPORT);
    const fix = fixesFor(text, 'vlan-virtualport');
    assert.deepEqual(fix.titles, ['Remove <vlan>', 'Remove <virtualport>']);
    assert.equal(fix.apply(0), iface(MAC + SOURCE_104 + VPORT));
    assert.equal(fix.apply(1), iface(MAC + SOURCE_104 + VLAN));
    assert.ok(!codesOf(fix.apply(0)).includes('vlan-virtualport'));
    assert.ok(!codesOf(fix.apply(1)).includes('vlan-virtualport'));
  });

  it('vlan-trunk: keeps the first tag, drops the other tags and trunk', () => {
    const text = iface(MAC + SOURCE_104 + "  <vlan trunk='yes'>\n    <tag id='42'/>\n    <tag id='43'/>\n    <tag id='44'/>\n  </vlan>\n");
    const fix = fixesFor(text, 'vlan-trunk');
    assert.deepEqual(fix.titles, ['Keep only VLAN tag 42']);
    const fixed = fix.apply(0);
    assert.equal(fixed, iface(MAC + SOURCE_104 + VLAN));
    assert.deepEqual(codesOf(fixed), []);
  });

  it('virtualport-type: sets 802.1Qbh', () => {
    const text = iface(MAC + SOURCE_104 + "  <virtualport type='openvswitch'>\n    <parameters profileid='finance'/>\n  </virtualport>\n");
    const fixed = fixesFor(text, 'virtualport-type').apply(0);
    assert.equal(fixed, iface(MAC + SOURCE_104 + VPORT));
    assert.deepEqual(codesOf(fixed), []);
  });

  it('virtualport-type: from openvswitch with its own parameters, drops those 802.1Qbh does not take and keeps profileid', () => {
    const text = iface(
      MAC +
        SOURCE_104 +
        "  <virtualport type='openvswitch'>\n    <parameters interfaceid='09b11c53-8b5c-4eeb-8f00-d84eaa0aaa4f' profileid='finance'/>\n  </virtualport>\n",
    );
    const fix = fixesFor(text, 'virtualport-type');
    assert.deepEqual(fix.titles, ["Set type='802.1Qbh' and drop the parameters it does not take"]);
    const fixed = fix.apply(0);
    assert.equal(fixed, iface(MAC + SOURCE_104 + VPORT));
    assert.deepEqual(codesOf(fixed), []);
  });

  it('driver-name: sets vfio', () => {
    const text = iface(MAC + SOURCE_104 + "  <driver name='kvm'/>\n");
    const fixed = fixesFor(text, 'driver-name').apply(0);
    assert.equal(fixed, iface(MAC + SOURCE_104 + "  <driver name='vfio'/>\n"));
    assert.deepEqual(codesOf(fixed), []);
  });

  for (const [code, element] of [
    ['element-unsupported', "  <mtu size='9000'/>\n"],
    ['element-unsupported', "  <port isolated='yes'/>\n"],
    ['element-ignored', "  <model type='virtio'/>\n"],
  ] as const) {
    it(`${code}: removes ${element.trim()}`, () => {
      const text = iface(MAC + SOURCE_104 + element);
      const fix = fixesFor(text, code);
      assert.equal(fix.titles.length, 1);
      const fixed = fix.apply(0);
      assert.equal(fixed, iface(MAC + SOURCE_104));
      assert.deepEqual(codesOf(fixed), []);
    });
  }

  it('removes an element that shares its line with others without touching them', () => {
    const text =
      "<interface type='hostdev' managed='yes'><mac address='52:54:00:6d:90:02'/><source><address type='pci' bus='0x0b' slot='0x10' function='0x4'/></source><mtu size='9000'/></interface>";
    const fixed = fixesFor(text, 'element-unsupported').apply(0);
    assert.equal(fixed, text.replace("<mtu size='9000'/>", ''));
  });
});

describe('quick fixes never remove what a half-typed element swallowed', () => {
  it('vlan-virtualport: no "Remove <vlan>" while <vlan> has no end tag (it would take the following siblings along)', () => {
    const text = iface(
      `${MAC}${SOURCE_104}  <virtualport type='802.1Qbh'><parameters profileid='p'/></virtualport>\n  <vlan>\n    <tag id='10'/>\n  <model type='virtio'/>\n`,
    );
    const fix = fixesFor(text, 'vlan-virtualport');
    for (const a of fix.actions) assert.match(applyEdits(text, a.edits), /<model type='virtio'\/>/, a.title);
    assert.ok(fix.titles.includes('Remove <virtualport>'));
  });

  it('free VF: no replacement of a host <address> without its end (it would replace the siblings it swallowed)', () => {
    const text = iface(
      `${MAC}  <source>\n    <address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x0'>\n  </source>\n  <vlan><tag id='42'/></vlan>\n`,
    );
    const problems = validate(text, context82576()).filter((p) => p.code === 'vf-in-use');
    assert.equal(problems.length, 1);
    assert.deepEqual(codeActions(text, problems[0].span, problems, context82576()), []);
  });
});

describe('quick fixes that pick a free VF', () => {
  const withAddress = (fn: string, slot = '0x10', q = "'") =>
    iface(
      `${MAC}  <source>\n    <address type=${q}pci${q} domain=${q}0x0000${q} bus=${q}0x0b${q} slot=${q}${slot}${q} function=${q}${fn}${q}/>\n  </source>\n`,
    );

  it('vf-in-use: free VFs of the same PF first (up to 3), then one elsewhere', () => {
    const ctx = context82576();
    const fix = fixesFor(withAddress('0x0'), 'vf-in-use', ctx);
    assert.deepEqual(fix.titles, [
      "Use free VF 0000:0b:10.6 ('enp11s0f0' VF 3)",
      "Use free VF 0000:0b:11.0 ('enp11s0f0' VF 4)",
      "Use free VF 0000:0b:11.2 ('enp11s0f0' VF 5)",
      "Use free VF 0000:0b:10.5 ('enp11s0f1' VF 2)",
    ]);
    assert.equal(fix.actions[0].isPreferred, true);
    const fixed = fix.apply(0);
    assert.equal(fixed, withAddress('0x6'));
    assert.ok(!codesOf(fixed, ctx).includes('vf-in-use'));
  });

  it('preserves double quotes', () => {
    const fixed = fixesFor(withAddress('0x0', '0x10', '"'), 'vf-in-use', context82576()).apply(0);
    assert.match(fixed, /<address type="pci" domain="0x0000" bus="0x0b" slot="0x10" function="0x6"\/>/);
  });

  it("vf-in-network: free VFs of the pooled VF's PF", () => {
    const fix = fixesFor(withAddress('0x1'), 'vf-in-network', context82576());
    assert.deepEqual(fix.titles.slice(0, 3), [
      "Use free VF 0000:0b:10.5 ('enp11s0f1' VF 2)",
      "Use free VF 0000:0b:10.7 ('enp11s0f1' VF 3)",
      "Use free VF 0000:0b:11.1 ('enp11s0f1' VF 4)",
    ]);
    assert.ok(!codesOf(fix.apply(0), context82576()).includes('vf-in-network'));
  });

  it('pci-not-vf: VFs of that PF', () => {
    const fix = fixesFor(withAddress('0x0', '0x00'), 'pci-not-vf', context82576());
    assert.equal(fix.titles[0], "Use free VF 0000:0b:10.6 ('enp11s0f0' VF 3)");
    const fixed = fix.apply(0);
    assert.equal(fixed, withAddress('0x6'));
    assert.ok(!codesOf(fixed, context82576()).includes('pci-not-vf'));
  });

  it('pci-duplicate: a free VF of the same PF that the document does not use yet, and the duplicate is gone', () => {
    const ctx = context82576();
    const device = withAddress('0x4');
    const text = `<devices>\n${device}${device.replace('52:54:00:6d:90:02', '52:54:00:6d:90:03')}</devices>\n`;
    const problems = validate(text, ctx);
    const duplicates = problems.filter((p) => p.code === 'pci-duplicate');
    assert.equal(duplicates.length, 2);
    const actions = codeActions(text, duplicates[1].span, problems, ctx).filter((a) => a.fixes.includes('pci-duplicate'));
    assert.equal(actions[0].title, "Use free VF 0000:0b:10.6 ('enp11s0f0' VF 3)");
    assert.ok(
      actions.every((a) => !a.title.includes('0000:0b:10.4')),
      'not the address the document already uses',
    );
    const fixed = applyEdits(text, actions[0].edits);
    assert.ok(!codesOf(fixed, ctx).includes('pci-duplicate'), fixed);
  });

  it('pci-unknown: any free VFs', () => {
    const fix = fixesFor(withAddress('0x0', '0x12'), 'pci-unknown', context82576());
    assert.deepEqual(fix.titles, [
      "Use free VF 0000:0b:10.5 ('enp11s0f1' VF 2)",
      "Use free VF 0000:0b:10.6 ('enp11s0f0' VF 3)",
      "Use free VF 0000:0b:10.7 ('enp11s0f1' VF 3)",
    ]);
    assert.ok(!codesOf(fix.apply(2), context82576()).includes('pci-unknown'));
  });

  it('on a plain <hostdev> writes the address without type (domain.rng has no type there: define --validate rejects it)', () => {
    const text =
      "<hostdev mode='subsystem' type='pci' managed='yes'>\n  <source>\n    <address domain='0x0000' bus='0x0b' slot='0x10' function='0x0'/>\n  </source>\n</hostdev>\n";
    const fixed = fixesFor(text, 'vf-in-use', context82576()).apply(0);
    assert.equal(fixed, text.replace("function='0x0'", "function='0x6'"));
  });

  it('skips VFs the document already uses', () => {
    const text = `<devices>\n${withAddress('0x6')}${withAddress('0x0').replace('52:54:00:6d:90:02', '52:54:00:6d:90:03')}</devices>\n`;
    const fix = fixesFor(text, 'vf-in-use', context82576());
    assert.equal(fix.titles[0], "Use free VF 0000:0b:11.0 ('enp11s0f0' VF 4)");
  });
});

describe('code action selection', () => {
  it('answers only problems that overlap the requested range', () => {
    const text = iface(`  <mac address='01:00:5e:00:00:01'/>\n${SOURCE_104}  <driver name='kvm'/>\n`);
    const problems = validate(text);
    const driverAt = text.indexOf('kvm');
    const actions = codeActions(text, { start: driverAt, end: driverAt }, problems);
    assert.deepEqual(
      actions.map((a) => a.fixes),
      [['driver-name']],
    );
  });

  it('offers nothing for a problem without a fix or without an inventory for VF choices', () => {
    const text = iface(`${MAC}  <source>\n    <address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x0'/>\n  </source>\n`);
    const problems = validate(text, context82576()).filter((p) => p.code === 'vf-in-use');
    assert.deepEqual(codeActions(text, problems[0].span, problems, {}), []);
  });
});
