import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { deviceAt, freeVf, newInterfaceXml, validate } from '../../../server/src/service/index';
import { context82576, inventory82576, sequence } from './helpers';

/** `random` values that make freshMac try 52:54:00:<a>:<b>:<c> for each triple, in order. */
function tries(...macTails: [number, number, number][]): () => number {
  return sequence(...macTails.flat().map((octet) => (octet + 0.5) / 256));
}

const DOCUMENT = `<domain type='kvm'>
  <name>web02</name>
  <devices>
    <interface type='hostdev' managed='yes'>
      <mac address='52:54:0:6d:9:2'/>
      <source><address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x4'/></source>
    </interface>
    <!-- <mac address='52:54:00:12:34:56'/> is only a comment -->
  </devices>
</domain>
`;

describe('newInterfaceXml', () => {
  it('picks a MAC no inventory guest uses and no <mac> of the document uses, however it is written', () => {
    // web01 holds 52:54:00:aa:00:01 and db01 52:54:00:bb:00:01 (features-82576.json); the document 52:54:0:6d:9:2
    const random = tries([0xaa, 0x00, 0x01], [0xbb, 0x00, 0x01], [0x6d, 0x09, 0x02], [0x12, 0x34, 0x56]);
    const result = newInterfaceXml(DOCUMENT, '0000:0b:11.3', context82576({ random }));
    assert.ok(result);
    assert.equal(result.mac, '52:54:00:12:34:56', 'the three taken MACs are skipped; a MAC in a comment is not taken');
    assert.ok(result.xml.includes(`<mac address='${result.mac}'/>`));
  });

  it('without a document avoids the inventory MACs only', () => {
    const random = tries([0xaa, 0x00, 0x02], [0x6d, 0x09, 0x02]);
    assert.equal(newInterfaceXml(null, '0000:0b:11.3', context82576({ random }))?.mac, '52:54:00:6d:09:02');
  });

  it('writes a full hostdev interface with the VF as <source><address>, indented by the given layout', () => {
    const result = newInterfaceXml('', '0000:0B:11.3', { random: tries([0x12, 0x34, 0x56]) }, { indent: '    ', unit: '\t' });
    assert.ok(result);
    assert.equal(
      result.xml,
      [
        "<interface type='hostdev' managed='yes'>",
        "    \t<mac address='52:54:00:12:34:56'/>",
        '    \t<source>',
        "    \t\t<address type='pci' domain='0x0000' bus='0x0b' slot='0x11' function='0x3'/>",
        '    \t</source>',
        '    </interface>',
      ].join('\n'),
    );
  });

  it('indents with two spaces and nothing before the lines by default, and the result validates cleanly', () => {
    const result = newInterfaceXml(null, '0000:0b:10.6', context82576());
    assert.ok(result);
    assert.match(
      result.xml,
      /^<interface type='hostdev' managed='yes'>\n  <mac address='52:54:00(:[0-9a-f]{2}){3}'\/>\n  <source>\n    <address /,
    );
    assert.match(result.xml, /\n<\/interface>$/);
    assert.deepEqual(validate(result.xml, context82576()), []);
  });

  it('returns null for an address that is not canonical DDDD:BB:SS.F', () => {
    for (const bad of ['0b:11.3', '0000:0b:11.8', '0000:0b:11', 'web01', '']) {
      assert.equal(newInterfaceXml(null, bad, context82576()), null, bad);
    }
  });
});

describe('deviceAt and the guest name', () => {
  it('carries the guest the document defines', () => {
    assert.equal(deviceAt(DOCUMENT, DOCUMENT.indexOf('<source>'))?.guest, 'web02');
  });

  it('has no guest for a bare device snippet', () => {
    const snippet =
      "<interface type='hostdev'><source><address type='pci' domain='0' bus='11' slot='16' function='0'/></source></interface>";
    const device = deviceAt(snippet, 0);
    assert.ok(device);
    assert.equal('guest' in device, false);
  });
});

describe('freeVf', () => {
  it('says the host has no VFs, not that every VF is used, when it has none', () => {
    const inventory = inventory82576();
    inventory.devices = inventory.devices.filter((d) => d.kind !== 'vf');
    for (const d of inventory.devices) if (d.kind === 'pf') d.numVfs = 0;
    const pick = freeVf(inventory);
    assert.deepEqual(pick, {
      error: "no VF on 'kvm1': none of its PFs (0000:0b:00.0, 0000:0b:00.1) has VFs enabled (sriov_numvfs is 0)",
    });
    inventory.devices = inventory.devices.filter((d) => d.kind !== 'pf');
    assert.deepEqual(freeVf(inventory), { error: "no VF on 'kvm1': it has no SR-IOV device (no PF)" });
  });

  it('says every VF is used when there are VFs and none is free', () => {
    const inventory = inventory82576();
    inventory.networks = [{ name: 'all', active: true, addresses: inventory.devices.filter((d) => d.kind === 'vf').map((d) => d.address) }];
    assert.deepEqual(freeVf(inventory), { error: "every VF on 'kvm1' is used by a guest or an active network" });
  });
});
