// Every command's report on standard output, written to a full disk (/dev/full): the run says so in
// one line on stderr and exits 2, as README's exit codes promise, instead of ending silently with 0.
// The built CLI in a child process: what fails is the write to the real descriptor.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const cli = path.join(root, 'dist', 'cli.js');
const local = ['--host', 'local', '--connect', 'test:///default', '--sysfs-root', path.join(root, 'examples', 'sysfs-82576')];
const FULL_DISK = 'libvirt-hostdev: cannot write standard output: no space left on device (ENOSPC)\n';

function runToFullDisk(argv: string[]): { status: number | null; stderr: string } {
  const full = fs.openSync('/dev/full', 'w');
  try {
    const r = spawnSync(process.execPath, [cli, ...argv], { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', full, 'pipe'] });
    return { status: r.status, stderr: r.stderr };
  } finally {
    fs.closeSync(full);
  }
}

const cases: [string, string[]][] = [
  ['inventory', ['inventory', ...local]],
  ['readiness', ['readiness', ...local]],
  ['readiness --format json', ['readiness', ...local, '--format', 'json']],
  ['attach --dry-run', ['attach', path.join(root, 'examples', 'interface-snippet.xml'), '--guest', 'test', ...local, '--dry-run']],
  ['net-define --dry-run', ['net-define', path.join(root, 'examples', 'pool-good.xml'), ...local, '--dry-run']],
];

for (const [name, argv] of cases) {
  test(`${name} to a full disk: exit 2, the failed write named once on stderr`, () => {
    const r = runToFullDisk(argv);
    assert.equal(r.status, 2, r.stderr);
    assert.equal(r.stderr.split(FULL_DISK).length, 2, r.stderr);
  });
}
