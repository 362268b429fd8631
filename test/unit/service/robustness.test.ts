import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { codeActions, codeLenses, complete, deviceAt, documentSymbols, hover, validate } from '../../../server/src/service/index';
import { context82576 } from './helpers';

// Every prefix of a document is what the user has typed so far; the features must answer at each offset.
const DOC = `<domain type='kvm'>
  <name>web01</name>
  <devices>
    <interface type='hostdev' managed='yes'>
      <mac address='52:54:0:6d:9:2'/>
      <source>
        <address type='pci' domain='0x0000' bus='11' slot='020' function='0x0'/>
      </source>
      <vlan trunk='yes'><tag id='42'/><tag id='43'/></vlan>
      <virtualport type='openvswitch'/>
      <!-- <address type='pci' bus='0x0b'/> -->
      <mtu size='9000'/>
    </interface>
    <hostdev mode="subsystem" type="pci"><source><address bus="0x0b" slot="0x00" function="0x1"/></source></hostdev>
  </devices>
</domain>
`;

describe('feature robustness', () => {
  it('answers at every offset of every prefix of a half-typed domain without throwing', () => {
    const ctx = context82576();
    assert.doesNotThrow(() => {
      for (let cut = 0; cut <= DOC.length; cut += 7) {
        const text = DOC.slice(0, cut);
        const problems = validate(text, ctx);
        for (let offset = 0; offset <= text.length; offset += 5) {
          hover(text, offset, ctx);
          complete(text, offset, ctx);
          deviceAt(text, offset);
        }
        codeActions(text, { start: 0, end: text.length }, problems, ctx);
        codeLenses(text);
        documentSymbols(text);
      }
    });
  });

  it('fixes every fixable problem of the full document with edits inside the text', () => {
    const ctx = context82576();
    const problems = validate(DOC, ctx);
    const actions = codeActions(DOC, { start: 0, end: DOC.length }, problems, ctx);
    const fixed = new Set(actions.flatMap((a) => a.fixes));
    // every fixable code DOC yields (it has a MAC, and web01 is its own guest: no mac-missing, no vf-in-use)
    for (const code of ['pci-decimal', 'pci-octal', 'vlan-trunk', 'vlan-virtualport', 'virtualport-type', 'element-unsupported'] as const) {
      assert.ok(
        problems.some((p) => p.code === code),
        `DOC yields ${code}`,
      );
      assert.ok(fixed.has(code), code);
    }
    for (const a of actions)
      for (const e of a.edits) assert.ok(e.span.start >= 0 && e.span.end <= DOC.length && e.span.start <= e.span.end);
  });
});
