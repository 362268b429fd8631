// The inventory in the server: libvirtHostdev.inventoryFile from initializationOptions or from
// workspace/configuration, bad snapshots, reload on change, the custom requests and the status.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { codes, example, exampleInventory, startTestServer, type ConfigurationItem } from './harness';
import type { GetInventoryResult, InventoryStatus } from '../../shared/protocol';
import { within } from '../support/waiters';

const BAD = example('guest-bad.xml');
const uri = 'file:///work/guest-bad.xml';
const INVENTORY_CODES = ['pci-unknown', 'pci-not-vf', 'vf-in-use'];

const tempDirs: string[] = [];
after(() => {
  for (const d of tempDirs) fs.rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-server-'));
  tempDirs.push(dir);
  return dir;
}

const hasInventoryCodes = (p: { diagnostics: { code?: unknown }[] }): boolean =>
  INVENTORY_CODES.every((c) => p.diagnostics.some((d) => d.code === c));

test('inventoryFile from initializationOptions: inventory rules apply and the status says ok', async () => {
  const client = await startTestServer({ initializationOptions: { settings: { inventoryFile: exampleInventory } } });
  try {
    client.open(uri, BAD);
    const published = await client.diagnosticsFor(uri, 'one with the inventory codes', hasInventoryCodes);
    assert.ok(!codes(published).includes('inventory-unavailable'));
    const status = await client.statuses.wait('state ok', (s) => s.state === 'ok');
    assert.deepEqual(
      { host: status.host, source: status.source, totalVfs: status.totalVfs, freeVfs: status.freeVfs, error: status.error },
      // 14 VFs; web01 holds 10.0, db01 10.3, the sriov-pool network 11.0/11.2/11.4.
      { host: 'kvm-82576.example.com', source: 'file', totalVfs: 14, freeVfs: 9, error: null },
    );
  } finally {
    await client.shutdown();
  }
});

test('inventoryFile from workspace/configuration, asked per document with the libvirtHostdev section', async () => {
  const client = await startTestServer({
    configuration: (item: ConfigurationItem) => (item.section === 'libvirtHostdev' ? { inventoryFile: exampleInventory } : null),
  });
  try {
    client.open(uri, BAD);
    await client.diagnosticsFor(uri, 'one with the inventory codes', hasInventoryCodes);
    assert.ok(client.configurationRequests.some((i) => i.scopeUri === uri && i.section === 'libvirtHostdev'));
  } finally {
    await client.shutdown();
  }
});

test('a document closed while its check waits for its settings leaves nothing behind: its check stops there', async () => {
  let answer!: () => void;
  const held = new Promise<void>((resolve) => {
    answer = resolve;
  });
  let asked!: () => void;
  const askedForDocument = new Promise<void>((resolve) => {
    asked = resolve;
  });
  const other = 'file:///work/other.xml';
  const client = await startTestServer({
    configuration: async (item: ConfigurationItem) => {
      if (item.scopeUri === uri) {
        asked();
        await held;
      }
      return { inventoryFile: exampleInventory };
    },
  });
  try {
    client.open(uri, BAD);
    await within(askedForDocument, "the server asking for the document's settings");
    client.close(uri);
    answer();
    // a check that went on after the close would ask for the closed document's settings again (the close
    // forgot them) and record its inventory source: it would ask before the next document is checked
    client.open(other, BAD);
    await client.diagnosticsFor(other, 'one with the inventory codes', hasInventoryCodes);
    assert.equal(client.configurationRequests.filter((i) => i.scopeUri === uri).length, 1);
  } finally {
    await client.shutdown();
  }
});

test('settings are cached per document and asked again after didChangeConfiguration', async () => {
  const dir = tempDir();
  const broken = path.join(dir, 'broken.json');
  fs.writeFileSync(broken, '{"format": "libvirt-hostdev-inventory/1", "host": "kvm1"');
  let file = exampleInventory;
  const client = await startTestServer({ configuration: () => ({ inventoryFile: file }), debounceMs: 10 });
  try {
    client.open(uri, BAD);
    await client.diagnosticsFor(uri, 'one with the inventory codes', hasInventoryCodes);
    client.change(uri, BAD + '\n');
    await client.nextDiagnostics(uri);
    const asked = client.configurationRequests.filter((i) => i.scopeUri === uri).length;
    assert.equal(asked, 1, 'an edit does not ask for the settings again');

    file = broken;
    void client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const published = await client.nextDiagnostics(uri, 'inventory-unavailable', (p) => codes(p).includes('inventory-unavailable'));
    assert.ok(client.configurationRequests.filter((i) => i.scopeUri === uri).length > asked);
    assert.ok(!INVENTORY_CODES.some((c) => codes(published).includes(c)), 'the old file is no longer used');
  } finally {
    await client.shutdown();
  }
});

test('a client without workspace/configuration sends settings with didChangeConfiguration', async () => {
  const client = await startTestServer();
  try {
    client.open(uri, BAD);
    await client.nextDiagnostics(uri);
    void client.connection.sendNotification('workspace/didChangeConfiguration', {
      settings: { libvirtHostdev: { inventoryFile: exampleInventory } },
    });
    await client.diagnosticsFor(uri, 'one with the inventory codes', hasInventoryCodes);
    assert.deepEqual(client.configurationRequests, [], 'never asked');
  } finally {
    await client.shutdown();
  }
});

test('clearing inventoryFile in the configuration wins over initializationOptions', async () => {
  let configured: string | null = exampleInventory;
  const client = await startTestServer({
    initializationOptions: { settings: { inventoryFile: exampleInventory } },
    configuration: () => ({ inventoryFile: configured, hosts: [], activeHost: null }),
  });
  try {
    client.open(uri, BAD);
    await client.diagnosticsFor(uri, 'one with the inventory codes', hasInventoryCodes);
    configured = null;
    void client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await client.nextDiagnostics(uri, 'one without the inventory codes', (p) => !INVENTORY_CODES.some((c) => codes(p).includes(c)));
    const status = await client.statuses.wait('state none', (s) => s.state === 'none');
    assert.equal(status.source, null);
  } finally {
    await client.shutdown();
  }
});

test('a bad snapshot gives one inventory-unavailable information diagnostic naming the field, and status unreachable', async () => {
  const dir = tempDir();
  const bad = path.join(dir, 'inventory.json');
  const data = JSON.parse(fs.readFileSync(exampleInventory, 'utf8'));
  data.devices[3].address = '0b:10.0';
  fs.writeFileSync(bad, JSON.stringify(data));
  const client = await startTestServer({ initializationOptions: { settings: { inventoryFile: bad } } });
  try {
    client.open(uri, BAD);
    client.open('file:///work/other.xml', example('interface-snippet.xml'));
    for (const u of [uri, 'file:///work/other.xml']) {
      const published = await client.diagnosticsFor(u, 'inventory-unavailable', (p) => codes(p).includes('inventory-unavailable'));
      const unavailable = published.diagnostics.filter((d) => d.code === 'inventory-unavailable');
      assert.equal(unavailable.length, 1);
      assert.equal(unavailable[0].severity, 3);
      assert.match(String(unavailable[0].message), /devices\[3\]\.address: expected "DDDD:BB:SS\.F", got "0b:10\.0"/);
    }
    const status = await client.statuses.wait('state unreachable', (s) => s.state === 'unreachable');
    assert.match(status.error ?? '', /devices\[3\]\.address/);
  } finally {
    await client.shutdown();
  }
});

test('an XML file without hostdev devices gets no inventory-unavailable diagnostic (it loses nothing without the host)', async () => {
  const client = await startTestServer({ initializationOptions: { settings: { inventoryFile: '/nonexistent/inventory.json' } } });
  try {
    const plain = 'file:///work/pom.xml';
    client.open(plain, '<project><modelVersion>4.0.0</modelVersion></project>\n');
    client.open(uri, BAD);
    // the device document gets it, so the inventory state is known by now
    await client.diagnosticsFor(uri, 'inventory-unavailable', (p) => codes(p).includes('inventory-unavailable'));
    const published = await client.diagnosticsFor(plain);
    assert.deepEqual(codes(published), []);
  } finally {
    await client.shutdown();
  }
});

test('a missing snapshot file is reported, not thrown', async () => {
  const client = await startTestServer({ initializationOptions: { settings: { inventoryFile: '/nonexistent/inventory.json' } } });
  try {
    client.open(uri, BAD);
    const published = await client.diagnosticsFor(uri, 'inventory-unavailable', (p) => codes(p).includes('inventory-unavailable'));
    const d = published.diagnostics.find((x) => x.code === 'inventory-unavailable')!;
    assert.match(String(d.message), /ENOENT/);
    assert.ok(codes(published).includes('xml-syntax'), 'document rules still run');
  } finally {
    await client.shutdown();
  }
});

test('a relative inventoryFile is resolved against the workspace folder', async () => {
  const dir = tempDir();
  fs.copyFileSync(exampleInventory, path.join(dir, 'host.json'));
  const client = await startTestServer({ workspaceFolder: dir, initializationOptions: { settings: { inventoryFile: 'host.json' } } });
  try {
    client.open(uri, BAD);
    await client.diagnosticsFor(uri, 'one with the inventory codes', hasInventoryCodes);
  } finally {
    await client.shutdown();
  }
});

test('rewriting the snapshot on disk revalidates open documents', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'inventory.json');
  fs.copyFileSync(exampleInventory, file);
  const client = await startTestServer({ initializationOptions: { settings: { inventoryFile: file } } });
  try {
    client.open(uri, BAD);
    await client.diagnosticsFor(uri, 'vf-in-use', (p) => codes(p).includes('vf-in-use'));
    // web01 gives its VF back: vf-in-use must go away without any edit of the document.
    const data = JSON.parse(fs.readFileSync(file, 'utf8'));
    data.guests = data.guests.filter((g: { name: string }) => g.name !== 'web01');
    fs.writeFileSync(file, JSON.stringify(data));
    // (a reload that caught the file half-written would publish inventory-unavailable; wait for the good one)
    const published = await client.nextDiagnostics(
      uri,
      'one without vf-in-use and inventory-unavailable (web01 gave its VF back)',
      (p) => !codes(p).includes('vf-in-use') && !codes(p).includes('inventory-unavailable'),
    );
    assert.ok(codes(published).includes('pci-not-vf'), 'the new snapshot is in use');
  } finally {
    await client.shutdown();
  }
});

test('a snapshot that turns bad keeps the last good inventory, says why, and the status is stale', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'inventory.json');
  fs.copyFileSync(exampleInventory, file);
  const client = await startTestServer({ initializationOptions: { settings: { inventoryFile: file } } });
  try {
    client.open(uri, BAD);
    await client.diagnosticsFor(uri, 'one with the inventory codes', hasInventoryCodes);
    fs.writeFileSync(file, '{"format": "libvirt-hostdev-inventory/1", "host": ');
    const published = await client.nextDiagnostics(uri, 'inventory-unavailable', (p) => codes(p).includes('inventory-unavailable'));
    assert.ok(hasInventoryCodes(published), 'the last good inventory is still used');
    const d = published.diagnostics.find((x) => x.code === 'inventory-unavailable')!;
    assert.match(String(d.message), /bad JSON/);
    assert.match(String(d.message), /last good inventory/);
    const status = await client.statuses.wait('state stale', (s) => s.state === 'stale');
    assert.equal(status.totalVfs, 14);
  } finally {
    await client.shutdown();
  }
});

test('pull mode: a changed snapshot asks the client to pull again (workspace/diagnostic/refresh)', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'inventory.json');
  fs.copyFileSync(exampleInventory, file);
  const client = await startTestServer({ pull: true, initializationOptions: { settings: { inventoryFile: file } } });
  try {
    client.open(uri, BAD);
    const first = await client.request<{ items: { code: string }[] }>('textDocument/diagnostic', { textDocument: { uri } });
    assert.ok(
      first.items.some((d) => d.code === 'vf-in-use'),
      'the snapshot is read before the first pull answers',
    );
    // (the first read already asked for a refresh before the first pull was answered)
    const seen = client.refreshes.all.length;
    const data = JSON.parse(fs.readFileSync(file, 'utf8'));
    data.guests = [];
    fs.writeFileSync(file, JSON.stringify(data));
    await client.refreshes.wait('a refresh after the snapshot changed', () => true, seen);
    const again = await client.request<{ items: { code: string }[] }>('textDocument/diagnostic', { textDocument: { uri } });
    assert.ok(!again.items.some((d) => d.code === 'vf-in-use'), 'web01 no longer holds the VF');
    assert.equal(client.diagnostics.all.length, 0, 'nothing pushed');
  } finally {
    await client.shutdown();
  }
});

test('getInventory and refreshInventory return the snapshot and its status', async () => {
  const client = await startTestServer({ initializationOptions: { settings: { inventoryFile: exampleInventory } } });
  try {
    const got = await client.request<GetInventoryResult>('libvirtHostdev/getInventory', {});
    assert.equal(got.status.state, 'ok');
    assert.equal((got.inventory as { host: string }).host, 'kvm-82576.example.com');
    assert.equal((got.inventory as { devices: unknown[] }).devices.length, 16);
    const refreshed = await client.request<InventoryStatus>('libvirtHostdev/refreshInventory', null);
    assert.equal(refreshed.state, 'ok');
    assert.equal(refreshed.totalVfs, 14);
  } finally {
    await client.shutdown();
  }
});

test('without any inventory setting: status none, getInventory null, no inventory diagnostics', async () => {
  const client = await startTestServer();
  try {
    const got = await client.request<GetInventoryResult>('libvirtHostdev/getInventory', {});
    assert.equal(got.status.state, 'none');
    assert.equal(got.inventory, null);
    client.open(uri, BAD);
    const published = await client.nextDiagnostics(uri);
    assert.ok(!codes(published).includes('inventory-unavailable'));
  } finally {
    await client.shutdown();
  }
});

test('an activeHost that is not in hosts is reported as unavailable, without contacting anything', async () => {
  const client = await startTestServer({ initializationOptions: { settings: { activeHost: 'kvm9', hosts: [] } } });
  try {
    client.open(uri, BAD);
    const published = await client.diagnosticsFor(uri, 'inventory-unavailable', (p) => codes(p).includes('inventory-unavailable'));
    assert.match(String(published.diagnostics.find((d) => d.code === 'inventory-unavailable')!.message), /kvm9/);
  } finally {
    await client.shutdown();
  }
});
