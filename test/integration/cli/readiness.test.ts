// `libvirt-hostdev readiness` against copied hosts (--host-root), locally and over the REAL loopback
// sshd: the guide's steps 1-8 as PASS/WARN/FAIL, exit 0/1/2.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HostTree } from '../../support/hostTree';
import { addConnectX5, addIntel82576 } from '../../support/sysfsTree';
import { isolateHome, sshEnv } from '../inventory/support';
import { runCli, type CliRun } from '../../support/cli';

const trees: HostTree[] = [];
before(() => {
  isolateHome('lhd-readiness-home-', true);
});
after(() => {
  for (const t of trees) t.remove();
});

function host(options: { iommu?: boolean } = {}): HostTree {
  const tree = new HostTree(options);
  trees.push(tree);
  addIntel82576(tree.sys);
  tree.sys.writeIpLink();
  tree.module('vfio_pci');
  return tree;
}

const cli = (args: string[]): Promise<CliRun> => runCli(args);

const status = (out: string, step: string) => new RegExp(`^  ${step}\\. .*: (PASS|WARN|FAIL)$`, 'm').exec(out)?.[1];

test('a ready host with VFs persisted by modprobe.d: every step passes, exit 0', async () => {
  const tree = host();
  tree.write('etc/modprobe.d/igb.conf', 'options igb max_vfs=7\n');
  const r = await cli(['readiness', '--host', 'local', '--connect', 'test:///default', '--host-root', tree.root]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^Readiness of 'local' for SR-IOV VF assignment:/);
  for (const step of ['1a', '1b', '2', '3', '4', '5', '6', '7a', '7b', '8'])
    assert.equal(status(r.stdout, step), 'PASS', `step ${step}:\n${r.stdout}`);
  assert.match(r.stdout, /modprobe\.d \(\/etc\/modprobe\.d\/igb\.conf: options igb max_vfs=7\)/);
});

test('no IOMMU and runtime-only VFs: step 1 fails (exit 1), step 5 warns with the modprobe line; a PF with 0 VFs beside PFs with VFs passes step 4 (an uplink needs none)', async () => {
  const tree = host({ iommu: false });
  addConnectX5(tree.sys);
  const r = await cli(['readiness', '--host', 'local', '--connect', 'test:///default', '--host-root', tree.root]);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /^  1\. IOMMU enabled .*: FAIL\n       No IOMMU: no device can be assigned/m);
  assert.equal(status(r.stdout, '4'), 'PASS');
  assert.match(r.stdout, /: 0 of \d+ VFs enabled: none needed on a port not meant for guests, else create them with echo \d+ > /);
  assert.equal(status(r.stdout, '5'), 'WARN');
  assert.match(
    r.stdout,
    /0000:0b:00\.0: created at runtime only, lost at reboot: add "options igb max_vfs=7" to \/etc\/modprobe\.d\/igb\.conf/,
  );
});

test('a udev rule writing sriov_numvfs="0" is no persistence: step 5 warns that it removes the VFs, beside modprobe.d or alone', async () => {
  const zero = 'ACTION=="add", SUBSYSTEM=="net", KERNEL=="enp11s0f0", ATTR{device/sriov_numvfs}="0"';
  const step5 = async (modprobe: boolean) => {
    const tree = host();
    if (modprobe) tree.write('etc/modprobe.d/igb.conf', 'options igb max_vfs=7\n');
    tree.write('etc/udev/rules.d/70-sriov.rules', zero + '\n');
    const r = await cli(['readiness', '--host', 'local', '--connect', 'test:///default', '--host-root', tree.root]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(status(r.stdout, '5'), 'WARN', r.stdout);
    return /^ {2}5\. .*\n((?: {7}.*\n)*)/m
      .exec(r.stdout)![1]
      .trimEnd()
      .split('\n')
      .map((l) => l.trim());
  };
  const removes = `0000:0b:00.0: udev rule (/etc/udev/rules.d/70-sriov.rules: ${zero}) writes 0 to sriov_numvfs: it removes the VFs at boot, it does not keep them`;
  assert.deepEqual(await step5(true), [
    '0000:0b:00.0: modprobe.d (/etc/modprobe.d/igb.conf: options igb max_vfs=7)',
    removes,
    '0000:0b:00.1: modprobe.d (/etc/modprobe.d/igb.conf: options igb max_vfs=7)',
  ]);
  const alone = await step5(false);
  assert.match(alone[0], /^0000:0b:00\.0: created at runtime only, lost at reboot: add "options igb max_vfs=7"/);
  assert.equal(alone[1], removes);
});

test('modprobe.d max_vfs=2 for igb PFs with 7 VFs each: step 5 warns with the file, both counts and the VFs that do not come back', async () => {
  const tree = host();
  tree.write('etc/modprobe.d/igb.conf', 'options igb max_vfs=2\n');
  const r = await cli(['readiness', '--host', 'local', '--connect', 'test:///default', '--host-root', tree.root]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(status(r.stdout, '5'), 'WARN', r.stdout);
  for (const pf of ['0000:0b:00.0', '0000:0b:00.1'])
    assert.ok(
      r.stdout.includes(`${pf}: /etc/modprobe.d/igb.conf sets 2 VFs at boot, the PF has 7 now: VFs 2..6 will not come back`),
      r.stdout,
    );
});

test("a max_vfs list for igb in modprobe.d or on the kernel command line is no persistence: step 5 fails with the kernel's refusal (exit 1)", async () => {
  for (const where of ['modprobe', 'cmdline']) {
    const tree = host();
    if (where === 'modprobe') tree.write('etc/modprobe.d/igb.conf', 'options igb max_vfs=7,7\n');
    else tree.write('proc/cmdline', 'ro intel_iommu=on igb.max_vfs=7,7\n');
    const r = await cli(['readiness', '--host', 'local', '--connect', 'test:///default', '--host-root', tree.root]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.equal(status(r.stdout, '5'), 'FAIL', r.stdout);
    assert.match(r.stdout, /0000:0b:00\.0: created at runtime only, lost at reboot: add "options igb max_vfs=7"/);
    assert.match(r.stdout, /0000:0b:00\.1: .*max_vfs=7,7\) gives igb a list of counts: .*"`7,7' invalid for parameter `max_vfs'"/);
  }
});

test('interrupt remapping that sysfs does not show is a WARN saying what to check, never a PASS; without an IOMMU it is not a check', async () => {
  const remapping = async (tree: HostTree) => {
    const r = await cli(['readiness', '--host', 'local', '--connect', 'test:///default', '--host-root', tree.root, '--format', 'json']);
    const checks = (JSON.parse(r.stdout) as { checks: Array<{ id: string; status: string; details: string[] }> }).checks;
    return checks.filter((c) => c.id === 'interrupt-remapping');
  };
  // an IOMMU unit without VT-d's ecap (as on AMD): the snapshot has interruptRemapping 'unknown'
  const amd = host();
  fs.rmSync(path.join(amd.root, 'sys/devices/virtual/iommu/dmar0/intel-iommu'), { recursive: true });
  const [unknown] = await remapping(amd);
  assert.equal(unknown?.status, 'warn');
  assert.match(unknown.details.join('\n'), /unknown: .*dmesg/);
  assert.deepEqual(await remapping(host({ iommu: false })), []);
  assert.equal((await remapping(host()))[0]?.status, 'pass');
});

test('--format json over the loopback sshd; an unreachable host exits 2 with one line', async () => {
  const tree = host();
  const env = sshEnv();
  const r = await cli([
    'readiness',
    '--host',
    env.target,
    '--identity',
    env.key,
    '--connect',
    'test:///default',
    '--host-root',
    tree.root,
    '--format',
    'json',
  ]);
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout) as { checks: Array<{ step: number; id: string; status: string }> };
  assert.deepEqual(
    report.checks.map((c) => c.step),
    [1, 1, 2, 3, 4, 5, 6, 7, 7, 8],
  );
  assert.equal(report.checks.find((c) => c.id === 'vfs-persistent')?.status, 'warn');
  const down = await cli(['readiness', '--host', 'vmtest@127.0.0.1:1', '--connect-timeout', '2']);
  assert.equal(down.code, 2);
  assert.equal(down.stderr.trim().split('\n').length, 1, down.stderr);
});

test('a FIFO among the host files (proc/cmdline, modprobe.d, udev, netplan, modules.builtin) is skipped, never waited on until the timeout', async () => {
  const tree = host();
  tree.write('etc/modprobe.d/igb.conf', 'options igb max_vfs=7\n');
  for (const rel of [
    'proc/cmdline',
    'etc/modprobe.d/stray.conf',
    'etc/udev/rules.d/70-sriov.rules',
    'etc/netplan/01-sriov.yaml',
    'lib/modules/6.1.0-27-amd64/modules.builtin',
  ]) {
    const file = tree.write(rel, '');
    fs.rmSync(file);
    assert.equal(spawnSync('mkfifo', [file]).status, 0, rel);
  }
  const r = await cli(['readiness', '--host', 'local', '--connect', 'test:///default', '--host-root', tree.root, '--timeout', '20']);
  assert.equal(r.stderr, '');
  assert.match(r.stdout, /^  5\. .*: PASS\n       0000:0b:00\.0: modprobe\.d \(\/etc\/modprobe\.d\/igb\.conf: options igb max_vfs=7\)$/m);
});

// A FIFO where sysfs has a file blocks the script's read of it until --timeout (sysfs is read as is).
test('a run that reaches --timeout says which step of the host script was running, locally and over SSH', async () => {
  const blocked = (rel: string): HostTree => {
    const tree = host();
    const file = path.join(tree.root, rel);
    fs.rmSync(file, { force: true });
    assert.equal(spawnSync('mkfifo', [file]).status, 0, rel);
    return tree;
  };
  const attrs = blocked('sys/bus/pci/devices/0000:0b:00.0/sriov_numvfs');
  const local = await cli(['readiness', '--host', 'local', '--connect', 'test:///default', '--host-root', attrs.root, '--timeout', '2']);
  assert.equal(local.code, 2);
  assert.equal(local.stdout, '');
  assert.equal(
    local.stderr,
    "libvirt-hostdev: command timed out after 2000 ms on local host while reading the PCI devices' attributes in sysfs\n",
  );
  const iommu = blocked('sys/devices/virtual/iommu/dmar0/intel-iommu/ecap');
  const env = sshEnv();
  const remote = await cli([
    ...['readiness', '--host', env.target, '--identity', env.key, '--connect', 'test:///default'],
    ...['--host-root', iommu.root, '--timeout', '2'],
  ]);
  assert.equal(remote.code, 2);
  assert.match(
    remote.stderr,
    /^libvirt-hostdev: command timed out after 2000 ms on vmtest@127\.0\.0\.1:\d+ while reading the IOMMU units and kernel modules in sysfs\n$/,
  );
});

test("a user the host's libvirt socket refuses (real virsh over SSH): exit 2, libvirt's message and the libvirt group as the fix", async () => {
  const env = sshEnv();
  // /root is 0700: the SSH user cannot reach a socket under it, as a user outside the libvirt group cannot use libvirtd's
  const r = await cli([
    'readiness',
    '--host',
    env.target,
    '--identity',
    env.key,
    '--connect',
    'qemu+unix:///system?socket=/root/libvirt-sock',
  ]);
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /Failed to connect socket to '\/root\/libvirt-sock': Permission denied\. The user it logs in as may not manage /);
  assert.match(
    r.stderr,
    /add that user to the libvirt group \(usermod -aG libvirt USER, which applies from its next login\), or connect as root\n$/,
  );
});

test('text output shows terminal controls and line feeds of names read from the host inert, one line per detail; json keeps them', async () => {
  const netdev = 'en\x1b]0;owned\x07p\n  9. Everything                        : PASS';
  const driver = 'ig\x1b[2Jb';
  const tree = new HostTree();
  trees.push(tree);
  tree.sys.addPf({
    address: '0000:0b:00.0',
    vendor: '0x8086',
    device: '0x10c9',
    class: '0x020000',
    driver,
    numaNode: 0,
    net: [{ name: netdev, mac: '00:1b:21:aa:bb:00' }],
    totalVfs: 2,
    vfDevice: '0x10ca',
    vfs: [{ address: '0000:0b:10.0', driver: 'igbvf', net: [] }],
  });
  tree.sys.writeIpLink();
  const args = ['readiness', '--host', 'local', '--connect', 'test:///default', '--host-root', tree.root];
  const text = await cli(args);
  assert.doesNotMatch(text.stdout, /[\x00-\x09\x0b-\x1f\x7f]/);
  assert.doesNotMatch(text.stdout, /^ {2}9\./m);
  assert.match(text.stdout, /^ {7}0000:0b:00\.0 'en\\x1b\]0;owned\\x07p\\n {2}9\. Everything {24}: PASS': 0x10c9, up to 2 VFs$/m);
  assert.match(text.stdout, /^ {7}0000:0b:00\.0: ig\\x1b\[2Jb$/m);
  const json = await cli([...args, '--format', 'json']);
  const details = (JSON.parse(json.stdout) as { checks: Array<{ id: string; details: string[] }> }).checks.flatMap((c) => c.details);
  assert.ok(details.includes(`0000:0b:00.0: ${driver}`), details.join('\n'));
});
