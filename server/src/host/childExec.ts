// One command as a child process of this machine, for the transports that run a program here
// (`/bin/sh -c` for the local host, `ssh …` for the OpenSSH transport): stdin fed then closed,
// stdout and stderr kept up to MAX_HOST_OUTPUT_BYTES, and on a timeout or past the cap the child is
// stopped and the call fails with one HostError line.
import { spawn, type ChildProcess } from 'node:child_process';
import { CappedOutput, CommandTimeout, type ExecOptions, type ExecResult, HostError, outputTooLarge } from './transport';

export interface ChildCommand {
  program: string;
  args: string[];
  /** its own process group, so stop() can end a whole pipeline */
  detached?: boolean;
  /** "local host", "admin@kvm1 (OpenSSH)": for the error messages */
  where: string;
  /** ends the child and what it started */
  stop(child: ChildProcess): void;
  /** the result of a child that exited by itself, or the failure it stands for */
  outcome?(result: ExecResult): ExecResult | HostError;
  /** the failure when the program cannot be started at all */
  cannotStart(err: Error): HostError;
}

/** Runs the child; `running` (when given) holds it while it runs, so its owner can stop it on close. */
export function execChild(command: ChildCommand, options: ExecOptions, running?: Set<ChildProcess>): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command.program, command.args, { stdio: ['pipe', 'pipe', 'pipe'], detached: command.detached === true });
    running?.add(child);
    const output = new CappedOutput();
    let settled = false;
    const fail = (err: HostError): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(err);
    };
    const timer = setTimeout(() => {
      command.stop(child);
      fail(new CommandTimeout(`command timed out after ${options.timeoutMs} ms on ${command.where}`, output.result(null).stdout));
    }, options.timeoutMs);
    const collect =
      (stream: 'stdout' | 'stderr') =>
      (chunk: Buffer): void => {
        if (settled || output.add(stream, chunk)) return;
        command.stop(child);
        fail(outputTooLarge(command.where));
      };
    child.stdout.on('data', collect('stdout'));
    child.stderr.on('data', collect('stderr'));
    child.on('error', (err) => {
      running?.delete(child);
      fail(command.cannotStart(err));
    });
    child.on('close', (code) => {
      running?.delete(child);
      if (settled) return;
      const result = output.result(code);
      const outcome = command.outcome ? command.outcome(result) : result;
      if (outcome instanceof HostError) fail(outcome);
      else {
        settled = true;
        clearTimeout(timer);
        resolve(outcome);
      }
    });
    // a command that exits without reading its stdin makes our write fail with EPIPE: not an error
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.stdin ?? '');
  });
}
