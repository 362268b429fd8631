// Editors without our client: the host commands through workspace/executeCommand, lenses that carry
// them, $/progress, serverInfo.version.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CodeLens } from 'vscode-languageserver/node';
import { ServerCommands, type DeviceCommandArgs } from '../../shared/commands';
import { example, exampleInventory, repoRoot, startTestServer, type TestClient } from './harness';
import { ruleHref } from '../../shared/ruleDocs';

// named after a guest of the example inventory: lenses offer attach/detach only for a guest the host has
const GOOD = example('guest-good.xml').replace('<name>app01</name>', '<name>db01</name>');

/** The first device of GOOD, as its lenses name it. */
const GOOD_DEVICE = ((start: number) => ({ start, end: GOOD.indexOf('</interface>', start) + '</interface>'.length }))(
  GOOD.indexOf("<interface type='hostdev'"),
);
/** The example snapshot for the inventory, and a host for the changes that the tests never reach. */
const SNAPSHOT_AND_HOST = { inventoryFile: exampleInventory, hosts: [{ name: 'kvm1', target: 'root@192.0.2.7' }], activeHost: 'kvm1' };

test('initialize: executeCommandProvider lists the server commands; serverInfo has the package version', async () => {
  const client = await startTestServer();
  try {
    const result = client.initializeResult;
    assert.deepEqual(result.capabilities.executeCommandProvider?.commands, Object.values(ServerCommands));
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    assert.deepEqual(result.serverInfo, { name: 'libvirt-hostdev-language-server', version: pkg.version });
  } finally {
    await client.shutdown();
  }
});

test('without clientCommands the lenses carry the server commands (Neovim, Helix run them through executeCommand)', async () => {
  const client = await startTestServer({ initializationOptions: { settings: SNAPSHOT_AND_HOST } });
  try {
    const uri = 'file:///w/lens-server.xml';
    client.open(uri, GOOD);
    await client.nextDiagnostics(uri);
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    assert.ok(lenses.length > 0);
    for (const lens of lenses)
      assert.ok(
        [ServerCommands.attachDevice, ServerCommands.detachDevice, ServerCommands.defineGuest].includes(lens.command!.command as never),
        lens.command!.command,
      );
    assert.ok(lenses.some((l) => (l.command!.arguments![0] as DeviceCommandArgs).guest === 'db01'));
    const define = lenses.filter((l) => l.command!.command === ServerCommands.defineGuest);
    assert.deepEqual(
      define.map((l) => [l.command!.title, l.command!.arguments, l.range.start.line]),
      [["Redefine 'db01' on 'kvm-82576.example.com'", [{ uri }], 0]],
    );
  } finally {
    await client.shutdown();
  }
});

test("refreshInventory reports $/progress begin…end on the client's workDoneToken and answers with the status", async () => {
  const client = await startTestServer({ initializationOptions: { settings: { inventoryFile: exampleInventory } } });
  try {
    const result = await client.request<{ ok: boolean; message: string }>('workspace/executeCommand', {
      command: ServerCommands.refreshInventory,
      arguments: [{}],
      workDoneToken: 'tok-1',
    });
    assert.equal(result.ok, true, result.message);
    assert.match(result.message, /\d+\/\d+ VFs free/);
    const kinds = client.progress.all.filter((p) => p.token === 'tok-1').map((p) => p.value.kind);
    assert.deepEqual(kinds, ['begin', 'end']);
    assert.equal(
      (await client.messages.wait(`the command's result shown: ${result.message}`, (m) => m.message === result.message)).type,
      3,
    );
  } finally {
    await client.shutdown();
  }
});

test('without a token the server creates one when the client supports window.workDoneProgress', async () => {
  const client = await startTestServer({
    workDoneProgress: true,
    initializationOptions: { settings: { inventoryFile: exampleInventory } },
  });
  try {
    await client.request('workspace/executeCommand', { command: ServerCommands.refreshInventory, arguments: [{}] });
    const begin = client.progress.all.find((p) => p.value.kind === 'begin');
    assert.ok(begin, 'a begin');
    assert.equal(begin.value.title, 'libvirt-hostdev');
    assert.ok(client.progress.all.some((p) => p.token === begin.token && p.value.kind === 'end'));
  } finally {
    await client.shutdown();
  }
});

test('insertInterface applies an edit with a free VF and a fresh MAC at the position (workspace/applyEdit)', async () => {
  const client = await startTestServer({ initializationOptions: { settings: { inventoryFile: exampleInventory } } });
  try {
    const uri = 'file:///w/insert.xml';
    const text = "<domain type='kvm'>\n  <name>web09</name>\n  <devices>\n    \n  </devices>\n</domain>\n";
    client.open(uri, text);
    await client.nextDiagnostics(uri);
    const result = await client.request<{ ok: boolean; address: string; mac: string; message: string }>('workspace/executeCommand', {
      command: ServerCommands.insertInterface,
      arguments: [{ uri, position: { line: 3, character: 4 }, pf: 'enp11s0f1' }],
    });
    assert.equal(result.ok, true, result.message);
    assert.equal(client.appliedEdits.length, 1);
    const [edit] = client.appliedEdits[0].edit.changes![uri];
    // the blank line's own indentation is replaced by a <devices> child's
    assert.deepEqual(edit.range, { start: { line: 3, character: 0 }, end: { line: 3, character: 4 } });
    assert.match(edit.newText, new RegExp(`^ {4}<interface type='hostdev' managed='yes'>\\n {6}<mac address='${result.mac}'/>`));
    const inventory = JSON.parse(fs.readFileSync(exampleInventory, 'utf8')) as { devices: { address: string; pf?: string }[] };
    assert.equal(inventory.devices.find((d) => d.address === result.address)?.pf, '0000:0b:00.1');
  } finally {
    await client.shutdown();
  }
});

test('insertInterface on a client without workspace.applyEdit sends no edit and says why; a null or failed answer is a plain sentence', async () => {
  const uri = 'file:///w/insert.xml';
  const text = "<domain type='kvm'>\n  <name>web09</name>\n  <devices>\n    \n  </devices>\n</domain>\n";
  const insert = { command: ServerCommands.insertInterface, arguments: [{ uri, position: { line: 3, character: 4 } }] };
  const cases: [false | (() => unknown), RegExp][] = [
    [
      false,
      /^This editor does not take edits from the language server \(it did not announce workspace\.applyEdit\): nothing was inserted$/,
    ],
    [() => null, /^The editor did not apply the edit$/],
    [() => ({ applied: false, failureReason: 'read-only' }), /^The editor did not apply the edit: read-only$/],
  ];
  for (const [applyEdit, expected] of cases) {
    const client = await startTestServer({ applyEdit, initializationOptions: { settings: { inventoryFile: exampleInventory } } });
    try {
      client.open(uri, text);
      await client.nextDiagnostics(uri);
      const result = await client.request<{ ok: boolean; message: string }>('workspace/executeCommand', insert);
      assert.equal(result.ok, false);
      assert.match(result.message, expected);
      assert.equal(client.appliedEdits.length, applyEdit === false ? 0 : 1);
      assert.deepEqual(client.logErrors, []);
    } finally {
      await client.shutdown();
    }
  }
});

test('insertInterface with a pool applies an <interface type=network> on that pool; an unknown pool is refused', async () => {
  const client = await startTestServer({ initializationOptions: { settings: { inventoryFile: exampleInventory } } });
  try {
    const uri = 'file:///w/insert-pool.xml';
    const text = "<domain type='kvm'>\n  <name>web09</name>\n  <devices>\n    \n  </devices>\n</domain>\n";
    client.open(uri, text);
    await client.nextDiagnostics(uri);
    const result = await client.request<{ ok: boolean; mac: string; message: string }>('workspace/executeCommand', {
      command: ServerCommands.insertInterface,
      arguments: [{ uri, position: { line: 3, character: 4 }, network: 'sriov-pool' }],
    });
    assert.equal(result.ok, true, result.message);
    const [edit] = client.appliedEdits[0].edit.changes![uri];
    assert.equal(
      edit.newText,
      `    <interface type='network'>\n      <mac address='${result.mac}'/>\n      <source network='sriov-pool'/>\n    </interface>`,
    );
    const refused = await client.request<{ ok: boolean; message: string }>('workspace/executeCommand', {
      command: ServerCommands.insertInterface,
      arguments: [{ uri, position: { line: 3, character: 4 }, network: 'nosuch' }],
    });
    assert.equal(refused.ok, false);
    assert.match(refused.message, /No VF pool 'nosuch'/);
    assert.equal(client.appliedEdits.length, 1, 'nothing applied for the unknown pool');
  } finally {
    await client.shutdown();
  }
});

test('with a snapshot and no host, the lenses that would change a host are left out; the command run by hand answers with the reason', async () => {
  const client = await startTestServer({ initializationOptions: { settings: { inventoryFile: exampleInventory } } });
  try {
    const uri = 'file:///w/attach-nohost.xml';
    client.open(uri, GOOD);
    await client.nextDiagnostics(uri);
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    assert.deepEqual(
      lenses.filter((l) => l.command!.command !== ''),
      [],
      lenses.map((l) => l.command!.title).join(' | '),
    );
    // as Helix's :lsp-workspace-command or a script sends it
    const result = await client.request<{ ok: boolean; message: string }>('workspace/executeCommand', {
      command: ServerCommands.attachDevice,
      arguments: [{ uri, deviceSpan: GOOD_DEVICE, guest: 'db01' }],
    });
    assert.equal(result.ok, false);
    assert.match(result.message, /No active host/);
    assert.equal(
      (await client.messages.wait(`the command's result shown: ${result.message}`, (m) => m.message === result.message)).type,
      1,
    );
  } finally {
    await client.shutdown();
  }
});

/** Opens GOOD at `uri` and runs its "Attach to guest…" lens through executeCommand, as an editor without our client does. */
async function runAttachPickLens(client: TestClient, uri: string): Promise<{ ok: boolean; message: string }> {
  client.open(uri, GOOD);
  await client.nextDiagnostics(uri);
  const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
  const pick = lenses.find(
    (l) => l.command!.command === ServerCommands.attachDevice && !(l.command!.arguments![0] as DeviceCommandArgs).guest,
  );
  assert.ok(pick, 'an "Attach to guest…" lens');
  return client.request('workspace/executeCommand', { command: pick.command!.command, arguments: pick.command!.arguments });
}

test('an attach without a host to run virsh on (an inventory snapshot alone) is refused at once, before any question', async () => {
  const uri = 'file:///w/attach-no-host.xml';
  const client = await startTestServer({ initializationOptions: { settings: { inventoryFile: exampleInventory } } });
  try {
    client.open(uri, GOOD);
    await client.nextDiagnostics(uri);
    const result = await client.request<{ ok: boolean; message: string }>('workspace/executeCommand', {
      command: ServerCommands.attachDevice,
      arguments: [{ uri, deviceSpan: GOOD_DEVICE }],
    });
    assert.deepEqual(result, { ok: false, message: 'No active host: select a host first (libvirtHostdev.activeHost).' });
    assert.deepEqual(
      client.messages.all.filter((m) => m.question),
      [],
      'no guest question, no errors question',
    );
  } finally {
    await client.shutdown();
  }
});

test('an attach whose document changes while the guest question is open stops: the device and its errors were read before', async () => {
  const uri = 'file:///w/attach-edited.xml';
  let editor: TestClient | null = null;
  const client = await startTestServer({
    initializationOptions: { settings: SNAPSHOT_AND_HOST },
    answerMessage: (m) => {
      if (!/which guest/.test(m.message)) return null;
      // the user edits the document before answering (an editor whose questions do not block editing)
      editor!.change(uri, GOOD.replace('<devices>', '<devices>\n'));
      return m.actions![0];
    },
  });
  editor = client;
  try {
    const result = await runAttachPickLens(client, uri);
    assert.deepEqual(result, { ok: false, message: 'attach: the document changed while the command waited; run it again' });
  } finally {
    await client.shutdown();
  }
});

test("every diagnostic links its rule where the rules page has a real address (codeDescription.href, the code's anchor), none to a placeholder", async () => {
  const client = await startTestServer({ initializationOptions: { settings: { inventoryFile: exampleInventory } } });
  try {
    const uri = 'file:///w/links.xml';
    client.open(uri, example('guest-bad.xml'));
    const published = await client.nextDiagnostics(uri);
    assert.ok(published.diagnostics.length > 3);
    for (const d of published.diagnostics) {
      assert.equal(d.codeDescription?.href, ruleHref(String(d.code)), String(d.code));
      assert.doesNotMatch(d.codeDescription?.href ?? '', /\.invalid\//, String(d.code));
    }
  } finally {
    await client.shutdown();
  }
});

test('explainCode takes the code alone or as {code}, and says what it needs without one; refreshInventory with nothing configured says so', async () => {
  const client = await startTestServer({});
  try {
    const run = (command: string, args: unknown[]) =>
      client.request<{ ok: boolean; message: string }>('workspace/executeCommand', { command, arguments: args });
    const plain = await run(ServerCommands.explainCode, ['vf-in-use']);
    assert.equal(plain.ok, true, plain.message);
    assert.match(plain.message, /vf-in-use/);
    assert.deepEqual(await run(ServerCommands.explainCode, []), {
      ok: false,
      message: `${ServerCommands.explainCode} needs the code to explain: [{ "code": "vf-in-use" }]`,
    });
    const refresh = await run(ServerCommands.refreshInventory, [{}]);
    assert.deepEqual(refresh, {
      ok: false,
      message: 'No inventory to refresh: no host or inventory file is configured (libvirtHostdev.hosts and activeHost, or inventoryFile)',
    });
  } finally {
    await client.shutdown();
  }
});
