// The `local` host: commands run with /bin/sh -c on this machine (e.g. a hypervisor opened with
// Remote-SSH). Each command gets its own process group so a timeout kills the whole pipeline,
// not just the shell.
import type { ChildProcess } from 'node:child_process';
import { execChild } from './childExec';
import { type ExecOptions, type ExecResult, HostError, type Transport } from './transport';

export class LocalTransport implements Transport {
  readonly description = 'local';
  private closed = false;

  exec(command: string, options: ExecOptions): Promise<ExecResult> {
    if (this.closed) return Promise.reject(new HostError('command', 'local transport is closed'));
    return execChild(
      {
        program: '/bin/sh',
        args: ['-c', command],
        detached: true,
        where: 'local host',
        stop: killGroup,
        cannotStart: (err) => new HostError('command', `cannot run /bin/sh: ${err.message}`),
      },
      options,
    );
  }

  close(): void {
    this.closed = true;
  }
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
