// Spawns the real server bundle, opens a document and reads the process's resident memory from /proc.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';

function rssMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

export async function measureServerMemory(text: string): Promise<{ baselineMiB: number; afterOpenMiB: number }> {
  const serverJs = path.resolve(__dirname, '..', '..', '..', 'dist', 'server.js');
  const child = spawn(process.execPath, [serverJs, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const uri = 'file:///bench/large-domain.xml';
  const diagnosed = new Promise<void>((resolve) => {
    connection.onNotification('textDocument/publishDiagnostics', (p: { uri: string }) => {
      if (p.uri === uri) resolve();
    });
  });
  connection.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => null));
  connection.listen();
  try {
    await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
    connection.sendNotification('initialized', {});
    const baselineMiB = rssMiB(child.pid!);
    connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'xml', version: 1, text } });
    await diagnosed;
    const afterOpenMiB = rssMiB(child.pid!);
    return { baselineMiB, afterOpenMiB };
  } finally {
    connection.dispose();
    child.kill();
  }
}
