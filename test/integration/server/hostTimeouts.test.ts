// The editor's timeouts (libvirtHostdev.connectTimeoutSeconds, commandTimeoutSeconds) bound every
// phase of a host read, through the real language server and a fake SSH host (ssh2's Server) that
// stalls: a TCP connection that never gets a handshake, an authentication never answered, a
// ProxyCommand that never speaks, a command that never ends. Each refresh settles with the error
// naming the budget that the settings gave (1 s to connect, 2 s per command): the settings'
// values are what the test checks, not how long anything took.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { withTestServer, type TestClient } from '../../server/harness';
import { tempDir } from '../../support/shellHost';
import { stall, startHostileHost, type HostileHost, type HostileHostOptions } from '../../support/hostileSshHost';
import { sshEnv } from '../inventory/support';
import type { AttachDeviceResult, InventoryStatus } from '../../../shared/protocol';

const CONNECT_SECONDS = 1;
const COMMAND_SECONDS = 2;

let home: string;
const hosts: HostileHost[] = [];

before(() => {
  // no ~/.ssh/config, agent or keys of the machine: only what each test writes
  home = tempDir('lhd-timeouts-home-');
  process.env.HOME = home;
  delete process.env.SSH_AUTH_SOCK;
  fs.mkdirSync(path.join(home, '.ssh'), { mode: 0o700 });
});

after(async () => {
  for (const h of hosts) await h.close();
  fs.rmSync(home, { recursive: true, force: true });
});

async function hostile(options: HostileHostOptions): Promise<HostileHost> {
  const h = await startHostileHost(options);
  hosts.push(h);
  return h;
}

/** Refreshes the one configured host through the server and returns the status it settles on. */
async function refreshThrough(target: string, knownHostsFile: string): Promise<InventoryStatus> {
  let status: InventoryStatus | undefined;
  const settings = {
    hosts: [{ name: 'kvm1', target, identityFile: sshEnv().key }],
    activeHost: 'kvm1',
    connectTimeoutSeconds: CONNECT_SECONDS,
    commandTimeoutSeconds: COMMAND_SECONDS,
  };
  await withTestServer({ initializationOptions: { settings, knownHostsFile } }, async (client: TestClient) => {
    await client.request('libvirtHostdev/refreshInventory', {});
    status = await client.statuses.wait("host 'kvm1' failed", (s) => s.host === 'kvm1' && s.state !== 'loading' && s.state !== 'ok');
  });
  return status!;
}

test('handshake never comes: the refresh ends at connectTimeoutSeconds with a one-line timeout', async () => {
  const h = await hostile({ hang: 'handshake' });
  const status = await refreshThrough(`vmtest@127.0.0.1:${h.port}`, h.knownHostsFile);
  assert.match(
    status.error ?? '',
    new RegExp(`^connecting to vmtest@127\\.0\\.0\\.1:${h.port} timed out after ${CONNECT_SECONDS * 1000} ms`),
  );
  assert.ok(!(status.error ?? '').includes('\n'));
});

test('authentication never answered: the same connect budget ends it', async () => {
  const h = await hostile({ hang: 'auth' });
  const status = await refreshThrough(`vmtest@127.0.0.1:${h.port}`, h.knownHostsFile);
  assert.match(status.error ?? '', new RegExp(`timed out after ${CONNECT_SECONDS * 1000} ms`));
});

test('a ProxyCommand that never speaks: the same connect budget ends it', async () => {
  const h = await hostile({});
  fs.writeFileSync(
    path.join(home, '.ssh', 'config'),
    `Host stalled-proxy\n  HostName 127.0.0.1\n  Port ${h.port}\n  User vmtest\n  ProxyCommand sleep 600\n`,
  );
  try {
    const status = await refreshThrough('stalled-proxy', h.knownHostsFile);
    assert.match(status.error ?? '', new RegExp(`timed out after ${CONNECT_SECONDS * 1000} ms`));
  } finally {
    fs.rmSync(path.join(home, '.ssh', 'config'));
  }
});

test('a command that never ends: the refresh ends at commandTimeoutSeconds', async () => {
  const h = await hostile({ scenario: stall });
  const status = await refreshThrough(`vmtest@127.0.0.1:${h.port}`, h.knownHostsFile);
  assert.match(status.error ?? '', new RegExp(`^command timed out after ${COMMAND_SECONDS * 1000} ms`));
});

test('attach on a host whose command never ends: answered at commandTimeoutSeconds, nothing hangs', async () => {
  const h = await hostile({ scenario: stall });
  const settings = {
    hosts: [{ name: 'kvm1', target: `vmtest@127.0.0.1:${h.port}`, identityFile: sshEnv().key }],
    activeHost: 'kvm1',
    connectTimeoutSeconds: CONNECT_SECONDS,
    commandTimeoutSeconds: COMMAND_SECONDS,
  };
  await withTestServer({ initializationOptions: { settings, knownHostsFile: h.knownHostsFile } }, async (client) => {
    const result = await client.request<AttachDeviceResult>('libvirtHostdev/attachDevice', {
      deviceXml:
        "<hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0' bus='0x0b' slot='0x10' function='0'/></source></hostdev>",
      guest: 'web01',
      operation: 'attach',
      live: false,
    });
    assert.equal(result.ok, false);
    assert.match(result.message, new RegExp(`^command timed out after ${COMMAND_SECONDS * 1000} ms`));
  });
});

test('an identity file that is a FIFO is skipped at once (named in the log), never waited on', { timeout: 60_000 }, async () => {
  const h = await hostile({});
  const fifo = path.join(home, 'fifo-key');
  execFileSync('mkfifo', [fifo]);
  const settings = {
    hosts: [{ name: 'kvm1', target: `vmtest@127.0.0.1:${h.port}`, identityFile: fifo }],
    activeHost: 'kvm1',
    connectTimeoutSeconds: 600,
  };
  await withTestServer({ initializationOptions: { settings, knownHostsFile: h.knownHostsFile } }, async (client) => {
    await client.request('libvirtHostdev/refreshInventory', {});
    const status = await client.statuses.wait("host 'kvm1' failed", (s) => s.host === 'kvm1' && s.state !== 'loading' && s.state !== 'ok');
    // the 600 s connect budget never comes into it: authentication fails without the key
    assert.match(status.error ?? '', /authentication .*skipped \S+fifo-key: not a regular file/i);
    assert.ok(
      client.logWarnings.some((m) => m.includes(`identity file ${fifo}: not a regular file; skipped`)),
      client.logWarnings.join('\n'),
    );
  });
});
