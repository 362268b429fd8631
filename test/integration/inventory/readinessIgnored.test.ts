// Lines that read like VF persistence and make no VF, read by the REAL inventory script (dash) from a
// copied host: a module option its driver lacks (/sys/module lists its parameters), a udev rule on the
// PCI add event, and NetworkManager keyfiles by the mode and owner the script saw.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readinessChecks } from '../../../server/src/service/readinessChecks';
import type { Inventory } from '../../../server/src/service/types';
import { hostTreesRemovedAfterEach, HostTree } from '../../support/hostTree';
import { addIntelX710 } from '../../support/sysfsTree';
import { hostRootInventory } from '../../support/persistence';

const X710 = '0000:3b:00.0';
const newHostTree = hostTreesRemovedAfterEach();

/** An X710 (i40e, 4 VFs on port 0, netdev ens59f0) whose module is loaded without max_vfs. */
function host(): HostTree {
  const tree = newHostTree();
  addIntelX710(tree.sys, { bus: 0x3b, numVfs: [4, 0] });
  tree.sys.writeIpLink();
  tree.module('i40e', { debug: '-1' });
  return tree;
}

const read = (tree: HostTree) => hostRootInventory(tree.root);

const step5 = (inventory: Inventory) => readinessChecks(inventory).find((c) => c.id === 'vfs-persistent')!;

test('options i40e max_vfs=4 and i40e.max_vfs=4 on the command line make no VF: i40e has no such parameter in /sys/module', async () => {
  const tree = host();
  tree.write('etc/modprobe.d/i40e.conf', 'options i40e max_vfs=4\n');
  tree.write('proc/cmdline', 'ro intel_iommu=on i40e.max_vfs=4\n');
  const inventory = await read(tree);
  const r = inventory.readiness!;
  assert.deepEqual(r.vfPersistence[X710], []);
  assert.deepEqual(
    r.vfIgnored?.[X710]?.map((s) => `${s.reason} ${s.detail}`),
    ['no-such-parameter i40e.max_vfs=4', 'no-such-parameter options i40e max_vfs=4'],
  );
  const check = step5(inventory);
  assert.equal(check.status, 'warn');
  assert.match(check.details.join('\n'), /i40e has no max_vfs parameter/);
  // a driver that has it: the same line counts
  fs.writeFileSync(path.join(tree.root, 'sys/module/i40e/parameters/max_vfs'), '0\n');
  assert.equal((await read(tree)).readiness!.vfPersistence[X710].length, 2);
});

test('a udev rule on the PCI add event makes no VF; the same rule on bind does', async () => {
  const tree = host();
  const rule = (action: string) => `ACTION=="${action}", SUBSYSTEM=="pci", KERNEL=="${X710}", ATTR{sriov_numvfs}="4"\n`;
  tree.write('etc/udev/rules.d/70-sriov.rules', rule('add'));
  const before = await read(tree);
  assert.deepEqual(before.readiness!.vfPersistence[X710], []);
  assert.equal(before.readiness!.vfIgnored?.[X710]?.[0].reason, 'before-driver');
  assert.equal(step5(before).status, 'warn');
  tree.write('etc/udev/rules.d/70-sriov.rules', rule('bind'));
  const after = await read(tree);
  assert.equal(after.readiness!.vfPersistence[X710].length, 1);
  assert.equal(step5(after).status, 'pass');
});

test('a NetworkManager keyfile with mode 0644 makes no VF and is named with the fix; at 0600 it counts; the script reports the mode it saw', async () => {
  const tree = host();
  const file = 'etc/NetworkManager/system-connections/pf.nmconnection';
  const profile = '[connection]\nid=pf\ntype=ethernet\ninterface-name=ens59f0\n\n[sriov]\ntotal-vfs=4\n';
  tree.write(file, profile, 0o644);
  const open = await read(tree);
  assert.deepEqual(open.readiness!.vfPersistence[X710], []);
  assert.deepEqual(
    open.readiness!.vfIgnored?.[X710]?.map((s) => [s.reason, s.mode, s.owner]),
    [['insecure-keyfile', '644', process.getuid?.()]],
  );
  assert.match(
    step5(open).details.join('\n'),
    /pf\.nmconnection: .*\): NetworkManager does not load this keyfile \("File permissions \(644\) are insecure"\)/,
  );
  tree.write(file, profile, 0o600);
  const closed = await read(tree);
  const expected = process.getuid?.() === 0 ? 1 : 0;
  assert.equal(closed.readiness!.vfPersistence[X710].length, expected, 'counts when root owns it');
});

test('an enabled unit masked in /etc (a link to /dev/null over its /usr/lib file) makes no VF; unmasked it does', async () => {
  const tree = host();
  const unit = '[Service]\nType=oneshot\nExecStart=/bin/sh -c "echo 4 > /sys/class/net/ens59f0/device/sriov_numvfs"\n';
  tree.write('usr/lib/systemd/system/sriov-vfs.service', unit);
  const wants = path.join(tree.root, 'etc/systemd/system/multi-user.target.wants');
  fs.mkdirSync(wants, { recursive: true });
  fs.symlinkSync('/usr/lib/systemd/system/sriov-vfs.service', path.join(wants, 'sriov-vfs.service'));
  fs.symlinkSync('/dev/null', path.join(tree.root, 'etc/systemd/system/sriov-vfs.service'));
  const masked = await read(tree);
  assert.deepEqual(masked.readiness!.vfPersistence[X710], []);
  assert.deepEqual(
    masked.readiness!.vfIgnored?.[X710]?.map((s) => `${s.reason} ${s.file}`),
    ['masked-unit usr/lib/systemd/system/sriov-vfs.service'],
  );
  assert.equal(step5(masked).status, 'warn');
  assert.match(step5(masked).details.join('\n'), /the unit is masked .*: systemctl unmask sriov-vfs\.service/);
  fs.unlinkSync(path.join(tree.root, 'etc/systemd/system/sriov-vfs.service'));
  assert.equal((await read(tree)).readiness!.vfPersistence[X710].length, 1);
});

test('an ExecStart that redirects without a shell (systemd passes ">" to echo as a word) makes no VF; through sh -c it does', async () => {
  const tree = host();
  tree.unit('sriov-vfs.service', '[Service]\nType=oneshot\nExecStart=/usr/bin/echo 4 > /sys/class/net/ens59f0/device/sriov_numvfs\n');
  const bare = await read(tree);
  assert.deepEqual(bare.readiness!.vfPersistence[X710], []);
  assert.deepEqual(
    bare.readiness!.vfIgnored?.[X710]?.map((s) => s.reason),
    ['no-shell'],
  );
  assert.match(step5(bare).details.join('\n'), /without a shell, so its ">" or "\|" is a word passed to the program/);
  tree.write(
    'etc/systemd/system/sriov-vfs.service',
    '[Service]\nType=oneshot\nExecStart=/bin/sh -c "echo 4 > /sys/class/net/ens59f0/device/sriov_numvfs"\n',
  );
  assert.equal((await read(tree)).readiness!.vfPersistence[X710].length, 1);
});

test("modprobe.d's blacklist of the PF's driver, or an install line that loads nothing, keeps its VFs from coming back: named with the fix", async () => {
  const tree = host();
  tree.write('etc/modprobe.d/i40e.conf', 'blacklist i40e\n');
  const listed = await read(tree);
  assert.deepEqual(
    listed.readiness!.vfIgnored?.[X710]?.map((s) => `${s.reason} ${s.detail}`),
    ['driver-blacklisted blacklist i40e'],
  );
  assert.equal(step5(listed).status, 'warn');
  assert.match(step5(listed).details.join('\n'), /kmod skips for a blacklisted module.*blacklist the VF driver iavf instead/);
  tree.write('etc/modprobe.d/i40e.conf', 'install i40e /bin/false\n');
  assert.deepEqual(
    (await read(tree)).readiness!.vfIgnored?.[X710]?.map((s) => s.reason),
    ['driver-not-loaded'],
  );
  // Debian's own form loads it (the name before the options variable): nothing to say
  tree.write('etc/modprobe.d/i40e.conf', 'install i40e /sbin/modprobe --ignore-install i40e $CMDLINE_OPTS\nblacklist iavf\n');
  assert.equal((await read(tree)).readiness!.vfIgnored?.[X710], undefined);
});

test('the real script reads the files kmod and udev never read: a VF count there is file-not-read, named with the mv; a backup is not', async () => {
  const tree = host();
  tree.module('i40e', { max_vfs: '0' });
  tree.write('etc/modprobe.d/i40e', 'options i40e max_vfs=4\n');
  tree.write('etc/modprobe.d/i40e.conf.bak', 'options i40e max_vfs=4\n');
  tree.write('etc/udev/rules.d/70 sriov.rule', 'ACTION=="add", SUBSYSTEM=="net", KERNEL=="ens59f0", ATTR{device/sriov_numvfs}="4"\n');
  const inventory = await read(tree);
  const r = inventory.readiness!;
  assert.deepEqual(r.vfPersistence[X710], []);
  assert.deepEqual(r.vfIgnored?.[X710]?.map((s) => `${s.reason} ${s.mechanism} ${s.file}`).sort(), [
    'file-not-read modprobe etc/modprobe.d/i40e',
    'file-not-read udev etc/udev/rules.d/70 sriov.rule',
  ]);
  const details = step5(inventory).details.join('\n');
  assert.match(details, /mv -i \/etc\/modprobe\.d\/i40e \/etc\/modprobe\.d\/i40e\.conf/);
  assert.match(details, /mv -i '\/etc\/udev\/rules\.d\/70 sriov\.rule' '\/etc\/udev\/rules\.d\/70 sriov\.rules'/);
  // renamed as advised, both are sources
  fs.renameSync(path.join(tree.root, 'etc/modprobe.d/i40e'), path.join(tree.root, 'etc/modprobe.d/i40e.conf'));
  fs.renameSync(path.join(tree.root, 'etc/udev/rules.d/70 sriov.rule'), path.join(tree.root, 'etc/udev/rules.d/70 sriov.rules'));
  const after = await read(tree);
  assert.equal(after.readiness!.vfPersistence[X710].length, 2);
  assert.equal(after.readiness!.vfIgnored?.[X710], undefined);
});

test("the real script: a misspelt parameter and a VF count for the VFs' driver (iavf) make no VF and are named with the fix", async () => {
  const tree = host();
  tree.module('i40e', { max_vfs: '0' });
  tree.write('etc/modprobe.d/i40e.conf', 'options i40e maxvfs=4\n');
  tree.write('etc/modprobe.d/iavf.conf', 'options iavf max_vfs=4\n');
  const inventory = await read(tree);
  assert.deepEqual(inventory.readiness!.vfPersistence[X710], []);
  assert.deepEqual(
    inventory.readiness!.vfIgnored?.[X710]?.map((s) => `${s.reason} ${s.param} ${s.meant}`),
    ['no-such-parameter maxvfs max_vfs', 'vf-driver-option max_vfs undefined'],
  );
  const details = step5(inventory).details.join('\n');
  assert.match(details, /i40e has no maxvfs parameter, .*: spell it max_vfs/);
  assert.match(details, /iavf drives the VFs once they exist/);
});
