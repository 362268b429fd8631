// The repository's pre-commit hook (.pre-commit-hooks.yaml) run by the real pre-commit (Debian's, from
// test/setup/env.sh) in a git repository of guests: through `pre-commit try-repo`, as a user tries a hook
// repository, and as the README's .pre-commit-config.yaml names it, installed and run by `git commit`.
// `libvirt-hostdev` on the PATH is the built CLI; pre-commit's cache and the home folder are in a temporary
// folder, so nothing is left behind.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-pre-commit-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const home = path.join(tmp, 'home');
const bin = path.join(tmp, 'bin');
const work = path.join(tmp, 'guests-repo');
const env: NodeJS.ProcessEnv = {
  ...process.env,
  HOME: home,
  PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`,
  PRE_COMMIT_HOME: path.join(tmp, 'pre-commit-cache'),
  // try-repo commits the hook repository's uncommitted changes into a copy
  GIT_AUTHOR_NAME: 'test',
  GIT_AUTHOR_EMAIL: 'test@example.invalid',
  GIT_COMMITTER_NAME: 'test',
  GIT_COMMITTER_EMAIL: 'test@example.invalid',
  NO_COLOR: '1',
};

const domain = (mac: string, name = 'web01', fn = '0x0'): string => `<domain type='kvm'>
  <name>${name}</name>
  <memory unit='GiB'>4</memory>
  <os><type arch='x86_64' machine='q35'>hvm</type></os>
  <devices>
    <interface type='hostdev' managed='yes'>
      <mac address='${mac}'/>
      <source><address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='${fn}'/></source>
    </interface>
  </devices>
</domain>
`;

before(() => {
  fs.mkdirSync(home);
  fs.mkdirSync(bin);
  fs.writeFileSync(
    path.join(bin, 'libvirt-hostdev'),
    `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(path.join(root, 'dist', 'cli.js'))} "$@"\n`,
    { mode: 0o755 },
  );
  fs.mkdirSync(path.join(work, 'guests'), { recursive: true });
  execFileSync('git', ['init', '-q', work], { env });
  fs.writeFileSync(
    path.join(work, 'pom.xml'),
    "<project xmlns='http://maven.apache.org/POM/4.0.0'><modelVersion>4.0.0</modelVersion></project>\n",
  );
  // not XML: were it given to `check`, it would be a not-libvirt error
  fs.writeFileSync(path.join(work, 'notes.txt'), 'VFs for web01\n');
});

const git = (cwd: string, ...args: string[]) => spawnSync('git', args, { cwd, env, encoding: 'utf8' });

function tryHook(...files: string[]): { status: number | null; output: string } {
  const run = spawnSync('pre-commit', ['try-repo', root, 'libvirt-hostdev', '--files', ...files], { cwd: work, env, encoding: 'utf8' });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

test('a domain with an error fails the hook, with check’s line for it', () => {
  fs.writeFileSync(path.join(work, 'guests', 'web01.xml'), domain('01:00:5e:00:00:fb'));
  const run = tryHook('guests/web01.xml', 'pom.xml', 'notes.txt');
  assert.equal(run.status, 1, run.output);
  assert.match(run.output, /libvirt-hostdev check\.+Failed/);
  assert.match(run.output, /^guests\/web01\.xml:7:21: error mac-multicast: /m);
});

test('good XML passes; XML of another vocabulary is skipped; a file that is not XML is not given to check', () => {
  fs.writeFileSync(path.join(work, 'guests', 'web01.xml'), domain('52:54:00:6d:90:01'));
  const run = tryHook('guests/web01.xml', 'pom.xml', 'notes.txt');
  assert.equal(run.status, 0, run.output);
  assert.match(run.output, /libvirt-hostdev check\.+Passed/);
  const onlyText = tryHook('notes.txt');
  assert.equal(onlyText.status, 0, onlyText.output);
  assert.match(onlyText.output, /libvirt-hostdev check\.+\(no files to check\)Skipped/);
});

test('named in .pre-commit-config.yaml with a snapshot and --max-warnings 0 as args: git commit is refused for a VF another guest holds, and goes through once the VF is free', () => {
  // the hook repository as a user's clone has it: the hook file, committed
  const hooks = path.join(tmp, 'hook-repo');
  fs.mkdirSync(hooks);
  fs.copyFileSync(path.join(root, '.pre-commit-hooks.yaml'), path.join(hooks, '.pre-commit-hooks.yaml'));
  git(hooks, 'init', '-q');
  git(hooks, 'add', '.');
  git(hooks, 'commit', '-q', '-m', 'hooks');
  const rev = git(hooks, 'rev-parse', 'HEAD').stdout.trim();
  const guests = path.join(tmp, 'committed-guests');
  fs.mkdirSync(path.join(guests, 'guests'), { recursive: true });
  git(guests, 'init', '-q');
  fs.copyFileSync(path.join(root, 'test', 'fixtures', 'inventory', '82576.json'), path.join(guests, 'kvm1.json'));
  fs.writeFileSync(
    path.join(guests, '.pre-commit-config.yaml'),
    `repos:\n  - repo: ${hooks}\n    rev: ${rev}\n    hooks:\n      - id: libvirt-hostdev\n        args: [--inventory, kvm1.json, --max-warnings, '0']\n`,
  );
  const install = spawnSync('pre-commit', ['install'], { cwd: guests, env, encoding: 'utf8' });
  assert.equal(install.status, 0, install.stderr);
  /** commits guests/web02.xml with the VF 0000:0b:10.FN: git's status and what it and the hook printed */
  const commitWeb02 = (fn: string): { status: number | null; output: string } => {
    fs.writeFileSync(path.join(guests, 'guests', 'web02.xml'), domain('52:54:00:6d:90:02', 'web02', fn));
    git(guests, 'add', '.');
    const run = git(guests, 'commit', '-m', 'web02');
    return { status: run.status, output: `${run.stdout}${run.stderr}` };
  };
  // 0000:0b:10.4 is app01's (running) in the snapshot
  const refused = commitWeb02('0x4');
  assert.notEqual(refused.status, 0, refused.output);
  assert.match(refused.output, /^guests\/web02\.xml:8:\d+: warning vf-in-use: .*'app01'/m);
  assert.equal(git(guests, 'rev-parse', '--verify', '-q', 'HEAD').status, 1, 'nothing was committed');
  // 0000:0b:10.6 is free
  const committed = commitWeb02('0x6');
  assert.equal(committed.status, 0, committed.output);
  assert.match(committed.output, /libvirt-hostdev check\.+Passed/);
});
