// attach/detach check the device against the live inventory of the host they change; --dry-run,
// --print-diff (predicted), new-interface and vfs. Run on the `local` target: real /bin/sh, real virsh
// with libvirt's test driver (web01 runs and holds 0000:0b:10.0; a second guest holds 0000:0b:10.2)
// and a sysfs-shaped 82576 tree. Real attaches over SSH: test/integration/attach/.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { validate } from '../../../server/src/service/index';
import { buildRhelExampleTree } from '../../support/sysfsTree';
import { tempDir, writeTestDriverHost } from '../../support/shellHost';
import { runCli, type CliRun } from '../../support/cli';

let work: string;
let treeRoot: string;
let uri: string;

before(() => {
  work = tempDir('lhd-hostcheck-');
  treeRoot = buildRhelExampleTree(path.join(work, 'sys')).tree.root;
  uri = writeTestDriverHost(work);
});
after(() => fs.rmSync(work, { recursive: true, force: true }));

const cli = (...args: string[]): Promise<CliRun> => runCli(args);

const host = (): string[] => ['--host', 'local', '--connect', uri, '--sysfs-root', treeRoot];

function deviceFile(name: string, slot: string, fn: string): string {
  const file = path.join(work, name);
  fs.writeFileSync(
    file,
    `<interface type='hostdev' managed='yes'>
  <mac address='52:54:00:12:34:${fn.slice(-1)}${slot.slice(-1)}'/>
  <source><address type='pci' domain='0x0000' bus='0x0b' slot='${slot}' function='${fn}'/></source>
</interface>
`,
  );
  return file;
}

test('attach refuses an address the host does not have (pci-unknown), naming the line; nothing runs', async () => {
  const file = deviceFile('absent.xml', '0x1f', '0x7');
  const r = await cli('attach', file, '--guest', 'web01', ...host());
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, new RegExp(`${file.replace(/[.]/g, '\\.')}:3:\\d+: error pci-unknown: `));
  assert.match(r.stderr, /'local' disagrees; nothing changed \(use --force to attach anyway\)/);
  assert.doesNotMatch(r.stderr, /^\$ virsh/m, 'virsh attach-device never ran');
});

test('attach refuses a VF a running guest holds (vf-in-use); --force sends it anyway', async () => {
  const file = deviceFile('held.xml', '0x10', '0x0');
  const r = await cli('attach', file, '--guest', 'other-guest-does-not-exist', ...host());
  assert.equal(r.code, 1);
  assert.match(r.stderr, /no guest named 'other-guest-does-not-exist' on 'local' \(test:\/\/\S+; guests: .*'web01'\)$/m);

  // a guest that exists, other than web01 which holds 0b:10.0 live
  const hostile = await cli('inventory', ...host());
  const guests = (JSON.parse(hostile.stdout) as { guests: { name: string }[] }).guests.map((g) => g.name);
  const other = guests.find((g) => g !== 'web01');
  assert.ok(other);
  const refused = await cli('attach', file, '--guest', other, ...host());
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /error vf-in-use: .*0000:0b:10\.0 is held live by 'web01'/);
  assert.doesNotMatch(refused.stderr, /^\$ virsh/m);

  const forced = await cli('attach', file, '--guest', other, ...host(), '--force');
  assert.match(forced.stderr, /^\$ virsh -c test:\/\/\S+ attach-device --config --domain /m, 'sent to libvirt with --force');

  // web01's own VF is not a conflict for web01 (it is the document's own guest)
  const own = await cli('attach', file, '--guest', 'web01', ...host(), '--dry-run');
  assert.doesNotMatch(own.stderr, /vf-in-use/);
});

test('detach refuses a device the guest does not have in its persistent definition; its own device goes through', async () => {
  const missing = await cli('detach', deviceFile('not-there.xml', '0x10', '0x4'), '--guest', 'web01', ...host());
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /the persistent definition of 'web01' has no device at 0000:0b:10\.4/);
  assert.doesNotMatch(missing.stderr, /^\$ virsh/m);
  const own = await cli('detach', deviceFile('own.xml', '0x10', '0x0'), '--guest', 'web01', ...host());
  assert.match(own.stderr, /^\$ virsh -c test:\/\/\S+ detach-device --config --domain web01 --file /m);
});

test('attach --dry-run prints the exact device XML on stdout and the virsh command on stderr; nothing runs', async () => {
  const file = deviceFile('dry.xml', '0x10', '0x4');
  const r = await cli('attach', file, '--guest', 'web01', ...host(), '--dry-run', '--live');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, `${fs.readFileSync(file, 'utf8').trimEnd()}\n`);
  assert.match(
    r.stderr,
    /^would run: virsh -c test:\/\/\S+ attach-device --config --live --domain web01 --file \/dev\/stdin\n\(the XML above on its standard input, from a private temp file on '[^']*'; nothing changed\)\n/,
  );
  assert.doesNotMatch(r.stderr, /^\$ virsh/m);
});

test('attach --dry-run --print-diff shows the persistent definition before/after as a unified diff', async () => {
  const file = deviceFile('drydiff.xml', '0x10', '0x4');
  const r = await cli('attach', file, '--guest', 'web01', ...host(), '--dry-run', '--print-diff');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^--- web01 \(before\)$/m);
  assert.match(r.stdout, /^\+\+\+ web01 \(after\)$/m);
  assert.match(r.stdout, /^\+ +<source><address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x4'\/><\/source>$/m);
  assert.match(r.stdout, /^ +<\/devices>$/m);
});

test("detach --dry-run --print-diff predicts the definition without the device's lines", async () => {
  const file = deviceFile('drydetach.xml', '0x10', '0x0');
  const r = await cli('detach', file, '--guest', 'web01', ...host(), '--dry-run', '--print-diff');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^--- web01 \(before\)$/m);
  assert.match(r.stdout, /^- +<address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x0'\/>$/m);
  assert.match(r.stdout, /^- +<interface type='hostdev'/m);
  assert.match(r.stdout, /^- +<\/interface>$/m);
  assert.doesNotMatch(r.stdout, /^\+ /m, 'a detach adds no line');
});

test('SSH options given with --host local are said to be ignored, and the command runs', async () => {
  const r = await cli('vfs', ...host(), '--identity', '/nonexistent/key', '--ssh-config', work, '--accept-new-host-key');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(
    r.stderr,
    'libvirt-hostdev: --identity, --ssh-config, --accept-new-host-key have no use with --host local (this machine); ignored\n',
  );
  assert.match(r.stdout, /0000:0b:10\.0/);
  const plain = await cli('vfs', ...host());
  assert.equal(plain.stderr, '');
});

test('new-interface: a free VF of the named PF with a MAC no guest uses, optional VLAN; valid for the checker', async () => {
  const inv = JSON.parse((await cli('inventory', ...host())).stdout) as { guests: { devices: { address: string; mac?: string }[] }[] };
  const used = new Set(inv.guests.flatMap((g) => g.devices.map((d) => d.address)));
  const macs = new Set(inv.guests.flatMap((g) => g.devices.map((d) => d.mac?.toLowerCase())));
  const r = await cli('new-interface', ...host(), '--pf', 'enp11s0f0', '--vlan', '42');
  assert.equal(r.code, 0, r.stderr);
  const address = /domain='0x0000' bus='0x0b' slot='(0x[0-9a-f]+)' function='(0x[0-9a-f])'/.exec(r.stdout);
  assert.ok(address, r.stdout);
  const canonical = `0000:0b:${address[1].slice(2).padStart(2, '0')}.${address[2].slice(2)}`;
  assert.ok(!used.has(canonical), `${canonical} is free`);
  assert.equal(canonical, '0000:0b:10.4', 'the first free VF of enp11s0f0 (10.0 and 10.2 are used)');
  assert.match(r.stdout, /<vlan>\n {4}<tag id='42'\/>\n {2}<\/vlan>/);
  const mac = /<mac address='([^']+)'\/>/.exec(r.stdout)![1];
  assert.ok(!macs.has(mac));
  assert.match(r.stderr, /VF 0000:0b:10\.4 \(VF 2 of PF 0000:0b:00\.0 \('enp11s0f0'\)\), MAC /);
  assert.deepEqual(
    validate(r.stdout).filter((p) => p.severity === 'error'),
    [],
  );

  const noPf = await cli('new-interface', ...host(), '--pf', 'eth9');
  assert.equal(noPf.code, 2, 'a PF the host does not have is a wrong argument');
  assert.match(noPf.stderr, /no PF named 'eth9' .*PFs: 'enp11s0f0', 'enp11s0f1'/);
  assert.equal((await cli('new-interface', ...host(), '--vlan', '5000')).code, 2);
  assert.equal((await cli('new-interface')).code, 2, 'needs --host or --inventory');
});

test('vfs: the live host read (real sh, virsh with the test driver, the sysfs tree): the VFs web01 and the second guest hold, the rest free', async () => {
  const r = await cli('vfs', ...host(), '--pf', 'enp11s0f0');
  assert.equal(r.code, 0, r.stderr);
  const rows = r.stdout.split('\n').filter((line) => /^ {2}\d/.test(line));
  assert.equal(rows.length, 7, r.stdout);
  assert.match(rows[0], /^ {2}0 +0000:0b:10\.0 .*in use by 'web01' \(running/);
  assert.match(rows[1], /^ {2}1 +0000:0b:10\.2 .*in use by '/);
  assert.match(rows[2], /^ {2}2 +0000:0b:10\.4 .* free$/);
  assert.doesNotMatch(r.stdout, /\(inventory taken/, 'a live read says no age');
  const free = await cli('vfs', ...host(), '--free', '--format', 'json');
  assert.equal(free.code, 0, free.stderr);
  const listing = JSON.parse(free.stdout) as { pfs: { vfs: { address: string; free: boolean }[] }[] };
  const addresses = listing.pfs.flatMap((pf) => pf.vfs.map((vf) => vf.address));
  assert.ok(addresses.length > 0 && !addresses.includes('0000:0b:10.0') && !addresses.includes('0000:0b:10.2'), addresses.join(' '));
});
