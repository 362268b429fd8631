// `check --config FILE` with malformed JSON: exit 2 with one line on stderr naming the file, the line
// and the column (as the other bad-config errors, nothing on stdout). Run as the built CLI.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const cli = path.join(root, 'dist', 'cli.js');
const snippet = path.join(root, 'examples', 'interface-snippet.xml');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-config-json-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function checkWithConfig(name: string, content: string): { status: number | null; stdout: string; stderr: string; file: string } {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  const r = spawnSync(process.execPath, [cli, 'check', '--config', file, snippet], {
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, file };
}

test('--config with malformed JSON: exit 2, FILE:LINE:COLUMN and the reason on stderr, nothing on stdout', () => {
  const cases: [string, string, string][] = [
    ['trailing-comma.json', '{\n  "disable": ["mac-missing",],\n  "severity": {}\n}\n', "2:29: bad JSON: Unexpected token ']'"],
    ['crlf.json', '{\r\n  "disable": []\r\n  "severity": {}\r\n}\r\n', "3:3: bad JSON: Expected ',' or '}' after property value"],
    ['cut.json', '{ "disable": [\n', '1:15: bad JSON: Unexpected end of JSON input'],
  ];
  for (const [name, content, where] of cases) {
    const r = checkWithConfig(name, content);
    assert.equal(r.status, 2, name);
    assert.equal(r.stdout, '', name);
    assert.equal(r.stderr, `libvirt-hostdev: ${r.file}:${where}\n`, name);
  }
});

test('--config written with a UTF-8 byte-order mark (as editors on Windows save) is read like one without', () => {
  const config = '{ "disable": ["mac-missing"] }\n';
  const plain = checkWithConfig('plain.json', config);
  const bom = checkWithConfig('bom.json', `\uFEFF${config}`);
  assert.equal(plain.status, bom.status);
  assert.equal(bom.stderr, '');
  assert.equal(bom.stdout, plain.stdout.replaceAll(plain.file, bom.file));
  // a broken file with a BOM is placed where the break is, as without one
  const broken = checkWithConfig('bom-broken.json', '\uFEFF{\n  "disable": ["mac-missing",],\n  "severity": {}\n}\n');
  assert.equal(broken.status, 2);
  assert.equal(broken.stderr, `libvirt-hostdev: ${broken.file}:2:29: bad JSON: Unexpected token ']'\n`);
});
