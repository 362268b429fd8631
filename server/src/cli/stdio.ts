// The bin's standard output and error. A run that prints a report and leaves writes straight to the
// descriptor: node's process.stdout is built on first use from node:stream (and node:net for a pipe,
// node:tty for a terminal), which costs a short run more CPU than writing its output does.
import { type Stats, fstatSync, statSync, writeSync } from 'node:fs';

/**
 * Writes to `fd` with write(2) while that is all it takes, else through `stream()` (node's stream of
 * that descriptor): when `useStream()` says so, and for the rest of the run once the descriptor
 * would block (a non-blocking pipe that is full). Output keeps its order: the stream only takes over
 * after every direct write has reached the descriptor.
 *
 * A write that fails (the reader went away: EPIPE; a full disk: ENOSPC; …) ends the output: later
 * output is dropped and `onFailed` hears of it once, the same whether the descriptor refused a
 * direct write at once or the stream reported it later.
 */
export class DescriptorOutput {
  private stream: NodeJS.WritableStream | null = null;
  private closed = false;

  constructor(
    private readonly fd: number,
    private readonly streamOf: () => NodeJS.WritableStream,
    private readonly useStream: () => boolean = () => false,
    private readonly onFailed: (e: NodeJS.ErrnoException) => void = () => {},
  ) {}

  write(text: string): void {
    if (this.closed) return;
    if (this.stream === null && this.useStream()) this.takeOver();
    if (this.stream !== null) {
      this.stream.write(text);
      return;
    }
    const bytes = Buffer.from(text, 'utf8');
    let written = 0;
    try {
      while (written < bytes.length) written += writeSync(this.fd, bytes, written, bytes.length - written);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') this.takeOver().write(bytes.subarray(written));
      else this.fail(e as NodeJS.ErrnoException);
    }
  }

  /** Calls back once everything written so far reached the descriptor (or the output failed). */
  flush(callback: () => void): void {
    if (this.stream === null || this.closed) callback();
    else this.stream.write('', () => callback());
  }

  private takeOver(): NodeJS.WritableStream {
    const stream = this.streamOf();
    stream.on('error', (e: NodeJS.ErrnoException) => this.fail(e));
    this.stream = stream;
    return stream;
  }

  private fail(e: NodeJS.ErrnoException): void {
    if (this.closed) return;
    this.closed = true;
    this.onFailed(e);
  }
}

/**
 * isatty(fd) without loading node:tty (and with it node:net and node:stream): files, pipes, sockets
 * and /dev/null, where reports usually go, are told apart by fstat; other character devices ask tty.
 */
export function isTerminal(fd: number): boolean {
  let stat: Stats;
  try {
    stat = fstatSync(fd);
  } catch {
    return false;
  }
  if (!stat.isCharacterDevice()) return false;
  const devNull = statSync('/dev/null', { throwIfNoEntry: false });
  if (devNull !== undefined && devNull.isCharacterDevice() && devNull.rdev === stat.rdev) return false;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('node:tty') as typeof import('node:tty')).isatty(fd);
}
