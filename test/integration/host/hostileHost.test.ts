// A fake SSH host (ssh2's Server) that floods, stalls or drops the connection mid-stream: every
// failure is one HostError line, the refresh settles with the last good inventory kept, and the
// CLI exits 2 without a stack trace.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HostError, MAX_HOST_OUTPUT_BYTES } from '../../../server/src/host/transport';
import { LocalTransport } from '../../../server/src/host/localTransport';
import { fetchInventory } from '../../../server/src/inventory/fetchInventory';
import { createHostInventoryProvider } from '../../../server/src/inventory/hostProvider';
import type { HostConfig } from '../../../shared/settings';
import { buildRhelExampleTree } from '../../support/sysfsTree';
import { tempDir, writeTestDriverHost } from '../../support/shellHost';
import { dropMidStream, flood, FLOOD_BYTES, runForReal, stall, startHostileHost, type HostileHost } from '../../support/hostileSshHost';
import { loopbackSpec, sshTestEnv, transport, using } from './sshTestEnv';

const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');
let work: string;
let hostConfig: HostConfig;
let hostile: HostileHost;

before(async () => {
  work = tempDir('lhd-hostile-work-');
  const { tree } = buildRhelExampleTree(path.join(work, 'sys'));
  hostConfig = { name: 'kvm1', target: 'fake', connect: writeTestDriverHost(work), sysfsRoot: tree.root };
  hostile = await startHostileHost();
});

after(async () => {
  await hostile.close();
  fs.rmSync(work, { recursive: true, force: true });
});

function fakeHostTransport() {
  return transport(loopbackSpec({ port: hostile.port }), {}, { userKnownHostsFiles: [hostile.knownHostsFile] });
}

function inventoryOptions(timeoutMs: number) {
  return { host: 'kvm1', uri: hostConfig.connect, sysfsRoot: hostConfig.sysfsRoot, timeoutMs };
}

test('fake host: a flood is cut at the output cap with one HostError line (the cap ends it, not the timeout)', async () => {
  hostile.scenario = flood;
  const t = fakeHostTransport();
  await using(t, async () => {
    await assert.rejects(fetchInventory(t, inventoryOptions(120_000)), (e: Error) => {
      assert.ok(e instanceof HostError, String(e));
      assert.equal(e.message, `host output exceeds ${MAX_HOST_OUTPUT_BYTES / 1024 / 1024} MB on ${t.description}: the command was stopped`);
      return true;
    });
    // the connection is still good for the next command
    hostile.scenario = runForReal;
    assert.equal((await t.exec('echo still here', { timeoutMs: 10_000 })).stdout, 'still here\n');
  });
});

test('fake host: a command that stalls ends at the command timeout', async () => {
  hostile.scenario = stall;
  const t = fakeHostTransport();
  await using(t, async () => {
    await assert.rejects(fetchInventory(t, inventoryOptions(1500)), (e: Error) => e instanceof HostError && e.kind === 'timeout');
  });
});

test('fake host: a connection dropped mid-stream is one HostError, not a partial inventory', async () => {
  hostile.scenario = dropMidStream;
  const t = fakeHostTransport();
  await using(t, async () => {
    await assert.rejects(fetchInventory(t, inventoryOptions(30_000)), (e: Error) => e instanceof HostError && !e.message.includes('\n'));
  });
});

test('fake host: the refresh settles after a flood, the last good inventory is kept and the status says why', async () => {
  hostile.scenario = runForReal;
  const t = fakeHostTransport();
  await using(t, async () => {
    const provider = createHostInventoryProvider(hostConfig, { transportFor: async () => t, commandTimeoutMs: 120_000 });
    await provider.refresh();
    const good = provider.current().inventory;
    assert.equal(provider.current().status.state, 'ok');
    assert.ok(good && good.devices.length > 0);
    hostile.scenario = flood;
    await provider.refresh();
    const { inventory, status } = provider.current();
    assert.equal(status.state, 'stale');
    assert.match(status.error ?? '', /^host output exceeds \d+ MB/);
    assert.equal(inventory, good);
    provider.dispose();
  });
});

test('local host: output past the cap stops the command with the same one-line error', async () => {
  const local = new LocalTransport();
  try {
    await assert.rejects(
      local.exec(`head -c ${FLOOD_BYTES} /dev/zero`, { timeoutMs: 120_000 }),
      /^HostError: host output exceeds \d+ MB on local host/,
    );
  } finally {
    local.close();
  }
});

/** The built CLI against a fake host (asynchronously: the fake host lives in this process's event loop). */
async function cliAgainst(host: HostileHost, argv: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const config = tempDir('lhd-hostile-cli-');
  try {
    fs.mkdirSync(path.join(config, 'libvirt-hostdev'));
    fs.copyFileSync(host.knownHostsFile, path.join(config, 'libvirt-hostdev', 'known_hosts'));
    const env = sshTestEnv();
    const target = ['--host', `${env.user}@127.0.0.1:${host.port}`, '--identity', env.key, '--connect', hostConfig.connect!];
    return await runNode([path.join(repoRoot, 'dist', 'cli.js'), ...argv, ...target], {
      ...process.env,
      XDG_CONFIG_HOME: config,
      SSH_AUTH_SOCK: '',
    });
  } finally {
    fs.rmSync(config, { recursive: true, force: true });
  }
}

test('CLI: inventory from a flooding host exits 2 with one line, no stack trace', async () => {
  hostile.scenario = flood;
  const run = await cliAgainst(hostile, ['inventory', '--timeout', '120']);
  assert.equal(run.status, 2, run.stderr);
  assert.equal(run.stdout, '');
  assert.match(run.stderr, /^libvirt-hostdev: .*host output exceeds \d+ MB.*\n$/);
  assert.equal(run.stderr.split('\n').length, 2, 'one line');
});

test('CLI: authentication never answered ends at --connect-timeout, exit 2, one line', async () => {
  const silentAuth = await startHostileHost({ hang: 'auth' });
  try {
    const run = await cliAgainst(silentAuth, ['inventory', '--connect-timeout', '1', '--timeout', '600']);
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr, /^libvirt-hostdev: .*timed out after 1000 ms.*\n$/);
  } finally {
    await silentAuth.close();
  }
});

test('CLI: attach and detach on a host whose command never ends stop at --timeout, exit 2, one line', async () => {
  hostile.scenario = stall;
  const device = path.join(work, 'vf.xml');
  fs.writeFileSync(
    device,
    "<interface type='hostdev' managed='yes'><mac address='52:54:00:12:34:56'/><source><address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x4'/></source></interface>\n",
  );
  for (const operation of ['attach', 'detach']) {
    const run = await cliAgainst(hostile, [operation, device, '--guest', 'web01', '--timeout', '1', '--connect-timeout', '600']);
    assert.equal(run.status, 2, `${operation}: ${run.stderr}`);
    assert.match(run.stderr, /^libvirt-hostdev: .*timed out after 1000 ms.*\n$/, operation);
    assert.equal(run.stderr.split('\n').length, 2, 'one line');
  }
});

function runNode(args: string[], env: NodeJS.ProcessEnv): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => {
      stdout += b.toString();
    });
    child.stderr.on('data', (b: Buffer) => {
      stderr += b.toString();
    });
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
