// `check`'s policy: --max-warnings, --disable, the project config file found upward, inline
// disable-next-line comments; everything taken off is reported as suppressed, never dropped silently.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { validate, validateWithSuppressions } from '../../../server/src/service/index';
import { runCli, type CliRun } from '../../support/cli';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-policy-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const run = (...argv: string[]): Promise<CliRun> => runCli(argv, { cwd: tmp });

function write(rel: string, content: string): string {
  const file = path.join(tmp, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
}

interface Report {
  file: string;
  diagnostics: { code: string; severity: string }[];
  suppressed: { code: string; severity: string; suppressedBy: string; range: { start: { line: number } } }[];
}

// warnings: pci-octal (bus='011'); hint: pci-decimal (slot='16'); information: mac-missing
const WARNINGS_ONLY = `<interface type='hostdev' managed='yes'>
  <source><address type='pci' domain='0x0000' bus='011' slot='16' function='0x2'/></source>
</interface>
`;
// an error: a multicast MAC
const WITH_ERROR = `<interface type='hostdev' managed='yes'>
  <mac address='01:00:5e:00:00:01'/>
  <source><address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x2'/></source>
</interface>
`;

test('--max-warnings N: more than N warnings exit 1 (as ESLint), N or fewer exit 0', async () => {
  const file = write('mw/guest.xml', WARNINGS_ONLY);
  assert.equal((await run('check', file)).code, 0);
  const over = await run('check', '--max-warnings', '0', file);
  assert.equal(over.code, 1);
  assert.match(over.stderr, /1 warning, more than --max-warnings 0/);
  assert.equal((await run('check', '--max-warnings', '1', file)).code, 0);
  const bad = await run('check', '--max-warnings', '1.5', file);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--max-warnings must be -1 \(no limit\) or a whole number from 0, not '1\.5'/);
});

test('--max-warnings -1 is no limit, as in ESLint, written with a blank or an =; -2 is a usage error', async () => {
  const file = write('mw/unlimited.xml', WARNINGS_ONLY);
  for (const argv of [['--max-warnings', '-1'], ['--max-warnings=-1']]) {
    const r = await run('check', ...argv, file);
    assert.equal(r.code, 0, `${argv.join(' ')}: ${r.stderr}`);
  }
  const bad = await run('check', '--max-warnings', '-2', file);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--max-warnings must be -1 \(no limit\) or a whole number from 0, not '-2'/);
});

test('--quiet (-q) reports errors only, in every format; the exit status and --max-warnings still count the warnings', async () => {
  // an error (the multicast MAC) beside the warnings, information and hint of WARNINGS_ONLY's address
  const file = write('quiet/guest.xml', WITH_ERROR.replace("bus='0x0b' slot='0x10'", "bus='011' slot='16'"));
  const loud = await run('check', '--format', 'json', file);
  const [all] = JSON.parse(loud.stdout) as Report[];
  assert.ok(
    all.diagnostics.some((d) => d.severity === 'warning'),
    JSON.stringify(all.diagnostics),
  );
  const quiet = await run('check', '--format', 'json', '--quiet', file);
  const [report] = JSON.parse(quiet.stdout) as Report[];
  assert.deepEqual(
    report.diagnostics.map((d) => [d.code, d.severity]),
    all.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.severity]),
  );
  assert.equal(quiet.code, 1);
  const text = await run('check', '-q', file);
  assert.doesNotMatch(text.stdout, / (warning|information|hint) /);
  assert.match(text.stdout, / error mac-multicast: /);
  const sarif = JSON.parse((await run('check', '--format', 'sarif', '-q', file)).stdout) as { runs: { results: { level: string }[] }[] };
  assert.deepEqual([...new Set(sarif.runs[0].results.map((r) => r.level))], ['error']);
  const github = await run('check', '--format', 'github', '-q', file);
  assert.doesNotMatch(github.stdout, /^::(warning|notice)/m);
  // the gate does not depend on what is shown
  const warningsOnly = write('quiet/warnings.xml', WARNINGS_ONLY);
  const gate = await run('check', '--quiet', '--max-warnings', '0', warningsOnly);
  assert.equal(gate.code, 1);
  assert.match(gate.stderr, /1 warning, more than --max-warnings 0/);
  assert.equal(gate.stdout, '1 file checked: no errors (3 other problems not shown: --quiet)\n');
  const others = all.diagnostics.filter((d) => d.severity !== 'error').length;
  assert.ok(text.stdout.endsWith(`1 file checked: 1 error (${others} other problems not shown: --quiet)\n`), text.stdout);
});

test('--disable CODE[,CODE] (repeatable) takes codes off and lists them as suppressed in json', async () => {
  const file = write('dis/guest.xml', WITH_ERROR);
  const before = await run('check', file);
  assert.equal(before.code, 1);
  const r = await run('check', '--format', 'json', '--disable', 'mac-multicast,pci-decimal', '--disable', 'pci-zero', file);
  assert.equal(r.code, 0, 'the only error is disabled');
  const [report] = JSON.parse(r.stdout) as Report[];
  assert.ok(!report.diagnostics.some((d) => d.code === 'mac-multicast'));
  const s = report.suppressed.find((d) => d.code === 'mac-multicast');
  assert.ok(s, r.stdout);
  assert.equal(s.suppressedBy, '--disable');
  assert.equal(s.range.start.line, 1);
  const text = await run('check', '--disable', 'mac-multicast', file);
  assert.match(text.stdout, /\(1 suppressed\)\n$/);
  const typo = await run('check', '--disable', 'Mac Multicast', file);
  assert.equal(typo.code, 2);
  assert.match(typo.stderr, /unknown diagnostic code 'Mac Multicast' \(did you mean 'mac-multicast'\?\)\n/);
  // the code it most likely meant, as a disable comment's warning offers it
  const near = await run('check', '--disable', 'pci-zero,mac-multicas', file);
  assert.equal(near.code, 2);
  assert.match(near.stderr, /--disable: unknown diagnostic code 'mac-multicas' \(did you mean 'mac-multicast'\?\)\n/);
});

test('.libvirt-hostdev.json found upward: disable and severity overrides (off, error); --config and --no-config', async () => {
  write(
    'proj/.libvirt-hostdev.json',
    JSON.stringify({ disable: ['mac-missing'], severity: { 'pci-octal': 'error', 'pci-decimal': 'off' } }),
  );
  const file = write('proj/guests/deep/guest.xml', WARNINGS_ONLY);
  const r = await run('check', '--format', 'json', file);
  assert.equal(r.code, 1, 'pci-octal raised to error');
  const [report] = JSON.parse(r.stdout) as Report[];
  assert.equal(report.diagnostics.find((d) => d.code === 'pci-octal')?.severity, 'error');
  const configFile = path.join(tmp, 'proj', '.libvirt-hostdev.json');
  assert.deepEqual(report.suppressed.map((s) => [s.code, s.suppressedBy]).sort(), [
    ['mac-missing', configFile],
    ['pci-decimal', configFile],
  ]);

  const none = await run('check', '--format', 'json', '--no-config', file);
  assert.equal(none.code, 0);
  assert.deepEqual((JSON.parse(none.stdout) as Report[])[0].suppressed, []);

  const other = write('elsewhere.json', JSON.stringify({ disable: ['pci-octal'] }));
  const explicit = await run('check', '--format', 'json', '--config', other, file);
  assert.equal(explicit.code, 0);
  assert.deepEqual(
    (JSON.parse(explicit.stdout) as Report[])[0].suppressed.map((s) => s.code),
    ['pci-octal'],
  );
});

test('--stdin-filename NAME: standard input gets the config a file at NAME would (looked for from its directory), as ESLint and Prettier do', async () => {
  const config = write('stdinproj/.libvirt-hostdev.json', JSON.stringify({ disable: ['pci-octal'] }));
  const stdin = { cwd: tmp, readStdin: async () => Buffer.from(WARNINGS_ONLY) };
  const suppressed = async (...argv: string[]): Promise<[string, string, string[][]]> => {
    const r = await runCli(['check', '--format', 'json', ...argv, '-'], stdin);
    const [report] = JSON.parse(r.stdout) as Report[];
    return [r.stderr, report.file, report.suppressed.map((x) => [x.code, x.suppressedBy])];
  };
  // relative to the working directory, absolute, and a directory that does not exist below the config
  for (const name of ['stdinproj/f.xml', path.join(tmp, 'stdinproj', 'f.xml'), 'stdinproj/not/there/f.xml'])
    assert.deepEqual(await suppressed('--stdin-filename', name), ['', name, [['pci-octal', config]]], name);
  // unnamed, or named outside the project: the working directory's config (none here)
  assert.deepEqual(await suppressed(), ['', '<stdin>', []]);
  assert.deepEqual(await suppressed('--stdin-filename', 'elsewhere/f.xml'), ['', 'elsewhere/f.xml', []]);
  // --no-config and --config still win
  assert.deepEqual((await suppressed('--no-config', '--stdin-filename', 'stdinproj/f.xml'))[2], []);
  // a bad config at NAME's directory fails the run as for a file there
  write('stdinbad/.libvirt-hostdev.json', '{"disable": "pci-octal"}');
  const bad = await runCli(['check', '--stdin-filename', 'stdinbad/f.xml', '-'], stdin);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /stdinbad\/\.libvirt-hostdev\.json: disable: expected an array/);
  const empty = await runCli(['check', '--stdin-filename', '', '-'], stdin);
  assert.equal(empty.code, 2);
  assert.match(empty.stderr, /--stdin-filename needs a NAME \(it is empty\)/);
  // a name for standard input that is not read: said, not ignored
  const unread = await runCli(
    ['check', '--stdin-filename', 'stdinproj/f.xml', path.join(tmp, 'stdinproj', '.libvirt-hostdev.json')],
    stdin,
  );
  assert.equal(unread.code, 2);
  const STDIN_NOT_READ = /^libvirt-hostdev: --stdin-filename names standard input, which is read when '-' is given as a FILE \(none is\)\n/;
  assert.match(unread.stderr, STDIN_NOT_READ);
  // with no FILE at all (`check --stdin-filename x.xml < f`): the same reason, not "no FILE to check"
  const noFile = await runCli(['check', '--stdin-filename', 'stdinproj/f.xml'], stdin);
  assert.equal(noFile.code, 2);
  assert.match(noFile.stderr, STDIN_NOT_READ);
});

test("--disable with nothing in it (`--disable ''`, an unset variable in a script) is a usage error, not a run that takes nothing off", async () => {
  for (const value of ['', ',', ' ']) {
    const r = await runCli(['check', '--disable', value, '-'], { cwd: tmp, readStdin: async () => Buffer.from(WARNINGS_ONLY) });
    assert.equal(r.code, 2, JSON.stringify(value));
    assert.match(r.stderr, /^libvirt-hostdev: --disable needs a CODE \(it is empty\)\n/);
  }
  const some = await runCli(['check', '--disable', 'pci-octal,', '-'], { cwd: tmp, readStdin: async () => Buffer.from(WARNINGS_ONLY) });
  assert.equal(some.code, 0, some.stderr);
});

test('a bad config file exits 2 naming the file and the field, before any host is contacted', async () => {
  const cases: [unknown, RegExp][] = [
    [{ disable: 'mac-missing' }, /disable: expected an array/],
    [{ severity: { 'pci-octal': 'fatal' } }, /severity\.pci-octal: expected one of error, warning, information, hint, off/],
    [{ rules: {} }, /unknown key 'rules' \(expected disable, severity\)/],
    [{ disabled: ['pci-octal'] }, /unknown key 'disabled' \(did you mean 'disable'\?\) \(expected disable, severity\)/],
    [{ disable: ['not a code'] }, /disable\[0\]: unknown diagnostic code "not a code"\n/],
    [{ severity: { 'mac-mising': 'off' } }, /severity: unknown diagnostic code "mac-mising" \(did you mean 'mac-missing'\?\)\n/],
  ];
  for (const [content, reason] of cases) {
    const dir = fs.mkdtempSync(path.join(tmp, 'badcfg-'));
    fs.writeFileSync(path.join(dir, '.libvirt-hostdev.json'), JSON.stringify(content));
    const file = path.join(dir, 'g.xml');
    fs.writeFileSync(file, WARNINGS_ONLY);
    const r = await run('check', '--host', 'nobody@127.0.0.1:1', file);
    assert.equal(r.code, 2);
    assert.match(r.stderr, new RegExp(`${path.join(dir, '.libvirt-hostdev.json').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `));
    assert.match(r.stderr, reason);
  }
  // nested deeper than JSON.stringify goes, or long: named by kind, or cut, on the one line that names the file
  const deep = '['.repeat(200_000) + ']'.repeat(200_000);
  for (const [text, reason] of [
    [`{"disable": ${deep}}`, 'disable[0]: unknown diagnostic code (an array)'],
    [`{"severity": {"pci-octal": ${deep}}}`, 'severity.pci-octal: expected one of error, warning, information, hint, off, got (an array)'],
    [`{"disable": ["${'x'.repeat(100_000)}"]}`, `disable[0]: unknown diagnostic code "${'x'.repeat(78)}…`],
  ]) {
    const config = write('deepcfg/.libvirt-hostdev.json', text);
    const r = await run('check', write('deepcfg/g.xml', WARNINGS_ONLY));
    assert.equal(r.code, 2);
    assert.equal(r.stderr, `libvirt-hostdev: ${config}: ${reason}\n`);
  }
  const notJson = write('badjson/.libvirt-hostdev.json', '{ "disable": [');
  const r = await run('check', write('badjson/g.xml', WARNINGS_ONLY));
  assert.equal(r.code, 2);
  assert.equal(r.stderr, `libvirt-hostdev: ${notJson}:1:15: bad JSON: Unexpected end of JSON input\n`);
});

test('<!-- libvirt-hostdev-disable-next-line CODE --> takes the code off the next line only; reported as suppressed', async () => {
  const text = `<domain type='kvm'><name>g</name><devices>
<!-- libvirt-hostdev-disable-next-line mac-multicast - lab multicast test -->
<interface type='hostdev' managed='yes'><mac address='01:00:5e:00:00:01'/><source><address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x2'/></source></interface>
<interface type='hostdev' managed='yes'><mac address='01:00:5e:00:00:02'/><source><address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x4'/></source></interface>
</devices></domain>
`;
  const file = write('inline/guest.xml', text);
  const r = await run('check', '--format', 'json', file);
  assert.equal(r.code, 1, 'the second multicast MAC is still an error');
  const [report] = JSON.parse(r.stdout) as Report[];
  assert.deepEqual(report.diagnostics.filter((d) => d.code === 'mac-multicast').length, 1);
  assert.deepEqual(
    report.diagnostics.filter((d) => d.code === 'xml-syntax'),
    [],
    'the comment with its reason is well-formed XML',
  );
  assert.deepEqual(
    report.suppressed.map((s) => [s.code, s.suppressedBy, s.range.start.line]),
    [['mac-multicast', 'comment on line 2', 2]],
  );

  // the service (and so the language server) applies the same comment
  assert.equal(validate(text).filter((p) => p.code === 'mac-multicast').length, 1);
  const all = validateWithSuppressions(text);
  assert.equal(all.suppressed.length, 1);
  // without codes the comment takes every code off the next line
  const bare = text.replace(' mac-multicast - lab multicast test ', ' ');
  assert.equal(validateWithSuppressions(bare).suppressed.length, 1);
  assert.ok(validate(bare).every((p) => positionLine(bare, p.span.start) !== 2));
});

function positionLine(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length - 1;
}

test('--format sarif keeps suppressed results with a suppression (code scanning shows them as dismissed): inSource for a comment in the file, external for --disable', async () => {
  const sarifSuppressions = async (...argv: string[]): Promise<unknown> => {
    const r = await run('check', '--format', 'sarif', ...argv);
    assert.equal(r.code, 0, r.stderr);
    const log = JSON.parse(r.stdout) as {
      runs: { results: { ruleId: string; suppressions?: { kind: string; justification: string }[] }[] }[];
    };
    return log.runs[0].results.find((x) => x.ruleId === 'mac-multicast')?.suppressions;
  };
  const file = write('sarif/guest.xml', WITH_ERROR);
  assert.deepEqual(await sarifSuppressions('--disable', 'mac-multicast', file), [
    { kind: 'external', justification: 'suppressed by --disable' },
  ]);
  const commented = write(
    'sarif/commented.xml',
    WITH_ERROR.replace('  <mac', '  <!-- libvirt-hostdev-disable-next-line mac-multicast -->\n  <mac'),
  );
  assert.deepEqual(await sarifSuppressions(commented), [{ kind: 'inSource', justification: 'suppressed by comment on line 2' }]);
  // the reason the comment gives after its codes is the justification's
  const reasoned = write(
    'sarif/reasoned.xml',
    WITH_ERROR.replace('  <mac', '  <!-- libvirt-hostdev-disable-next-line mac-multicast - the lab switch expects it -->\n  <mac'),
  );
  assert.deepEqual(await sarifSuppressions(reasoned), [
    { kind: 'inSource', justification: 'suppressed by comment on line 2: the lab switch expects it' },
  ]);
  const json = JSON.parse((await run('check', '--format', 'json', reasoned)).stdout) as {
    suppressed: { suppressedBy: string; reason?: string }[];
  }[];
  assert.deepEqual(
    json[0].suppressed.map((p) => [p.suppressedBy, p.reason]),
    [['comment on line 2', 'the lab switch expects it']],
  );
  // a config file is named from the root the results' paths start at, not by where this machine keeps the checkout
  write('sarif/cfg/.libvirt-hostdev.json', '{ "disable": ["mac-multicast"] }\n');
  const configured = write('sarif/cfg/guest.xml', WITH_ERROR);
  const r = await runCli(['check', '--format', 'sarif', configured], { cwd: tmp, env: {} });
  const log = JSON.parse(r.stdout) as { runs: { results: { ruleId: string; suppressions?: { justification: string }[] }[] }[] };
  assert.deepEqual(
    log.runs[0].results.find((x) => x.ruleId === 'mac-multicast')?.suppressions?.map((x) => x.justification),
    ['suppressed by sarif/cfg/.libvirt-hostdev.json'],
  );
});
