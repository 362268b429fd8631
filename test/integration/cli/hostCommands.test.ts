// `libvirt-hostdev inventory|attach|detach` through the CLI's in-process main, on the `local`
// target (real /bin/sh, the libvirt test driver, a sysfs tree). SSH cases: test/integration/.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { singleDevice } from '../../../server/src/cli/hostCommands';
import { parseInventorySnapshot } from '../../../server/src/inventory/snapshot';
import { buildRhelExampleTree } from '../../support/sysfsTree';
import { HOSTILE_NAME, tempDir, writeTestDriverHost } from '../../support/shellHost';
import { runCli, type CliRun } from '../../support/cli';

let work: string;
let treeRoot: string;
let uri: string;

before(() => {
  work = tempDir('lhd-cli-');
  treeRoot = buildRhelExampleTree(path.join(work, 'sys')).tree.root;
  uri = writeTestDriverHost(work);
});

after(() => fs.rmSync(work, { recursive: true, force: true }));

const cli = (args: string[]): Promise<CliRun> => runCli(args);

const GOOD = `<interface type='hostdev' managed='yes'>
  <mac address='52:54:00:12:34:56'/>
  <source><address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x4'/></source>
</interface>
`;

/** A TCP port on 127.0.0.1 where nothing listens (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

test('inventory --host local --sysfs-root TREE --connect URI prints a valid snapshot on stdout', async () => {
  const r = await cli(['inventory', '--host', 'local', '--sysfs-root', treeRoot, '--connect', uri]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  const inv = parseInventorySnapshot(r.stdout, 'stdout');
  assert.equal(inv.host, 'local');
  assert.equal(inv.devices.filter((d) => d.kind === 'vf').length, 14);
  assert.deepEqual(inv.guests.map((g) => g.name).sort(), [HOSTILE_NAME, 'web01'].sort());
  assert.equal(inv.networks.find((n) => n.name === 'sriov-pool')?.addresses.length, 7);
});

test('inventory --output FILE writes the snapshot there and a one-line note on stderr', async () => {
  const file = path.join(work, 'snap.json');
  const r = await cli(['inventory', '--host', 'local', '--sysfs-root', treeRoot, '--connect', uri, '--output', file]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, `libvirt-hostdev: wrote ${file} (14 VFs, 2 guests)\n`);
  assert.equal(parseInventorySnapshot(fs.readFileSync(file, 'utf8'), file).devices.length, 16);
});

test('inventory --output into a directory or a missing one: exit 2 with the reason in words', async () => {
  for (const [output, reason] of [
    [work, 'is a directory (EISDIR)'],
    [path.join(work, 'no-such-dir', 'snap.json'), 'no such file or directory (ENOENT)'],
  ]) {
    const r = await cli(['inventory', '--host', 'local', '--sysfs-root', treeRoot, '--connect', uri, '--output', output]);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, `libvirt-hostdev: cannot write ${output}: ${reason}\n`);
  }
});

test('inventory: warnings (missing sysfs root) go to stderr, the snapshot still to stdout', async () => {
  const r = await cli(['inventory', '--host', 'local', '--sysfs-root', path.join(work, 'nope'), '--connect', uri]);
  assert.equal(r.code, 0);
  assert.match(r.stderr, /^libvirt-hostdev: warning: sysfs root '.*nope' does not exist on the host/);
  assert.equal(parseInventorySnapshot(r.stdout, 'stdout').guests.length, 2);
});

test('inventory: a --sysfs-root or --host-root that is a regular file is "not a directory"; a missing one "does not exist"', async () => {
  const file = path.join(work, 'a-file');
  fs.writeFileSync(file, 'not a directory\n');
  const missing = path.join(work, 'nope');
  const warnings = async (...root: string[]): Promise<string[]> => {
    const r = await cli(['inventory', '--host', 'local', '--connect', uri, ...root]);
    assert.equal(r.code, 0, r.stderr);
    // the test driver's pool network has its own warning
    return r.stderr.split('\n').filter((l) => / root '/.test(l));
  };
  assert.deepEqual(await warnings('--sysfs-root', file), [
    `libvirt-hostdev: warning: sysfs root '${file}' is not a directory on the host: no PCI devices read`,
  ]);
  assert.deepEqual(await warnings('--host-root', file), [
    `libvirt-hostdev: warning: host root '${file}' is not a directory on the host: IOMMU and VF persistence are unknown`,
    `libvirt-hostdev: warning: sysfs root '${file}/sys' does not exist on the host: no PCI devices read`,
  ]);
  assert.deepEqual(await warnings('--host-root', missing), [
    `libvirt-hostdev: warning: host root '${missing}' does not exist on the host: IOMMU and VF persistence are unknown`,
    `libvirt-hostdev: warning: sysfs root '${missing}/sys' does not exist on the host: no PCI devices read`,
  ]);
  assert.deepEqual(await warnings('--sysfs-root', missing), [
    `libvirt-hostdev: warning: sysfs root '${missing}' does not exist on the host: no PCI devices read`,
  ]);
});

test('inventory: unreachable host → exit 2 with one line', async () => {
  const port = await closedPort();
  const r = await cli(['inventory', '--host', `nobody@127.0.0.1:${port}`]);
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr.split('\n').length, 2, r.stderr);
  assert.match(r.stderr, new RegExp(`^libvirt-hostdev: cannot reach nobody@127\\.0\\.0\\.1:${port}`));
});

test("inventory: libvirt that cannot be connected to (a refused socket, a URI it cannot parse) fails the read: exit 2, libvirt's message, no snapshot", async () => {
  const file = path.join(work, 'unconnected.json');
  for (const connect of ['qemu+unix:///system?socket=/nonexistent/libvirt-sock', 'not a uri']) {
    const r = await cli(['inventory', '--host', 'local', '--sysfs-root', treeRoot, '--connect', connect, '--output', file]);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr.split('\n').length, 2, r.stderr);
    assert.ok(
      r.stderr.startsWith(
        `libvirt-hostdev: libvirt on local cannot be reached: virsh -c ${connect}: error: failed to connect to the hypervisor; `,
      ),
      r.stderr,
    );
    assert.equal(fs.existsSync(file), false);
  }
});

test('check --host: libvirt that cannot be connected to is a host failure (exit 2), not a host without guests', async () => {
  const guest = path.join(work, 'vf.xml');
  fs.writeFileSync(guest, GOOD);
  const r = await cli([
    'check',
    '--host',
    'local',
    '--sysfs-root',
    treeRoot,
    '--connect',
    'qemu+unix:///system?socket=/nonexistent/libvirt-sock',
    guest,
  ]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(
    r.stderr,
    /^libvirt-hostdev: libvirt on local cannot be reached: .*Failed to connect socket to '\/nonexistent\/libvirt-sock': No such file or directory\. /,
  );
  // and what to do about it
  assert.match(
    r.stderr,
    /\. No libvirt daemon is running for qemu\+unix:\/\/\/system\?socket=\/nonexistent\/libvirt-sock on local: start it \(systemctl enable --now libvirtd/,
  );
});

test('inventory without --host is a usage error (exit 2)', async () => {
  const r = await cli(['inventory']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /inventory needs --host TARGET/);
});

test('attach refuses a device with errors before contacting the host, printing the diagnostics (exit 1)', async () => {
  const file = path.join(work, 'bad.xml');
  fs.writeFileSync(file, GOOD.replace('52:54:00:12:34:56', '01:00:5e:00:00:01'));
  const port = await closedPort();
  const r = await cli(['attach', file, '--guest', 'web01', '--host', `nobody@127.0.0.1:${port}`]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2:\\d+: error mac-multicast: `, 'm'));
  assert.match(r.stderr, /has 1 error\(s\); not sent to libvirt \(use --force to attach anyway\)/);
  assert.doesNotMatch(r.stderr, /cannot reach/);
});

test("attach takes the file's .libvirt-hostdev.json as check does: a code it makes a warning refuses nothing; a bad config exits 2 before the host is contacted", async () => {
  const project = path.join(work, 'project-policy');
  fs.mkdirSync(path.join(project, 'guests'), { recursive: true });
  const file = path.join(project, 'guests', 'bad.xml');
  fs.writeFileSync(file, GOOD.replace('52:54:00:12:34:56', '01:00:5e:00:00:01'));
  const config = path.join(project, '.libvirt-hostdev.json');
  fs.writeFileSync(config, JSON.stringify({ severity: { 'mac-multicast': 'warning' } }));
  const port = await closedPort();
  const passed = await cli(['attach', file, '--guest', 'web01', '--host', `nobody@127.0.0.1:${port}`]);
  assert.equal(passed.code, 2, passed.stderr);
  assert.doesNotMatch(passed.stderr, /not sent to libvirt/);
  assert.match(passed.stderr, /cannot reach/, 'on to the host');
  fs.writeFileSync(config, JSON.stringify({ disable: ['mac-multicats'] }));
  const bad = await cli(['attach', file, '--guest', 'web01', '--host', `nobody@127.0.0.1:${port}`]);
  assert.equal(bad.code, 2);
  assert.equal(
    bad.stderr,
    `libvirt-hostdev: ${config}: disable[0]: unknown diagnostic code "mac-multicats" (did you mean 'mac-multicast'?)\n`,
  );
});

test('attach --force sends a device with errors anyway (here: the host is unreachable → exit 2)', async () => {
  const file = path.join(work, 'bad2.xml');
  fs.writeFileSync(file, GOOD.replace('52:54:00:12:34:56', '01:00:5e:00:00:01'));
  const port = await closedPort();
  const r = await cli(['attach', file, '--guest', 'web01', '--host', `nobody@127.0.0.1:${port}`, '--force']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /cannot reach/);
});

test('a domain with several devices is refused with a clear reason; exactly one is required', async () => {
  const file = path.join(work, 'two.xml');
  fs.writeFileSync(file, `<domain type='kvm'><name>vm</name><devices>\n${GOOD}${GOOD.replace('0x4', '0x6')}</devices></domain>\n`);
  const r = await cli(['detach', file, '--guest', 'vm', '--host', 'local']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /the file holds 2 devices .*attach\/detach sends exactly one/);
  const one = singleDevice(`<domain><name>vm</name><devices>${GOOD}</devices></domain>`);
  assert.ok('xml' in one);
  assert.match(one.xml, /^<interface type='hostdev' managed='yes'>[\s\S]*<\/interface>$/);
});

test('attach needs --guest and one FILE (usage, exit 2)', async () => {
  assert.equal((await cli(['attach', '--host', 'local', 'x.xml'])).code, 2);
  assert.equal((await cli(['attach', '--host', 'local', '--guest', 'g'])).code, 2);
});
