// Reading a file named by a user, a setting, a config file or a repository without letting it hang
// or flood the reader: only regular files (a FIFO would block forever, /dev/zero never ends), opened
// without blocking, and never more than a stated number of bytes.
import { closeSync, constants, fstatSync, openSync, promises as fsPromises, readSync } from 'node:fs';

/** The file is larger than the budget; `size` is what it holds (at least maxBytes + 1). */
export class FileTooLarge extends Error {
  constructor(
    readonly file: string,
    readonly size: number,
    readonly maxBytes: number,
  ) {
    super(`${size} bytes, more than the ${maxBytes} bytes allowed`);
    this.name = 'FileTooLarge';
  }
}

/** Not a regular file (a directory, FIFO, socket or device). */
export class NotARegularFile extends Error {
  constructor(readonly file: string) {
    super('not a regular file');
    this.name = 'NotARegularFile';
  }
}

// O_NONBLOCK: a FIFO swapped in after the check still cannot block open() (0 where it does not exist)
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/**
 * The bytes of a regular file of at most maxBytes (with `prefix`, its first maxBytes instead of the
 * error). Throws FileTooLarge, NotARegularFile, or the system's error (ENOENT, EACCES, …).
 */
export function readBoundedFileSync(file: string, maxBytes: number, options: { prefix?: boolean } = {}): Buffer {
  const fd = openSync(file, OPEN_FLAGS);
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new NotARegularFile(file);
    if (stat.size > maxBytes && !options.prefix) throw new FileTooLarge(file, stat.size, maxBytes);
    // the file may grow while it is read: read at most one byte past the budget
    const buffer = Buffer.alloc(Math.min(stat.size, maxBytes) + 1);
    let length = 0;
    while (length < buffer.length) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length > maxBytes) {
      if (options.prefix) return buffer.subarray(0, maxBytes);
      throw new FileTooLarge(file, Math.max(length, stat.size), maxBytes);
    }
    return buffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

/** readBoundedFileSync off the main thread. */
export async function readBoundedFile(file: string, maxBytes: number): Promise<Buffer> {
  const handle = await fsPromises.open(file, OPEN_FLAGS);
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new NotARegularFile(file);
    if (stat.size > maxBytes) throw new FileTooLarge(file, stat.size, maxBytes);
    const buffer = Buffer.alloc(stat.size + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > maxBytes) throw new FileTooLarge(file, length, maxBytes);
    return buffer.subarray(0, length);
  } finally {
    await handle.close();
  }
}

const ERRNO_WORDS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory',
  ENOTDIR: 'a component of the path is not a directory',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'file name too long',
  EIO: 'input/output error',
  ENOSPC: 'no space left on device',
  EROFS: 'read-only file system',
};

/** Why a file could not be read or written, in words a user knows from the shell, with the system's code: "no such file or directory (ENOENT)". */
export function fileErrorReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  if (typeof code === 'string') return ERRNO_WORDS[code] ? `${ERRNO_WORDS[code]} (${code})` : code;
  const message = e instanceof Error ? e.message : String(e);
  return message.replace(/\s*\r?\n\s*/g, ' ').trim() || 'unknown error';
}
