// "Show documentation for CODE": every problem's code actions end with one per code, which explains
// it as `libvirt-hostdev rules CODE` prints it, under the document's project config: in VS Code through
// the client's command and libvirtHostdev/explainCode, elsewhere through the server command.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeAction } from 'vscode-languageserver/node';
import { Commands, ServerCommands } from '../../shared/commands';
import { runCli } from '../support/cli';
import { startTestServer } from './harness';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-code-docs-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

// pci-octal (bus='011') and pci-decimal (slot='16') on line 1, mac-missing on the interface
const DEVICE = `<interface type='hostdev' managed='yes'>
  <source><address type='pci' domain='0x0000' bus='011' slot='16' function='0x2'/></source>
</interface>
`;
const folder = path.join(tmp, 'project');
fs.mkdirSync(folder, { recursive: true });
fs.writeFileSync(path.join(folder, '.libvirt-hostdev.json'), JSON.stringify({ severity: { 'pci-octal': 'error' } }));
const file = path.join(folder, 'web01.xml');
fs.writeFileSync(file, DEVICE);
const uri = pathToFileURL(file).href;
const LINE_1 = { start: { line: 1, character: 0 }, end: { line: 1, character: 90 } };

async function actionsOnLine1(
  clientCommands: boolean,
): Promise<{ actions: CodeAction[]; request: <R>(m: string, p: unknown) => Promise<R>; done: () => Promise<void> }> {
  const client = await startTestServer({ debounceMs: 0, initializationOptions: { clientCommands } });
  client.open(uri, DEVICE);
  await client.diagnosticsFor(uri);
  const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
    textDocument: { uri },
    range: LINE_1,
    context: { diagnostics: [] },
  });
  return { actions, request: (m, p) => client.request(m, p), done: () => client.shutdown() };
}

test('the code actions of a line end with Show documentation for each code there, after its fixes (VS Code: the client command)', async () => {
  const { actions, done } = await actionsOnLine1(true);
  try {
    const titles = actions.map((a) => a.title);
    const docs = titles.filter((t) => t.startsWith('Show documentation for '));
    assert.deepEqual(docs.sort(), ['Show documentation for pci-decimal', 'Show documentation for pci-octal']);
    assert.ok(titles.indexOf(docs[0]) > titles.findIndex((t) => t.startsWith('Write ')), `after the fixes: ${titles.join(' | ')}`);
    const octal = actions.find((a) => a.title === 'Show documentation for pci-octal')!;
    assert.deepEqual(octal.command, { title: octal.title, command: Commands.explainCode, arguments: [{ code: 'pci-octal', uri }] });
    assert.equal(octal.edit, undefined);
    assert.notEqual(octal.isPreferred, true, 'never the preferred action');
  } finally {
    await done();
  }
});

test("libvirtHostdev/explainCode answers what `rules CODE` prints in the document's folder (its config's severity); null for an unknown code", async () => {
  const { request, done } = await actionsOnLine1(true);
  try {
    const explained = await request<{ text: string } | null>('libvirtHostdev/explainCode', { code: 'pci-octal', uri });
    const cli = await runCli(['rules', 'pci-octal'], { cwd: folder });
    assert.equal(explained?.text, cli.stdout);
    assert.match(explained?.text ?? '', /^pci-octal: error \(set by .*\.libvirt-hostdev\.json; warning by default\)\n/);
    const defaults = await request<{ text: string } | null>('libvirtHostdev/explainCode', { code: 'pci-octal' });
    assert.match(defaults?.text ?? '', /^pci-octal: warning\n/, 'without a document: the default severity');
    assert.equal(await request('libvirtHostdev/explainCode', { code: 'pci-octl', uri }), null);
  } finally {
    await done();
  }
});

test('without clientCommands the action runs the server command, which answers the explanation and shows it as a message', async () => {
  const { actions, request, done } = await actionsOnLine1(false);
  try {
    const octal = actions.find((a) => a.title === 'Show documentation for pci-octal')!;
    assert.equal(octal.command?.command, ServerCommands.explainCode);
    const result = await request<{ ok: boolean; message: string }>('workspace/executeCommand', octal.command);
    assert.equal(result.ok, true);
    assert.match(result.message, /^pci-octal: error \(set by /);
    assert.match(result.message, /Turn it off: --disable pci-octal/);
    const unknown = await request<{ ok: boolean; message: string }>('workspace/executeCommand', {
      command: ServerCommands.explainCode,
      arguments: [{ code: 'nope' }],
    });
    assert.deepEqual(unknown, { ok: false, message: "unknown diagnostic code 'nope'" });
  } finally {
    await done();
  }
});
