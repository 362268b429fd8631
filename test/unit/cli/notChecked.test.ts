// Inputs `check` does not read (over the 4 MiB libvirt takes, missing, binary) are named in every
// output format, not only on stderr: a CI job that keeps only the report still sees them. Exit 2.
// attach, detach and net-define refuse a file over the size with the same document-size error.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { runCli, type CliRun } from '../../support/cli';
import { unreadableDirectoryIn } from '../../support/unreadableDirectory';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-notchecked-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));
const run = (...argv: string[]): Promise<CliRun> => runCli(argv, { cwd: tmp });

const huge = path.join(tmp, 'huge.xml');
fs.writeFileSync(huge, `<domain>${' '.repeat(4 * 1024 * 1024)}</domain>\n`);
const missing = path.join(tmp, 'missing.xml');
const TOO_LARGE = `${fs.statSync(huge).size} bytes, more than the 4194304 bytes (4 MiB) libvirt takes`;
const CANNOT_READ = 'cannot read: no such file or directory (ENOENT)';

interface JsonFile {
  file: string;
  diagnostics: { code: string; severity: string; range: { start: { line: number; character: number } } }[];
  suppressed: unknown[];
  notChecked?: string;
}

test('--format json: an oversized file has its one document-size error, an unreadable one says why; both in `notChecked`', async () => {
  const r = await run('check', '--format', 'json', huge, missing);
  assert.equal(r.code, 2);
  const files = JSON.parse(r.stdout) as JsonFile[];
  assert.deepEqual(
    files.map((f) => [f.file, f.diagnostics.map((d) => [d.code, d.severity, d.range.start.line, d.range.start.character]), f.notChecked]),
    [
      [huge, [['document-size', 'error', 0, 0]], TOO_LARGE],
      [missing, [], CANNOT_READ],
    ],
  );
});

test('--format text: the oversized file shows its document-size error; the summary counts it too large and the other unreadable', async () => {
  const r = await run('check', huge, missing);
  assert.equal(r.code, 2);
  assert.match(
    r.stdout,
    new RegExp(
      `^${huge.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:1:1: error document-size: Document of 4\\.1 MiB is over the 4 MiB libvirt takes`,
    ),
  );
  assert.match(r.stdout, /\n0 files checked \(1 unreadable, 1 too large\): 1 error\n$/);
  assert.equal(r.stderr, `libvirt-hostdev: ${huge}: ${TOO_LARGE}: not checked\nlibvirt-hostdev: ${missing}: ${CANNOT_READ}\n`);
});

test('--format github: an ::error annotation for each, the oversized one as its document-size error', async () => {
  const r = await run('check', '--format', 'github', huge, missing);
  assert.equal(r.code, 2);
  const lines = r.stdout.trimEnd().split('\n');
  assert.equal(lines.length, 2, r.stdout);
  assert.match(lines[0], /^::error file=[^,]*huge\.xml,line=1,col=1,endLine=1,endColumn=1,title=document-size::Document of /);
  assert.match(lines[1], /^::error file=[^,]*missing\.xml,title=not checked::cannot read: no such file or directory \(ENOENT\)$/);
});

test('--format gitlab: the oversized file as its document-size issue, the unreadable one as a not-checked issue saying why', async () => {
  const r = await run('check', '--format', 'gitlab', huge, missing);
  assert.equal(r.code, 2);
  const issues = JSON.parse(r.stdout) as { check_name: string; description: string; severity: string; location: { path: string } }[];
  assert.deepEqual(
    issues.map((i) => [i.check_name, i.severity, i.location.path]),
    [
      ['document-size', 'major', 'huge.xml'],
      ['not-checked', 'major', 'missing.xml'],
    ],
  );
  assert.equal(issues[1].description, `not checked: ${CANNOT_READ}`);
});

test('--format sarif: the oversized file is a document-size result; the unreadable one makes the run unsuccessful with a notification naming it', async () => {
  const r = await run('check', '--format', 'sarif', huge, missing);
  assert.equal(r.code, 2);
  const [run0] = (
    JSON.parse(r.stdout) as {
      runs: {
        invocations: {
          executionSuccessful: boolean;
          toolExecutionNotifications?: {
            level: string;
            message: { text: string };
            locations: { physicalLocation: { artifactLocation: { uri: string } } }[];
          }[];
        }[];
        results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[];
      }[];
    }
  ).runs;
  assert.deepEqual(
    run0.results.map((x) => [x.ruleId, x.locations[0].physicalLocation.artifactLocation.uri]),
    [['document-size', 'huge.xml']],
  );
  assert.equal(run0.invocations.length, 1);
  assert.equal(run0.invocations[0].executionSuccessful, false);
  assert.deepEqual(
    run0.invocations[0].toolExecutionNotifications?.map((n) => [
      n.level,
      n.message.text,
      n.locations[0].physicalLocation.artifactLocation.uri,
    ]),
    [
      ['error', `${huge}: ${TOO_LARGE}`, 'huge.xml'],
      ['error', `${missing}: ${CANNOT_READ}`, 'missing.xml'],
    ],
  );
  const clean = path.join(tmp, 'clean.xml');
  fs.writeFileSync(clean, "<domain type='kvm'><name>a</name></domain>\n");
  const ok = JSON.parse((await run('check', '--format', 'sarif', clean)).stdout) as { runs: { invocations: unknown[] }[] };
  assert.deepEqual(ok.runs[0].invocations, [{ executionSuccessful: true }]);
});

test('attach, detach and net-define: a file over 4 MiB is the same document-size error on stderr and exit 2, before any host is contacted', async () => {
  const text = await run('check', huge);
  const documentSize = text.stdout.split('\n')[0];
  assert.match(documentSize, /^.*huge\.xml:1:1: error document-size: Document of 4\.1 MiB is over the 4 MiB libvirt takes/);
  // a host that cannot be reached: a run that got as far as the host would say so
  const host = ['--host', 'nobody@127.0.0.1:1', '--connect-timeout', '1'];
  for (const argv of [
    ['attach', huge, '--guest', 'web01', ...host],
    ['detach', huge, '--guest', 'web01', '--force', ...host],
    ['net-define', huge, '--force', '--dry-run', ...host],
  ]) {
    const r = await run(...argv);
    assert.equal(r.code, text.code, argv[0]);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, `${documentSize}\nlibvirt-hostdev: ${huge}: ${TOO_LARGE}: nothing sent to libvirt\n`);
  }
});

test('a directory below a checked one that cannot be read is reported, exit 2, and every readable file beside it is still checked', async () => {
  const dir = path.join(tmp, 'tree');
  fs.mkdirSync(path.join(dir, 'z'), { recursive: true });
  const snippet = fs.readFileSync(path.resolve(__dirname, '..', '..', '..', '..', 'examples', 'interface-snippet.xml'), 'utf8');
  fs.writeFileSync(path.join(dir, 'a.xml'), snippet.replace('52:54:00:6d:90:31', '01:00:5e:00:00:fb'));
  fs.writeFileSync(path.join(dir, 'z', 'b.xml'), snippet);
  const remove = unreadableDirectoryIn(dir);
  try {
    // the deepest of the nested directories is the one that cannot be read
    const locked = /^d{200}(\/d{200})*$/;
    const text = await run('check', dir);
    assert.equal(text.code, 2);
    const [line, ...more] = text.stderr.split('\n');
    assert.deepEqual(more, ['']);
    const [, shown, reason] = /^libvirt-hostdev: (.*?): (cannot read directory: .*)$/.exec(line)!;
    assert.match(path.relative(dir, shown), locked);
    assert.equal(reason, 'cannot read directory: file name too long (ENAMETOOLONG)');
    assert.match(text.stdout, /a\.xml:2:\d+: error mac-multicast: /);
    assert.match(text.stdout, /\n2 files checked \(1 unreadable\): 1 error\n$/);
    const json = await run('check', '--format', 'json', dir);
    assert.equal(json.code, 2);
    const files = (JSON.parse(json.stdout) as JsonFile[]).map((f) => [
      path.relative(dir, f.file),
      f.diagnostics.map((d) => d.code),
      f.notChecked,
    ]);
    assert.equal(files.length, 3);
    assert.deepEqual(files[0], ['a.xml', ['mac-multicast'], undefined]);
    assert.match(files[1][0] as string, locked);
    assert.deepEqual(files[1].slice(1), [[], reason]);
    assert.deepEqual(files[2], [path.join('z', 'b.xml'), [], undefined]);
  } finally {
    remove();
  }
});

test('a FIFO named *.xml in a checked directory is named as not checked (never waited on), exit 2; the files beside it are checked', async () => {
  const dir = path.join(tmp, 'with-fifo');
  fs.mkdirSync(dir);
  fs.copyFileSync(path.resolve(__dirname, '..', '..', '..', '..', 'examples', 'interface-snippet.xml'), path.join(dir, 'b.xml'));
  execFileSync('mkfifo', [path.join(dir, 'a.xml')]);
  const r = await run('check', dir);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /a\.xml: cannot read: not a regular file/);
  assert.match(r.stdout, /^1 file checked \(1 unreadable\): no problems\n$/);
});

test('an inventory that cannot be read: every machine format names each file as not checked, and why (exit 2); text says it on stderr only', async () => {
  const good = path.join(tmp, 'good.xml');
  fs.writeFileSync(good, "<interface type='hostdev'/>\n");
  const why = `the inventory could not be read: ${path.join(tmp, 'nope.json')}: ${CANNOT_READ}`;
  const json = await run('check', '--format', 'json', '--inventory', path.join(tmp, 'nope.json'), good);
  assert.equal(json.code, 2);
  assert.deepEqual(JSON.parse(json.stdout), [{ file: good, diagnostics: [], suppressed: [], notChecked: why }]);
  const sarif = JSON.parse((await run('check', '--format', 'sarif', '--inventory', path.join(tmp, 'nope.json'), good)).stdout) as {
    runs: { invocations: { executionSuccessful: boolean; toolExecutionNotifications: { message: { text: string } }[] }[] }[];
  };
  assert.equal(sarif.runs[0].invocations[0].executionSuccessful, false);
  assert.deepEqual(
    sarif.runs[0].invocations[0].toolExecutionNotifications.map((n) => n.message.text),
    [`${good}: ${why}`],
  );
  const gitlab = JSON.parse((await run('check', '--format', 'gitlab', '--inventory', path.join(tmp, 'nope.json'), good)).stdout) as {
    check_name: string;
    description: string;
    location: { path: string };
  }[];
  assert.deepEqual(
    gitlab.map((i) => [i.check_name, i.description]),
    [['not-checked', `not checked: ${why}`]],
  );
  const github = await run('check', '--format', 'github', '--inventory', path.join(tmp, 'nope.json'), good);
  assert.match(github.stdout, /^::error file=.*good\.xml,title=not checked::the inventory could not be read: /);
  const text = await run('check', '--inventory', path.join(tmp, 'nope.json'), good);
  assert.deepEqual([text.code, text.stdout], [2, '']);
  assert.match(text.stderr, /nope\.json: cannot read/);
});
