// The `local` host: real /bin/sh, real process groups.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LocalTransport } from '../../../server/src/host/localTransport';
import { createTransport } from '../../../server/src/host/connectionPool';
import { shellQuote } from '../../../shared/shellQuote';
import { HostError } from '../../../server/src/host/transport';

const T = { timeout: 30_000 };

test('createTransport gives the local transport for target "local"', () => {
  const t = createTransport({ target: 'local' });
  assert.ok(t instanceof LocalTransport);
  assert.equal(t.description, 'local');
  t.close();
});

test('local exec returns stdout, stderr, exit code and feeds stdin', T, async () => {
  const t = new LocalTransport();
  const result = await t.exec('cat; echo err >&2; exit 4', { stdin: 'a\nb\n', timeoutMs: 10_000 });
  assert.deepEqual(result, { code: 4, stdout: 'a\nb\n', stderr: 'err\n' });
  t.close();
});

test('local exec of a command that ignores stdin still succeeds', T, async () => {
  const t = new LocalTransport();
  const big = 'x'.repeat(1 << 20);
  const result = await t.exec('echo done', { stdin: big, timeoutMs: 10_000 });
  assert.equal(result.stdout, 'done\n');
  t.close();
});

test('a local command past its timeout is killed with its children and gives HostError(timeout)', T, async () => {
  const t = new LocalTransport();
  const dir = fs.mkdtempSync(path.join('/tmp', 'lhd-local-timeout-'));
  const pidFile = path.join(dir, 'child.pid');
  // a pipeline: the shell forks `sleep`, which must die with it (process group kill)
  await assert.rejects(
    t.exec(`sleep 30 & echo $! > ${shellQuote(pidFile)}; wait`, { timeoutMs: 300 }),
    (err: unknown) => err instanceof HostError && err.kind === 'timeout',
  );
  const childPid = Number(fs.readFileSync(pidFile, 'utf8'));
  // poll until the child is gone (the kill is asynchronous)
  const alive = (): boolean => {
    try {
      process.kill(childPid, 0);
      return true;
    } catch {
      return false;
    }
  };
  for (let i = 0; i < 200 && alive(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal(alive(), false, 'the background sleep survived the timeout');
  fs.rmSync(dir, { recursive: true, force: true });
  t.close();
});

test('close() refuses further commands', T, async () => {
  const t = new LocalTransport();
  t.close();
  await assert.rejects(t.exec('true', { timeoutMs: 1000 }), HostError);
});
