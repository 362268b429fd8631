// Running one command on an open ssh2 connection: collect stdout/stderr/exit code, feed stdin,
// and on timeout stop the remote command (not just abandon it) and fail with HostError('timeout');
// past MAX_HOST_OUTPUT_BYTES of output the command is stopped the same way.
import type { Client, ClientChannel } from 'ssh2';
import { CappedOutput, CommandTimeout, type ExecOptions, type ExecResult, HostError, outputTooLarge } from './transport';

/** The channel for a command could not be opened: the command did not run. */
export class ChannelOpenError extends HostError {
  /** true when the connection itself is gone (then a retry on a new connection is safe and useful) */
  readonly connectionDead: boolean;

  constructor(message: string, cause: string) {
    super('unreachable', `${message}: ${cause}`);
    this.connectionDead = /Not connected|No response from server/i.test(cause);
  }
}

export function execOnClient(client: Client, command: string, options: ExecOptions, description: string): Promise<ExecResult> {
  return new Promise<ExecResult>((resolve, reject) => {
    const output = new CappedOutput();
    let channel: ClientChannel | undefined;
    let code: number | null = null;
    let settled = false;
    const settle = (action: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      client.removeListener('close', onLost);
      action();
    };
    const onLost = (): void =>
      settle(() => reject(new HostError('unreachable', `connection to ${description} was lost while a command ran`)));
    const timer = setTimeout(() => {
      settle(() =>
        reject(new CommandTimeout(`command timed out after ${options.timeoutMs} ms on ${description}`, output.result(null).stdout)),
      );
      if (channel) stopRemote(channel);
    }, options.timeoutMs);
    client.once('close', onLost);
    const opened = (err: Error | undefined, ch: ClientChannel): void => {
      if (err) {
        settle(() => reject(new ChannelOpenError(`cannot start a command on ${description}`, err.message)));
        return;
      }
      channel = ch;
      if (settled) {
        // Timed out (or lost) while the exec request was answered: sshd has started the command,
        // and closing the channel alone would leave it running on the host.
        stopRemote(ch);
        return;
      }
      const collect =
        (stream: 'stdout' | 'stderr') =>
        (chunk: Buffer): void => {
          if (settled || output.add(stream, chunk)) return;
          settle(() => reject(outputTooLarge(description)));
          stopRemote(ch);
        };
      ch.on('data', collect('stdout'));
      ch.stderr.on('data', collect('stderr'));
      ch.on('exit', (exitCode: number | null) => {
        code = typeof exitCode === 'number' ? exitCode : null;
      });
      ch.on('close', () => settle(() => resolve(output.result(code))));
      ch.end(options.stdin ?? '');
    };
    try {
      client.exec(command, opened);
    } catch (err) {
      settle(() => reject(new ChannelOpenError(`cannot start a command on ${description}`, (err as Error).message)));
    }
  });
}

/** how long a command we stopped has to run its traps (a temp file's removal) before it is killed */
const REMOTE_KILL_AFTER_MS = 2000;

/**
 * Stops the command behind `channel` as a timeout or a kill on the host would: SIGTERM first, so that
 * its shell's traps run (attach's temp file is removed), then SIGKILL and the channel closed if it has
 * not ended by itself within REMOTE_KILL_AFTER_MS. Closing the channel alone leaves e.g. `sleep 30`
 * running on the host. The timer does not hold the process: a CLI that leaves at once closes the
 * connection after the TERM has gone.
 */
function stopRemote(channel: ClientChannel): void {
  signalRemote(channel, 'TERM');
  const kill = setTimeout(() => {
    signalRemote(channel, 'KILL');
    channel.close();
  }, REMOTE_KILL_AFTER_MS);
  kill.unref();
  channel.once('close', () => clearTimeout(kill));
}

/**
 * Asks sshd to signal the command's process group (RFC 4254 §6.9 "signal"; OpenSSH ≥ 7.9 does
 * killpg). ssh2's public Channel.signal() refuses once our side of the channel is ended (we end it
 * right after writing stdin), so we go to its protocol object directly, still only for an open channel.
 */
function signalRemote(channel: ClientChannel, signal: 'TERM' | 'KILL'): void {
  const internal = channel as unknown as {
    outgoing?: { id?: number; state?: string };
    _client?: { _protocol?: { signal?(id: number, name: string): void } };
  };
  try {
    const protocol = internal._client?._protocol;
    if (
      (internal.outgoing?.state === 'open' || internal.outgoing?.state === 'eof') &&
      typeof internal.outgoing.id === 'number' &&
      typeof protocol?.signal === 'function'
    ) {
      protocol.signal(internal.outgoing.id, signal);
    } else {
      channel.signal(signal);
    }
  } catch {
    // the channel is already gone
  }
}
