// initializationOptions.settings in both forms LSP clients send: the flat section and the form keyed
// by section ({ libvirtHostdev: { … } }, what most clients send); unknown keys are named in a warning.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codes, example, exampleInventory, startTestServer } from './harness';

const uri = 'file:///work/guest-bad.xml';

for (const [form, settings] of [
  ['flat', { inventoryFile: exampleInventory }],
  ['keyed by section', { libvirtHostdev: { inventoryFile: exampleInventory } }],
] as const) {
  test(`initializationOptions.settings ${form}: the inventory file is used`, async () => {
    const client = await startTestServer({ initializationOptions: { settings } });
    try {
      client.open(uri, example('guest-bad.xml'));
      const published = await client.diagnosticsFor(uri, 'vf-in-use', (p) => codes(p).includes('vf-in-use'));
      assert.ok(codes(published).includes('vf-in-use'));
      assert.deepEqual(client.logWarnings, []);
    } finally {
      await client.shutdown();
    }
  });
}

test('unknown setting keys are named in one warning, known ones still apply', async () => {
  const client = await startTestServer({
    initializationOptions: { settings: { libvirtHostdev: { inventoryFile: exampleInventory, inventoryFiel: 'x', hostz: [] } } },
  });
  try {
    client.open(uri, example('guest-bad.xml'));
    await client.diagnosticsFor(uri, 'vf-in-use', (p) => codes(p).includes('vf-in-use'));
    assert.deepEqual(client.logWarnings, [
      'initializationOptions.settings: unknown settings libvirtHostdev.inventoryFiel, libvirtHostdev.hostz (ignored)',
    ]);
  } finally {
    await client.shutdown();
  }
});

test('unknown keys in workspace/configuration answers are named once per distinct set, not once per document', async () => {
  const client = await startTestServer({
    configuration: (item) =>
      item.scopeUri?.includes('/other/')
        ? { inventoryFile: exampleInventory, hostz: [] }
        : { inventoryFile: exampleInventory, inventoryfile: 'x', conectTimeoutSeconds: 5 },
  });
  try {
    for (const u of ['file:///work/a.xml', 'file:///work/b.xml', 'file:///work/other/c.xml']) {
      client.open(u, example('guest-bad.xml'));
      await client.diagnosticsFor(u, 'vf-in-use', (p) => codes(p).includes('vf-in-use'));
    }
    assert.deepEqual(client.logWarnings, [
      'workspace/configuration: unknown settings libvirtHostdev.inventoryfile, libvirtHostdev.conectTimeoutSeconds (ignored)',
      'workspace/configuration: unknown setting libvirtHostdev.hostz (ignored)',
    ]);
  } finally {
    await client.shutdown();
  }
});
