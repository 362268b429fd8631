// The shipped bundles, run the way users and editors run them: `node dist/server.js --stdio`
// and `node dist/cli.js check …`. Built here with `node esbuild.mjs` so the test sees current sources.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import * as path from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { example, exampleInventory, repoRoot } from './harness';

const serverJs = path.join(repoRoot, 'dist', 'server.js');
const cliJs = path.join(repoRoot, 'dist', 'cli.js');

before(() => {
  execFileSync(process.execPath, ['esbuild.mjs'], { cwd: repoRoot, stdio: 'inherit' });
});

test('node dist/server.js --stdio: initialize, didOpen, publishDiagnostics, shutdown, exit 0', async () => {
  const child = spawn(process.execPath, [serverJs, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const uri = 'file:///bundle/guest-bad.xml';
  const published = new Promise<{ diagnostics: { code: string }[] }>((resolve) => {
    connection.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: { code: string }[] }) => {
      if (p.uri === uri) resolve(p);
    });
  });
  connection.listen();
  try {
    const init = (await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: {},
      initializationOptions: { settings: { inventoryFile: exampleInventory } },
    })) as { capabilities: { hoverProvider?: boolean } };
    assert.equal(init.capabilities.hoverProvider, true);
    await connection.sendNotification('initialized', {});
    await connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'xml', version: 1, text: example('guest-bad.xml') },
    });
    const codes = (await published).diagnostics.map((d) => d.code);
    for (const c of ['xml-syntax', 'vlan-virtualport', 'vf-in-use']) assert.ok(codes.includes(c), `${c} in ${codes.join(',')}`);
    await connection.sendRequest('shutdown');
    await connection.sendNotification('exit');
    assert.equal(await exited, 0);
  } finally {
    connection.dispose();
    child.kill();
  }
});

test('node dist/cli.js check: exit codes reach the shell', () => {
  const run = (...args: string[]): number => {
    try {
      execFileSync(process.execPath, [cliJs, ...args], { cwd: repoRoot, stdio: 'pipe' });
      return 0;
    } catch (e) {
      return (e as { status: number }).status;
    }
  };
  assert.equal(run('check', '--inventory', exampleInventory, 'examples/guest-good.xml'), 0);
  assert.equal(run('check', '--inventory', exampleInventory, 'examples/guest-bad.xml'), 1);
  assert.equal(run('check', '--inventory', 'examples/guest-good.xml', 'examples/guest-good.xml'), 2);
  const out = execFileSync(process.execPath, [cliJs, '--version'], { encoding: 'utf8' });
  assert.match(out, /^libvirt-hostdev \d+\.\d+\.\d+\n$/);
});
