// What a CLI run reads and writes: the streams main() is given (the bin maps them onto the process;
// tests capture them) and standard input read within a budget.
import { fstatSync } from 'node:fs';
import { hasBrand } from './util';
import { fileErrorReason } from '../../../shared/boundedFile';

export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** standard input, at most `limit` bytes (`check -`); absent where there is none */
  readStdin?(limit: number): Promise<Buffer>;
  /** colour the text output (a terminal, NO_COLOR unset) */
  colour?: boolean;
  /** the working directory as the reports' paths and the config lookup see it (default process.cwd()) */
  cwd?: string;
  /** the environment: a CI's variables name the repository's root (default process.env) */
  env?: Readonly<Record<string, string | undefined>>;
}

const STREAM_TOO_LARGE = Symbol.for('libvirt-hostdev.cli.StreamTooLarge');

/** Standard input over its budget (thrown by the bin's readStdin, tested by `check`'s own bundle: see hasBrand). */
export class StreamTooLarge extends Error {
  readonly [STREAM_TOO_LARGE] = true;

  constructor(readonly limit: number) {
    super(`more than ${limit} bytes on standard input`);
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return hasBrand(value, STREAM_TOO_LARGE);
  }
}

/** Reads a whole stream up to `limit` bytes; more is an error rather than unbounded memory. */
export async function readStream(stream: NodeJS.ReadableStream, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += b.length;
    if (size > limit) throw new StreamTooLarge(limit);
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

/**
 * Standard input (descriptor 0) up to `limit` bytes. A directory there (`check - < dir`) reads as no
 * bytes in node, which would pass as an empty document: it is refused as the system refuses read(2).
 */
export function readStandardInput(stream: NodeJS.ReadableStream, limit: number): Promise<Buffer> {
  let isDirectory = false;
  try {
    isDirectory = fstatSync(0).isDirectory();
  } catch {
    // no descriptor 0: the stream says what it can
  }
  if (isDirectory) return Promise.reject(Object.assign(new Error('standard input is a directory'), { code: 'EISDIR' }));
  return readStream(stream, limit);
}

/** Why a file named on the command line could not be read: "cannot read FILE: no such file or directory (ENOENT)". */
export function cannotRead(file: string, e: unknown): string {
  return `cannot read ${file}: ${fileErrorReason(e)}`;
}

/**
 * Why output did not reach `target` (standard output, or an --output FILE): "cannot write TARGET:
 * no space left on device (ENOSPC)". The run then exits 2: its report is lost.
 */
export function cannotWrite(target: string, e: unknown): string {
  return `cannot write ${target}: ${fileErrorReason(e)}`;
}
