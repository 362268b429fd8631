// `libvirt-hostdev readiness` step 7 'vf-pools' against REAL libvirt: the test user's qemu:///session
// over the loopback sshd (a started empty hostdev pool without autostart; a defined, inactive pool a
// shut-off guest's definition names, whose quoted refusal must be what `virsh start` prints; then the
// printed net-autostart fix, run as printed; a shut-off guest naming a network the host lacks, whose
// quoted refusal must also be what `virsh start` prints), and the test driver with a custom node XML (an active
// <pf dev> pool of the 82576 copy, named by a running and a shut-off guest; a two-VF pool named by three
// shut-off guests, one with two interfaces on it, counted as two VFs by readiness and check; a second
// two-VF pool that one shut-off guest with two interfaces on it fills exactly).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HostTree } from '../../support/hostTree';
import { addIntel82576 } from '../../support/sysfsTree';
import { runCli } from '../../support/cli';
import { defineGuest, isolateHome, sessionHostArgs, undefineGuest, vmVirsh } from '../inventory/support';

const EMPTY = 'lhd-rdy-empty';
const DOWN = 'lhd-rdy-down';
const GUEST = 'lhd-rdy-guest';
const LOST = 'lhd-rdy-lost';
const MISSING = 'lhd-rdy-missing';
let dir = '';
let home = '';
let tree: HostTree;

function cleanup(): void {
  undefineGuest(GUEST);
  undefineGuest(LOST);
  for (const n of [EMPTY, DOWN]) {
    vmVirsh(['net-destroy', '--network', n]);
    vmVirsh(['net-undefine', '--network', n]);
  }
}

function defineNetwork(name: string, forward: string): void {
  const file = path.join(dir, `${name}.xml`);
  fs.writeFileSync(file, `<network><name>${name}</name>${forward}</network>\n`, { mode: 0o644 });
  const r = vmVirsh(['net-define', '--file', file]);
  assert.equal(r.code, 0, r.stderr);
}

before(() => {
  home = isolateHome('lhd-rdy-home-', true).home;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-rdy-'));
  fs.chmodSync(dir, 0o755);
  tree = new HostTree();
  addIntel82576(tree.sys);
  tree.sys.writeIpLink();
  tree.module('vfio_pci');
  tree.write('etc/modprobe.d/igb.conf', 'options igb max_vfs=7\n');
  cleanup();
  defineNetwork(EMPTY, "<forward mode='hostdev' managed='yes'/>");
  const started = vmVirsh(['net-start', '--network', EMPTY]);
  assert.equal(started.code, 0, started.stderr);
  defineNetwork(DOWN, "<forward mode='hostdev' managed='yes'><pf dev='lhdrdy0'/></forward>");
  defineGuest(GUEST, `    <interface type='network'><mac address='52:54:00:5e:01:01'/><source network='${DOWN}'/></interface>`);
  defineGuest(LOST, `    <interface type='network'><mac address='52:54:00:5e:01:02'/><source network='${MISSING}'/></interface>`);
});

after(() => {
  cleanup();
  tree.remove();
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(home, { recursive: true, force: true });
});

interface Check {
  step: number;
  id: string;
  status: string;
  details: string[];
}

async function poolsCheck(): Promise<{ code: number; check: Check }> {
  const r = await runCli(['readiness', ...sessionHostArgs(), '--host-root', tree.root, '--format', 'json']);
  const checks = (JSON.parse(r.stdout) as { checks: Check[] }).checks;
  const check = checks.find((c) => c.id === 'vf-pools');
  assert.ok(check, r.stdout + r.stderr);
  assert.equal(check.step, 7);
  return { code: r.code, check };
}

/** The pool's own line and the finding lines after it (up to the next pool). */
function linesOf(check: Check, pool: string): string[] {
  const start = check.details.findIndex((d) => d.startsWith(`'${pool}': `));
  assert.ok(start >= 0, check.details.join('\n'));
  const end = check.details.findIndex((d, i) => i > start && !/^(WARN|FAIL|or): /.test(d));
  return check.details.slice(start, end < 0 ? undefined : end);
}

test('qemu:///session: an inactive pool a shut-off guest names FAILs (exit 1) with the text virsh start prints; an empty started pool WARNs', async () => {
  const { code, check } = await poolsCheck();
  assert.equal(code, 1);
  assert.equal(check.status, 'fail');
  const down = linesOf(check, DOWN);
  assert.equal(
    down[0],
    `'${DOWN}': PF 'lhdrdy0', 0 VFs, none handed out while inactive, inactive, no autostart; used by '${GUEST}' 1 (shut off)`,
  );
  const inactive = down.find((d) => d.startsWith('FAIL: ') && d.includes('is not active'));
  assert.ok(inactive, down.join('\n'));
  assert.ok(
    down.some((d) => d.startsWith(`FAIL: No network device 'lhdrdy0'`)),
    down.join('\n'),
  );
  const quoted = /libvirt: "([^"]+)"/.exec(inactive)?.[1];
  assert.equal(quoted, `Requested operation is not valid: network '${DOWN}' is not active`);
  const start = vmVirsh(['start', '--domain', GUEST]);
  vmVirsh(['destroy', '--domain', GUEST]);
  assert.notEqual(start.code, 0, 'libvirt started the guest');
  assert.ok(start.stderr.includes(`error: ${quoted}`), `libvirt said:\n${start.stderr}\nthe check quotes:\n${quoted}`);

  const empty = linesOf(check, EMPTY);
  assert.equal(empty[0], `'${EMPTY}': no PF or address, 0/0 VFs free, active, no autostart; no guest uses it`);
  assert.ok(
    empty.some((d) => /^WARN: Network 'lhd-rdy-empty' does not autostart: after a host reboot it is down/.test(d)),
    empty.join('\n'),
  );
  assert.ok(
    empty.some((d) => /^WARN: Pool 'lhd-rdy-empty' has no VFs at all .*requires exclusive access to interfaces/.test(d)),
    empty.join('\n'),
  );
});

test('qemu:///session: the net-autostart fix printed for a pool without autostart works as printed, and its warning goes', async () => {
  const before = linesOf((await poolsCheck()).check, EMPTY);
  const fix = before.find((d) => d.startsWith('or: libvirt-hostdev net-autostart '));
  assert.ok(fix, before.join('\n'));
  // plain names and paths: the printed words are the arguments (shell quoting adds nothing here)
  const argv = fix.slice('or: libvirt-hostdev '.length).split(' ');
  assert.deepEqual(argv.slice(0, 3), ['net-autostart', '--network', EMPTY]);
  const marked = await runCli([...argv, '--timeout', '120']);
  assert.equal(marked.code, 0, marked.stderr);
  assert.match(vmVirsh(['net-info', '--network', EMPTY]).stdout, /^Autostart:\s+yes$/m);
  const after = linesOf((await poolsCheck()).check, EMPTY);
  assert.equal(after[0], `'${EMPTY}': no PF or address, 0/0 VFs free, active, autostarts; no guest uses it`);
  assert.ok(!after.some((d) => d.includes('does not autostart')), after.join('\n'));
});

test('qemu:///session: a shut-off guest whose definition names a network the host lacks FAILs with the text virsh start prints', async () => {
  const { code, check } = await poolsCheck();
  assert.equal(code, 1);
  assert.equal(check.status, 'fail');
  const lines = linesOf(check, MISSING);
  assert.equal(lines[0], `'${MISSING}': no such network; named by '${LOST}' (shut off)`);
  assert.equal(lines.length, 2, lines.join('\n'));
  assert.match(lines[1], /^FAIL: No libvirt network 'lhd-rdy-missing' on host \S+ — the guest fails to start; libvirt: "/);
  const quoted = /libvirt: "([^"]+)"/.exec(lines[1])?.[1];
  assert.equal(quoted, `Network not found: no network with matching name '${MISSING}'`);
  const start = vmVirsh(['start', '--domain', LOST]);
  vmVirsh(['destroy', '--domain', LOST]);
  assert.notEqual(start.code, 0, 'libvirt started the guest');
  assert.ok(start.stderr.includes(`error: ${quoted}`), `libvirt said:\n${start.stderr}\nthe check quotes:\n${quoted}`);
});

test('the test driver (custom node XML): an active <pf dev> pool of the copied 82576 host, its users read from real virsh', async () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-rdy-td-'));
  try {
    const node = path.join(work, 'node.xml');
    const guestXml = (
      name: string,
      uuid: string,
      extra: string,
    ) => `  <domain type='test' xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>
    <name>${name}</name><uuid>${uuid}</uuid><memory>65536</memory><os><type>hvm</type></os>
    <devices><interface type='network'><mac address='52:54:00:5e:02:${uuid.slice(-2)}'/><source network='rdy-pool'/></interface></devices>${extra}
  </domain>\n`;
    fs.writeFileSync(
      node,
      `<node>\n${guestXml('rdy-web', '6695eb01-f6a4-8304-79aa-97f2502e3101', '')}${guestXml('rdy-db', '6695eb01-f6a4-8304-79aa-97f2502e3102', '<test:runstate>5</test:runstate>')}` +
        `  <network><name>rdy-pool</name><uuid>6695eb01-f6a4-8304-79aa-97f2502e3201</uuid><forward mode='hostdev' managed='yes'><pf dev='enp11s0f1'/></forward></network>\n</node>\n`,
    );
    const r = await runCli(['readiness', '--host', 'local', '--connect', `test://${node}`, '--host-root', tree.root]);
    // the test driver lists its networks as active without autostart
    assert.match(r.stdout, /^  7b\. VF pools \(active, autostart, free VFs\) +: WARN$/m, r.stdout + r.stderr);
    assert.match(
      r.stdout,
      /^ {7}'rdy-pool': PF 'enp11s0f1', 7\/7 VFs free, active, no autostart; used by 'rdy-db' 1 \(shut off\), 'rdy-web' 1 \(running\)$/m,
    );
    assert.match(r.stdout, /^ {7}WARN: Network 'rdy-pool' does not autostart: after a host reboot it is down/m);
    assert.match(r.stdout, /^ {7}or: libvirt-hostdev net-autostart --network rdy-pool --host local --connect test:\/\/\//m);
    assert.equal(r.code, 0, 'a warning is no failure');
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
});

test('the test driver (custom node XML): shut-off guests want more VFs of a pool than it has, one VF per interface as read from real virsh: readiness WARNs with the exact count, and a new guest on the pool gets the same count from check', async () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-rdy-demand-'));
  try {
    const node = path.join(work, 'node.xml');
    // rdy-d1 has two interfaces on rdy-two and takes two of its VFs at start; rdy-p1 two on rdy-pair
    const shutOff = (name: string, uuid: string, interfaces: number, pool = 'rdy-two') =>
      `  <domain type='test' xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>
    <name>${name}</name><uuid>${uuid}</uuid><memory>65536</memory><os><type>hvm</type></os>
    <devices>${Array.from({ length: interfaces }, (_, i) => `<interface type='network'><mac address='52:54:00:5e:03:${uuid.slice(-1)}${i}'/><source network='${pool}'/></interface>`).join('')}</devices>
    <test:runstate>5</test:runstate>
  </domain>\n`;
    const address = (fn: number) => `<address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x${fn}'/>`;
    fs.writeFileSync(
      node,
      `<node>\n${shutOff('rdy-d1', '6695eb01-f6a4-8304-79aa-97f2502e3301', 2)}${shutOff('rdy-d2', '6695eb01-f6a4-8304-79aa-97f2502e3302', 1)}${shutOff('rdy-d3', '6695eb01-f6a4-8304-79aa-97f2502e3303', 1)}` +
        shutOff('rdy-p1', '6695eb01-f6a4-8304-79aa-97f2502e3304', 2, 'rdy-pair') +
        `  <network><name>rdy-two</name><uuid>6695eb01-f6a4-8304-79aa-97f2502e3202</uuid><forward mode='hostdev' managed='yes'>${address(1)}${address(3)}</forward></network>\n` +
        `  <network><name>rdy-pair</name><uuid>6695eb01-f6a4-8304-79aa-97f2502e3203</uuid><forward mode='hostdev' managed='yes'>${address(5)}${address(7)}</forward></network>\n</node>\n`,
    );
    const uri = `test://${node}`;
    const r = await runCli(['readiness', '--host', 'local', '--connect', uri, '--host-root', tree.root]);
    assert.match(
      r.stdout,
      /^ {7}'rdy-two': addresses 0000:0b:10\.1, 0000:0b:10\.3, 2\/2 VFs free, active, no autostart; used by 'rdy-d1' 2 \(shut off\), 'rdy-d2' 1 \(shut off\), 'rdy-d3' 1 \(shut off\)$/m,
      r.stdout + r.stderr,
    );
    assert.match(
      r.stdout,
      /^ {7}WARN: Pool 'rdy-two' may run out: 2 of its 2 VFs are free, and its guests take 4 when they start \(shut-off 'rdy-d1' 2, 'rdy-d2' 1 and 'rdy-d3' 1\) — the guest fails to start; libvirt: "internal error: network 'rdy-two' requires exclusive access to interfaces, but none are available"/m,
      r.stdout,
    );
    // rdy-p1's two interfaces take both of rdy-pair's VFs: enough, no warning
    assert.match(
      r.stdout,
      /^ {7}'rdy-pair': addresses 0000:0b:10\.5, 0000:0b:10\.7, 2\/2 VFs free, active, no autostart; used by 'rdy-p1' 2 \(shut off\)$/m,
      r.stdout,
    );
    assert.doesNotMatch(r.stdout, /Pool 'rdy-pair' may run out/);
    assert.equal(r.code, 0, 'a warning is no failure');

    const doc = path.join(work, 'rdy-new.xml');
    fs.writeFileSync(
      doc,
      "<domain type='kvm'><name>rdy-new</name><devices><interface type='network'><mac address='52:54:00:5e:03:99'/><source network='rdy-two'/></interface></devices></domain>\n",
    );
    const checked = await runCli(['check', '--host', 'local', '--connect', uri, '--host-root', tree.root, doc]);
    assert.match(
      checked.stdout,
      /warning network-pool-exhausted: Pool 'rdy-two' may run out: 2 of its 2 VFs are free, and its guests take 5 when they start \('rdy-new' 1; shut-off 'rdy-d1' 2, 'rdy-d2' 1 and 'rdy-d3' 1\)/,
      checked.stdout + checked.stderr,
    );
    // on rdy-pair only the exact count finds the shortage: rdy-new 1 and rdy-p1 2 for its 2 VFs
    fs.writeFileSync(doc, fs.readFileSync(doc, 'utf8').replace("network='rdy-two'", "network='rdy-pair'"));
    const paired = await runCli(['check', '--host', 'local', '--connect', uri, '--host-root', tree.root, doc]);
    assert.match(
      paired.stdout,
      /warning network-pool-exhausted: Pool 'rdy-pair' may run out: 2 of its 2 VFs are free, and its guests take 3 when they start \('rdy-new' 1; shut-off 'rdy-p1' 2\)/,
      paired.stdout + paired.stderr,
    );
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
});
