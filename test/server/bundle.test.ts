// The shipped bundles, run the way users and editors run them: `node dist/server.js --stdio`
// and `node dist/cli.js check …`. Built here with `node esbuild.mjs` so the test sees current sources.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, fork, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { exampleInventory, repoRoot } from './harness';
import { PROBE_NODE_OPTIONS, probeReports, writeProbe } from '../support/optimizingCompiler';
import { openOneDocument } from '../support/serverBundle';

const cliJs = path.join(repoRoot, 'dist', 'cli.js');

before(() => {
  execFileSync(process.execPath, ['esbuild.mjs'], { cwd: repoRoot, stdio: 'inherit' });
});

test('node dist/server.js --stdio: initialize, didOpen, publishDiagnostics, shutdown, exit 0', async () => {
  await openOneDocument(process.execPath);
});

test('node dist/server.js --help, --version and no transport: one usage or version line, exit 0, 0 and 2, no stack trace', () => {
  const serverJs = path.join(repoRoot, 'dist', 'server.js');
  const run = (...args: string[]) => spawnSync(process.execPath, [serverJs, ...args], { encoding: 'utf8', timeout: 10_000 });
  const help = run('--help');
  assert.equal(help.status, 0);
  assert.match(help.stdout, /^usage: libvirt-hostdev-language-server --stdio .*\n$/);
  const version = run('--version');
  assert.equal(version.status, 0);
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
  assert.equal(version.stdout, `libvirt-hostdev-language-server ${pkg.version}\n`);
  for (const [args, reason] of [
    [[], ''],
    [['--verbose'], "unknown argument '--verbose': "],
    [['--bogus', '-x'], "unknown arguments '--bogus', '-x': "],
    [['--stdi'], "unknown argument '--stdi' (did you mean '--stdio'?): "],
  ] as const) {
    const none = run(...args);
    assert.equal(none.status, 2, args.join(' '));
    assert.equal(none.stdout, '');
    assert.ok(none.stderr.startsWith(`${reason}no transport given\nusage: libvirt-hostdev-language-server --stdio `), none.stderr);
    assert.doesNotMatch(none.stderr, /Error|at /);
  }
  // run from a shell, --node-ipc has no parent to talk to: one line, exit 2, not a silent exit 0
  const ipc = run('--node-ipc');
  assert.equal(ipc.status, 2);
  assert.equal(
    ipc.stderr,
    "--node-ipc: no IPC channel to a parent process (an editor starts the server so, with node's fork()); from a shell, use --stdio\n",
  );
});

test('node dist/server.js --node-ipc, forked as VS Code starts it: answers initialize over the IPC channel', async () => {
  const child = fork(path.join(repoRoot, 'dist', 'server.js'), ['--node-ipc'], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  try {
    const answer = new Promise<{ id?: number; result?: { capabilities?: object } }>((resolve, reject) => {
      child.on('message', (m: { id?: number }) => m.id === 1 && resolve(m));
      child.on('exit', (code) => reject(new Error(`exited ${code}`)));
    });
    child.send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });
    const reply = await answer;
    assert.ok(reply.result?.capabilities, JSON.stringify(reply));
  } finally {
    child.kill();
  }
});

test('node dist/cli.js check: exit codes reach the shell', () => {
  const run = (...args: string[]): number => {
    try {
      execFileSync(process.execPath, [cliJs, ...args], { cwd: repoRoot, stdio: 'pipe' });
      return 0;
    } catch (e) {
      return (e as { status: number }).status;
    }
  };
  assert.equal(run('check', '--inventory', exampleInventory, 'examples/guest-good.xml'), 0);
  assert.equal(run('check', '--inventory', exampleInventory, 'examples/guest-bad.xml'), 1);
  assert.equal(run('check', '--inventory', 'examples/guest-good.xml', 'examples/guest-good.xml'), 2);
  const out = execFileSync(process.execPath, [cliJs, '--version'], { encoding: 'utf8' });
  assert.match(out, /^libvirt-hostdev \d+\.\d+\.\d+\n$/);
});

test('node dist/cli.js check: the first run leaves a V8 code cache of the check bundle in XDG_CACHE_HOME, the next takes it and writes nothing', () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-xdg-cache-'));
  try {
    const run = (env: NodeJS.ProcessEnv) =>
      spawnSync(process.execPath, [cliJs, 'check', '--inventory', exampleInventory, 'examples/guest-bad.xml'], {
        cwd: repoRoot,
        encoding: 'utf8',
        env: { ...process.env, XDG_CACHE_HOME: home, ...env },
      });
    const folder = path.join(home, 'libvirt-hostdev', 'v8');
    const off = run({ NODE_DISABLE_COMPILE_CACHE: '1' });
    assert.deepEqual(fs.readdirSync(home), []);
    const first = run({});
    const [file, ...others] = fs.readdirSync(folder);
    assert.deepEqual(others, []);
    assert.match(file, /^check-v[\d.]+-\w+-[0-9a-f]{16}\.v8$/);
    const written = fs.statSync(path.join(folder, file)).mtimeMs;
    const second = run({});
    assert.equal(fs.statSync(path.join(folder, file)).mtimeMs, written);
    for (const r of [first, second]) assert.deepEqual([r.status, r.stdout, r.stderr], [off.status, off.stdout, off.stderr]);
    assert.equal(off.status, 1);
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
});

test('node dist/server.js: the first run leaves a V8 code cache of the server bundle in XDG_CACHE_HOME, the next takes it and writes nothing', async () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-xdg-cache-'));
  try {
    const folder = path.join(home, 'libvirt-hostdev', 'v8');
    await openOneDocument(process.execPath, [], { XDG_CACHE_HOME: home, NODE_DISABLE_COMPILE_CACHE: '1' });
    assert.deepEqual(fs.readdirSync(home), []);
    await openOneDocument(process.execPath, [], { XDG_CACHE_HOME: home });
    const [file, ...others] = fs.readdirSync(folder);
    assert.deepEqual(others, []);
    assert.match(file, /^serve-v[\d.]+-\w+-[0-9a-f]{16}\.v8$/);
    const written = fs.statSync(path.join(folder, file)).mtimeMs;
    await openOneDocument(process.execPath, [], { XDG_CACHE_HOME: home });
    assert.equal(fs.statSync(path.join(folder, file)).mtimeMs, written);
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
});

test('node dist/server.js: --version and --help load the entry only; serving loads the server bundle', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-server-bundles-'));
  try {
    // prints, at exit, the files of dist/ the process loaded (the server bundle is in compileCache.ts's own table)
    const preload = path.join(dir, 'loaded.js');
    fs.writeFileSync(
      preload,
      `process.on('exit', () => { const bundles = globalThis[Symbol.for('libvirt-hostdev.compileCache')]?.loaded.keys() ?? [];` +
        ` require('node:fs').writeSync(2, '\\nLOADED ' + JSON.stringify([...Object.keys(require.cache), ...bundles]) + '\\n'); });\n`,
    );
    const dist = path.join(repoRoot, 'dist') + path.sep;
    const loaded = (args: string[], input = ''): string[] => {
      const r = spawnSync(process.execPath, ['--require', preload, path.join(dist, 'server.js'), ...args], {
        encoding: 'utf8',
        input,
        timeout: 30_000,
      });
      const line = /\nLOADED (\S*)\n$/.exec(r.stderr);
      assert.ok(line, r.stderr);
      return (JSON.parse(line[1]) as string[])
        .filter((f) => f.startsWith(dist))
        .map((f) => f.slice(dist.length))
        .sort();
    };
    assert.deepEqual(loaded(['--version']), ['server.js']);
    assert.deepEqual(loaded(['--help']), ['server.js']);
    // standard input at its end: the server starts, reads nothing and exits
    assert.deepEqual(loaded(['--stdio']), [path.join('lsp', 'serve.js'), 'server.js']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

const probe = writeProbe();
after(() => probe.dispose());

test('node dist/server.js: the optimizing compiler holds back until the first document is checked (runtime/v8Settings.ts)', async () => {
  const { stderr } = await openOneDocument(process.execPath, [...PROBE_NODE_OPTIONS, '--require', probe.preload]);
  const reports = probeReports(stderr);
  assert.deepEqual(reports.slice(0, 2), [
    ['at the first write to stdout', 'off'],
    ['at the first publishDiagnostics', 'on'],
  ]);
});

test('node dist/cli.js: the optimizing compiler holds back until a command has checked its first document', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-v8-settings-'));
  try {
    const device = path.join(dir, 'device.xml');
    fs.writeFileSync(
      device,
      "<interface type='hostdev' managed='yes'><source><address type='pci' bus='0x100' slot='0x10' function='0x1'/></source></interface>\n",
    );
    const network = path.join(dir, 'network.xml');
    fs.writeFileSync(
      network,
      "<network><name>probe-pool</name><forward mode='hostdev'><address type='pci' bus='0x100' slot='0x10' function='0x1'/></forward></network>\n",
    );
    const guest = path.join(repoRoot, 'examples', 'guest-good.xml');
    const other = path.join(dir, 'other-guest.xml');
    fs.copyFileSync(guest, other);
    /** what the probe reported in `libvirt-hostdev ...argv`, `watched` the file whose opening it reports */
    const run = (argv: string[], watched?: string): [string, string][] => {
      const r = spawnSync(process.execPath, [...PROBE_NODE_OPTIONS, '--require', probe.preload, cliJs, ...argv], {
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, ...(watched === undefined ? {} : { PROBE_OPEN: watched }) },
      });
      assert.ok(r.status !== null && r.status <= 2, r.stderr);
      return probeReports(r.stderr).filter(([at]) => at !== 'at the first write to stdout');
    };
    // check: off while the first file is read, on from the second
    const check = ['check', '--inventory', exampleInventory, guest, other];
    assert.deepEqual(run(check, guest), [
      ['at the opening of guest-good.xml', 'off'],
      ['at exit', 'on'],
    ]);
    assert.deepEqual(run(check, other), [
      ['at the opening of other-guest.xml', 'on'],
      ['at exit', 'on'],
    ]);
    // host commands that check their document: attach before contacting the host, net-define with
    // the host's inventory (libvirt's test driver here)
    assert.deepEqual(run(['attach', device, '--guest', 'probe-guest', '--host', 'local'], device), [
      ['at the opening of device.xml', 'off'],
      ['at exit', 'on'],
    ]);
    assert.deepEqual(run(['net-define', network, '--host', 'local', '--connect', 'test:///default'], network), [
      ['at the opening of network.xml', 'off'],
      ['at exit', 'on'],
    ]);
    // a command that checks nothing runs as node starts it
    assert.deepEqual(run(['--version']), [['at exit', 'on']]);
    assert.deepEqual(run(['net-start', network, '--host', 'bad:port']), [['at exit', 'on']]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
