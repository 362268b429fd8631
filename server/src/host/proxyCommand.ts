// ProxyCommand as ssh(1) runs it (sshconnect.c): tokens %h %p %r %n %% expanded, then
// `exec COMMAND` through the user's $SHELL (or /bin/sh) with the user's environment; the child's
// stdin/stdout carry the SSH stream, its stderr goes to the log and into the error when the
// connection fails. The child is killed (SIGHUP, like ssh) when the connection ends, and with SIGKILL
// when it ignores that: after EXIT_GRACE_MS, or at once when our own process exits first.
import { spawn, type ChildProcess } from 'node:child_process';
import { Duplex } from 'node:stream';
import { HostError } from './transport';

export interface ProxyTokens {
  /** remote host name (HostName applied) */
  host: string;
  port: number;
  /** remote user */
  user: string;
  /** the name the user typed */
  alias: string;
}

/** Expands %h %p %r %n %% (the tokens ssh_config(5) lists for ProxyCommand); any other token is a config error, as in ssh. */
export function expandProxyCommand(template: string, tokens: ProxyTokens): string {
  return template.replace(/%(.?)/g, (_match, token: string) => {
    switch (token) {
      case '%':
        return '%';
      case 'h':
        return tokens.host;
      case 'p':
        return String(tokens.port);
      case 'r':
        return tokens.user;
      case 'n':
        return tokens.alias;
      default:
        throw new HostError('config', `ProxyCommand for ${tokens.alias}: unknown token %${token} (ssh allows %h %p %r %n %%)`);
    }
  });
}

/** Kept of the proxy's stderr for the error message (the log gets every line up to LOG_LINES). */
const STDERR_TAIL_CHARS = 2000;
const LOG_LINES = 200;
const LOG_LINE_CHARS = 500;
/** How long a proxy whose connection failed may take to exit by itself before it is killed. */
const EXIT_GRACE_MS = 2000;
/** How long a stuck proxy stopped at the connect timeout may take to go before it is killed outright. */
const STOPPED_GRACE_MS = 200;

/** proxies sent SIGHUP that have not exited yet: killed when this process exits (one listener for all) */
const stopping = new Set<ChildProcess>();

function killStopping(): void {
  for (const child of stopping) child.kill('SIGKILL');
}

export class ProxyProcess {
  /** the connection's byte stream: writes go to the command's stdin, reads come from its stdout */
  readonly sock: Duplex;
  /** resolves when the process has exited and its output is closed */
  readonly closed: Promise<void>;
  private readonly child: ChildProcess;
  private stderrTail = '';
  private exitCode: number | null = null;
  private exitSignal: NodeJS.Signals | null = null;
  private spawnError: Error | null = null;
  private killTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly command: string,
    private readonly label: string,
    log?: (message: string) => void,
  ) {
    const shell = process.env.SHELL && process.env.SHELL !== '' ? process.env.SHELL : '/bin/sh';
    this.child = spawn(shell, ['-c', `exec ${command}`], { stdio: ['pipe', 'pipe', 'pipe'], env: process.env });
    const { stdin, stdout, stderr } = this.child;
    if (!stdin || !stdout || !stderr) throw new Error('spawn gave no pipes');
    this.sock = Duplex.from({ readable: stdout, writable: stdin });
    // A proxy that exits early makes writes fail with EPIPE; the connection's 'close' reports it.
    this.sock.on('error', () => undefined);
    stdin.on('error', () => undefined);
    let logged = 0;
    let partial = '';
    stderr.setEncoding('utf8');
    stderr.on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-STDERR_TAIL_CHARS);
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        if (line.trim() === '' || logged >= LOG_LINES) continue;
        logged++;
        log?.(`ProxyCommand for ${label}: ${line.slice(0, LOG_LINE_CHARS)}`);
      }
    });
    // the exit status as soon as it exits: its output may stay open after it (see explain)
    this.child.on('exit', (code, signal) => {
      this.exitCode = code;
      this.exitSignal = signal;
    });
    this.closed = new Promise((resolve) => {
      this.child.on('error', (err) => {
        this.spawnError = err;
        resolve();
      });
      this.child.on('close', (code, signal) => {
        this.exitCode = code;
        this.exitSignal = signal;
        if (partial.trim() !== '' && logged < LOG_LINES) log?.(`ProxyCommand for ${label}: ${partial.slice(0, LOG_LINE_CHARS)}`);
        resolve();
      });
    });
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null && this.spawnError === null;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /**
   * SIGHUP, as ssh sends it; a proxy that ignores it (or a shell that traps it and goes on) would outlive
   * the connection, so it gets SIGKILL after EXIT_GRACE_MS, or when this process exits before then (a
   * CLI run ends right after its output).
   */
  kill(): void {
    if (!this.running) return;
    this.child.kill('SIGHUP');
    if (this.killTimer) return;
    const child = this.child;
    this.killTimer = setTimeout(() => {
      if (this.running) child.kill('SIGKILL');
    }, EXIT_GRACE_MS).unref();
    stopping.add(child);
    if (stopping.size === 1) process.once('exit', killStopping);
    child.once('exit', () => {
      clearTimeout(this.killTimer);
      stopping.delete(child);
      if (stopping.size === 0) process.removeListener('exit', killStopping);
    });
  }

  /**
   * The connection through this proxy failed with `err`: stop the proxy, then explain with what it
   * said. The proxy's own words lead, because they name the real problem (a bastion that refused,
   * a session manager without credentials); ssh2's view ("closed during the handshake") follows.
   */
  async explain(err: unknown): Promise<unknown> {
    if (err instanceof HostError && (err.kind === 'host-key' || err.kind === 'auth' || err.kind === 'config')) {
      this.kill();
      return err;
    }
    // The proxy may be on its way out (its failure is often what ended the connection, and the
    // connection may notice first): close its stdin as ssh does and give it a moment to exit by
    // itself, so the message can say its exit status and all it printed rather than "was stopped".
    // Not after the connect timeout: the user was promised that bound, and a proxy still running then
    // is stuck (a bastion that never answers), not on its way out.
    const timedOut = err instanceof HostError && err.kind === 'timeout';
    if (this.running && !timedOut) {
      this.child.stdin?.end();
      await closedWithin(this.closed, EXIT_GRACE_MS);
    }
    const wasRunning = this.running;
    this.kill();
    if (!(await closedWithin(this.closed, timedOut ? STOPPED_GRACE_MS : EXIT_GRACE_MS))) {
      // Gone or not, something still holds its output: a child it left behind (ssh's ControlPersist
      // master keeps stderr open), or a proxy that ignores SIGHUP. Node reports the end only once every
      // pipe is closed, so they are closed here, and the connection's failure is not held up by them.
      if (this.running) this.child.kill('SIGKILL');
      this.child.stdin?.destroy();
      this.child.stdout?.destroy();
      this.child.stderr?.destroy();
      await closedWithin(this.closed, EXIT_GRACE_MS);
    }
    const said = this.stderrTail
      .trim()
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '')
      .slice(-3)
      .join(' | ');
    const how = this.spawnError
      ? `could not be started (${this.spawnError.message})`
      : wasRunning
        ? 'was stopped'
        : this.exitSignal
          ? `was killed by ${this.exitSignal}`
          : `exited with status ${this.exitCode}`;
    const cause = err instanceof Error ? err.message : String(err);
    // the timeout leads: it is what happened, and the proxy merely never connected
    if (timedOut)
      return new HostError(
        'timeout',
        `${cause} through the ProxyCommand for ${this.label} (${said ? `which said: ${said}` : 'which said nothing'}; command: ${this.command})`,
      );
    return new HostError(
      err instanceof HostError ? err.kind : 'unreachable',
      `ProxyCommand for ${this.label} ${how}${said ? `: ${said}` : ' without a message'} (${cause}; command: ${this.command})`,
    );
  }
}

/** true when `closed` settled within `ms` */
async function closedWithin(closed: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const settled = await Promise.race([
    closed.then(() => true),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    }),
  ]);
  clearTimeout(timer);
  return settled;
}
