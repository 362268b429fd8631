// replaceFileSync: a file replaced whole or not at all, a link followed, nothing but a regular file replaced.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NotARegularFile } from '../../../shared/boundedFile';
import { replaceFileSync } from '../../../shared/replaceFile';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-replace-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('a new file gets the mode asked for; an existing one keeps its own and gets the new text', () => {
  const file = path.join(dir, 'new.json');
  replaceFileSync(file, 'one\n', 0o600);
  assert.equal(fs.readFileSync(file, 'utf8'), 'one\n');
  assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  fs.chmodSync(file, 0o640);
  replaceFileSync(file, 'two\n');
  assert.equal(fs.readFileSync(file, 'utf8'), 'two\n');
  assert.equal(fs.statSync(file).mode & 0o777, 0o640);
  assert.deepEqual(
    fs.readdirSync(dir).filter((f) => f.endsWith('.tmp')),
    [],
    'no temporary file left',
  );
});

/** Runs `body` with Math.random answering `values` in turn (the temporary file's name made predictable). */
function withRandom<T>(values: number[], body: () => T): T {
  const real = Math.random;
  let i = 0;
  Math.random = () => values[Math.min(i++, values.length - 1)];
  try {
    return body();
  } finally {
    Math.random = real;
  }
}
const tempName = (file: string, value: number) =>
  `${fs.existsSync(file) ? fs.realpathSync(file) : file}.${process.pid}.${value.toString(36).slice(2, 10)}.tmp`;

test("a write that fails leaves the old file whole, and the error is the write's", () => {
  const file = path.join(dir, 'kept.json');
  fs.writeFileSync(file, '{"good": true}\n');
  // every name the write could take is taken: it fails before anything is renamed
  fs.mkdirSync(tempName(file, 0.5));
  assert.throws(
    () => withRandom([0.5], () => replaceFileSync(file, '{"new"')),
    (e: NodeJS.ErrnoException) => e.code === 'EEXIST',
  );
  assert.equal(fs.readFileSync(file, 'utf8'), '{"good": true}\n');
});

test('a link another user put where the temporary file goes is never followed: the write takes another name', () => {
  const file = path.join(dir, 'snapshot.json');
  const victim = path.join(dir, 'victim.txt');
  fs.writeFileSync(victim, 'precious\n');
  fs.symlinkSync(victim, tempName(file, 0.25));
  withRandom([0.25, 0.75], () => replaceFileSync(file, '{"inventory": true}\n'));
  assert.equal(fs.readFileSync(victim, 'utf8'), 'precious\n');
  assert.equal(fs.readFileSync(file, 'utf8'), '{"inventory": true}\n');
  assert.equal(fs.lstatSync(file).isSymbolicLink(), false);
});

test('a symbolic link stays a link and the file it names is replaced', () => {
  const target = path.join(dir, 'target.json');
  const link = path.join(dir, 'link.json');
  fs.writeFileSync(target, 'old\n');
  fs.symlinkSync(target, link);
  replaceFileSync(link, 'new\n');
  assert.ok(fs.lstatSync(link).isSymbolicLink());
  assert.equal(fs.readFileSync(target, 'utf8'), 'new\n');
});

test('a FIFO or a device is refused at once, not written to or renamed over', () => {
  const fifo = path.join(dir, 'fifo');
  execFileSync('mkfifo', [fifo]);
  assert.throws(() => replaceFileSync(fifo, 'x'), NotARegularFile);
  assert.ok(fs.statSync(fifo).isFIFO());
  assert.throws(() => replaceFileSync('/dev/null', 'x'), NotARegularFile);
  assert.ok(fs.statSync('/dev/null').isCharacterDevice());
});
