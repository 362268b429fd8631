// Our processes on Node 24 (V8 13: the VS Code server's node, and the V8 of recent VS Code releases' Electron),
// which decides when to optimize with other flags than Node 20: the optimizing compilers are held back until the
// first check and work after it (test/support/v8SettingsTests.ts), and no "unrecognized flag" reaches stderr,
// in the settings module, the shipped language server and the shipped CLI. Node 24 comes from
// test/setup/node24.sh (installed once into the ignored .tools folder); dist/ from `npm run build`.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PROBE_NODE_OPTIONS, probeReports, writeProbe } from '../../support/optimizingCompiler';
import { openOneDocument } from '../../support/serverBundle';
import { testCompilerSettings } from '../../support/v8SettingsTests';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const cliJs = path.join(root, 'dist', 'cli.js');
const examples = path.join(root, 'examples');
let node24 = '';

before(() => {
  node24 = execFileSync('bash', [path.join(root, 'test', 'setup', 'node24.sh')], { encoding: 'utf8' }).trim();
  assert.match(
    execFileSync(node24, ['-p', 'process.versions.node + " " + process.versions.v8'], { encoding: 'utf8' }),
    /^24\.\d+\.\d+ 13\./,
  );
});

testCompilerSettings('Node 24', () => node24);

const probe = writeProbe();
after(() => probe.dispose());

test('Node 24, node dist/server.js: no unrecognized flag; the optimizing compilers hold back until the first document is checked', async () => {
  assert.doesNotMatch((await openOneDocument(node24)).stderr, /unrecognized flag/);
  const { stderr } = await openOneDocument(node24, [...PROBE_NODE_OPTIONS, '--require', probe.preload]);
  assert.doesNotMatch(stderr, /unrecognized flag/);
  assert.deepEqual(probeReports(stderr).slice(0, 2), [
    ['at the first write to stdout', 'off'],
    ['at the first publishDiagnostics', 'on'],
  ]);
});

test('Node 24, node dist/cli.js check: no unrecognized flag; the optimizing compilers hold back while the first file is checked', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-node24-'));
  try {
    const guest = path.join(examples, 'guest-good.xml');
    const other = path.join(dir, 'other-guest.xml');
    fs.copyFileSync(guest, other);
    const check = ['check', '--inventory', path.join(examples, '82576-inventory.json'), guest, other];
    const plain = spawnSync(node24, [cliJs, ...check], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(plain.status, 0, plain.stderr);
    assert.doesNotMatch(plain.stderr, /unrecognized flag/);
    /** what the probe reported, `watched` the file whose opening it reports */
    const probed = (watched: string): [string, string][] => {
      const r = spawnSync(node24, [...PROBE_NODE_OPTIONS, '--require', probe.preload, cliJs, ...check], {
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, PROBE_OPEN: watched },
      });
      assert.equal(r.status, 0, r.stderr);
      assert.doesNotMatch(r.stderr, /unrecognized flag/);
      return probeReports(r.stderr).filter(([at]) => at !== 'at the first write to stdout');
    };
    assert.deepEqual(probed(guest), [
      ['at the opening of guest-good.xml', 'off'],
      ['at exit', 'on'],
    ]);
    assert.deepEqual(probed(other), [
      ['at the opening of other-guest.xml', 'on'],
      ['at exit', 'on'],
    ]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
