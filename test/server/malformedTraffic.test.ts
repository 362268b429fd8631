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
