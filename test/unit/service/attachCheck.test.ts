// checkDeviceForGuest: a device checked as a device of the guest it is about to be attached to, whatever
// file it came from: other guests' use of its VF, and the guest's own VF or MAC a second time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDeviceForGuest } from '../../../server/src/service/index';
import { context82576 } from './helpers';

const device = (fn: string, mac: string) =>
  `<interface type='hostdev' managed='yes'><mac address='${mac}'/><source><address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='${fn}'/></source></interface>`;

test("checkDeviceForGuest: the guest's own VF again is pci-duplicate, its own MAC again mac-duplicate, each on its element", () => {
  // web01 (running) has 0000:0b:10.0 with 52:54:00:aa:00:01, in its persistent definition and live
  const xml = device('0x0', '52:54:00:AA:00:01');
  const found = checkDeviceForGuest(xml, 'web01', context82576());
  assert.deepEqual(
    found.map((p) => [p.code, p.severity, xml.slice(p.span.start, p.span.end).slice(0, 12)]),
    [
      ['pci-duplicate', 'error', '<address typ'],
      ['mac-duplicate', 'warning', '<mac address'],
    ],
  );
  assert.equal(
    found[0].message,
    "'web01' already has host PCI address 0000:0b:10.0 (in its persistent definition and live): attaching it again puts it in the guest twice — " +
      'define/attach fails; libvirt: "XML error: Hostdev already exists in the domain configuration". attach-device --config of an <interface> ' +
      "does not check this, and the guest then fails to start. Detach its device first, or edit the guest's definition.",
  );
  assert.match(found[1].message, /^'web01' already has an interface with MAC 52:54:00:aa:00:01 — /);
});

test('checkDeviceForGuest: another guest holding the VF is vf-in-use as seen from the guest picked; a free VF and a fresh MAC are clean', () => {
  // db01 (shut off) has 0000:0b:10.2 in its persistent definition: a warning for web01, none for db01's own use but the duplicate
  assert.deepEqual(
    checkDeviceForGuest(device('0x2', '52:54:00:12:34:56'), 'web01', context82576()).map((p) => [p.code, p.severity]),
    [['vf-in-use', 'warning']],
  );
  assert.deepEqual(
    checkDeviceForGuest(device('0x2', '52:54:00:12:34:56'), 'db01', context82576()).map((p) => p.code),
    ['pci-duplicate'],
  );
  assert.deepEqual(checkDeviceForGuest(device('0x6', '52:54:00:12:34:56'), 'web01', context82576()), []);
  // a guest the inventory does not know has nothing of its own to repeat
  assert.deepEqual(checkDeviceForGuest(device('0x6', '52:54:00:aa:00:01'), 'nosuch', context82576()), []);
});
