// Files named by users, settings and repositories are read only when regular and within a budget:
// a FIFO is refused without blocking, a device without reading it, a large file without loading it.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileTooLarge, NotARegularFile, readBoundedFile, readBoundedFileSync } from '../../../shared/boundedFile';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-bounded-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
const fifo = path.join(dir, 'fifo');
execFileSync('mkfifo', [fifo]);
const small = path.join(dir, 'small');
fs.writeFileSync(small, 'abcdef');

const T = { timeout: 20_000 };

test('a regular file within the budget is read whole (sync and async)', T, async () => {
  assert.equal(readBoundedFileSync(small, 6).toString(), 'abcdef');
  assert.equal((await readBoundedFile(small, 6)).toString(), 'abcdef');
});

test('a file over the budget is refused with its size; prefix gives the first bytes instead', T, async () => {
  assert.throws(
    () => readBoundedFileSync(small, 5),
    (e: unknown) => e instanceof FileTooLarge && e.size === 6 && e.maxBytes === 5,
  );
  await assert.rejects(readBoundedFile(small, 5), FileTooLarge);
  assert.equal(readBoundedFileSync(small, 4, { prefix: true }).toString(), 'abcd');
});

test('a FIFO nobody writes to is refused at once, never waited on', T, async () => {
  assert.throws(() => readBoundedFileSync(fifo, 1024), NotARegularFile);
  await assert.rejects(readBoundedFile(fifo, 1024), NotARegularFile);
  assert.throws(() => readBoundedFileSync(fifo, 1024, { prefix: true }), NotARegularFile);
});

test('a device that never ends (/dev/zero) and a directory are refused', T, async () => {
  assert.throws(() => readBoundedFileSync('/dev/zero', 1024), NotARegularFile);
  await assert.rejects(readBoundedFile('/dev/zero', 1024), NotARegularFile);
  assert.throws(() => readBoundedFileSync(dir, 1024), NotARegularFile);
});

test('a missing file is the system error (ENOENT)', T, async () => {
  assert.throws(() => readBoundedFileSync(path.join(dir, 'none'), 10), { code: 'ENOENT' });
  await assert.rejects(readBoundedFile(path.join(dir, 'none'), 10), { code: 'ENOENT' });
});
