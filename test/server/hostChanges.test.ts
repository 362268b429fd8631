// What the server does when a host or its settings change: it refreshes after its own attach,
// re-checks only the documents of the source that changed, and a new connect timeout applies
// without a restart.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AttachDeviceResult } from '../../shared/protocol';
import { INVENTORY_FORMAT, type Inventory } from '../../shared/snapshot';
import type { InventoryProvider } from '../../server/src/inventory/provider';
import { example, exampleInventory, startTestServer, type PublishedDiagnostics } from './harness';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-host-changes-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

test("after its own successful attach the server refreshes the host's inventory (the client asks nothing)", async () => {
  // a fake virsh on PATH: the local host runs it and it succeeds
  const bin = path.join(tmp, 'bin');
  fs.mkdirSync(bin, { recursive: true });
  fs.writeFileSync(path.join(bin, 'virsh'), '#!/bin/sh\necho "Device attached successfully"\n', { mode: 0o755 });
  const savedPath = process.env.PATH;
  process.env.PATH = `${bin}:${savedPath}`;
  let refreshes = 0;
  const inventory: Inventory = {
    format: INVENTORY_FORMAT,
    host: 'lab',
    takenAt: '2026-11-25T12:00:00Z',
    devices: [],
    guests: [],
    networks: [],
  };
  const provider: InventoryProvider = {
    current: () => ({
      inventory,
      status: { state: 'ok', host: 'lab', source: 'host', takenAt: inventory.takenAt, freeVfs: 0, totalVfs: 0, error: null },
    }),
    refresh: async () => {
      refreshes++;
    },
    onDidChange: () => ({ dispose: () => undefined }),
    dispose: () => undefined,
  };
  const client = await startTestServer({
    initializationOptions: { settings: { hosts: [{ name: 'lab', target: 'local', connect: 'test:///default' }], activeHost: 'lab' } },
    createHostProvider: () => provider,
  });
  try {
    await client.request('libvirtHostdev/getInventory', {});
    const before = refreshes;
    const result = await client.request<AttachDeviceResult>('libvirtHostdev/attachDevice', {
      deviceXml: "<hostdev mode='subsystem' type='pci'/>",
      guest: 'vm1',
      operation: 'attach',
      live: false,
    });
    assert.equal(result.ok, true, result.message);
    assert.equal(refreshes, before + 1, 'refreshed once, before the answer');
  } finally {
    process.env.PATH = savedPath;
    await client.shutdown();
  }
});

test('a snapshot file is checked once per document when first read, and a change of it re-checks only the documents that use it', async () => {
  const fileA = path.join(tmp, 'a.json');
  const fileB = path.join(tmp, 'b.json');
  const snapshot = fs.readFileSync(exampleInventory, 'utf8');
  fs.writeFileSync(fileA, snapshot);
  // B's snapshot names the guest holding 0000:0b:10.0 differently: B's diagnostics say which
  // snapshot they were checked with
  const snapshotB = JSON.parse(snapshot) as Inventory;
  snapshotB.guests = snapshotB.guests.map((g) => (g.name === 'web01' ? { ...g, name: 'web01-b' } : g));
  fs.writeFileSync(fileB, JSON.stringify(snapshotB));
  const uriA = `file://${tmp}/a.xml`;
  const uriB = `file://${tmp}/b.xml`;
  const client = await startTestServer({
    configuration: (item) => ({ inventoryFile: item.scopeUri === uriB ? fileB : fileA }),
  });
  try {
    const text = example('guest-bad.xml');
    client.open(uriA, text);
    client.open(uriB, text);
    const checkedWith =
      (guest: string) =>
      (p: PublishedDiagnostics): boolean =>
        p.diagnostics.some((d) => d.code === 'vf-in-use' && String(d.message).includes(` by '${guest}' `));
    await client.diagnosticsFor(uriA, "vf-in-use naming 'web01' (a.json read)", checkedWith('web01'));
    await client.diagnosticsFor(uriB, "vf-in-use naming 'web01-b' (b.json read)", checkedWith('web01-b'));
    const published = (uri: string): number => client.diagnostics.all.filter((p) => p.uri === uri).length;
    // three changes of A, each waited for: a re-check of B scheduled with one would have arrived by the next
    for (let round = 1; round <= 3; round++) {
      const changed = JSON.parse(snapshot) as Inventory;
      changed.guests = changed.guests.map((g) => (g.name === 'web01' ? { ...g, name: `web01-a${round}` } : g));
      fs.writeFileSync(fileA, JSON.stringify(changed));
      await client.nextDiagnostics(uriA, `vf-in-use naming 'web01-a${round}' (a.json changed)`, checkedWith(`web01-a${round}`));
    }
    assert.equal(published(uriB), 1, 'b.xml: checked once when opened (with its snapshot read), never for changes of a.json');
  } finally {
    await client.shutdown();
  }
});

test('a new libvirtHostdev.connectTimeoutSeconds applies to the next connection without a restart', { timeout: 20_000 }, async () => {
  // accepts TCP and never speaks SSH: only the connect timeout ends the attempt
  const sockets: net.Socket[] = [];
  const silent = net.createServer((s) => {
    sockets.push(s);
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const port = (silent.address() as net.AddressInfo).port;
  const settings = (timeout: number): unknown => ({
    libvirtHostdev: {
      hosts: [{ name: 'silent', target: `nobody@127.0.0.1:${port}` }],
      activeHost: 'silent',
      connectTimeoutSeconds: timeout,
    },
  });
  const client = await startTestServer({
    initializationOptions: { settings: (settings(600) as { libvirtHostdev: unknown }).libvirtHostdev },
  });
  try {
    await client.statuses.wait("a status of host 'silent'", (s) => s.host === 'silent');
    const seen = client.statuses.all.length;
    void client.connection.sendNotification('workspace/didChangeConfiguration', { settings: settings(1) });
    const status = await client.statuses.wait(
      "host 'silent' unreachable after the new settings",
      (s) => s.host === 'silent' && s.state === 'unreachable',
      seen,
    );
    // the 1 s timeout of the new settings, not the 600 s one, ended the attempt
    assert.match(status.error ?? '', /timed out after 1000 ms/);
  } finally {
    await client.shutdown();
    for (const s of sockets) s.destroy();
    silent.close();
  }
});

test('when the inventory arrives the server asks the client to refresh its lenses and inlay hints: "Attach to X" becomes why it cannot, each address says what the host has', async () => {
  let listener: (() => void) | null = null;
  let inventory: Inventory | null = null;
  const provider: InventoryProvider = {
    current: () =>
      inventory
        ? {
            inventory,
            status: { state: 'ok', host: 'lab', source: 'host', takenAt: inventory.takenAt, freeVfs: 0, totalVfs: 0, error: null },
          }
        : {
            inventory: null,
            status: { state: 'loading', host: 'lab', source: 'host', takenAt: null, freeVfs: 0, totalVfs: 0, error: null },
          },
    refresh: async () => undefined,
    onDidChange: (l) => {
      listener = l as () => void;
      return { dispose: () => undefined };
    },
    dispose: () => undefined,
  };
  const client = await startTestServer({
    initializationOptions: { settings: { hosts: [{ name: 'lab', target: 'local', connect: 'test:///default' }], activeHost: 'lab' } },
    createHostProvider: () => provider,
  });
  const uri = `file://${tmp}/app02.xml`;
  const lensTitles = async (): Promise<string[]> =>
    (await client.request<{ command?: { title: string } }[]>('textDocument/codeLens', { textDocument: { uri } })).map(
      (l) => l.command?.title ?? '',
    );
  const hintLabels = async (): Promise<string[]> =>
    (
      await client.request<{ label: string }[]>('textDocument/inlayHint', {
        textDocument: { uri },
        range: { start: { line: 0, character: 0 }, end: { line: 1000, character: 0 } },
      })
    ).map((h) => h.label);
  try {
    client.open(uri, example('guest-bad.xml'));
    await client.diagnosticsFor(uri);
    assert.ok((await lensTitles()).includes("Attach to 'app02'"), 'without an inventory nothing says what works');
    assert.deepEqual(await hintLabels(), [], 'without an inventory no hints');
    const seen = client.lensRefreshes.all.length;
    const hintsSeen = client.hintRefreshes.all.length;
    inventory = { format: INVENTORY_FORMAT, host: 'lab', takenAt: '2026-11-25T12:00:00Z', devices: [], guests: [], networks: [] };
    assert.ok(listener, 'the server listens to its provider');
    (listener as () => void)();
    await client.lensRefreshes.wait('a lens refresh after the inventory arrived', () => true, seen);
    await client.hintRefreshes.wait('an inlay hint refresh after the inventory arrived', () => true, hintsSeen);
    const titles = await lensTitles();
    assert.ok(titles.includes("'app02' is not defined on 'lab': no attach/detach"), JSON.stringify(titles));
    assert.ok(!titles.includes("Attach to 'app02'"), JSON.stringify(titles));
    const hints = await hintLabels();
    assert.ok(hints.length > 0 && hints.every((h) => h === "not on host 'lab'"), JSON.stringify(hints));
  } finally {
    await client.shutdown();
  }
});

/** A host whose first read ends when the test says (`finish`); it tells its listeners even once they are disposed. */
function slowHost(): { provider: InventoryProvider; finish: () => void } {
  let finishRead!: () => void;
  const read = new Promise<void>((resolve) => {
    finishRead = resolve;
  });
  const listeners: (() => void)[] = [];
  let state: 'loading' | 'ok' = 'loading';
  const provider: InventoryProvider = {
    current: () => ({
      inventory: null,
      status: { state, host: 'slow', source: 'host', takenAt: null, freeVfs: 0, totalVfs: 0, error: null },
    }),
    refresh: () => read,
    onDidChange: (listener) => {
      listeners.push(listener);
      return { dispose: () => undefined };
    },
    dispose: () => undefined,
  };
  const finish = (): void => {
    state = 'ok';
    finishRead();
    for (const listener of listeners) listener();
  };
  return { provider, finish };
}

const SLOW_HOST_SETTINGS = { hosts: [{ name: 'slow', target: 'local', connect: 'test:///default' }], activeHost: 'slow' };

test("a host's first read is shown as $/progress from its start until it ends", async () => {
  const host = slowHost();
  const client = await startTestServer({
    workDoneProgress: true,
    initializationOptions: { settings: SLOW_HOST_SETTINGS },
    createHostProvider: () => host.provider,
  });
  try {
    const begin = await client.progress.wait("the progress of reading 'slow'", (p) => p.value.kind === 'begin');
    assert.equal(begin.value.message, "reading 'slow'");
    // an answer comes after everything the server sent before it: an end sent at once would be here
    await client.request('libvirtHostdev/getInventory', {});
    assert.deepEqual(
      client.progress.all.filter((p) => p.token === begin.token).map((p) => p.value.kind),
      ['begin'],
      'still reading',
    );
    host.finish();
    await client.progress.wait('its end once the read is done', (p) => p.token === begin.token && p.value.kind === 'end');
  } finally {
    await client.shutdown();
  }
});

test('a host read that ends after shutdown leaves no unhandled rejection behind (its progress, status and re-check meet a closed connection)', async () => {
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown): void => {
    rejections.push(reason);
  };
  process.on('unhandledRejection', onRejection);
  const host = slowHost();
  try {
    const client = await startTestServer({
      workDoneProgress: true,
      initializationOptions: { settings: SLOW_HOST_SETTINGS },
      createHostProvider: () => host.provider,
    });
    client.open('file:///w/slow.xml', example('guest-bad.xml'));
    await client.statuses.wait("host 'slow' loading", (s) => s.host === 'slow');
    await client.progress.wait("the progress of reading 'slow'", (p) => p.value.kind === 'begin');
    await client.shutdown();
    // the read ends: its progress would end, the status and the diagnostics would be sent again
    host.finish();
    // one turn of the event loop: every promise the read settled has run, and Node has reported
    // any rejection nobody handled
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(rejections.map(String), []);
  } finally {
    process.off('unhandledRejection', onRejection);
  }
});
