import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { deviceAt, documentSymbols } from '../../../server/src/service/index';
import { cursor } from './helpers';

const IFACE =
  "<interface type='hostdev' managed='yes'>\n    <mac address='52:54:0:6d:9:2'/>\n    <source><address type='pci' domain='0' bus='11' slot='0x10' function='0'/></source>\n    <vlan><tag id='42'/></vlan>\n  </interface>";
const HOSTDEV =
  "<hostdev mode='subsystem' type='pci' managed='yes'>\n    <source><address domain='0x0000' bus='0x0b' slot='0x00' function='0x1'/></source>\n  </hostdev>";
const DOMAIN = `<domain type='kvm'>\n<name>web01</name>\n<devices>\n  ${IFACE}\n  ${HOSTDEV}\n</devices>\n</domain>\n`;

describe('document symbols', () => {
  it('one per device, named by kind and canonical host address, with MAC and VLAN as detail', () => {
    const symbols = documentSymbols(DOMAIN);
    assert.deepEqual(
      symbols.map((s) => [s.name, s.detail, s.kind]),
      [
        ['interface hostdev 0000:0b:10.0', 'mac 52:54:00:6d:09:02 · vlan 42', 'interface'],
        ['hostdev 0000:0b:00.1', '', 'hostdev'],
      ],
    );
    const start = DOMAIN.indexOf(IFACE);
    assert.deepEqual(symbols[0].span, { start, end: start + IFACE.length });
    assert.equal(DOMAIN.slice(symbols[0].selectionSpan.start, symbols[0].selectionSpan.end), 'interface');
  });

  it('names a device without a readable host address', () => {
    const symbols = documentSymbols(
      "<interface type='hostdev'><source><address type='pci' bus='0b'/></source></interface><interface type='hostdev'/>",
    );
    assert.deepEqual(
      symbols.map((s) => s.name),
      ['interface hostdev (unreadable address)', 'interface hostdev (no host address)'],
    );
  });
});

describe('deviceAt', () => {
  it('returns the exact text of the device around the cursor', () => {
    const { text, offset } = cursor(DOMAIN.replace("bus='0x0b' slot='0x00'", "bus='0x0b' sl|ot='0x00'"));
    const device = deviceAt(text, offset);
    assert.ok(device);
    assert.equal(device.xml, HOSTDEV);
    assert.equal(text.slice(device.span.start, device.span.end), HOSTDEV);
  });

  it("names the guest of the <domain> around the device, not the file's first one", () => {
    const second = DOMAIN.replace('web01', 'db02');
    const { text, offset } = cursor(DOMAIN + second.replace("bus='0x0b' slot='0x00'", "bus='0x0b' sl|ot='0x00'"));
    assert.equal(deviceAt(text, offset)?.guest, 'db02');
    assert.equal(deviceAt(text, text.indexOf("slot='0x00'"))?.guest, 'web01');
    assert.equal(deviceAt(`${IFACE}\n${HOSTDEV}\n`, 3)?.guest, undefined);
  });

  it('returns nothing outside a device when the document has several', () => {
    const { text, offset } = cursor(DOMAIN.replace('<name>', '<na|me>'));
    assert.equal(deviceAt(text, offset), null);
    assert.equal(deviceAt(DOMAIN, null), null);
  });

  it('falls back to the only device for a null offset or an offset outside it', () => {
    const text = `<!-- VF for web01 -->\n${IFACE}\n`;
    assert.equal(deviceAt(text, null)?.xml, IFACE);
    assert.equal(deviceAt(text, 3)?.xml, IFACE);
  });

  it('returns null for a document without devices', () => {
    assert.equal(deviceAt('<domain/>', 0), null);
  });
});
