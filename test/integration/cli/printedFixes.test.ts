// The fixes `libvirt-hostdev readiness` prints run as printed: against REAL libvirt (the test user's
// qemu:///session over the loopback sshd), a VF pool whose name holds a space, a single quote and
// a `$` (libvirt accepts all three at net-define) is defined but neither started nor autostarted.
// virsh's fix from the network-inactive message and our own `or:` line each go through `sh -c`
// exactly as printed, and libvirt then reports the pool active and autostarted.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { shellJoin } from '../../../shared/shellQuote';
import { HostTree } from '../../support/hostTree';
import { addIntel82576 } from '../../support/sysfsTree';
import { runCli } from '../../support/cli';
import { isolateHome, sessionHostArgs, sshEnv, vmVirsh, xmlEscape } from '../inventory/support';

const POOL = "lhd-fix it's $HOME";
const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
let dir = '';
let home = '';
let tree: HostTree;

function cleanup(): void {
  vmVirsh(['net-destroy', '--network', POOL]);
  vmVirsh(['net-undefine', '--network', POOL]);
}

/** Defined, inactive, no autostart: what both fixes repair. */
function resetPool(): void {
  cleanup();
  const file = path.join(dir, 'pool.xml');
  fs.writeFileSync(file, `<network><name>${xmlEscape(POOL)}</name><forward mode='hostdev' managed='yes'/></network>\n`, { mode: 0o644 });
  const r = vmVirsh(['net-define', '--file', file]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Network lhd-fix it's \$HOME defined/);
}

function poolState(): { active: string; autostart: string } {
  const info = vmVirsh(['net-info', '--network', POOL]);
  assert.equal(info.code, 0, info.stderr);
  return {
    active: /^Active:\s+(\S+)$/m.exec(info.stdout)?.[1] ?? '?',
    autostart: /^Autostart:\s+(\S+)$/m.exec(info.stdout)?.[1] ?? '?',
  };
}

before(() => {
  home = isolateHome('lhd-fix-home-', true).home;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-fix-'));
  fs.chmodSync(dir, 0o755);
  tree = new HostTree();
  addIntel82576(tree.sys);
  tree.sys.writeIpLink();
  tree.module('vfio_pci');
});

after(() => {
  cleanup();
  tree.remove();
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(home, { recursive: true, force: true });
});

/** The pool's finding and fix lines of step 7, read from the live host. */
async function poolLines(): Promise<string[]> {
  const r = await runCli(['readiness', ...sessionHostArgs(), '--host-root', tree.root, '--format', 'json']);
  const checks = (JSON.parse(r.stdout) as { checks: { id: string; details: string[] }[] }).checks;
  const details = checks.find((c) => c.id === 'vf-pools')?.details ?? [];
  const start = details.findIndex((d) => d.startsWith(`'${POOL}': `));
  assert.ok(start >= 0, r.stdout + r.stderr);
  const end = details.findIndex((d, i) => i > start && !/^(WARN|FAIL|or): /.test(d));
  return details.slice(start + 1, end < 0 ? undefined : end);
}

test("qemu:///session: virsh's net-start/net-autostart fix for a pool named with a space, a quote and $ runs as printed", async () => {
  resetPool();
  const lines = await poolLines();
  const inactive = lines.find((d) => d.includes(`Network '${POOL}' is not active`));
  assert.ok(inactive, lines.join('\n'));
  const lead = 'Start it and keep it started: ';
  assert.ok(inactive.endsWith('.'), inactive);
  const printed = inactive.slice(inactive.indexOf(lead) + lead.length, -1);
  assert.equal(printed, `virsh net-start 'lhd-fix it'\\''s $HOME'; virsh net-autostart 'lhd-fix it'\\''s $HOME'`);
  // as the user who reads it: virsh without -c is that user's qemu:///session
  const env = sshEnv();
  const run = spawnSync('runuser', ['-u', env.user, '--', 'env', `XDG_RUNTIME_DIR=${env.runtimeDir}`, 'LC_ALL=C', 'sh', '-c', printed], {
    encoding: 'utf8',
    cwd: '/',
    timeout: 120_000,
  });
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(poolState(), { active: 'yes', autostart: 'yes' });
});

test('qemu:///session: our own `or: libvirt-hostdev net-start … && … net-autostart …` line runs as printed', async () => {
  resetPool();
  const or = (await poolLines()).find((d) => d.startsWith('or: libvirt-hostdev net-start '));
  assert.ok(or, 'no fix of ours printed');
  const printed = or.slice('or: '.length);
  // the command as a user's PATH finds it (sh takes no '-' in a function name)
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin, { recursive: true });
  const launcher = path.join(bin, 'libvirt-hostdev');
  fs.writeFileSync(launcher, `#!/bin/sh\nexec ${shellJoin([process.execPath, path.join(ROOT, 'dist', 'cli.js')])} "$@"\n`, { mode: 0o755 });
  const run = spawnSync('/bin/sh', ['-c', printed], {
    encoding: 'utf8',
    cwd: '/',
    timeout: 240_000,
    env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` },
  });
  assert.equal(run.status, 0, `${printed}\n${run.stderr}`);
  assert.deepEqual(poolState(), { active: 'yes', autostart: 'yes' });
});
