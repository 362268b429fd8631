// The server with a live host: target `local`, real virsh (test:///default) and a sysfs-shaped tree
// of the RHEL guide's 82576 host, read through the host layer's one-exec inventory script.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { codes, example, withTestServer, type TestClient } from '../../server/harness';
import { addIntel82576, buildRhelExampleTree } from '../../support/sysfsTree';
import { HostTree } from '../../support/hostTree';
import type { AttachDeviceResult, GetInventoryResult, GuestDefinitionResult } from '../../../shared/protocol';

const { tree } = buildRhelExampleTree();
after(() => fs.rmSync(tree.root, { recursive: true, force: true }));

const BAD = example('guest-bad.xml');
const uri = 'file:///live/guest-bad.xml';
const settings = {
  hosts: [{ name: 'lab', target: 'local', connect: 'test:///default', sysfsRoot: tree.root }],
  activeHost: 'lab',
};

/** The example interface attached with --config to the test driver's guest `test`. */
const attachSnippet = (client: TestClient): Promise<AttachDeviceResult> =>
  client.request<AttachDeviceResult>('libvirtHostdev/attachDevice', {
    deviceXml: example('interface-snippet.xml'),
    guest: 'test',
    operation: 'attach',
    live: false,
  });

test('activeHost `local`: the live inventory reaches validation and the status', async () => {
  await withTestServer({ initializationOptions: { settings } }, async (client) => {
    client.open(uri, BAD);
    // The first publish may come before the host answered (validation never waits on it).
    const published = await client.diagnosticsFor(uri, 'pci-not-vf', (p) => codes(p).includes('pci-not-vf'));
    assert.ok(codes(published).includes('pci-unknown'), 'bus 011 (= 9) is not on this host');
    const status = await client.statuses.wait('state ok', (s) => s.state === 'ok');
    assert.deepEqual([status.source, status.host, status.totalVfs], ['host', 'lab', 14]);
    const got = await client.request<GetInventoryResult>('libvirtHostdev/getInventory', {});
    assert.equal((got.inventory as { devices: unknown[] }).devices.length, 16);
  });
});

test("attachDevice runs virsh on the active host and returns libvirt's own message", async () => {
  await withTestServer({ initializationOptions: { settings } }, async (client) => {
    const result = await attachSnippet(client);
    // libvirt's test driver has no attach-device: what matters is that virsh ran and its error came back.
    assert.equal(result.ok, false);
    assert.match(result.message, /not supported by the connection driver/);
    assert.match(result.commandLine, /^virsh -c test:\/\/\/default attach-device --config --domain test --file /);
  });
});

test("an attach through executeCommand (another editor's lens) is in the server's log; the VS Code client's request is not, as the client logs it", async () => {
  await withTestServer({ initializationOptions: { settings } }, async (client) => {
    await attachSnippet(client);
    const line =
      /^virsh -c test:\/\/\/default attach-device --config --domain test --file \/dev\/stdin → failed: [^]*not supported by the connection driver/;
    assert.ok(!client.logWarnings.some((w) => line.test(w)), `the client's request logged: ${JSON.stringify(client.logWarnings)}`);
    const uri = 'file:///live/test-guest.xml';
    const text = example('interface-snippet.xml');
    client.open(uri, text);
    const result = await client.request<{ ok: boolean; message: string }>('workspace/executeCommand', {
      command: 'libvirtHostdev.server.attachDevice',
      arguments: [{ uri, deviceSpan: { start: 0, end: text.trimEnd().length }, guest: 'test' }],
    });
    assert.equal(result.ok, false);
    assert.ok(
      client.logWarnings.some((w) => line.test(w)),
      `not in the server's log: ${JSON.stringify(client.logWarnings)}`,
    );
  });
});

test('an untrusted workspace contacts no host, says "Restricted Mode" (never "unreachable"), and refuses attach', async () => {
  await withTestServer({ initializationOptions: { settings, trusted: false } }, async (client) => {
    client.open(uri, BAD);
    const published = await client.diagnosticsFor(uri, 'inventory-unavailable', (p) => codes(p).includes('inventory-unavailable'));
    const message = String(published.diagnostics.find((d) => d.code === 'inventory-unavailable')!.message);
    assert.match(message, /^Host 'lab' not used in Restricted Mode — hosts from an untrusted workspace are not contacted\./);
    assert.doesNotMatch(message, /unreachable|unavailable/);
    assert.equal((await client.statuses.wait("a status of host 'lab'", (s) => s.host === 'lab')).state, 'restricted');
    const result = await attachSnippet(client);
    assert.equal(result.ok, false);
    assert.match(result.message, /not trusted/);
  });
});

test("Restricted Mode with the user's own hosts (hostsFromUser): the host is contacted, attach stays refused", async () => {
  await withTestServer({ initializationOptions: { settings, trusted: false, hostsFromUser: true } }, async (client) => {
    client.open(uri, BAD);
    const published = await client.diagnosticsFor(uri, 'pci-not-vf', (p) => codes(p).includes('pci-not-vf'));
    assert.ok(!codes(published).includes('inventory-unavailable'));
    assert.equal((await client.statuses.wait('state ok', (s) => s.state === 'ok')).host, 'lab');
    const result = await attachSnippet(client);
    assert.equal(result.ok, false);
    assert.match(result.message, /not trusted/);
  });
});

test('attachDevice without an active host says so', async () => {
  await withTestServer({}, async (client) => {
    const result = await attachSnippet(client);
    assert.equal(result.ok, false);
    assert.match(result.message, /No active host/);
  });
});

test(
  'refreshIntervalSeconds: the host is read again on its own, and the status carries the new inventory time',
  { timeout: 30_000 },
  async () => {
    // The server unrefs its timer (a real server lives on its stdin); in-process over memory streams
    // nothing else keeps node's event loop alive while we wait for the timer.
    const keepAlive = setInterval(() => undefined, 60_000);
    try {
      await withTestServer({ initializationOptions: { settings: { ...settings, refreshIntervalSeconds: 1 } } }, async (client) => {
        const first = await client.statuses.wait('state ok', (s) => s.state === 'ok');
        // No request from the client in between: only the interval timer can bring a newer inventory.
        const second = await client.statuses.wait(
          'a newer inventory from the interval timer',
          (s) => s.state === 'ok' && s.takenAt !== first.takenAt,
        );
        assert.ok(Date.parse(second.takenAt!) > Date.parse(first.takenAt!));
      });
    } finally {
      clearInterval(keepAlive);
    }
  },
);

test('testHost connects to a host before it is saved: the counts on success, the reason on failure', async () => {
  await withTestServer({ initializationOptions: { settings: {} } }, async (client) => {
    const ok = await client.request<{ ok: boolean; message: string }>('libvirtHostdev/testHost', { host: settings.hosts[0] });
    assert.deepEqual(ok, { ok: true, message: '14/14 VFs free, 1 guest' }, 'test:///default has one guest, holding no VF');
    const bad = await client.request<{ ok: boolean; message: string }>('libvirtHostdev/testHost', {
      host: { name: 'x', target: 'nobody@127.0.0.1:1' },
    });
    assert.equal(bad.ok, false);
    assert.match(bad.message, /127\.0\.0\.1/);
    assert.deepEqual(await client.request('libvirtHostdev/testHost', { host: { name: 'x' } }), {
      ok: false,
      message: 'A host needs a name and a target.',
    });
  });
});

test('testHost in Restricted Mode without hostsFromUser is refused, not attempted', async () => {
  await withTestServer({ initializationOptions: { settings: {}, trusted: false } }, async (client) => {
    const result = await client.request<{ ok: boolean; message: string }>('libvirtHostdev/testHost', { host: settings.hosts[0] });
    assert.deepEqual(result, { ok: false, message: 'Restricted Mode: hosts are not contacted in this workspace.' });
  });
});

test('a host with hostRoot: the server reads the copied host (IOMMU switches, VF persistence from its etc/)', async () => {
  const copied = new HostTree();
  addIntel82576(copied.sys);
  copied.sys.writeIpLink();
  copied.write('etc/modprobe.d/igb.conf', 'options igb max_vfs=7\n');
  try {
    const hostSettings = {
      hosts: [{ name: 'copied', target: 'local', connect: 'test:///default', hostRoot: copied.root }],
      activeHost: 'copied',
    };
    await withTestServer({ initializationOptions: { settings: hostSettings } }, async (client) => {
      await client.statuses.wait("host 'copied' ok", (s) => s.state === 'ok' && s.host === 'copied');
      const got = await client.request<GetInventoryResult>('libvirtHostdev/getInventory', {});
      const readiness = (
        got.inventory as { readiness?: { iommu: { cmdline: string[] }; vfPersistence: Record<string, { detail: string }[]> } }
      ).readiness!;
      assert.deepEqual(readiness.iommu.cmdline, ['intel_iommu=on', 'iommu=pt']);
      assert.deepEqual(
        readiness.vfPersistence['0000:0b:00.0'].map((s) => s.detail),
        ['options igb max_vfs=7'],
      );
    });
  } finally {
    copied.remove();
  }
});

test("guestDefinition answers a guest's persistent definition from the active host, virsh's words for one it lacks, nothing in Restricted Mode unless the hosts are the user's", async () => {
  await withTestServer({ initializationOptions: { settings } }, async (client) => {
    const found = await client.request<GuestDefinitionResult>('libvirtHostdev/guestDefinition', { guest: 'test' });
    assert.ok(found.ok, JSON.stringify(found));
    assert.match(found.xml, /^<domain type='test'>\n {2}<name>test<\/name>/);
    const missing = await client.request<GuestDefinitionResult>('libvirtHostdev/guestDefinition', { guest: "no such 'guest'" });
    assert.equal(missing.ok, false);
    assert.match(
      (missing as { message: string }).message,
      /^virsh dumpxml --inactive --domain 'no such '\\''guest'\\''': error: failed to get domain/,
    );
  });
  await withTestServer({ initializationOptions: { settings, trusted: false } }, async (client) => {
    const refused = await client.request<GuestDefinitionResult>('libvirtHostdev/guestDefinition', { guest: 'test' });
    assert.deepEqual(refused, { ok: false, message: 'Restricted Mode: hosts are not contacted in this workspace.' });
  });
  // Restricted Mode with only the user's own hosts: reading is allowed, as the inventory is
  await withTestServer({ initializationOptions: { settings, trusted: false, hostsFromUser: true } }, async (client) => {
    const read = await client.request<GuestDefinitionResult>('libvirtHostdev/guestDefinition', { guest: 'test' });
    assert.equal(read.ok, true, JSON.stringify(read));
  });
});
