// Every wait of the server tests is bounded: an expectation the server never meets fails the test
// with what was awaited and what came instead, rather than leaving the run waiting for ever.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { example, exampleInventory, withTestServer } from './harness';

test('a publish that never comes fails the wait, naming what was awaited and what was published instead', async () => {
  await withTestServer({ initializationOptions: { settings: { inventoryFile: exampleInventory } } }, async (client) => {
    const uri = 'file:///w/never.xml';
    client.open(uri, example('guest-bad.xml'));
    await client.diagnosticsFor(uri);
    await assert.rejects(
      client.diagnostics.wait('a code no rule has', (p) => p.diagnostics.some((d) => d.code === 'no-such-code'), 0, 300),
      (error: Error) => {
        assert.match(error.message, /^timed out after 300 ms waiting for publishDiagnostics: a code no rule has; last seen: 1 in all: /);
        assert.match(error.message, /file:\/\/\/w\/never\.xml v1 \[.*vf-in-use/);
        return true;
      },
    );
  });
});

test('a status that never comes fails the wait, naming what was awaited', async () => {
  await withTestServer({}, async (client) => {
    await assert.rejects(
      client.statuses.wait("host 'nowhere' ok", (s) => s.host === 'nowhere', 0, 200),
      /^Error: timed out after 200 ms waiting for inventoryStatus: host 'nowhere' ok/,
    );
  });
});
