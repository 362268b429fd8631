import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { context82576 } from './helpers';
import { MAC, SOURCE_104, codesOf, fixesFor, iface } from './quickFixHelpers';
import { fixActions } from './quickFixHelpers';

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
      fixActions(text, problem.span, [problem]).map((a) => a.title),
      ['Write 0x7 (what libvirt reads)'],
    );
  });
});
