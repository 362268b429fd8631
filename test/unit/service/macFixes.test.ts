import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits, codeActions, validate } from '../../../server/src/service/index';
import { context82576, sequence } from './helpers';
import { SOURCE_104, codesOf, fixesFor, iface } from './quickFixHelpers';

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
