// The `local` host: commands run with /bin/sh -c on this machine (e.g. a hypervisor opened with
// Remote-SSH). Each command gets its own process group so a timeout kills the whole pipeline,
// not just the shell.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CappedOutput, ExecOptions, ExecResult, HostError, outputTooLarge, Transport } from './transport';

const TEMP_PREFIX = 'libvirt-hostdev-';

export class LocalTransport implements Transport {
  readonly description = 'local';
  /** private directories made by writeTempFile, removed with their file */
  private readonly tempDirs = new Set<string>();
  private closed = false;

  exec(command: string, options: ExecOptions): Promise<ExecResult> {
    if (this.closed) return Promise.reject(new HostError('command', 'local transport is closed'));
    return new Promise((resolve, reject) => {
      const child = spawn('/bin/sh', ['-c', command], { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
      const output = new CappedOutput();
      let settled = false;
      const finish = (action: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        action();
      };
      const timer = setTimeout(() => {
        killGroup(child.pid);
        finish(() => reject(new HostError('timeout', `command timed out after ${options.timeoutMs} ms on local host`)));
      }, options.timeoutMs);
      const collect =
        (stream: 'stdout' | 'stderr') =>
        (chunk: Buffer): void => {
          if (settled || output.add(stream, chunk)) return;
          killGroup(child.pid);
          finish(() => reject(outputTooLarge('local host')));
        };
      child.stdout.on('data', collect('stdout'));
      child.stderr.on('data', collect('stderr'));
      child.on('error', (err) => finish(() => reject(new HostError('command', `cannot run /bin/sh: ${err.message}`))));
      child.on('close', (code) => finish(() => resolve(output.result(code))));
      // a command that exits without reading its stdin makes our write fail with EPIPE: not an error
      child.stdin.on('error', () => undefined);
      child.stdin.end(options.stdin ?? '');
    });
  }

  async writeTempFile(content: string, _options: { timeoutMs: number }): Promise<string> {
    // mkdtemp gives a fresh 0700 directory nobody else can enter; the file inside is 0600 and
    // created exclusively ('wx'), so there is no window where another user could swap it.
    const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), TEMP_PREFIX));
    this.tempDirs.add(dir);
    const file = path.join(dir, 'device.xml');
    await fs.promises.writeFile(file, content, { mode: 0o600, flag: 'wx' });
    return file;
  }

  async removeFile(file: string, _options: { timeoutMs: number }): Promise<void> {
    await fs.promises.rm(file, { force: true });
    const dir = path.dirname(file);
    if (this.tempDirs.delete(dir)) await fs.promises.rm(dir, { recursive: true, force: true });
  }

  close(): void {
    this.closed = true;
    for (const dir of this.tempDirs) fs.rmSync(dir, { recursive: true, force: true });
    this.tempDirs.clear();
  }
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
