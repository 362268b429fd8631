// How the host layer reaches a host: a local child process or an SSH connection. Everything that
// runs on a host goes through exec() with a command string built ONLY by shellQuote/shellJoin
// (host/quote.ts), so no unquoted input ever reaches a shell.

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
  /** writes a new private temp file (mode 0600, made with mktemp semantics) and returns its path */
  writeTempFile(content: string, options: { timeoutMs: number }): Promise<string>;
  /** removes a file; never throws when it is already gone */
  removeFile(path: string, options: { timeoutMs: number }): Promise<void>;
  close(): void;
}

/** A failure the user should see in one line: unreachable host, auth failure, host key mismatch, timeout. */
export class HostError extends Error {
  constructor(
    readonly kind: 'unreachable' | 'auth' | 'host-key' | 'timeout' | 'command' | 'config',
    message: string,
  ) {
    super(message);
    this.name = 'HostError';
  }
}
