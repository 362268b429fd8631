// The project's .libvirt-hostdev.json in the editor: the codes it disables and the severities it sets
// apply to the published diagnostics and the quick fixes as they do to `libvirt-hostdev check`; a
// changed config applies at once (watched files) or when a document is opened; a bad one is named
// and the documents are checked without it.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity } from 'vscode-languageserver/node';
import { ServerCommands } from '../../shared/commands';
import { codes, withTestServer, type PublishedDiagnostics, type TestClient } from './harness';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-project-config-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

// pci-octal (bus='011', a warning), pci-decimal (slot='16', a hint), mac-missing (information)
const DEVICE = `<interface type='hostdev' managed='yes'>
  <source><address type='pci' domain='0x0000' bus='011' slot='16' function='0x2'/></source>
</interface>
`;
const POLICY = JSON.stringify({ disable: ['mac-missing'], severity: { 'pci-octal': 'error' } });

/** a fresh project folder with `config` (none: null) and a document two folders below it; the document's uri */
function project(name: string, config: string | null): { uri: string; configFile: string; folder: string } {
  const folder = path.join(tmp, name);
  fs.mkdirSync(path.join(folder, 'guests', 'lab'), { recursive: true });
  const configFile = path.join(folder, '.libvirt-hostdev.json');
  if (config !== null) fs.writeFileSync(configFile, config);
  const file = path.join(folder, 'guests', 'lab', 'web01.xml');
  fs.writeFileSync(file, DEVICE);
  return { uri: pathToFileURL(file).href, configFile, folder };
}

const severityOf = (p: PublishedDiagnostics, code: string): number | undefined => p.diagnostics.find((d) => d.code === code)?.severity;

async function configChanged(client: TestClient, configFile: string): Promise<void> {
  await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
    changes: [{ uri: pathToFileURL(configFile).href, type: 2 }],
  });
}

test('a document under a .libvirt-hostdev.json gets its disabled codes left out and its severities; one elsewhere does not', async () => {
  const inside = project('policed', POLICY);
  const outside = project('plain', null);
  await withTestServer({ debounceMs: 0 }, async (client) => {
    client.open(inside.uri, DEVICE);
    client.open(outside.uri, DEVICE);
    const policed = await client.diagnosticsFor(inside.uri);
    const plain = await client.diagnosticsFor(outside.uri);
    assert.deepEqual(codes(plain).sort(), ['mac-missing', 'pci-decimal', 'pci-octal']);
    assert.deepEqual(codes(policed).sort(), ['pci-decimal', 'pci-octal']);
    assert.equal(severityOf(policed, 'pci-octal'), DiagnosticSeverity.Error);
    assert.equal(severityOf(plain, 'pci-octal'), DiagnosticSeverity.Warning);
    assert.equal(severityOf(policed, 'pci-decimal'), DiagnosticSeverity.Hint);
  });
});

test('no quick fix is offered for a code the config disables, also to a client that sends no diagnostics back', async () => {
  const inside = project('fixes', POLICY);
  const outside = project('fixes-plain', null);
  await withTestServer({ debounceMs: 0 }, async (client) => {
    const titles = async (uri: string): Promise<string[]> => {
      client.open(uri, DEVICE);
      await client.diagnosticsFor(uri);
      const whole = { start: { line: 0, character: 0 }, end: { line: 3, character: 0 } };
      const actions = await client.request<{ title: string }[]>('textDocument/codeAction', {
        textDocument: { uri },
        range: whole,
        context: { diagnostics: [] },
      });
      return actions.map((a) => a.title);
    };
    const addMac = (t: string): boolean => t.startsWith('Add <mac');
    assert.ok((await titles(outside.uri)).some(addMac), 'the fix is there without a config');
    const policed = await titles(inside.uri);
    assert.ok(!policed.some(addMac), policed.join('; '));
    assert.ok(
      policed.some((t) => t.includes('(hex)')),
      `the other codes keep their fixes: ${policed.join('; ')}`,
    );
  });
});

test('a client that watches files gets the config registered, and a changed config applies to the open documents at once', async () => {
  const inside = project('watched', POLICY);
  await withTestServer({ debounceMs: 0, watchedFiles: true }, async (client) => {
    const registration = await client.registrations.wait('the config watcher', (r) => r.method === 'workspace/didChangeWatchedFiles');
    assert.deepEqual(registration.registerOptions, { watchers: [{ globPattern: '**/.libvirt-hostdev.json' }] });
    client.open(inside.uri, DEVICE);
    const before = await client.diagnosticsFor(inside.uri);
    assert.ok(!codes(before).includes('mac-missing'), codes(before).join(','));
    fs.writeFileSync(inside.configFile, JSON.stringify({ severity: { 'mac-missing': 'warning' } }));
    const next = client.nextDiagnostics(inside.uri);
    await configChanged(client, inside.configFile);
    const after = await next;
    assert.equal(severityOf(after, 'mac-missing'), DiagnosticSeverity.Warning);
    assert.equal(severityOf(after, 'pci-octal'), DiagnosticSeverity.Warning);
  });
});

for (const watchedFiles of [false, true])
  test(`a change no watcher reports (${watchedFiles ? 'a config outside what the client watches' : 'a client that does not watch files'}) is taken up when a document is opened`, async () => {
    const inside = project(`unwatched-${watchedFiles}`, POLICY);
    await withTestServer({ debounceMs: 0, watchedFiles }, async (client) => {
      if (!watchedFiles) assert.equal(client.registrations.all.filter((r) => r.method === 'workspace/didChangeWatchedFiles').length, 0);
      client.open(inside.uri, DEVICE);
      assert.ok(!codes(await client.diagnosticsFor(inside.uri)).includes('mac-missing'));
      fs.rmSync(inside.configFile);
      client.close(inside.uri);
      client.open(inside.uri, DEVICE);
      // closing publishes an empty list first
      const reopened = await client.nextDiagnostics(inside.uri, 'the reopened document checked', (p) => p.diagnostics.length > 0);
      assert.ok(codes(reopened).includes('mac-missing'), codes(reopened).join(','));
    });
  });

test('a bad config is named once in a message that asks nothing, with the code it most likely meant, and its documents are checked without it until it is fixed', async () => {
  const bad = project('bad', JSON.stringify({ disable: ['mac-mising'] }));
  const second = path.join(bad.folder, 'guests', 'db01.xml');
  fs.writeFileSync(second, DEVICE);
  const secondUri = pathToFileURL(second).href;
  await withTestServer({ debounceMs: 0, watchedFiles: true }, async (client) => {
    client.open(bad.uri, DEVICE);
    const message = await client.messages.wait('the bad config named', (m) => m.message.includes('.libvirt-hostdev.json'));
    assert.equal(message.type, 2, 'a warning');
    // a window/showMessageRequest would be a question: Neovim 0.7 waits for a key before going on
    assert.equal(message.question, undefined, 'window/showMessage, not a question');
    assert.ok(
      message.message.includes(`${bad.configFile}: disable[0]: unknown diagnostic code "mac-mising" (did you mean 'mac-missing'?)`),
      message.message,
    );
    assert.ok(codes(await client.diagnosticsFor(bad.uri)).includes('mac-missing'), 'checked as without a config');
    // a second document under the same config: its diagnostics come after any message about it
    client.open(secondUri, DEVICE);
    assert.ok(codes(await client.diagnosticsFor(secondUri)).includes('mac-missing'));
    assert.equal(client.messages.all.length, 1, client.messages.all.map((m) => m.message).join('\n'));
    fs.writeFileSync(bad.configFile, JSON.stringify({ disable: ['mac-missing'] }));
    const fixed = client.nextDiagnostics(bad.uri, 'a publish without mac-missing', (p) => !codes(p).includes('mac-missing'));
    await configChanged(client, bad.configFile);
    await fixed;
  });
});

test('a code explained for a document under a bad config: the default severity, and the bad config named once, as its diagnostics name it', async () => {
  const bad = project('bad-explain', JSON.stringify({ severity: { 'pci-octal': 'fatal' } }));
  await withTestServer({ debounceMs: 0 }, async (client) => {
    const explained = await client.request<{ text: string } | null>('libvirtHostdev/explainCode', { code: 'pci-octal', uri: bad.uri });
    assert.match(explained?.text ?? '', /^pci-octal: warning\n/, 'the default severity');
    const message = await client.messages.wait('the bad config named', (m) => m.message.includes('.libvirt-hostdev.json'));
    assert.ok(message.message.includes(`${bad.configFile}: severity`), message.message);
    client.open(bad.uri, DEVICE);
    await client.diagnosticsFor(bad.uri);
    await client.request('libvirtHostdev/explainCode', { code: 'pci-octal', uri: bad.uri });
    assert.equal(client.messages.all.length, 1, client.messages.all.map((m) => m.message).join('\n'));
  });
});

test("attach through executeCommand asks a second yes only for the errors the document's config leaves errors", async () => {
  // a multicast MAC: an error by default, a warning in the 'relaxed' project
  const device = `<interface type='hostdev' managed='yes'>
  <mac address='01:00:5e:00:00:01'/>
  <source><address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x2'/></source>
</interface>
`;
  const relaxed = project('attach-relaxed', JSON.stringify({ severity: { 'mac-multicast': 'warning' } }));
  const strict = project('attach-strict', null);
  // a host to run virsh on, which refuses the connection at once: the attach that goes on fails there
  const settings = { hosts: [{ name: 'kvm1', target: 'root@127.0.0.1:1' }], activeHost: 'kvm1' };
  await withTestServer({ debounceMs: 0, initializationOptions: { settings } }, async (client) => {
    const attach = async (uri: string): Promise<{ ok: boolean; message: string }> => {
      client.open(uri, device);
      await client.diagnosticsFor(uri);
      return client.request('workspace/executeCommand', {
        command: ServerCommands.attachDevice,
        arguments: [{ uri, deviceSpan: { start: 0, end: device.length - 1 }, guest: 'web01' }],
      });
    };
    const asked = (m: { message: string }): boolean => /has 1 error/.test(m.message);
    const refused = await attach(strict.uri);
    assert.equal(refused.message, 'cancelled', 'the question declined');
    assert.equal(client.messages.all.filter(asked).length, 1);
    const sent = await attach(relaxed.uri);
    assert.match(sent.message, /127\.0\.0\.1:1/, `on to the host without a question: ${sent.message}`);
    assert.equal(client.messages.all.filter(asked).length, 1, client.messages.all.map((m) => m.message).join('\n'));
  });
});

test('a config whose value reads as a command link is named as text: VS Code shows no link in the warning', async () => {
  const hostile = project('hostile', JSON.stringify({ disable: ['[Fix it](command:workbench.action.terminal.new)'] }));
  await withTestServer({ debounceMs: 0 }, async (client) => {
    client.open(hostile.uri, DEVICE);
    const message = await client.messages.wait('the bad config named', (m) => m.message.includes('.libvirt-hostdev.json'));
    assert.ok(message.message.includes('[Fix it]\u200b(command:workbench.action.terminal.new)'), message.message);
    assert.ok(!message.message.includes(']('), message.message);
  });
});
