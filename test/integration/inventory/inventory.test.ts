// The live inventory over the REAL loopback sshd as the test user, libvirt qemu:///session and
// sysfs-shaped trees (test/setup/env.sh must be sourced). Guests are named lhd-inv-* and removed after.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createHostInventoryProvider } from '../../../server/src/inventory/hostProvider';
import { INVENTORY_COMMAND } from '../../../server/src/inventory/fetchInventory';
import { parseInventorySnapshot } from '../../../server/src/inventory/snapshot';
import type { SshTransport } from '../../../server/src/host/sshTransport';
import type { Inventory } from '../../../server/src/service/types';
import { buildRhelExampleTree, type SysfsTree } from '../../support/sysfsTree';
import {
  CountingTransport,
  defineGuest,
  hostdevInterface,
  isolateHome,
  plainHostdev,
  sshEnv,
  sshTransport,
  undefineGuest,
  vmHome,
  vmVirsh,
} from './support';
import { runCli, type CliRun } from '../../support/cli';

const WEB = 'lhd-inv-web01';
const DB = 'lhd-inv-db01';
const HOSTILE = `lhd-inv we'ird $(touch lhd-inv-pwned) ; \`touch lhd-inv-pwned2\` "q" & <x> \\ end`;
const ROOT = path.resolve(__dirname, '..', '..', '..', '..');

let tree: SysfsTree;
let env: ReturnType<typeof sshEnv>;

before(() => {
  env = sshEnv();
  isolateHome('lhd-inv-home-', true);
  tree = buildRhelExampleTree().tree;
  for (const name of [WEB, DB, HOSTILE]) undefineGuest(name);
  defineGuest(WEB, hostdevInterface(0x0b, 0x10, 0, '52:54:00:6d:90:01'));
  defineGuest(DB, `${plainHostdev(0x0b, 0x10, 2)}\n${hostdevInterface(0x0b, 0x10, 4, '52:54:00:6d:90:03')}`);
  defineGuest(HOSTILE, hostdevInterface(0x0b, 0x10, 1, '52:54:00:6d:90:02'));
});

after(() => {
  for (const name of [WEB, DB, HOSTILE]) undefineGuest(name);
  tree.remove();
});

const cli = (args: string[]): Promise<CliRun> => runCli(args);

/** the options that reach the test host's qemu:///session with the RHEL-shaped tree */
function hostArgs(): string[] {
  return ['--host', env.target, '--identity', env.key, '--connect', 'qemu:///session', '--sysfs-root', tree.root];
}

function cliArgs(extra: string[] = []): string[] {
  return ['inventory', ...hostArgs(), ...extra];
}

function assertSnapshot(inv: Inventory): void {
  assert.equal(inv.host, env.target);
  assert.equal(inv.devices.filter((d) => d.kind === 'pf').length, 2);
  assert.equal(inv.devices.filter((d) => d.kind === 'vf').length, 14);
  const vf = inv.devices.find((d) => d.address === '0000:0b:10.0');
  assert.deepEqual([vf?.pf, vf?.vfIndex, vf?.driver, vf?.vf?.vlan], ['0000:0b:00.0', 0, 'igbvf', 42]);
  const mine = inv.guests.filter((g) => g.name.startsWith('lhd-inv'));
  assert.deepEqual(mine.map((g) => g.name).sort(), [DB, WEB, HOSTILE].sort());
  assert.deepEqual(
    mine.find((g) => g.name === WEB),
    {
      name: WEB,
      // as virsh domuuid prints it: what uuid-taken tells a document that gives another
      uuid: vmVirsh(['domuuid', WEB]).stdout.trim(),
      state: 'shut off',
      persistent: true,
      macs: ['52:54:00:6d:90:01'],
      devices: [{ address: '0000:0b:10.0', element: 'interface', config: true, live: false, mac: '52:54:00:6d:90:01' }],
    },
  );
  assert.deepEqual(mine.find((g) => g.name === DB)?.devices, [
    { address: '0000:0b:10.4', element: 'interface', config: true, live: false, mac: '52:54:00:6d:90:03' },
    { address: '0000:0b:10.2', element: 'hostdev', config: true, live: false, mac: null },
  ]);
  assert.deepEqual(
    mine.find((g) => g.name === HOSTILE)?.devices.map((d) => d.address),
    ['0000:0b:10.1'],
  );
}

test('CLI in-process: inventory --host vmtest@127.0.0.1:PORT --connect qemu:///session --sysfs-root TREE prints the right snapshot', async () => {
  const r = await cli(cliArgs());
  assert.equal(r.code, 0, r.stderr);
  assertSnapshot(parseInventorySnapshot(r.stdout, 'stdout'));
});

test('the hostile guest name came back exactly and nothing ran on the host (no file in its home)', async () => {
  const r = await cli(cliArgs());
  assert.equal(r.code, 0, r.stderr);
  assert.ok(parseInventorySnapshot(r.stdout, 'stdout').guests.some((g) => g.name === HOSTILE));
  for (const f of ['lhd-inv-pwned', 'lhd-inv-pwned2']) {
    assert.equal(fs.existsSync(path.join(vmHome(), f)), false, f);
    assert.equal(fs.existsSync(path.join('/', f)), false, f);
  }
});

test('the built bundle: node dist/cli.js inventory … --output FILE writes the same snapshot', () => {
  const bundle = path.join(ROOT, 'dist', 'cli.js');
  const newestSource = Math.max(...listTs(path.join(ROOT, 'server', 'src')).map((f) => fs.statSync(f).mtimeMs));
  if (!fs.existsSync(bundle) || fs.statSync(bundle).mtimeMs < newestSource) {
    const b = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(b.status, 0, `node esbuild.mjs failed: ${b.stderr}`);
  }
  const out = path.join(tree.root, '..', `lhd-inv-snapshot-${process.pid}.json`);
  try {
    const r = spawnSync(process.execPath, [bundle, ...cliArgs(['--output', out])], {
      encoding: 'utf8',
      env: process.env,
      timeout: 120_000,
    });
    assert.equal(r.status, 0, r.stderr);
    assertSnapshot(parseInventorySnapshot(fs.readFileSync(out, 'utf8'), out));
  } finally {
    fs.rmSync(out, { force: true });
  }
});

test('exactly ONE exec per refresh over SSH, on one reused connection', async () => {
  const ssh = sshTransport(env);
  const counting = new CountingTransport(ssh);
  const p = createHostInventoryProvider(
    { name: 'kvm1', target: env.target, connect: 'qemu:///session', sysfsRoot: tree.root },
    {
      transportFor: async () => counting,
      commandTimeoutMs: 60_000,
    },
  );
  try {
    for (let i = 1; i <= 3; i++) {
      await p.refresh();
      assert.equal(p.current().status.state, 'ok', p.current().status.error ?? '');
      assert.deepEqual(counting.execs, Array(i).fill(INVENTORY_COMMAND));
    }
    assert.equal((ssh as SshTransport).connectCount, 1);
    // 14 VFs, 5 held by the three lhd-inv guests (other guests of the test user hold none of this tree's)
    assert.equal(p.current().status.totalVfs, 14);
  } finally {
    p.dispose();
    counting.close();
  }
});

test('a dropped connection during a refresh keeps the last good inventory (stale), and the next refresh reconnects', async () => {
  const ssh = sshTransport(env) as SshTransport;
  const p = createHostInventoryProvider(
    { name: 'kvm1', target: env.target, connect: 'qemu:///session', sysfsRoot: tree.root },
    {
      transportFor: async () => ssh,
      commandTimeoutMs: 60_000,
    },
  );
  const classFile = path.join(fs.realpathSync(path.join(tree.root, 'bus/pci/devices/0000:0b:10.0')), 'class');
  try {
    await p.refresh();
    const good = p.current().inventory;
    assert.ok(good);
    // The next refresh blocks on a FIFO where a sysfs file was, so it is surely in flight when
    // the connection dies: we kill the sshd session process that runs our `sh -s`.
    fs.rmSync(classFile);
    assert.equal(spawnSync('mkfifo', ['-m', '0644', classFile]).status, 0);
    const refreshing = p.refresh();
    const sh = await waitFor(() => scriptProcessIn(tree.root));
    process.kill(parentOf(sh), 'SIGKILL');
    await refreshing;
    const now = p.current();
    assert.equal(now.inventory, good);
    assert.equal(now.status.state, 'stale');
    assert.match(now.status.error ?? '', /lost|closed|incomplete/);
    restoreClassFile(classFile);
    await p.refresh();
    assert.equal(p.current().status.state, 'ok', p.current().status.error ?? '');
    assert.notEqual(p.current().inventory, good);
    assert.equal(ssh.connectCount, 2);
  } finally {
    restoreClassFile(classFile);
    p.dispose();
    ssh.close();
  }
});

test('check --host against the live inventory: a VF held by another guest and an address the host lacks', async () => {
  const file = path.join(tree.root, '..', `lhd-inv-check-${process.pid}.xml`);
  fs.writeFileSync(
    file,
    `<domain type='kvm'>
  <name>lhd-inv-other</name>
  <devices>
${hostdevInterface(0x0b, 0x10, 0, '52:54:00:11:22:33')}
${hostdevInterface(0x0c, 0x1f, 7, '52:54:00:11:22:34')}
${hostdevInterface(0x0b, 0x10, 6, '52:54:00:11:22:35')}
  </devices>
</domain>
`,
  );
  try {
    const r = await cli(['check', ...hostArgs(), '--format', 'json', file]);
    assert.equal(r.code, 1, r.stderr);
    const [result] = JSON.parse(r.stdout) as Array<{ diagnostics: Array<{ code: string; range: { start: { line: number } } }> }>;
    // vf-not-persistent is left out: whether the PF's VFs persist depends on this machine's /etc, not on the guests
    const codes = result.diagnostics
      .filter((d) => d.code !== 'vf-not-persistent')
      .map((d) => `${d.range.start.line + 1}:${d.code}`)
      .sort();
    // line 6: 0b:10.0 is in lhd-inv-web01's config; line 10: no 0c:1f.7 on the host; 0b:10.6 (line 14) is free
    assert.deepEqual(codes, ['10:pci-unknown', '6:vf-in-use']);
  } finally {
    fs.rmSync(file, { force: true });
  }
});

test("check --host --guests over SSH: each guest's definition as QEMU keeps it, named HOST/NAME.xml; a VF two definitions hold is flagged in both", async () => {
  const DUP = 'lhd-inv-dup';
  defineGuest(DUP, hostdevInterface(0x0b, 0x10, 0, '52:54:00:6d:90:09'));
  try {
    const r = await cli(['check', ...hostArgs(), '--guests', '--format', 'json']);
    const results = JSON.parse(r.stdout) as Array<{
      file: string;
      guest?: { host: string; name: string };
      diagnostics: Array<{ code: string }>;
    }>;
    // qemu:///session of the test user may hold other tests' guests: only this file's are looked at
    const mine = results.filter((f) => f.guest?.name.startsWith('lhd-inv'));
    assert.deepEqual(
      mine.map((f) => [f.file, f.guest?.host, f.diagnostics.map((d) => d.code).filter((c) => c !== 'vf-not-persistent')]),
      [
        // by name (' ' sorts before '-')
        [`${env.host}/${HOSTILE}.xml`, env.target, []],
        [`${env.host}/${DB}.xml`, env.target, []],
        [`${env.host}/${DUP}.xml`, env.target, ['vf-in-use']],
        [`${env.host}/${WEB}.xml`, env.target, ['vf-in-use']],
      ],
    );
    assert.equal(mine.find((f) => f.guest?.name === HOSTILE)?.file, `${env.host}/${HOSTILE}.xml`, 'the hostile name came back exactly');
  } finally {
    undefineGuest(DUP);
  }
});

test('a command timeout is exit 2 with one line', async () => {
  const r = await cli(cliArgs(['--timeout', '0.001']));
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^libvirt-hostdev: command timed out after 1 ms on vmtest@127\.0\.0\.1:\d+ (?:before|while) [^\n]+\n$/);
});

function listTs(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? listTs(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

/** Lets a reader still blocked on the FIFO finish (EOF), then puts the sysfs file back. */
function restoreClassFile(file: string): void {
  let fifo = false;
  try {
    fifo = fs.lstatSync(file).isFIFO();
  } catch {
    /* gone */
  }
  if (fifo) {
    try {
      fs.closeSync(fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK));
    } catch {
      // ENXIO: no reader left
    }
  }
  if (fifo || !fs.existsSync(file)) {
    fs.rmSync(file, { force: true });
    fs.writeFileSync(file, '0x020000\n');
  }
}

/** The test user's `sh -s` whose working directory is inside `root` (the script cd's through the tree). */
function scriptProcessIn(root: string): number | null {
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${name}/cmdline`, 'utf8');
      if (cmd !== 'sh\0-s\0') continue;
      if (fs.readlinkSync(`/proc/${name}/cwd`).startsWith(root)) return Number(name);
    } catch {
      // gone meanwhile
    }
  }
  return null;
}

function parentOf(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

/** Polls `probe` (every 20 ms, up to 30 s) until it returns a value. */
async function waitFor<T>(probe: () => T | null): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const v = probe();
    if (v !== null) return v;
    if (Date.now() > deadline) throw new Error('condition not reached in 30 s');
    await new Promise((r) => setTimeout(r, 20));
  }
}
