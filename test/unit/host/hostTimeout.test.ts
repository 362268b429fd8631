// The remote command line of both SSH transports, run here by a real login shell the way sshd runs it
// (`$SHELL -c LINE`): the command arrives unchanged whatever it holds, with its stdin and exit status,
// under GNU timeout where the host has it and without it where it has not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { underHostTimeout } from '../../../server/src/host/hostTimeout';

function runAsLoginShell(line: string, stdin: string, env: NodeJS.ProcessEnv = process.env) {
  return spawnSync('/bin/bash', ['-c', line], { input: stdin, encoding: 'utf8', env, timeout: 30_000 });
}

const AWKWARD = `printf '%s|' "$(cat)" 'it'"'"'s' "\\$HOME" '\\\\' "a\nb"; exit 7`;

test('underHostTimeout: the command runs as written (quotes, $, backslashes, a newline), with its stdin and its exit status', () => {
  const direct = spawnSync('/bin/sh', ['-c', AWKWARD], { input: 'in put', encoding: 'utf8' });
  const wrapped = runAsLoginShell(underHostTimeout(AWKWARD, 10_000), 'in put');
  assert.equal(wrapped.stdout, direct.stdout);
  assert.equal(wrapped.stdout, "in put|it's|$HOME|\\\\|a\nb|");
  assert.equal(wrapped.status, 7);
});

test("underHostTimeout: the host's GNU timeout stops the command's whole process group 2 s after ours", () => {
  const started = process.hrtime.bigint();
  const r = runAsLoginShell(underHostTimeout('sleep 20 | cat; echo not reached', 1_000), '');
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  assert.equal(r.status, 124, "GNU timeout's status for a command it stopped");
  assert.equal(r.stdout, '');
  assert.ok(seconds >= 3 && seconds < 10, `stopped after ${seconds.toFixed(1)} s`);
});

test('underHostTimeout: a host whose timeout is not GNU (no --version) runs the command without one', () => {
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-timeout-'));
  try {
    // BusyBox's and the BSDs' timeout refuse --version; this one would also refuse to run anything
    fs.writeFileSync(path.join(bin, 'timeout'), '#!/bin/sh\necho "timeout: unknown option" >&2\nexit 1\n', { mode: 0o755 });
    const r = runAsLoginShell(underHostTimeout(AWKWARD, 10_000), 'x', { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` });
    assert.equal(r.stdout, "x|it's|$HOME|\\\\|a\nb|");
    assert.equal(r.status, 7);
    assert.equal(r.stderr, '');
  } finally {
    fs.rmSync(bin, { recursive: true, force: true });
  }
});
