// The bin writes its output straight to the descriptor; a descriptor that would block hands the rest
// to node's stream of it, and nothing is lost or reordered. Run in a child process whose stdout is a
// pipe this test reads only once the child says it has handed over.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EventEmitter } from 'node:events';
import { DescriptorOutput, isTerminal } from '../../../server/src/cli/stdio';

const stdioModule = path.resolve(__dirname, '..', '..', '..', 'server', 'src', 'cli', 'stdio.js');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-stdio-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

// 200 numbered lines of 40 kB (two-byte characters: a partial write may end inside one)
const LINE = "String(i).padStart(4, '0') + ' ' + 'é'.repeat(20000) + '\\n'";
const expected = Array.from({ length: 200 }, (_, i) => `${String(i).padStart(4, '0')} ${'é'.repeat(20000)}\n`).join('');

// The child makes its stdout non-blocking (as a pipe shared with a process that did so, or node's own
// stream of it, leaves it), then writes far more than the pipe holds while nobody reads.
const child = `
const net = require('node:net');
const { DescriptorOutput } = require(${JSON.stringify(stdioModule)});
const socket = new net.Socket({ fd: 1, readable: false, writable: true });
const out = new DescriptorOutput(1, () => {
  process.stderr.write('handed over\\n');
  return socket;
});
for (let i = 0; i < 200; i++) out.write(${LINE});
out.flush(() => socket.end());
`;

test('output that does not fit a non-blocking pipe goes on through the stream, whole and in order', async () => {
  const script = path.join(dir, 'child.js');
  fs.writeFileSync(script, child);
  const proc = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stdout.pause();
  let stderr = '';
  const handedOver = new Promise<void>((resolve) =>
    proc.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (stderr.includes('handed over\n')) resolve();
    }),
  );
  const exited = new Promise<number | null>((resolve) => proc.on('close', resolve));
  await Promise.race([handedOver, exited]);
  assert.match(stderr, /handed over/, 'the pipe filled up and the stream took over');
  const chunks: Buffer[] = [];
  proc.stdout.on('data', (d: Buffer) => chunks.push(d));
  proc.stdout.resume();
  assert.equal(await exited, 0, stderr);
  const received = Buffer.concat(chunks).toString('utf8');
  assert.equal(received.length, expected.length);
  assert.ok(received === expected, 'the same text, in the same order');
});

test('isTerminal: a file and /dev/null are not terminals', () => {
  const file = path.join(dir, 'report.txt');
  const fileFd = fs.openSync(file, 'w');
  const nullFd = fs.openSync('/dev/null', 'w');
  try {
    assert.equal(isTerminal(fileFd), false);
    assert.equal(isTerminal(nullFd), false);
  } finally {
    fs.closeSync(fileFd);
    fs.closeSync(nullFd);
  }
});

test('a failed write ends the output: onFailed hears of it once, direct or through the stream, and later output is dropped', async () => {
  const full = fs.openSync('/dev/full', 'w');
  try {
    const direct: string[] = [];
    const out = new DescriptorOutput(
      full,
      () => assert.fail('no stream for a refused direct write'),
      undefined,
      (e) => direct.push(String(e.code)),
    );
    out.write('report\n');
    out.write('more\n');
    assert.deepEqual(direct, ['ENOSPC']);
  } finally {
    fs.closeSync(full);
  }
  // a stream that takes every write it is given (node's own refuses writes once it failed, which would hide
  // output the class failed to drop) and reports the failure of the first one twice
  const stream = new (class extends EventEmitter {
    readonly written: string[] = [];
    write(chunk: string, callback?: () => void): boolean {
      this.written.push(chunk);
      if (chunk === 'report\n')
        setImmediate(() => {
          for (let i = 0; i < 2; i++) this.emit('error', Object.assign(new Error('no space left on device'), { code: 'ENOSPC' }));
        });
      if (callback) setImmediate(callback);
      return true;
    }
  })();
  const heard: string[] = [];
  const streamed = new DescriptorOutput(
    1,
    () => stream as unknown as NodeJS.WritableStream,
    () => true,
    (e) => heard.push(String(e.code)),
  );
  streamed.write('report\n');
  await new Promise<void>((resolve) => streamed.flush(resolve));
  await new Promise((resolve) => setImmediate(resolve));
  streamed.write('more\n');
  assert.deepEqual(heard, ['ENOSPC']);
  assert.deepEqual(
    stream.written.filter((w) => w !== ''),
    ['report\n'],
  );
});
