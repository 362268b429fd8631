import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { codeLenses } from '../../../server/src/service/index';

const DEVICE_A = "<interface type='hostdev' managed='yes'>\n      <source><address type='pci' bus='0x0b' slot='0x10' function='0x4'/></source>\n    </interface>";
const DEVICE_B = "<hostdev mode='subsystem' type='pci' managed='yes'>\n      <source><address domain='0x0000' bus='0x0b' slot='0x00' function='0x1'/></source>\n    </hostdev>";
const DOMAIN = `<domain type='kvm'>\n  <name>web01</name>\n  <devices>\n    <interface type='network'><source network='default'/></interface>\n    ${DEVICE_A}\n    ${DEVICE_B}\n  </devices>\n</domain>\n`;

describe('code lenses', () => {
  it('in a domain: attach-pick, attach and detach for that guest above each device', () => {
    const lenses = codeLenses(DOMAIN);
    assert.deepEqual(lenses.map((l) => [l.title, l.action, l.guest]), [
      ['Attach to guest…', 'attachPick', undefined],
      ['Attach to web01', 'attach', 'web01'],
      ['Detach from web01', 'detach', 'web01'],
      ['Attach to guest…', 'attachPick', undefined],
      ['Attach to web01', 'attach', 'web01'],
      ['Detach from web01', 'detach', 'web01'],
    ]);
    const a = DOMAIN.indexOf(DEVICE_A);
    const b = DOMAIN.indexOf(DEVICE_B);
    assert.deepEqual(lenses[0].deviceSpan, { start: a, end: a + DEVICE_A.length });
    assert.deepEqual(lenses[3].deviceSpan, { start: b, end: b + DEVICE_B.length });
    assert.equal(lenses[0].span.start, a);
  });

  it('in a bare device snippet: only "Attach to guest…"', () => {
    const lenses = codeLenses(`${DEVICE_A}\n`);
    assert.deepEqual(lenses.map((l) => l.action), ['attachPick']);
    assert.deepEqual(lenses[0].deviceSpan, { start: 0, end: DEVICE_A.length });
  });

  it('none for documents without hostdev devices', () => {
    assert.deepEqual(codeLenses("<domain><name>x</name><devices><interface type='network'/></devices></domain>"), []);
    assert.deepEqual(codeLenses(''), []);
  });
});
