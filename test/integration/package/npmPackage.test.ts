// The npm package as users get it: `npm pack` (scripts/npm-package.mjs), then `npm install -g` of the
// tarball into a temporary prefix, offline, and the two commands run from there with no node_modules
// of ours anywhere above them. Also: the .vsix leaves out the CLI bundle (the extension does not use it).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';

const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { name: string; version: string };
let work: string;
let tarball: string;
let prefix: string;

before(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-npm-'));
  tarball = execFileSync(process.execPath, [path.join(repoRoot, 'scripts', 'npm-package.mjs'), '--out', work], {
    cwd: repoRoot,
    encoding: 'utf8',
  }).trim();
  prefix = path.join(work, 'prefix');
});
after(() => fs.rmSync(work, { recursive: true, force: true }));

test('npm pack: under 1 MB, only the bundles (the CLI entry, its command, completion and glob bundles, the server entry and its bundle) and the docs, no dependencies to install', () => {
  const size = fs.statSync(tarball).size;
  assert.ok(size < 1024 * 1024, `${size} bytes`);
  const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).trim().split('\n').sort();
  assert.deepEqual(files, [
    'package/CHANGELOG.md',
    'package/LICENSE',
    'package/README.md',
    'package/dist/ThirdPartyNotices.txt',
    'package/dist/cli.js',
    'package/dist/cli/check.js',
    'package/dist/cli/completion.js',
    'package/dist/cli/glob.js',
    'package/dist/cli/host.js',
    'package/dist/cli/rules.js',
    'package/dist/lsp/serve.js',
    'package/dist/server.js',
    'package/package.json',
  ]);
  // the licences of what the bundles hold go with them: ssh2 (MIT), the language server's libraries
  const notices = execFileSync('tar', ['-xzOf', tarball, 'package/dist/ThirdPartyNotices.txt'], { encoding: 'utf8' });
  for (const library of ['ssh2@', 'vscode-languageserver@', 'fast-xml-parser@', 'bcrypt-pbkdf@'])
    assert.ok(notices.includes(`\n${library}`), library);
  assert.match(notices, /Permission is hereby granted/);
  assert.ok(!notices.includes('vscode-languageclient@'), 'only what the CLI and server bundles hold: the extension is not in the package');
  const manifest = JSON.parse(execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' })) as Record<
    string,
    unknown
  >;
  assert.equal(manifest.version, pkg.version);
  assert.deepEqual(manifest.bin, { 'libvirt-hostdev': 'dist/cli.js', 'libvirt-hostdev-language-server': 'dist/server.js' });
  assert.equal(manifest.dependencies, undefined);
  assert.equal(manifest.scripts, undefined, 'nothing runs at install');
});

test('npm install -g from the tarball (offline, temp prefix): both commands run from the bundles alone', async () => {
  execFileSync('npm', ['install', '-g', '--offline', '--no-audit', '--no-fund', '--prefix', prefix, tarball], { cwd: work, stdio: 'pipe' });
  const installed = path.join(prefix, 'lib', 'node_modules', pkg.name);
  assert.deepEqual(fs.readdirSync(installed).sort(), ['CHANGELOG.md', 'LICENSE', 'README.md', 'dist', 'package.json']);
  const bin = (name: string): string => path.join(prefix, 'bin', name);
  const env = { ...process.env, PATH: `${path.join(prefix, 'bin')}:${process.env.PATH}`, NODE_PATH: '' };

  const version = spawnSync(bin('libvirt-hostdev'), ['--version'], { cwd: work, env, encoding: 'utf8' });
  assert.equal(version.stdout, `libvirt-hostdev ${pkg.version}\n`, version.stderr);
  const check = spawnSync(
    bin('libvirt-hostdev'),
    [
      'check',
      '--format',
      'sarif',
      '--inventory',
      path.join(repoRoot, 'examples', '82576-inventory.json'),
      path.join(repoRoot, 'examples', 'guest-bad.xml'),
    ],
    { cwd: work, env, encoding: 'utf8' },
  );
  assert.equal(check.status, 1, check.stderr);
  assert.equal((JSON.parse(check.stdout) as { version: string }).version, '2.1.0');
  const rules = spawnSync(bin('libvirt-hostdev'), ['rules', 'pci-octal'], { cwd: work, env, encoding: 'utf8' });
  assert.equal(rules.status, 0, rules.stderr);
  assert.match(rules.stdout, /^pci-octal: warning\n/);
  // what a TAB in bash runs once `completion bash` is loaded (the shells themselves: test/integration/cli/completion.test.ts)
  const tab = spawnSync(bin('libvirt-hostdev'), ['__complete', '--line', 'libvirt-hostdev check --disable pci-oc'], {
    cwd: work,
    env,
    encoding: 'utf8',
  });
  assert.deepEqual([tab.status, tab.stdout], [0, 'pci-octal\n:words\n'], tab.stderr);
  const script = spawnSync(bin('libvirt-hostdev'), ['completion', 'bash'], { cwd: work, env, encoding: 'utf8' });
  assert.match(script.stdout, /^complete -o default -F _libvirt_hostdev libvirt-hostdev$/m, script.stderr);
  // ssh2 and the host layer inside the bundle: the live inventory through `local` (real virsh, test driver)
  const inventory = spawnSync(
    bin('libvirt-hostdev'),
    ['inventory', '--host', 'local', '--connect', 'test:///default', '--sysfs-root', path.join(repoRoot, 'examples', 'sysfs-82576')],
    { cwd: work, env, encoding: 'utf8' },
  );
  assert.equal(inventory.status, 0, inventory.stderr);
  assert.equal((JSON.parse(inventory.stdout) as { devices: { kind: string }[] }).devices.filter((d) => d.kind === 'vf').length, 14);

  const child = spawn(bin('libvirt-hostdev-language-server'), ['--stdio'], { cwd: work, env, stdio: ['pipe', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  connection.listen();
  try {
    const init = (await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} })) as {
      serverInfo: { name: string; version: string };
    };
    assert.deepEqual(init.serverInfo, { name: 'libvirt-hostdev-language-server', version: pkg.version });
    await connection.sendRequest('shutdown');
    await connection.sendNotification('exit');
    assert.equal(await exited, 0);
  } finally {
    connection.dispose();
    child.kill();
  }
});

test("the .vsix ships the extension and server bundles with their libraries' notices, not the CLI (vsce ls)", () => {
  const listed = execFileSync(path.join(repoRoot, 'node_modules', '.bin', 'vsce'), ['ls'], { cwd: repoRoot, encoding: 'utf8' })
    .trim()
    .split('\n');
  for (const bundle of ['dist/extension.js', 'dist/server.js', 'dist/lsp/serve.js', 'dist/ThirdPartyNotices.txt'])
    assert.ok(listed.includes(bundle), listed.join(', '));
  assert.ok(!listed.some((f) => f.startsWith('dist/cli')), listed.join(', '));
  assert.ok(!listed.some((f) => f.endsWith('.map') || f.startsWith('test/') || f.startsWith('out/')), listed.join(', '));
});

test('npm pack in the repository root is refused with the commands that make the packages (it would ship the whole repository)', () => {
  const r = spawnSync('npm', ['pack', '--dry-run'], { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 });
  assert.notEqual(r.status, 0, r.stdout);
  assert.match(r.stderr, /npm pack of this folder would ship the whole repository; npm run pack:npm makes the npm package/);
  assert.doesNotMatch(r.stdout, /\.tgz/);
});
