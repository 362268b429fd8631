// A document far bigger than any domain XML (libvirt's RPC takes at most 4 MiB): the shipped server
// answers with one diagnostic at once and stays small (the CLI's refusal is in test/unit/cli/check.test.ts).
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { repoRoot } from './harness';
import { within } from '../support/waiters';

const serverJs = path.join(repoRoot, 'dist', 'server.js');

before(() => {
  execFileSync(process.execPath, ['esbuild.mjs'], { cwd: repoRoot, stdio: 'inherit' });
});

/** one line of `<interface type='hostdev'>` devices, about `mib` MiB */
function oneLineDomain(mib: number): string {
  const device = `<interface type='hostdev' managed='yes'><mac address='52:54:00:6d:90:01'/><source><address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x1'/></source><vlan><tag id='42'/></vlan></interface>`;
  const count = Math.ceil((mib * 1024 * 1024) / device.length);
  return `<domain type='kvm'><name>big</name><devices>${device.repeat(count)}</devices></domain>`;
}

/** peak resident memory of a process so far */
function peakMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

test('server: a 20 MB one-line document gets one document-size diagnostic and is not checked, hover answers, memory stays bounded', async () => {
  const child = spawn(process.execPath, [serverJs, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const uri = 'file:///limits/huge.xml';
  const published = new Promise<{ diagnostics: { code: string; message: string }[] }>((resolve) => {
    connection.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: { code: string; message: string }[] }) => {
      if (p.uri === uri) resolve(p);
    });
  });
  connection.listen();
  try {
    await within(
      connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} }),
      'the answer to initialize',
    );
    await connection.sendNotification('initialized', {});
    const text = oneLineDomain(20);
    // writing 20 MB of JSON is the test's own cost; the server's starts when it has the text
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'xml', version: 1, text } });
    // a guard against a hang, not a speed figure (npm run bench measures speed): receiving 20 MB of
    // JSON alone takes seconds on a loaded CI machine
    const { diagnostics } = await within(published, 'publishDiagnostics for the 20 MB document', 30_000);
    // every device repeats one VF address: had the text been checked, the duplicate-VF errors would be here
    assert.deepEqual(
      diagnostics.map((d) => d.code),
      ['document-size'],
    );
    assert.match(
      diagnostics[0].message,
      /^Document of 20(\.\d)? MiB is over the 4 MiB libvirt takes, not checked — .*Unable to encode message payload/,
    );
    const hover = await within(
      connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 200 } }),
      'the answer to a hover in the 20 MB document',
      10_000,
    );
    assert.equal(hover, null);
    const peak = peakMiB(child.pid!);
    assert.ok(peak < 500, `server peak memory ${peak.toFixed(0)} MiB`);
  } finally {
    connection.dispose();
    child.kill();
  }
});
