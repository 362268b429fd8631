// VF persistence the Debian way, read by the REAL inventory script (dash) from a copied host
// (--host-root): modprobe.d lines continued with a backslash, modprobe.d install lines, and ifupdown's
// /etc/network/interfaces with the files it sources; then what the user sees (vf-not-persistent, the
// readiness report's step 5, the VF hover).
import * as fs from 'node:fs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseInventorySnapshot, serializeInventory } from '../../../server/src/inventory/snapshot';
import { readinessChecks } from '../../../server/src/service/readinessChecks';
import { persistencePhrase } from '../../../server/src/service/readiness';
import type { Inventory } from '../../../server/src/service/types';
import { hostTreesRemovedAfterEach, HostTree } from '../../support/hostTree';
import { addIntel82576, addIntelX710 } from '../../support/sysfsTree';
import { hostRootInventory, notPersistentMessages, sourcesShown } from '../../support/persistence';

const PF0 = '0000:0b:00.0';
const X710 = '0000:3b:00.0';
const newHostTree = hostTreesRemovedAfterEach();

/** An 82576 (igb, 7 VFs per port) and an X710 (i40e, 4 VFs on port 0, netdev ens59f0). */
function host(): HostTree {
  const tree = newHostTree();
  addIntel82576(tree.sys);
  addIntelX710(tree.sys, { bus: 0x3b, numVfs: [4, 0] });
  tree.sys.writeIpLink();
  tree.module('igb', { max_vfs: '0' });
  return tree;
}

const read = (tree: HostTree) => hostRootInventory(tree.root);

const DOMAIN = `<domain type='kvm'><name>web02</name><devices>
  <interface type='hostdev' managed='yes'><source><address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x0'/></source></interface>
  <interface type='hostdev' managed='yes'><source><address type='pci' domain='0x0000' bus='0x3b' slot='0x02' function='0x0'/></source></interface>
</devices></domain>`;

const notPersistent = (inventory: Inventory) => notPersistentMessages(DOMAIN, inventory);
const show = sourcesShown;

test('modprobe.d: an options line continued with a backslash and an install line that writes sriov_numvfs are sources; no vf-not-persistent', async () => {
  const tree = host();
  tree.write('etc/modprobe.d/igb.conf', '# VFs for the uplinks\noptions igb \\\n    max_vfs=7 \\\n    debug=0\n');
  tree.write(
    'etc/modprobe.d/i40e-sriov.conf',
    'install i40e /sbin/modprobe --ignore-install i40e && \\\n  echo 4 > /sys/class/net/ens59f0/device/sriov_numvfs\n',
  );
  const inventory = await read(tree);
  // the whole logical line, its last part too
  assert.deepEqual(show(inventory, PF0), ['modprobe /etc/modprobe.d/igb.conf: options igb max_vfs=7 debug=0 (7)']);
  assert.deepEqual(show(inventory, X710), [
    'modprobe /etc/modprobe.d/i40e-sriov.conf: install i40e /sbin/modprobe --ignore-install i40e && echo 4 > /sys/class/net/ens59f0/device/sriov_numvfs (4)',
  ]);
  assert.deepEqual(notPersistent(inventory), []);
  const step5 = readinessChecks(inventory).find((c) => c.id === 'vfs-persistent')!;
  assert.equal(step5.status, 'pass', step5.details.join('\n'));
  // a comment ending in a backslash swallows the options line after it (kmod): the VFs are runtime-only
  tree.write('etc/modprobe.d/igb.conf', '# VFs for the uplinks \\\noptions igb max_vfs=7\n');
  assert.deepEqual(show(await read(tree), PF0), []);
});

test('modprobe.d: a file of the same name in /etc that links to /dev/null or to nothing, or is empty, masks the packaged one; /usr/local/lib/modprobe.d is read', async () => {
  const tree = host();
  tree.write('usr/lib/modprobe.d/igb.conf', 'options igb max_vfs=7\n');
  let inventory = await read(tree);
  assert.deepEqual(show(inventory, PF0), ['modprobe /usr/lib/modprobe.d/igb.conf: options igb max_vfs=7 (7)']);
  // the X710's VFs have no source in this tree: only the 82576's VF is told apart below
  assert.equal(notPersistent(inventory).length, 1);
  // masked as systemd masks: kmod (modprobe --showconfig) then applies no options line for igb
  const masked = tree.write('etc/modprobe.d/igb.conf', '');
  inventory = await read(tree);
  assert.deepEqual(show(inventory, PF0), []);
  assert.equal(notPersistent(inventory).length, 2);
  fs.rmSync(masked);
  fs.symlinkSync('/dev/null', masked);
  assert.deepEqual(show(await read(tree), PF0), []);
  // a link to nothing hides it too (kmod finds the name, reads no line)
  fs.rmSync(masked);
  fs.symlinkSync('/nonexistent/igb.conf', masked);
  assert.deepEqual(show(await read(tree), PF0), []);
  fs.rmSync(masked);
  // kmod reads /usr/local/lib/modprobe.d after /run and before /usr/lib, whose file of that name it hides
  tree.write('usr/local/lib/modprobe.d/igb.conf', 'options igb max_vfs=3\n');
  inventory = await read(tree);
  assert.deepEqual(show(inventory, PF0), ['modprobe /usr/local/lib/modprobe.d/igb.conf: options igb max_vfs=3 (3)']);
});

test('modprobe.d: kmod reads *.alias files beside *.conf (not other names), and a line ending in CRLF keeps its count', async () => {
  const tree = host();
  // modprobe --showconfig (kmod 30) lists an options line of /etc/modprobe.d/*.alias, none of *.txt; it keeps the
  // \r of a CRLF line in the value, and the kernel's parse_args ends a value at any blank, \r too
  tree.write('etc/modprobe.d/sriov.txt', 'options igb max_vfs=5\n');
  assert.deepEqual(show(await read(tree), PF0), []);
  tree.write('etc/modprobe.d/sriov.alias', 'options igb max_vfs=7\r\n');
  assert.deepEqual(show(await read(tree), PF0), ['modprobe /etc/modprobe.d/sriov.alias: options igb max_vfs=7 (7)']);
  // sriov.alias and sriov.conf are two names: both are read, by name, and the last value counts
  tree.write('usr/lib/modprobe.d/sriov.conf', 'options igb max_vfs=2\n');
  assert.deepEqual(show(await read(tree), PF0), ['modprobe /usr/lib/modprobe.d/sriov.conf: options igb max_vfs=2 (2)']);
});

test('modprobe.d: the fix meets what kmod reads: a max_vfs=0 read last is changed where it is, a masked igb.conf is left for another name', async () => {
  const tree = host();
  const fixOf = (inventory: Inventory) => {
    const step5 = readinessChecks(inventory).find((c) => c.id === 'vfs-persistent')!;
    return step5.details.find((d) => d.startsWith(`${PF0}:`));
  };
  // kmod reads igb.conf before sriov.conf: a line added to igb.conf would still end at 0
  tree.write('etc/modprobe.d/sriov.conf', '# no VFs by default\noptions igb max_vfs=0\n');
  let inventory = await read(tree);
  assert.deepEqual(show(inventory, PF0), []);
  assert.equal(
    fixOf(inventory),
    `${PF0}: created at runtime only, lost at reboot: change max_vfs=0 to max_vfs=7 in /etc/modprobe.d/sriov.conf ` +
      '("options igb max_vfs=0": the last max_vfs kmod gives igb, which the kernel keeps) (and rebuild the initramfs if igb loads from it)',
  );
  assert.match(notPersistent(inventory)[0], /To keep its 7 VFs, change max_vfs=0 to max_vfs=7 in \/etc\/modprobe\.d\/sriov\.conf /);
  // a later file's count wins over the 0, which then needs no change
  tree.write('etc/modprobe.d/zz-igb.conf', 'options igb max_vfs=7\n');
  inventory = await read(tree);
  assert.deepEqual(show(inventory, PF0), ['modprobe /etc/modprobe.d/zz-igb.conf: options igb max_vfs=7 (7)']);
  assert.equal(inventory.readiness!.vfZeroOptions, undefined);
  fs.rmSync(`${tree.root}/etc/modprobe.d/zz-igb.conf`);
  fs.rmSync(`${tree.root}/etc/modprobe.d/sriov.conf`);
  // /etc/modprobe.d/igb.conf linked to /dev/null: a line "added" to it goes nowhere
  tree.write('usr/lib/modprobe.d/igb.conf', 'options igb max_vfs=7\n');
  fs.symlinkSync('/dev/null', `${tree.root}/etc/modprobe.d/igb.conf`);
  inventory = await read(tree);
  assert.deepEqual(inventory.readiness!.maskedModprobe, ['etc/modprobe.d/igb.conf']);
  assert.equal(
    fixOf(inventory),
    `${PF0}: created at runtime only, lost at reboot: add "options igb max_vfs=7" to /etc/modprobe.d/igb-sriov.conf ` +
      '(/etc/modprobe.d/igb.conf masks its name: a line there may never be read) (and rebuild the initramfs if igb loads from it)',
  );
});

test('ifupdown: an auto stanza in a sourced file is a source the hover and step 5 name; one no boot brings up is reported with its fix', async () => {
  const tree = host();
  tree.write('etc/network/interfaces', '# interfaces(5)\nsource /etc/network/interfaces.d/*\n\nauto lo\niface lo inet loopback\n');
  tree.write(
    'etc/network/interfaces.d/sriov',
    [
      'auto ens59f0',
      'iface ens59f0 inet manual',
      '    pre-up echo 4 > /sys/class/net/$IFACE/device/sriov_numvfs',
      '',
      'iface enp11s0f0 inet manual',
      '    pre-up echo 7 > /sys/bus/pci/devices/0000:0b:00.0/sriov_numvfs',
      '',
    ].join('\n'),
  );
  // not sourced by interfaces: ifupdown never reads it
  tree.write(
    'etc/network/sriov-old',
    'auto enp11s0f0\niface enp11s0f0 inet manual\n  pre-up echo 7 > /sys/class/net/$IFACE/device/sriov_numvfs\n',
  );
  const inventory = await read(tree);
  const r = inventory.readiness!;
  const stanza = 'iface ens59f0 inet manual: pre-up echo 4 > /sys/class/net/$IFACE/device/sriov_numvfs';
  assert.deepEqual(show(inventory, X710), [`ifupdown /etc/network/interfaces.d/sriov: ${stanza} (4)`]);
  assert.deepEqual(show(inventory, PF0), []);
  const notAtBoot = 'iface enp11s0f0 inet manual: pre-up echo 7 > /sys/bus/pci/devices/0000:0b:00.0/sriov_numvfs';
  assert.deepEqual(r.vfNotAtBoot?.[PF0], [{ mechanism: 'ifupdown', file: 'etc/network/interfaces.d/sriov', detail: notAtBoot, count: 7 }]);

  const advice =
    `ifupdown (/etc/network/interfaces.d/sriov: ${notAtBoot}) sets 7 VFs, but no "auto" or "allow-hotplug" line names that interface, ` +
    'so a boot does not bring it up and it creates none: add "auto enp11s0f0" to /etc/network/interfaces';
  const messages = notPersistent(inventory);
  assert.equal(messages.length, 1, messages.join('\n'));
  assert.ok(messages[0].includes(advice), messages[0]);
  const step5 = readinessChecks(inventory).find((c) => c.id === 'vfs-persistent')!;
  assert.ok(step5.details.includes(`${PF0}: ${advice}`), step5.details.join('\n'));
  // the VF hover of the X710's VF names the stanza with its file
  assert.equal(persistencePhrase(r, X710, 4)?.text, `VFs persistent via ifupdown (/etc/network/interfaces.d/sriov: ${stanza})`);
  assert.deepEqual(parseInventorySnapshot(serializeInventory(inventory), 'kvm1.json').readiness, r);
});

test('the script sends every line of these files: a continued auto line and a continued options line end where their last backslash says; a backslash before CRLF continues nothing', async () => {
  const tree = host();
  // the line after a continued one names nothing looked for: it is sent all the same
  tree.write(
    'etc/network/interfaces',
    'auto lo \\\n  ens59f0\niface ens59f0 inet manual\n    pre-up echo 4 > /sys/class/net/$IFACE/device/sriov_numvfs\n',
  );
  tree.write('etc/modprobe.d/igb.conf', 'options igb \\\n    max_vfs=7 \\\n    debug=0\n');
  const inventory = await read(tree);
  assert.deepEqual(show(inventory, X710), [
    'ifupdown /etc/network/interfaces: iface ens59f0 inet manual: pre-up echo 4 > /sys/class/net/$IFACE/device/sriov_numvfs (4)',
  ]);
  assert.deepEqual(show(inventory, PF0), ['modprobe /etc/modprobe.d/igb.conf: options igb max_vfs=7 debug=0 (7)']);
  // written on Windows: ifupdown reads "echo 4 > \" and kmod "options igb \": neither makes a VF
  tree.write(
    'etc/network/interfaces',
    'auto ens59f0\r\niface ens59f0 inet manual\r\n  pre-up echo 4 > \\\r\n  /sys/class/net/$IFACE/device/sriov_numvfs\r\n',
  );
  tree.write('etc/modprobe.d/igb.conf', 'options igb \\\r\n  max_vfs=7\r\n');
  const crlf = await read(tree);
  assert.deepEqual(show(crlf, X710), []);
  assert.deepEqual(show(crlf, PF0), []);
});
