// `libvirt-hostdev net-define|net-start|net-autostart` against REAL libvirt: the test user's
// qemu:///session over the loopback sshd. A hostdev pool defined from a file, started (an empty pool
// starts; a PF the host lacks is refused before the change, and with --force libvirt's own net-start
// message comes back), marked autostart; --dry-run changes nothing; a hostile network name stays one
// argument; no temp file is left on the host.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../support/cli';
import { isolateHome, remoteTempFiles, sessionHostArgs, sshEnv, vmVirsh, xmlEscape } from '../inventory/support';

const POOL = 'lhd-cli-net-pool';
const MISSING_PF = 'lhd-cli-net-nopf';
const HOSTILE = "lhd-cli-net-$(touch x);'q";
const POLICY_POOL = 'lhd-cli-net-policy';
const NAMES = [POOL, MISSING_PF, HOSTILE, POLICY_POOL];
let dir = '';

function cleanup(): void {
  for (const n of NAMES) {
    vmVirsh(['net-destroy', '--network', n]);
    vmVirsh(['net-undefine', '--network', n]);
  }
}

before(() => {
  isolateHome('lhd-cli-net-home-', true);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-cli-net-'));
  cleanup();
});

after(() => {
  cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

function file(name: string, xml: string): string {
  const f = path.join(dir, name);
  fs.writeFileSync(f, xml);
  return f;
}

const info = (name: string) => vmVirsh(['net-info', '--network', name]);

test('net-define, net-start, net-autostart: an empty hostdev pool defined from FILE, started and marked', async () => {
  const before = remoteTempFiles();
  // an empty pool is an error here (no VF to hand out): defined with --force, as a test of the path
  const f = file('pool.xml', `<network><name>${POOL}</name><forward mode='hostdev' managed='yes'/></network>\n`);
  const refused = await runCli(['net-define', f, ...sessionHostArgs()]);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /error network-forward: The pool has no <pf> and no <address>/);
  assert.match(refused.stderr, /not sent to libvirt \(use --force/);
  assert.notEqual(info(POOL).code, 0, 'defined although refused');

  const defined = await runCli(['net-define', f, ...sessionHostArgs(), '--force']);
  assert.equal(defined.code, 0, defined.stderr);
  assert.match(defined.stdout, new RegExp(`Network ${POOL} defined from /dev/stdin`));
  assert.match(defined.stderr, /^\$ virsh -c qemu:\/\/\/session net-define --file \/dev\/stdin$/m);
  assert.match(info(POOL).stdout, /Active:\s+no/);

  const started = await runCli(['net-start', f, ...sessionHostArgs()]);
  assert.equal(started.code, 0, started.stderr);
  assert.match(started.stdout, new RegExp(`Network ${POOL} started`));
  assert.match(info(POOL).stdout, /Active:\s+yes/);

  const marked = await runCli(['net-autostart', '--network', POOL, ...sessionHostArgs()]);
  assert.equal(marked.code, 0, marked.stderr);
  assert.match(info(POOL).stdout, /Autostart:\s+yes/);
  const unmarked = await runCli(['net-autostart', f, '--disable', ...sessionHostArgs()]);
  assert.equal(unmarked.code, 0, unmarked.stderr);
  assert.match(info(POOL).stdout, /Autostart:\s+no/);
  assert.deepEqual(remoteTempFiles(), before, 'a temp file was left on the host');
});

test("net-define checks against the host: a <pf dev> it lacks is refused; --force gets libvirt's net-start message", async () => {
  const f = file('nopf.xml', `<network><name>${MISSING_PF}</name><forward mode='hostdev'><pf dev='lhdnope0'/></forward></network>\n`);
  const refused = await runCli(['net-define', f, ...sessionHostArgs()]);
  assert.equal(refused.code, 1, refused.stderr);
  assert.match(
    refused.stderr,
    /error network-pf: No network device 'lhdnope0' on host .* net-start fails; libvirt: "internal error: No usable Vf's present on SRIOV PF lhdnope0"/,
  );
  assert.notEqual(info(MISSING_PF).code, 0, 'defined although refused');
  assert.equal((await runCli(['net-define', f, ...sessionHostArgs(), '--force'])).code, 0);
  const started = await runCli(['net-start', f, ...sessionHostArgs()]);
  assert.equal(started.code, 1);
  assert.match(started.stderr, /error: internal error: No usable Vf's present on SRIOV PF lhdnope0/);
});

test('--dry-run prints the XML and the command and changes nothing; a hostile name stays one argument', async () => {
  const xml = `<network><name>${xmlEscape(HOSTILE)}</name><forward mode='hostdev'><pf dev='lo'/></forward></network>\n`;
  const f = file('hostile.xml', xml);
  const defined = await runCli(['net-define', f, ...sessionHostArgs(), '--force']);
  assert.equal(defined.code, 0, defined.stderr);
  assert.equal(info(HOSTILE).code, 0, 'the hostile name was not defined as itself');
  assert.ok(!fs.existsSync(path.join(`/home/${sshEnv().user}`, 'x')), 'the name reached a shell');
  // defined: the dry run finds it on the host as itself
  const dry = await runCli(['net-autostart', f, ...sessionHostArgs(), '--dry-run']);
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stderr, /^would run: virsh -c qemu:\/\/\/session net-autostart --network 'lhd-cli-net-\$\(touch x\);'\\''q'$/m);
  // a start would fail on its <pf dev='lo'>, in libvirt's words
  const dryStart = await runCli(['net-start', f, ...sessionHostArgs(), '--dry-run']);
  assert.equal(dryStart.code, 1);
  assert.match(dryStart.stderr, /net-start fails; libvirt: "internal error: No usable Vf's present on SRIOV PF lo"/);
  const dryDefine = await runCli(['net-define', f, ...sessionHostArgs(), '--force', '--dry-run']);
  assert.equal(dryDefine.stdout, xml);
  assert.match(dryDefine.stderr, /would run: virsh -c qemu:\/\/\/session net-define --file \/dev\/stdin\n/);
});

test("net-define reports the document's errors and the host's at once, the same as check --host (examples/pool-bad.xml)", async () => {
  const root = path.resolve(__dirname, '..', '..', '..', '..');
  const pool = path.join(root, 'examples', 'pool-bad.xml');
  const local = ['--host', 'local', '--connect', 'test:///default', '--sysfs-root', path.join(root, 'examples', 'sysfs-82576')];
  const checked = await runCli(['check', pool, ...local, '--format', 'json']);
  const report = JSON.parse(checked.stdout) as Array<{ diagnostics: Array<{ code: string; severity: string }> }>;
  const checkErrors = report[0].diagnostics.filter((d) => d.severity === 'error').map((d) => d.code);
  assert.deepEqual(checkErrors.sort(), ['network-element', 'network-vf', 'vlan-trunk'], 'check: the PF in the pool, trunking and <mtu>');
  const defined = await runCli(['net-define', pool, ...local, '--dry-run']);
  assert.equal(defined.code, 1, defined.stderr);
  assert.equal(defined.stdout, '', 'refused before the dry run prints anything');
  const reported = [...defined.stderr.matchAll(/: error ([a-z-]+): /g)].map((m) => m[1]);
  assert.deepEqual(reported.sort(), checkErrors);
  assert.match(defined.stderr, /pool-bad\.xml has 3 error\(s\); not sent to libvirt \(use --force to define it anyway\)\n$/);
});

test("net-define prints check's warnings too: an unmanaged pool's VFs not on vfio-pci (the guest fails to start)", async () => {
  const root = path.resolve(__dirname, '..', '..', '..', '..');
  const local = ['--host', 'local', '--connect', 'test:///default', '--sysfs-root', path.join(root, 'examples', 'sysfs-82576')];
  const pool = file(
    'unmanaged.xml',
    "<network>\n  <name>pool-unmanaged</name>\n  <forward mode='hostdev'>\n    <pf dev='enp11s0f1'/>\n  </forward>\n</network>\n",
  );
  const checked = JSON.parse((await runCli(['check', pool, ...local, '--format', 'json'])).stdout) as Array<{
    diagnostics: Array<{ code: string; severity: string }>;
  }>;
  const shown = checked[0].diagnostics
    .filter((d) => d.severity === 'error' || d.severity === 'warning')
    .map((d) => `${d.severity} ${d.code}`);
  assert.deepEqual(shown, ['warning vf-driver']);
  const defined = await runCli(['net-define', pool, ...local, '--dry-run']);
  assert.equal(defined.code, 0, defined.stderr);
  const reported = [...defined.stderr.matchAll(/: (error|warning) ([a-z-]+): /g)].map((m) => `${m[1]} ${m[2]}`);
  assert.deepEqual(reported, shown);
  assert.match(defined.stderr, /warning vf-driver: Unmanaged pool with 7 of 7 VFs not on vfio-pci — the guest fails to start/);
});

test('net-start and net-autostart --dry-run check the host as virsh would: a network it lacks, one already running (exit 1)', async () => {
  const sysfs = path.resolve(__dirname, '..', '..', '..', '..', 'examples', 'sysfs-82576');
  const local = ['--host', 'local', '--connect', 'test:///default', '--sysfs-root', sysfs, '--dry-run'];
  const missing = await runCli(['net-autostart', '--network', 'lhd-nope', ...local]);
  assert.equal(missing.code, 1);
  assert.equal(
    missing.stderr,
    `libvirt-hostdev: network 'lhd-nope' is not defined on 'local': net-autostart would fail ("Network not found: no network with matching name 'lhd-nope'")\n`,
  );
  const running = await runCli(['net-start', '--network', 'default', ...local]);
  assert.equal(running.code, 1);
  assert.match(
    running.stderr,
    /network 'default' is already active on 'local': net-start would fail \("Requested operation is not valid: Network 'default' is already running"\)/,
  );
  const fine = await runCli(['net-autostart', '--network', 'default', ...local]);
  assert.equal(fine.code, 0, fine.stderr);
  assert.match(fine.stderr, /^would run: virsh -c test:\/\/\/default net-autostart --network default\n/);
});

test('usage: a file that is not a network, FILE and --network together, no FILE (exit 2)', async () => {
  const domain = file('domain.xml', "<domain type='kvm'><name>x</name></domain>\n");
  const notNetwork = await runCli(['net-define', domain, '--host', 'local']);
  assert.equal(notNetwork.code, 2);
  assert.match(notNetwork.stderr, /not a network XML document/);
  assert.equal((await runCli(['net-start', domain, '--network', 'x', '--host', 'local'])).code, 2);
  assert.equal((await runCli(['net-autostart', '--host', 'local'])).code, 2);
});

test("net-define takes the file's .libvirt-hostdev.json as check --host does: an error it turns into a warning needs no --force", async () => {
  const project = fs.mkdtempSync(path.join(dir, 'project-'));
  fs.writeFileSync(path.join(project, '.libvirt-hostdev.json'), JSON.stringify({ severity: { 'network-forward': 'warning' } }));
  const f = path.join(project, 'pool.xml');
  fs.writeFileSync(f, `<network><name>${POLICY_POOL}</name><forward mode='hostdev' managed='yes'/></network>\n`);
  const r = await runCli(['net-define', f, ...sessionHostArgs(), '--dry-run']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /warning network-forward: The pool has no <pf> and no <address>/);
  assert.match(r.stderr, /would run: virsh -c qemu:\/\/\/session net-define /);
  assert.notEqual(info(POLICY_POOL).code, 0, '--dry-run defines nothing');
});
