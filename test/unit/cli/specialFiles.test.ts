// Every file the CLI is given (a document to check or attach, --config, --inventory,
// --avoid-macs-of, inventory's --output) may be a FIFO or a device: the CLI refuses it in one line with exit 2 instead of
// waiting on it for ever or reading without end. Run as a separate process (the built CLI), so a
// read that blocks shows as a killed run, not as a test runner that never returns.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const cli = path.join(root, 'dist', 'cli.js');
const inventory = path.join(root, 'examples', '82576-inventory.json');
const snippet = path.join(root, 'examples', 'interface-snippet.xml');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-special-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
const fifo = path.join(dir, 'fifo.xml');
execFileSync('mkfifo', [fifo]);

function run(...argv: string[]): { status: number | null; signal: string | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...argv], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

const cases: [string, string[]][] = [
  ['check FIFO', ['check', '--inventory', inventory, fifo]],
  ['check --config FIFO', ['check', '--config', fifo, snippet]],
  ['check --inventory FIFO', ['check', '--inventory', fifo, snippet]],
  ['attach FIFO', ['attach', fifo, '--guest', 'web01', '--host', 'local', '--dry-run']],
  ['attach /dev/zero', ['attach', '/dev/zero', '--guest', 'web01', '--host', 'local', '--dry-run']],
  ['new-interface --avoid-macs-of FIFO', ['new-interface', '--inventory', inventory, '--avoid-macs-of', fifo]],
  ['new-interface --inventory /dev/zero', ['new-interface', '--inventory', '/dev/zero']],
  ['net-define FIFO', ['net-define', fifo, '--host', 'local', '--dry-run']],
  // written, not read: a FIFO would block until someone reads it
  [
    'inventory -o FIFO',
    [
      'inventory',
      '--host',
      'local',
      '--connect',
      'test:///default',
      '--sysfs-root',
      path.join(root, 'examples', 'sysfs-82576'),
      '-o',
      fifo,
    ],
  ],
];

for (const [name, argv] of cases) {
  test(`${name}: exit 2 with one line naming the file as not a regular file`, () => {
    const r = run(...argv);
    assert.equal(r.signal, null, `${name} did not end by itself`);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /not a regular file/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    // a document to check from a pipe has its way in
    if (name === 'check FIFO') assert.match(r.stderr, /for a pipe or \/dev\/stdin, give - instead/);
  });
}

test('check - with a directory on standard input (`< dir`): exit 2 saying so, not "1 file checked" as an empty document', () => {
  const stdin = fs.openSync(dir, 'r');
  try {
    const r = spawnSync(process.execPath, [cli, 'check', '-'], { encoding: 'utf8', timeout: 30_000, stdio: [stdin, 'pipe', 'pipe'] });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /^libvirt-hostdev: <stdin>: cannot read: is a directory \(EISDIR\)\n/);
    assert.match(r.stdout, /^0 files checked \(1 unreadable\)/);
  } finally {
    fs.closeSync(stdin);
  }
});

test('a missing file named by an option or argument: `cannot read FILE: REASON` in words, exit 2', () => {
  const missing = path.join(dir, 'missing');
  const cases: [string[], string][] = [
    [['check', '--config', missing, snippet], missing],
    [['new-interface', '--inventory', inventory, '--avoid-macs-of', missing], missing],
    [['attach', '-', '--guest', 'web01', '--host', 'local', '--dry-run'], '-'],
    [['net-define', missing, '--host', 'local', '--dry-run'], missing],
  ];
  for (const [argv, file] of cases) {
    const r = run(...argv);
    assert.equal(r.status, 2, r.stderr);
    assert.equal(r.stderr, `libvirt-hostdev: cannot read ${file}: no such file or directory (ENOENT)\n`, argv.join(' '));
  }
});
