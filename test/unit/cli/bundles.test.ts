// The built CLI is an entry (dist/cli.js) and one bundle per group of commands (dist/cli/check.js,
// dist/cli/rules.js, dist/cli/host.js), each required when a command runs: a run loads only what its command uses, and
// errors made in one bundle are recognised in another (each bundle holds its own copy of the classes).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const cli = path.join(root, 'dist', 'cli.js');
const inventory = path.join(root, 'examples', '82576-inventory.json');
const guest = path.join(root, 'examples', 'guest-good.xml');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-bundles-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

// Preloaded into the CLI's process: prints the files and node's own modules it loaded, once it exits
// (with fs.writeSync: process.stderr would load node's stream modules itself). The command bundles are
// loaded by runtime/compileCache.ts, which keeps them in a table of its own, not in require.cache.
const preload = path.join(dir, 'loaded.js');
fs.writeFileSync(
  preload,
  `process.on('exit', () => { const bundles = globalThis[Symbol.for('libvirt-hostdev.compileCache')]?.loaded.keys() ?? [];` +
    ` require('node:fs').writeSync(2, '\\nLOADED ' + JSON.stringify([...Object.keys(require.cache), ...bundles]) + ' ' + JSON.stringify(process.moduleLoadList) + '\\n'); });\n`,
);

interface Run {
  status: number | null;
  stderr: string;
  /** the files of dist/ the run loaded, relative to dist/ */
  loaded: string[];
  /** node's own modules the run loaded (`NativeModule stream`, …) */
  builtins: string[];
}

function run(argv: string[], input?: string | Buffer, stdout: 'pipe' | number = 'pipe'): Run {
  const r = spawnSync(process.execPath, ['--require', preload, cli, ...argv], {
    encoding: 'utf8',
    input,
    stdio: ['pipe', stdout, 'pipe'],
    timeout: 60_000,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: '1' },
  });
  const line = /\nLOADED (\S*) (.*)\n$/.exec(r.stderr);
  assert.ok(line, r.stderr);
  const dist = path.join(root, 'dist') + path.sep;
  const loaded = (JSON.parse(line[1]) as string[]).filter((f) => f.startsWith(dist)).map((f) => f.slice(dist.length));
  return { status: r.status, stderr: r.stderr.slice(0, line.index), loaded: loaded.sort(), builtins: JSON.parse(line[2]) as string[] };
}

test('--version, --help and a command help load the entry only', () => {
  for (const argv of [['--version'], ['--help'], ['check', '--help'], ['rules', '--help'], ['attach', '--help'], ['help', 'inventory']]) {
    const r = run(argv);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.loaded, ['cli.js'], argv.join(' '));
  }
});

test('an offline check loads the check bundle and not the host bundle (no ssh2)', () => {
  const r = run(['check', '--inventory', inventory, guest]);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(r.loaded, ['cli.js', path.join('cli', 'check.js')]);
  assert.doesNotMatch(fs.readFileSync(path.join(root, 'dist', 'cli', 'check.js'), 'utf8'), /node_modules\/ssh2\//);
});

test('rules loads its own bundle only: neither the checker nor the host layer', () => {
  const r = run(['rules', 'pci-octal']);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(r.loaded, ['cli.js', path.join('cli', 'rules.js')]);
});

test('shell completion (a TAB, and the script) loads its own bundle only: neither the checker nor the host layer', () => {
  for (const argv of [
    ['__complete', '--line', 'libvirt-hostdev check --disable pci-'],
    ['completion', 'bash'],
  ]) {
    const r = run(argv);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.loaded, ['cli.js', path.join('cli', 'completion.js')], argv.join(' '));
  }
});

test('a quoted glob pattern loads the glob bundle beside the check bundle; files and directories do not', () => {
  const pattern = path.join(root, 'examples', 'guest-*.xml');
  const r = run(['check', '--inventory', inventory, pattern]);
  assert.ok(r.status === 0 || r.status === 1, r.stderr);
  assert.deepEqual(r.loaded, ['cli.js', path.join('cli', 'check.js'), path.join('cli', 'glob.js')]);
  const directory = run(['check', '--inventory', inventory, path.join(root, 'examples')]);
  assert.deepEqual(directory.loaded, ['cli.js', path.join('cli', 'check.js')]);
  assert.doesNotMatch(fs.readFileSync(path.join(root, 'dist', 'cli', 'check.js'), 'utf8'), /node_modules\/picomatch\//);
});

test("an offline check writes its report, to a pipe, a file or /dev/null, without node's stream of stdout (net, tty, the file stream)", () => {
  const report = path.join(dir, 'report.txt');
  const outputs: [string, 'pipe' | number][] = [
    ['a pipe', 'pipe'],
    ['a file', fs.openSync(report, 'w')],
    ['/dev/null', fs.openSync('/dev/null', 'w')],
  ];
  for (const [name, stdout] of outputs) {
    for (const format of ['text', 'json', 'sarif', 'gitlab', 'github']) {
      const r = run(['check', '--format', format, '--inventory', inventory, path.join(root, 'examples')], undefined, stdout);
      assert.equal(r.status, 1, r.stderr);
      const streams = r.builtins.filter((m) => /^NativeModule (net|tty|stream|internal\/fs\/sync_write_stream)$/.test(m));
      assert.deepEqual(streams, [], `${format} to ${name}`);
    }
    if (typeof stdout === 'number') fs.closeSync(stdout);
  }
  assert.match(fs.readFileSync(report, 'utf8'), /^::error file=/m, 'the last report reached the file');
});

test("an offline check loads none of node's modules it has no use for: node:v8 (streams), node:os, node:module", () => {
  // V8's flags come through process.binding on Node 18 and 20 (runtime/v8Settings.ts); the cache folder from
  // HOME, a bundle's node: modules from the entry's require (runtime/compileCache.ts)
  const devNull = fs.openSync('/dev/null', 'w');
  const r = run(['check', '--inventory', inventory, guest], undefined, devNull);
  fs.closeSync(devNull);
  assert.equal(r.status, 0, r.stderr);
  const unused = r.builtins.filter((m) => /^NativeModule (v8|stream|os|module|internal\/heap_utils)$/.test(m));
  assert.deepEqual(unused, [], unused.join(', '));
});

test('a report that cannot be written (a full disk) is one line on stderr and exit 2, not a silent exit', () => {
  const full = fs.openSync('/dev/full', 'w');
  try {
    // check writes straight to the descriptor; new-interface (host bundle) through node's stream of it
    for (const argv of [['check', '--inventory', inventory, guest], ['new-interface', '--inventory', inventory], ['--help']]) {
      const r = run(argv, undefined, full);
      assert.equal(r.status, 2, `${argv.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /^libvirt-hostdev: cannot write standard output: no space left on device \(ENOSPC\)$/m, argv.join(' '));
      assert.equal(r.stderr.split('cannot write').length, 2, `${argv.join(' ')}: said once`);
    }
  } finally {
    fs.closeSync(full);
  }
});

test("the entry and check's bundle take node:fs by name: a namespace import makes the bundle copy each of its exports at load", () => {
  for (const bundle of ['cli.js', path.join('cli', 'check.js')]) {
    const source = fs.readFileSync(path.join(root, 'dist', bundle), 'utf8');
    assert.doesNotMatch(source, /[\w$]+\(require\("node:fs"\)\)/, bundle);
    assert.match(source, /require\("node:fs"\)/, `${bundle} still reads files`);
  }
});

test('check --host loads the host bundle for the live inventory; the host commands load it alone', () => {
  // an invalid target fails before anything is contacted, after the bundle is loaded
  const check = run(['check', '--host', 'bad:port', guest]);
  assert.equal(check.status, 2, check.stderr);
  assert.match(check.stderr, /^libvirt-hostdev: invalid port in host target 'bad:port'\n$/);
  assert.deepEqual(check.loaded, ['cli.js', path.join('cli', 'check.js'), path.join('cli', 'host.js')]);
  const inventoryRun = run(['inventory', '--host', 'bad:port']);
  assert.equal(inventoryRun.status, 2, inventoryRun.stderr);
  assert.deepEqual(inventoryRun.loaded, ['cli.js', path.join('cli', 'host.js')]);
});

test("a usage error raised in a command's bundle is reported by the entry as one, with the command's help", () => {
  const check = run(['check', '--format', 'xml', guest]);
  assert.equal(check.status, 2);
  assert.equal(
    check.stderr,
    "libvirt-hostdev: --format must be one of text, json, sarif, github, gitlab, not 'xml'\nTry 'libvirt-hostdev check --help'.\n",
  );
  const inventoryRun = run(['inventory']);
  assert.equal(inventoryRun.status, 2);
  assert.match(inventoryRun.stderr, /^libvirt-hostdev: inventory needs --host TARGET .*\nTry 'libvirt-hostdev inventory --help'\.\n$/);
});

test("standard input over its budget, read by the entry, is refused by check's bundle with the reason", () => {
  const r = run(['check', '-'], Buffer.alloc(4 * 1024 * 1024 + 1, 0x20));
  assert.equal(r.status, 2);
  assert.equal(r.stderr, 'libvirt-hostdev: <stdin>: more than the 4194304 bytes (4 MiB) libvirt takes: not checked\n');
});

test('the bin leaves once its output is written: megabytes of JSON through a pipe arrive whole, with the exit status', () => {
  const devices = Array.from(
    { length: 2000 },
    () =>
      "    <interface type='hostdev' managed='yes'><mac address='zz:00'/><source><address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x1'/></source></interface>",
  );
  const file = path.join(dir, 'many.xml');
  fs.writeFileSync(file, `<domain type='kvm'>\n  <name>many</name>\n  <devices>\n${devices.join('\n')}\n  </devices>\n</domain>\n`);
  const r = spawnSync(process.execPath, [cli, 'check', '--format', 'json', file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.equal(r.status, 1, r.stderr);
  assert.ok(r.stdout.length > 1024 * 1024, `${r.stdout.length} characters: more than a pipe holds`);
  const [result] = JSON.parse(r.stdout) as { diagnostics: unknown[] }[];
  assert.ok(result.diagnostics.length >= 2000, `${result.diagnostics.length} diagnostics`);
});
