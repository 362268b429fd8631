import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits, codeActions, validate } from '../../../server/src/service/index';
import { context82576 } from './helpers';
import { MAC, codesOf, fixesFor, iface } from './quickFixHelpers';

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
