// The shipped bundles, run the way users and editors run them: `node dist/server.js --stdio`
// and `node dist/cli.js check …`. Built here with `node esbuild.mjs` so the test sees current sources.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { example, exampleInventory, repoRoot } from './harness';
import { PROBE_NODE_OPTIONS, probeReports, writeProbe } from '../support/optimizingCompiler';

const serverJs = path.join(repoRoot, 'dist', 'server.js');
const cliJs = path.join(repoRoot, 'dist', 'cli.js');

before(() => {
  execFileSync(process.execPath, ['esbuild.mjs'], { cwd: repoRoot, stdio: 'inherit' });
});

/** Runs dist/server.js over stdio (with `nodeArgs` before it): initialize, didOpen guest-bad.xml, its diagnostics, shutdown, exit. */
async function openOneDocument(nodeArgs: string[] = []): Promise<{ stderr: string }> {
  const child = spawn(process.execPath, [...nodeArgs, serverJs, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const uri = 'file:///bundle/guest-bad.xml';
  const published = new Promise<{ diagnostics: { code: string }[] }>((resolve) => {
    connection.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: { code: string }[] }) => {
      if (p.uri === uri) resolve(p);
    });
  });
  connection.listen();
  try {
    const init = (await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: {},
      initializationOptions: { settings: { inventoryFile: exampleInventory } },
    })) as { capabilities: { hoverProvider?: boolean } };
    assert.equal(init.capabilities.hoverProvider, true);
    await connection.sendNotification('initialized', {});
    await connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'xml', version: 1, text: example('guest-bad.xml') },
    });
    const codes = (await published).diagnostics.map((d) => d.code);
    for (const c of ['xml-syntax', 'vlan-virtualport', 'vf-in-use']) assert.ok(codes.includes(c), `${c} in ${codes.join(',')}`);
    await connection.sendRequest('shutdown');
    await connection.sendNotification('exit');
    assert.equal(await exited, 0);
    return { stderr };
  } finally {
    connection.dispose();
    child.kill();
  }
}

test('node dist/server.js --stdio: initialize, didOpen, publishDiagnostics, shutdown, exit 0', async () => {
  await openOneDocument();
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

const probe = writeProbe();
after(() => probe.dispose());

test('node dist/server.js: the optimizing compiler holds back until the first document is checked (runtime/v8Settings.ts)', async () => {
  const { stderr } = await openOneDocument([...PROBE_NODE_OPTIONS, '--require', probe.preload]);
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
    // host commands that check their document first (both refuse these before contacting the host)
    assert.deepEqual(run(['attach', device, '--guest', 'probe-guest', '--host', 'local'], device), [
      ['at the opening of device.xml', 'off'],
      ['at exit', 'on'],
    ]);
    assert.deepEqual(run(['net-define', network, '--host', 'local'], network), [
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
