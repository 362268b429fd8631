// A client that sends malformed document notifications (a null text, a version that is no number,
// a change whose range holds no numbers) does not leave the server failing on every later request:
// the malformed parts are left out and the document works as soon as a good change arrives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codes, example, exampleInventory, withTestServer } from './harness';

test('a null text and malformed changes: no error in the log, the next good change is checked', async () => {
  await withTestServer({ initializationOptions: { settings: { inventoryFile: exampleInventory } } }, async (client) => {
    const uri = 'file:///malformed/guest.xml';
    void client.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'xml', version: 'one', text: null },
    });
    void client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line: 'x', character: 0 }, end: { line: 0, character: 0 } }, text: 'zz' }, { text: 5 }, null],
    });
    const hover = await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 0 } });
    assert.equal(hover, null);
    void client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 3 },
      contentChanges: [{ text: example('guest-bad.xml') }],
    });
    const published = await client.diagnosticsFor(uri, 'pci-not-vf', (p) => codes(p).includes('pci-not-vf'));
    assert.ok(published.diagnostics.length > 0);
    assert.deepEqual(client.logErrors, []);
  });
});

test('a request without a usable position, range or uri is answered InvalidParams (-32602), with nothing in the log', async () => {
  await withTestServer({ initializationOptions: { settings: { inventoryFile: exampleInventory } } }, async (client) => {
    const uri = 'file:///malformed/params.xml';
    client.open(uri, example('guest-bad.xml'));
    await client.diagnosticsFor(uri);
    const position = { line: 2, character: 4 };
    const range = { start: { line: 0, character: 0 }, end: { line: 40, character: 0 } };
    for (const [method, params] of [
      ['textDocument/hover', { textDocument: { uri }, position: null }],
      ['textDocument/hover', { textDocument: { uri }, position: { line: '3', character: '4' } }],
      ['textDocument/completion', { textDocument: { uri } }],
      ['textDocument/codeAction', { textDocument: { uri }, range: null, context: { diagnostics: [] } }],
      ['textDocument/hover', { position }],
      ['textDocument/codeLens', {}],
      ['textDocument/documentSymbol', { textDocument: null }],
    ] as const) {
      await assert.rejects(
        client.request(method, params),
        (e: { code?: number }) => e.code === -32602,
        `${method} ${JSON.stringify(params)}`,
      );
    }
    // a code action request without context, or with a diagnostic that has no range, is answered from the document
    const bare = await client.request<unknown[]>('textDocument/codeAction', { textDocument: { uri }, range });
    assert.ok(bare.length > 0);
    const odd = await client.request<unknown[]>('textDocument/codeAction', {
      textDocument: { uri },
      range,
      context: { diagnostics: [{ range: null, message: 'x', source: 'libvirt-hostdev', code: 'mac-multicast' }] },
    });
    assert.equal(odd.length, bare.length);
    assert.deepEqual(client.logErrors, []);
  });
});
