// attach/detach against REAL libvirt (qemu:///session of the test user) over the REAL loopback
// sshd: through the CLI (`libvirt-hostdev attach|detach`) and through host/attach.ts directly.
// Guests are named lhd-att-* and removed after.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { attachDevice } from '../../../server/src/host/attach';
import { buildRhelExampleTree, type SysfsTree } from '../../support/sysfsTree';
import {
  CountingTransport,
  defineGuest,
  inactiveXml,
  isolateHome,
  remoteTempFiles,
  sshEnv,
  sshTransport,
  undefineGuest,
  vmHome,
} from '../inventory/support';
import { runCli, type CliRun } from '../../support/cli';

const GUEST = 'lhd-att-db01';
const HOSTILE = `lhd-att we'ird $(touch lhd-att-pwned) ; \`touch lhd-att-pwned2\` "q" & <x> \\ end`;
let env: ReturnType<typeof sshEnv>;
let work: string;
let tree: SysfsTree;

const device = (fn: number, mac: string) => `<interface type='hostdev' managed='yes'>
  <mac address='${mac}'/>
  <source>
    <address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x${fn}'/>
  </source>
</interface>
`;

before(() => {
  env = sshEnv();
  ({ home: work } = isolateHome('lhd-att-home-', true));
  tree = buildRhelExampleTree().tree;
  for (const name of [GUEST, HOSTILE]) undefineGuest(name);
  defineGuest(GUEST);
  defineGuest(HOSTILE);
});

after(() => {
  for (const name of [GUEST, HOSTILE]) undefineGuest(name);
});

const cli = (args: string[]): Promise<CliRun> => runCli(args);

function writeDevice(name: string, xml: string): string {
  const file = path.join(work, name);
  fs.writeFileSync(file, xml);
  return file;
}

// attach/detach check the device against the host's live inventory: the VFs come from an 82576-shaped sysfs tree.
function hostArgs(): string[] {
  return ['--host', env.target, '--identity', env.key, '--connect', 'qemu:///session', '--sysfs-root', tree.root];
}

test('CLI attach: libvirt says so, dumpxml --inactive shows the device, the temp file is gone', async () => {
  const before = remoteTempFiles();
  const file = writeDevice('vf4.xml', device(4, '52:54:00:4a:00:04'));
  const r = await cli(['attach', file, '--guest', GUEST, ...hostArgs()]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'Device attached successfully\n');
  // virsh reads the temp file as its stdin, removed before virsh runs (host/attach.ts)
  assert.match(r.stderr, /^\$ virsh -c qemu:\/\/\/session attach-device --config --domain lhd-att-db01 --file \/dev\/stdin\n$/);
  const xml = inactiveXml(GUEST);
  assert.match(
    xml,
    /<interface type='hostdev' managed='yes'>[\s\S]*<mac address='52:54:00:4a:00:04'\/>[\s\S]*<address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x4'\/>/,
  );
  assert.deepEqual(remoteTempFiles(), before);
});

test('CLI detach mirrors it: the device leaves the persistent definition', async () => {
  const file = writeDevice('vf4-detach.xml', device(4, '52:54:00:4a:00:04'));
  const r = await cli(['detach', file, '--guest', GUEST, ...hostArgs()]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'Device detached successfully\n');
  assert.doesNotMatch(inactiveXml(GUEST), /function='0x4'/);
});

test('a device with errors is refused without --force: nothing reaches libvirt', async () => {
  const before = inactiveXml(GUEST);
  const file = writeDevice('bad.xml', device(6, '01:00:5e:00:00:01'));
  const r = await cli(['attach', file, '--guest', GUEST, ...hostArgs()]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /error mac-multicast/);
  assert.match(r.stderr, /not sent to libvirt \(use --force to attach anyway\)/);
  // libvirt would refuse this MAC too, leaving the definition as it was: no virsh command may have run at all
  assert.doesNotMatch(r.stderr, /^\$ virsh/m);
  assert.equal(inactiveXml(GUEST), before);
});

test("with --force libvirt's own error comes back (exit 1) and the temp file is gone after the failure too", async () => {
  const tempsBefore = remoteTempFiles();
  const file = writeDevice('bad-forced.xml', device(6, '01:00:5e:00:00:01'));
  const r = await cli(['attach', file, '--guest', GUEST, ...hostArgs(), '--force']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /error: XML error: expected unicast mac address, found multicast '01:00:5e:00:00:01'/);
  assert.deepEqual(remoteTempFiles(), tempsBefore);
  assert.doesNotMatch(inactiveXml(GUEST), /01:00:5e:00:00:01/);
});

test('a hostile guest name is passed as one word: the device lands on that guest and nothing runs', async () => {
  const file = writeDevice('vf6.xml', device(6, '52:54:00:4a:00:06'));
  const r = await cli(['attach', file, '--guest', HOSTILE, ...hostArgs()]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(inactiveXml(HOSTILE), /function='0x6'/);
  for (const f of ['lhd-att-pwned', 'lhd-att-pwned2']) {
    assert.equal(fs.existsSync(path.join(vmHome(), f)), false, f);
    assert.equal(fs.existsSync(path.join('/', f)), false, f);
  }
});

test('host/attach.ts over SSH: unknown guest → libvirt error, ok false; temp file removed; the command line is returned', async () => {
  const counting = new CountingTransport(sshTransport(env));
  const tempsBefore = remoteTempFiles();
  try {
    const r = await attachDevice(counting, {
      uri: 'qemu:///session',
      guest: 'lhd-att-no-such-guest',
      deviceXml: device(2, '52:54:00:4a:00:02'),
      operation: 'attach',
      live: false,
      timeoutMs: 60_000,
    });
    assert.equal(r.ok, false);
    assert.match(r.message, /failed to get domain 'lhd-att-no-such-guest'/);
    assert.match(r.commandLine, /^virsh -c qemu:\/\/\/session attach-device --config --domain lhd-att-no-such-guest --file \/dev\/stdin$/);
    assert.deepEqual(remoteTempFiles(), tempsBefore);
    // write and virsh in one exec, every argument quoted
    assert.equal(counting.execs.length, 1);
    assert.equal(counting.execs.filter((c) => c.includes('attach-device')).length, 1);
  } finally {
    counting.close();
  }
});

test('--live on a shut-off guest: libvirt refuses with its own message', async () => {
  const file = writeDevice('vf2-live.xml', device(2, '52:54:00:4a:00:02'));
  const r = await cli(['attach', file, '--guest', GUEST, ...hostArgs(), '--live']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /--config --live --domain lhd-att-db01/);
  assert.match(r.stderr, /domain is not running/);
});

test('--print-diff: the persistent definition before/after from libvirt itself (attach adds, detach removes)', async () => {
  const file = writeDevice('vf2-diff.xml', device(2, '52:54:00:4a:00:02'));
  const attached = await cli(['attach', file, '--guest', GUEST, ...hostArgs(), '--print-diff']);
  assert.equal(attached.code, 0, attached.stderr);
  assert.match(attached.stdout, /^Device attached successfully\n/);
  assert.match(attached.stdout, /^--- lhd-att-db01 \(before\)$/m);
  assert.match(attached.stdout, /^\+ +<mac address='52:54:00:4a:00:02'\/>$/m);
  assert.match(attached.stdout, /^\+ +<address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x2'\/>$/m);
  assert.doesNotMatch(attached.stdout, /^-[^-]/m, 'attach only adds lines');

  const detached = await cli(['detach', file, '--guest', GUEST, ...hostArgs(), '--print-diff']);
  assert.equal(detached.code, 0, detached.stderr);
  assert.match(detached.stdout, /^- +<mac address='52:54:00:4a:00:02'\/>$/m);
  assert.doesNotMatch(inactiveXml(GUEST), /52:54:00:4a:00:02/);
});

test('attach refuses, before any change, a VF the live host does not have', async () => {
  const before = inactiveXml(GUEST);
  const file = writeDevice('vf-absent.xml', device(7, '52:54:00:4a:00:07').replace("slot='0x10'", "slot='0x1f'"));
  const r = await cli(['attach', file, '--guest', GUEST, ...hostArgs()]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /error pci-unknown: /);
  assert.equal(inactiveXml(GUEST), before);
});
