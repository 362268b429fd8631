// Every input has a budget, through the real server: what a client or a document repeats is answered
// once, and no request fails for a document's depth. Sizes are asserted, not times.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CodeAction, CodeLens, Diagnostic } from 'vscode-languageserver/node';
import { startTestServer, type TestClient } from './harness';

const MULTICAST = `<domain type='kvm'><name>d</name><devices><interface type='hostdev'><mac address='01:00:5e:00:00:01'/><source><address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x1'/></source></interface></devices></domain>`;

async function withServer(body: (client: TestClient) => Promise<void>, initializationOptions?: unknown): Promise<void> {
  const client = await startTestServer({ debounceMs: 0, initializationOptions });
  try {
    await body(client);
    assert.deepEqual(client.logErrors, [], 'no handler failed');
  } finally {
    await client.shutdown();
  }
}

function actionsFor(client: TestClient, uri: string, diagnostic: Diagnostic, diagnostics: Diagnostic[]): Promise<CodeAction[]> {
  return client.request<CodeAction[]>('textDocument/codeAction', {
    textDocument: { uri },
    range: diagnostic.range,
    context: { diagnostics, only: ['quickfix'] },
  });
}

test('a diagnostic sent back a thousand times is answered as if sent once, each fix linked to it once', async () => {
  await withServer(async (client) => {
    const uri = 'file:///budgets/repeated.xml';
    client.open(uri, MULTICAST);
    const multicast = (await client.diagnosticsFor(uri)).diagnostics.find((d) => d.code === 'mac-multicast')!;
    const once = await actionsFor(client, uri, multicast, [multicast]);
    const repeated = await actionsFor(
      client,
      uri,
      multicast,
      Array.from({ length: 1000 }, () => multicast),
    );
    // the fresh MAC is random
    const titles = (actions: CodeAction[]) => actions.map((a) => a.title.replace(/([0-9a-f]{2}:){5}[0-9a-f]{2}/, 'MAC'));
    assert.deepEqual(titles(repeated), titles(once));
    for (const a of repeated) assert.ok((a.diagnostics?.length ?? 0) <= 1, `${a.title}: ${a.diagnostics?.length} diagnostics`);
    // a thousand copies in each of the actions: 1,000 times the answer
    assert.ok(JSON.stringify(repeated).length < 2 * JSON.stringify(once).length);
  });
});

test('a document nested 6,000 deep still gets its quick fixes (a recursive walk overflowed the stack)', async () => {
  await withServer(async (client) => {
    const uri = 'file:///budgets/deep.xml';
    const text = MULTICAST.replace('</devices></domain>', `${'<a>'.repeat(6000)}`);
    client.open(uri, text);
    const multicast = (await client.diagnosticsFor(uri)).diagnostics.find((d) => d.code === 'mac-multicast')!;
    const actions = await actionsFor(client, uri, multicast, [multicast]);
    assert.ok(
      actions.some((a) => a.diagnostics?.[0]?.code === 'mac-multicast' && a.edit),
      actions.map((a) => a.title).join(' | '),
    );
  });
});

test("a guest's long name is not repeated in full in every device's diagnostics and lenses", async () => {
  await withServer(
    async (client) => {
      const uri = 'file:///budgets/long-name.xml';
      const name = 'A'.repeat(100_000);
      const device = `<interface type='hostdev'><source><address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x1'/></source></interface>`;
      const text = `<domain type='kvm'><name>${name}</name><devices>${device.repeat(200)}</devices></domain>\n<domain type='kvm'><name>b</name><devices>${device.repeat(200)}</devices></domain>`;
      client.open(uri, text);
      const { diagnostics } = await client.diagnosticsFor(uri);
      assert.ok(diagnostics.filter((d) => d.code === 'vf-in-use').length >= 400);
      // each of the 400 quoted the name, the 200 of guest 'b' twice: 60 MB
      assert.ok(JSON.stringify(diagnostics).length < 2_000_000, `${JSON.stringify(diagnostics).length} characters of diagnostics`);
      const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
      assert.ok(lenses.some((l) => l.command?.title.startsWith("Attach to 'AAA")));
      // each of the 200 lenses of the long-named guest carried it as the command's argument: 20 MB
      assert.ok(JSON.stringify(lenses).length < 1_000_000, `${JSON.stringify(lenses).length} characters of lenses`);
      // VS Code's client, whose lenses run its own commands (a host is picked when they run)
    },
    { clientCommands: true },
  );
});

test('a document with 280,000 problems sends the editor 999 of them, errors first, and one line saying how many more: 1,000 lines, the most VS Code shows', async () => {
  await withServer(async (client) => {
    const uri = 'file:///budgets/flood.xml';
    // every empty hostdev interface: source-missing (error) and mac-missing (warning)
    const text = `<domain type='kvm'><name>g</name><devices>\n${"<interface type='hostdev'/>\n".repeat(140000)}</devices></domain>\n`;
    client.open(uri, text);
    const { diagnostics } = await client.diagnosticsFor(uri);
    assert.equal(diagnostics.length, 1000);
    const [note, ...shown] = diagnostics;
    assert.equal(note.severity, 3);
    assert.equal(note.range.start.line, 0);
    assert.match(
      String(note.message),
      /^279,001 more problems are not shown: the editor gets 1,000 lines per document, this one and the first problems, errors first; `libvirt-hostdev check` lists all 280,000$/,
    );
    assert.deepEqual(new Set(shown.map((d) => d.code)), new Set(['source-missing']), 'the errors come before the warnings');
    // in document order: the first thousand devices
    assert.equal(shown[0].range.start.line, 1);
    assert.equal(shown[998].range.start.line, 999);
  });
});

test('past the budget, warnings fill what the errors leave, and a document within it is sent whole', async () => {
  await withServer(async (client) => {
    const flood = 'file:///budgets/mixed.xml';
    // 600 devices without a source (error and warning each): 600 errors, then 399 of the 600 warnings
    client.open(flood, `<domain type='kvm'><name>g</name><devices>\n${"<interface type='hostdev'/>\n".repeat(600)}</devices></domain>\n`);
    const mixed = (await client.diagnosticsFor(flood)).diagnostics;
    assert.equal(mixed.length, 1000);
    assert.equal(mixed.filter((d) => d.code === 'source-missing').length, 600);
    assert.equal(mixed.filter((d) => d.code === 'mac-missing').length, 399);
    assert.match(String(mixed[0].message), /^201 more problems are not shown/);
    const within = 'file:///budgets/within.xml';
    client.open(within, `<domain type='kvm'><name>g</name><devices>\n${"<interface type='hostdev'/>\n".repeat(500)}</devices></domain>\n`);
    assert.equal((await client.diagnosticsFor(within)).diagnostics.length, 1000);
  });
});
