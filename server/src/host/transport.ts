// How the host layer reaches a host: a local child process or an SSH connection. Everything that
// runs on a host goes through exec() with a command string built ONLY by shellQuote/shellJoin
// (shared/shellQuote.ts), so no unquoted input ever reaches a shell.
import type { HostFailureKind } from '../../../shared/protocol';

export interface ExecOptions {
  /** fed to the command's stdin, then stdin is closed */
  stdin?: string;
  timeoutMs: number;
}

export interface ExecResult {
  /** exit code; null when killed by a signal or the timeout */
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface Transport {
  /** "local" or "user@host:port", for messages and logs (never secrets) */
  readonly description: string;
  /** what of the user's ssh config this transport does not honour, one line each; shown once per host */
  readonly notices?: readonly string[];
  /** runs `command` with the host's POSIX shell (sh -c locally, the login shell over SSH) */
  exec(command: string, options: ExecOptions): Promise<ExecResult>;
  close(): void;
}

/**
 * The most a command may print (stdout and stderr together) before it is killed. A real inventory
 * of 4,096 VFs and 500 guests is a few MB; a host that floods must not take the server's memory
 * (without a cap, 512 MB of output left a refresh unanswered and the CLI with a stack trace).
 */
export const MAX_HOST_OUTPUT_BYTES = 32 * 1024 * 1024;

/** The one-line failure of a command that printed more than MAX_HOST_OUTPUT_BYTES. */
export function outputTooLarge(description: string): HostError {
  return new HostError(
    'command',
    `host output exceeds ${MAX_HOST_OUTPUT_BYTES / 1024 / 1024} MB on ${description}: the command was stopped`,
  );
}

/** A command's stdout and stderr, kept up to MAX_HOST_OUTPUT_BYTES together. */
export class CappedOutput {
  private readonly out: Buffer[] = [];
  private readonly err: Buffer[] = [];
  private size = 0;

  /** false once the cap is passed (what was kept is dropped: the caller stops the command) */
  add(stream: 'stdout' | 'stderr', chunk: Buffer): boolean {
    this.size += chunk.length;
    if (this.size > MAX_HOST_OUTPUT_BYTES) {
      this.out.length = 0;
      this.err.length = 0;
      return false;
    }
    (stream === 'stdout' ? this.out : this.err).push(chunk);
    return true;
  }

  result(code: number | null): ExecResult {
    return { code, stdout: Buffer.concat(this.out).toString('utf8'), stderr: Buffer.concat(this.err).toString('utf8') };
  }
}

/** A failure the user should see in one line: unreachable host, auth failure, host key mismatch, timeout. */
export class HostError extends Error {
  constructor(
    readonly kind: HostFailureKind,
    message: string,
    /** an unknown host key that accepting new keys would let through (the CLI's --accept-new-host-key) */
    readonly unknownKeyAcceptable = false,
  ) {
    super(message);
    this.name = 'HostError';
  }
}

/** A command stopped at its timeout, with what it printed on stdout by then: its caller can tell how far it got. */
export class CommandTimeout extends HostError {
  constructor(
    message: string,
    readonly stdoutSoFar: string,
  ) {
    super('timeout', message);
  }
}
