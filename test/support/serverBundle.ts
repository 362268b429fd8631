// The shipped language server (dist/server.js, built beforehand) run as an editor runs it: over stdio, on a
// given node binary, with the example guest opened once.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { within } from './waiters';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const serverJs = path.join(repoRoot, 'dist', 'server.js');
const examplesDir = path.join(repoRoot, 'examples');

/**
 * Runs dist/server.js on `node` (with `nodeArgs` before it, and `env` over this process's environment):
 * initialize, didOpen guest-bad.xml, its diagnostics, shutdown, exit.
 */
export async function openOneDocument(node: string, nodeArgs: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<{ stderr: string }> {
  const child = spawn(node, [...nodeArgs, serverJs, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const uri = 'file:///bundle/guest-bad.xml';
  const published = new Promise<{ diagnostics: { code: string }[] }>((resolve) => {
    connection.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: { code: string }[] }) => {
      if (p.uri === uri) resolve(p);
    });
  });
  connection.listen();
  try {
    const init = (await within(
      connection.sendRequest('initialize', {
        processId: process.pid,
        rootUri: null,
        capabilities: {},
        initializationOptions: { settings: { inventoryFile: path.join(examplesDir, '82576-inventory.json') } },
      }),
      'the answer to initialize',
    )) as { capabilities: { hoverProvider?: boolean } };
    assert.equal(init.capabilities.hoverProvider, true);
    await connection.sendNotification('initialized', {});
    await connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'xml', version: 1, text: fs.readFileSync(path.join(examplesDir, 'guest-bad.xml'), 'utf8') },
    });
    const codes = (await within(published, `publishDiagnostics for ${uri}`)).diagnostics.map((d) => d.code);
    for (const c of ['xml-syntax', 'vlan-virtualport', 'vf-in-use']) assert.ok(codes.includes(c), `${c} in ${codes.join(',')}`);
    await within(connection.sendRequest('shutdown'), 'the answer to shutdown');
    await connection.sendNotification('exit');
    assert.equal(await within(exited, 'the server to exit after exit'), 0);
    return { stderr };
  } finally {
    connection.dispose();
    child.kill();
  }
}
