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
      "initializationOptions.settings: unknown settings libvirtHostdev.inventoryFiel (did you mean 'libvirtHostdev.inventoryFile'?), libvirtHostdev.hostz (did you mean 'libvirtHostdev.hosts'?) (ignored)",
    ]);
  } finally {
    await client.shutdown();
  }
});

test('a settings warning is also shown (window/showMessage) to an editor without our client, once; VS Code, which marks unknown settings itself, only gets it logged', async () => {
  const misspelt = { settings: { libvirtHostdev: { inventory_file: exampleInventory } } };
  const warning =
    "libvirt-hostdev settings: initializationOptions.settings: unknown setting libvirtHostdev.inventory_file (did you mean 'libvirtHostdev.inventoryFile'?) (ignored)";
  for (const [clientCommands, shown] of [
    [false, [warning]],
    [true, []],
  ] as const) {
    const client = await startTestServer({ initializationOptions: { ...misspelt, clientCommands } });
    try {
      client.open(uri, example('guest-bad.xml'));
      client.open('file:///work/second.xml', example('guest-bad.xml'));
      await client.diagnosticsFor('file:///work/second.xml');
      assert.equal(client.logWarnings.length, 1);
      assert.deepEqual(
        client.messages.all.filter((m) => m.type === 2).map((m) => m.message),
        shown,
      );
    } finally {
      await client.shutdown();
    }
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
      "workspace/configuration: unknown settings libvirtHostdev.inventoryfile (did you mean 'libvirtHostdev.inventoryFile'?), libvirtHostdev.conectTimeoutSeconds (did you mean 'libvirtHostdev.connectTimeoutSeconds'?) (ignored)",
      "workspace/configuration: unknown setting libvirtHostdev.hostz (did you mean 'libvirtHostdev.hosts'?) (ignored)",
    ]);
  } finally {
    await client.shutdown();
  }
});

test('initializationOptions keyed by section at the top (Helix sends its `config` as is): the inventory file is used', async () => {
  const client = await startTestServer({ initializationOptions: { libvirtHostdev: { inventoryFile: exampleInventory } } });
  try {
    client.open(uri, example('guest-bad.xml'));
    await client.diagnosticsFor(uri, 'vf-in-use', (p) => codes(p).includes('vf-in-use'));
    assert.deepEqual(client.logWarnings, []);
  } finally {
    await client.shutdown();
  }
});

test('settings at the top of initializationOptions are named in a warning: the shape is not understood', async () => {
  const client = await startTestServer({ initializationOptions: { inventoryFile: exampleInventory } });
  try {
    client.open(uri, example('guest-bad.xml'));
    await client.diagnosticsFor(uri);
    assert.deepEqual(client.logWarnings, [
      'initializationOptions: unknown option inventoryFile (ignored; settings go under "settings" or "libvirtHostdev")',
    ]);
  } finally {
    await client.shutdown();
  }
});

test('values that cannot be used are warned about once, and a listed host without a target is named as such', async () => {
  const settings = { hosts: [{ name: 'kvm1' }], activeHost: 'kvm1', inventoryFile: 42, connectTimeoutSeconds: -5 };
  const client = await startTestServer({ configuration: () => settings });
  try {
    for (const u of ['file:///work/a.xml', 'file:///work/b.xml']) {
      client.open(u, example('guest-bad.xml'));
      await client.diagnosticsFor(u);
    }
    const status = await client.statuses.wait('the status of kvm1', (s) => s.host === 'kvm1' && s.error !== undefined);
    assert.equal(
      status.error,
      "activeHost 'kvm1' is in libvirtHostdev.hosts but has no target (local, [user@]host[:port] or an ~/.ssh/config alias)",
    );
    assert.deepEqual(client.logWarnings, [
      'libvirtHostdev.inventoryFile: 42 is not a string: ignored',
      "libvirtHostdev.hosts[0] ('kvm1') has no target (local, [user@]host[:port] or an ~/.ssh/config alias): left out",
      'libvirtHostdev.connectTimeoutSeconds: -5 is below the minimum 1: 1 is used',
    ]);
  } finally {
    await client.shutdown();
  }
});

test('a section that is not an object (a string, a list) is named as such, in initializationOptions and in a workspace/configuration answer', async () => {
  const client = await startTestServer({ initializationOptions: { settings: { libvirtHostdev: 'kvm1' } }, configuration: () => ['kvm1'] });
  try {
    client.open(uri, example('guest-bad.xml'));
    await client.diagnosticsFor(uri);
    assert.deepEqual(client.logWarnings, [
      'initializationOptions.settings: "kvm1" is not an object of settings ({ "hosts", "activeHost", … }): ignored',
      'workspace/configuration: ["kvm1"] is not an object of settings ({ "hosts", "activeHost", … }): ignored',
    ]);
  } finally {
    await client.shutdown();
  }
});

test('initializationOptions\' own values of another type (trusted: "false") are named with what is used instead', async () => {
  const client = await startTestServer({
    initializationOptions: { trusted: 'false', hostsFromUser: 1, clientCommands: 'yes', knownHostsFile: 5 },
  });
  try {
    client.open(uri, example('guest-bad.xml'));
    await client.diagnosticsFor(uri);
    assert.deepEqual(client.logWarnings, [
      'initializationOptions.knownHostsFile: 5 is not a string: ignored',
      'initializationOptions.trusted: "false" is not true or false: true is used',
      'initializationOptions.hostsFromUser: 1 is not true or false: false is used',
      'initializationOptions.clientCommands: "yes" is not true or false: false is used',
    ]);
  } finally {
    await client.shutdown();
  }
});

test('initializationOptions that are not an object are named as such', async () => {
  const client = await startTestServer({ initializationOptions: 'kvm1' });
  try {
    client.open(uri, example('guest-bad.xml'));
    await client.diagnosticsFor(uri);
    assert.deepEqual(client.logWarnings, ['initializationOptions: "kvm1" is not an object ({ "settings", "knownHostsFile", … }): ignored']);
  } finally {
    await client.shutdown();
  }
});
