// systemd-networkd .link files as a boot-time VF source, read by the REAL inventory script (dash) from a
// copied host (--host-root) holding Debian 12's own .link files: the first file whose [Match] fits the PF's
// interface and its SR-IOVVirtualFunctions=, hiding and masking by name, drop-ins; then what the user
// sees (vf-not-persistent, the readiness report's step 5, the VF hover).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseInventorySnapshot, serializeInventory } from '../../../server/src/inventory/snapshot';
import { readinessChecks } from '../../../server/src/service/readinessChecks';
import { persistencePhrase } from '../../../server/src/service/readiness';
import type { Inventory } from '../../../server/src/service/types';
import { hostTreesRemovedAfterEach, HostTree } from '../../support/hostTree';
import { addIntelX710 } from '../../support/sysfsTree';
import { hostRootInventory, notPersistentMessages, sourcesShown } from '../../support/persistence';

const X710 = '0000:3b:00.0';
const newHostTree = hostTreesRemovedAfterEach();

/** An X710 (i40e, 4 VFs on port 0, netdev ens59f0, MAC 3c:fd:fe:00:3b:00) on a host with Debian 12's .link files. */
function host(): HostTree {
  const tree = newHostTree();
  addIntelX710(tree.sys, { bus: 0x3b, numVfs: [4, 0] });
  tree.sys.writeIpLink();
  tree.write('usr/lib/systemd/network/73-usb-net-by-mac.link', '[Match]\nPath=*-usb-*\n\n[Link]\nNamePolicy=mac\n');
  tree.write(
    'usr/lib/systemd/network/99-default.link',
    '#  SPDX-License-Identifier: MIT-0\n\n[Match]\nOriginalName=*\n\n[Link]\nNamePolicy=keep kernel database onboard slot path\n' +
      'AlternativeNamesPolicy=database onboard slot path\nMACAddressPolicy=persistent\n',
  );
  return tree;
}

const DOMAIN = `<domain type='kvm'><name>web02</name><devices>
  <interface type='hostdev' managed='yes'><source><address type='pci' domain='0x0000' bus='0x3b' slot='0x02' function='0x0'/></source></interface>
</devices></domain>`;

const notPersistent = (inventory: Inventory) => notPersistentMessages(DOMAIN, inventory);
const show = (inventory: Inventory) => sourcesShown(inventory, X710);
const read = (tree: HostTree) => hostRootInventory(tree.root);

test('a .link file in /etc/systemd/network whose [Match] fits the PF sets its VFs at boot: a source the hover and step 5 name', async () => {
  const tree = host();
  tree.write('etc/systemd/network/10-sriov.link', '[Match]\nMACAddress=3c:fd:fe:00:3b:00\n\n[Link]\nSR-IOVVirtualFunctions=4\n');
  const inventory = await read(tree);
  const detail = 'line 5: SR-IOVVirtualFunctions=4 ([Match] MACAddress=3c:fd:fe:00:3b:00)';
  assert.deepEqual(show(inventory), [`systemd-networkd /etc/systemd/network/10-sriov.link: ${detail} (4)`]);
  assert.deepEqual(notPersistent(inventory), []);
  const step5 = readinessChecks(inventory).find((c) => c.id === 'vfs-persistent')!;
  assert.equal(step5.status, 'pass', step5.details.join('\n'));
  assert.equal(
    persistencePhrase(inventory.readiness!, X710, 4)?.text,
    `VFs persistent via systemd-networkd .link file (/etc/systemd/network/10-sriov.link: ${detail})`,
  );
  assert.deepEqual(parseInventorySnapshot(serializeInventory(inventory), 'kvm1.json').readiness, inventory.readiness);

  // a drop-in sets the count, by Path=; a /run file of the same name is hidden by /etc's
  tree.write('etc/systemd/network/10-sriov.link', '[Match]\nPath=pci-0000:3b:00.0\n');
  tree.write('etc/systemd/network/10-sriov.link.d/vfs.conf', '[Link]\nSR-IOVVirtualFunctions=2\n');
  tree.write('run/systemd/network/10-sriov.link', '[Match]\nDriver=i40e\n[Link]\nSR-IOVVirtualFunctions=0\n');
  const dropIn = await read(tree);
  assert.deepEqual(show(dropIn), [
    'systemd-networkd /etc/systemd/network/10-sriov.link.d/vfs.conf: line 2: SR-IOVVirtualFunctions=2 ([Match] Path=pci-0000:3b:00.0) (2)',
  ]);
  assert.equal(dropIn.readiness!.vfRemovals, undefined);
  // the boot makes 2 of the PF's 4 VFs
  assert.ok(persistencePhrase(dropIn.readiness!, X710, 4)?.text.startsWith('a boot restores 2 of the 4 VFs (VFs 2..3 will not come back)'));
});

test('a .link file sorting after 99-default.link never applies: vf-not-persistent names it, the file that applies and the fix; masking 99-default.link makes it apply', async () => {
  const tree = host();
  tree.write('etc/systemd/network/sriov.link', '[Match]\nDriver=i40e\n\n[Link]\nSR-IOVVirtualFunctions=4\n');
  const inventory = await read(tree);
  assert.deepEqual(show(inventory), []);
  assert.deepEqual(inventory.readiness!.vfIgnored?.[X710], [
    {
      mechanism: 'systemd-networkd',
      file: 'etc/systemd/network/sriov.link',
      detail: 'line 5: SR-IOVVirtualFunctions=4 ([Match] Driver=i40e)',
      count: 4,
      reason: 'earlier-link-file',
      appliedInstead: 'usr/lib/systemd/network/99-default.link',
    },
  ]);
  const [message] = notPersistent(inventory);
  assert.ok(
    message.includes(
      'systemd-networkd .link file (/etc/systemd/network/sriov.link: line 5: SR-IOVVirtualFunctions=4 ([Match] Driver=i40e)) never applies to this PF: ' +
        'udev applies only the first .link file, in the order of file names, whose [Match] fits the interface, and ' +
        '/usr/lib/systemd/network/99-default.link comes first and fits it',
    ),
    message,
  );
  assert.ok(message.includes('give the file a name that sorts before 99-default.link'), message);
  const step5 = readinessChecks(inventory).find((c) => c.id === 'vfs-persistent')!;
  assert.equal(step5.status, 'warn');
  assert.ok(
    step5.details.some((d) => d.includes('/usr/lib/systemd/network/99-default.link comes first')),
    step5.details.join('\n'),
  );
  assert.deepEqual(parseInventorySnapshot(serializeInventory(inventory), 'kvm1.json').readiness, inventory.readiness);

  // masked by a symlink to /dev/null in /etc (to keep the kernel's names): sriov.link is the first that fits
  fs.symlinkSync('/dev/null', path.join(tree.root, 'etc/systemd/network/99-default.link'));
  assert.deepEqual(show(await read(tree)), [
    'systemd-networkd /etc/systemd/network/sriov.link: line 5: SR-IOVVirtualFunctions=4 ([Match] Driver=i40e) (4)',
  ]);
  // an empty file masks it too
  fs.rmSync(path.join(tree.root, 'etc/systemd/network/99-default.link'));
  tree.write('etc/systemd/network/99-default.link', '');
  assert.equal(show(await read(tree)).length, 1);
});

test('a .link file whose name needs encoding is read; one whose [Match] the inventory cannot decide counts, saying so', async () => {
  const tree = host();
  tree.write('etc/systemd/network/10 sriov:x.link', '[Match]\nOriginalName=eth2\n[Link]\nSR-IOVVirtualFunctions=4\n');
  assert.deepEqual(show(await read(tree)), [
    'systemd-networkd /etc/systemd/network/10 sriov:x.link: line 4: SR-IOVVirtualFunctions=4 ' +
      '([Match] OriginalName=eth2; cannot tell whether its OriginalName=eth2 holds for this PF at boot) (4)',
  ]);
  // drop-ins whose paths need encoding are read too; one masked by an empty file of its name is not
  tree.write('etc/systemd/network/10 sriov:x.link', '[Match]\nDriver=i40e\n');
  tree.write('usr/lib/systemd/network/10 sriov:x.link.d/vfs.conf', '[Link]\nSR-IOVVirtualFunctions=2\n');
  tree.write('run/systemd/network/10 sriov:x.link.d/count 6.conf', '[Link]\nSR-IOVVirtualFunctions=6\n');
  assert.deepEqual(show(await read(tree)), [
    'systemd-networkd /usr/lib/systemd/network/10 sriov:x.link.d/vfs.conf: line 2: SR-IOVVirtualFunctions=2 ([Match] Driver=i40e) (2)',
  ]);
  tree.write('etc/systemd/network/10 sriov:x.link.d/vfs.conf', '');
  assert.deepEqual(show(await read(tree)), [
    'systemd-networkd /run/systemd/network/10 sriov:x.link.d/count 6.conf: line 2: SR-IOVVirtualFunctions=6 ([Match] Driver=i40e) (6)',
  ]);
});
