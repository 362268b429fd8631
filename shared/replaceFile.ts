// Writing a whole file in place of another: the new text goes to a file of this process beside it,
// then renamed over it, so a reader sees the old file or the new one, and a write that fails (a full
// disk) leaves the old one as it was. A symbolic link is followed (the file it names is replaced, the
// link stays). Only a regular file, or none, is replaced: a FIFO would block until someone reads it,
// and a device (/dev/stdout) must not be renamed over. (The code cache writes its own way: runtime/
// compileCache.ts may import no module that imports a package, and it must never fail a command.)
import { closeSync, fsyncSync, lstatSync, openSync, realpathSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { NotARegularFile } from './boundedFile';

/** Replaces `file` with `data`; a new file gets `mode` (an existing one keeps its own). Throws the system's error or NotARegularFile. */
export function replaceFileSync(file: string, data: string | Uint8Array, mode = 0o666): void {
  const target = lstatSync(file, { throwIfNoEntry: false }) ? realpathSync(file) : file;
  const existing = statSync(target, { throwIfNoEntry: false });
  // a directory as the system says it when one is opened for writing
  if (existing?.isDirectory())
    throw Object.assign(new Error(`EISDIR: illegal operation on a directory, open '${file}'`), { code: 'EISDIR' });
  if (existing && !existing.isFile()) throw new NotARegularFile(file);
  // a name no one can have made before (O_EXCL: a file or a link already there is an error, never
  // followed), so a directory others may write to cannot turn the write into one of another file
  let temporary = '';
  let fd = -1;
  for (let attempt = 0; fd < 0; attempt++) {
    temporary = `${target}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`;
    try {
      fd = openSync(temporary, 'wx', existing ? existing.mode & 0o7777 : mode);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 8) throw e;
    }
  }
  try {
    try {
      const bytes = typeof data === 'string' ? Buffer.from(data) : data;
      for (let written = 0; written < bytes.length;) written += writeSync(fd, bytes, written, bytes.length - written);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, target);
  } catch (e) {
    try {
      rmSync(temporary, { force: true });
    } catch {
      // gone already: the error that matters is the write's
    }
    throw e;
  }
}
