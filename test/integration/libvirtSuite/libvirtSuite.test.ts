// libvirt 9.0's own test suite as a corpus. test/setup/libvirt-test-suite.sh puts libvirt's tests/
// folder (from Debian's source package, downloaded once into the ignored .tools cache) on this machine;
// classify.ts reads from libvirt's test drivers what libvirt expects of each domain XML (every folder
// virschematest.c validates as domain XML, and the device XMLs qemuhotplugtest.c attaches); then the
// real CLI (`libvirt-hostdev check --format json`, the bundle users run) checks every file at once.
// Asserted:
//  - no define-time error on any file libvirt accepts, and no warning or start-time error (libvirt's
//    tests never start a guest) unless listed in expectations.ts with the reason;
//  - every refusal without a message file is said (in expectations.ts) to be about something;
//  - every libvirt function the rule catalog names is in libvirt 9.0's source, in the file it names;
//  - an error quoting libvirt's own message on every refused file in this tool's scope, unless listed
//    in expectations.ts with the reason (out of reach offline, or a known gap); an entry that no longer
//    applies fails the test, so the lists only shrink.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RULES } from '../../../server/src/service/catalog';
import { classify, type Classification, type SuiteCase } from './classify';
import { ACCEPTED_FLAGGED, REFUSED_NOT_CAUGHT, WITHOUT_MESSAGE_FILE, inScope, withMessage } from './expectations';
import { SUITE_FOLDERS } from './suiteFolders';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const cli = path.join(root, 'dist', 'cli.js');

interface Diagnostic {
  code: string;
  severity: string;
  message: string;
}
interface FileReport {
  file: string;
  diagnostics: Diagnostic[];
}

let tests = '';
let suite: Classification;
const reports = new Map<string, Diagnostic[]>();
let seconds = 0;

/** `libvirt-hostdev check --format json FILE…`; exit status 1 only means some file has an error. */
function check(files: string[]): Promise<FileReport[]> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [cli, 'check', '--format', 'json', ...files],
      { cwd: tests, maxBuffer: 256 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error && error.code !== 1) reject(new Error(`check failed (${String(error.code)}): ${stderr}`));
        else resolve(JSON.parse(stdout) as FileReport[]);
      },
    );
  });
}

before(async () => {
  // downloads once (about 10 s), then answers from the cache
  tests = execFileSync('bash', [path.join(root, 'test/setup/libvirt-test-suite.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
  const classified = classify(tests);
  suite = { ...classified, cases: classified.cases.map(withMessage) };
  const files = suite.cases.map((c) => c.file);
  const started = process.hrtime.bigint();
  // two processes, one per core: a command line stays far below ARG_MAX
  const half = Math.ceil(files.length / 2);
  const results = await Promise.all([check(files.slice(0, half)), check(files.slice(half))]);
  seconds = Number(process.hrtime.bigint() - started) / 1e9;
  for (const r of results.flat()) reports.set(r.file, r.diagnostics);
});

const accepted = (): SuiteCase[] => suite.cases.filter((c) => c.expectation === 'accept');
const rejected = (): SuiteCase[] => suite.cases.filter((c) => c.expectation === 'reject');
const diagnosticsOf = (c: SuiteCase): Diagnostic[] => reports.get(c.file) ?? assert.fail(`no report for ${c.file}`);
const errorsOf = (c: SuiteCase): Diagnostic[] => diagnosticsOf(c).filter((d) => d.severity === 'error');
const show = (ds: Diagnostic[]): string => ds.map((d) => `    ${d.severity} ${d.code}: ${d.message}`).join('\n');
/** caught = an error whose message carries libvirt's text (any error when libvirt ships no message) */
const caught = (c: SuiteCase): boolean => errorsOf(c).some((d) => c.message === undefined || d.message.includes(c.message));

const START_TIME = 'the guest fails to start';
const flagged = (c: SuiteCase): Diagnostic[] => diagnosticsOf(c).filter((d) => d.severity === 'error' || d.severity === 'warning');
const defineTimeErrors = (c: SuiteCase): Diagnostic[] => errorsOf(c).filter((d) => !d.message.includes(START_TIME));
const startTimeErrors = (c: SuiteCase): Diagnostic[] => errorsOf(c).filter((d) => d.message.includes(START_TIME));
const warningsOf = (c: SuiteCase): Diagnostic[] => diagnosticsOf(c).filter((d) => d.severity === 'warning');
/** the listed reasons that explain these diagnostics of an accepted file */
const reasons = (c: SuiteCase, ds: Diagnostic[]): string[] =>
  (ACCEPTED_FLAGGED[c.file] ?? []).filter((f) => ds.some((d) => f.codes.includes(d.code))).map((f) => f.reason);

function folderLine(dir: string, drivers: string[]): string {
  const cases = suite.cases.filter((c) => path.dirname(c.file) === dir);
  const refused = cases.filter((c) => c.expectation === 'reject');
  const scoped = refused.filter(inScope);
  const unclassified = suite.unclassified.filter((f) => path.dirname(f) === dir).length;
  return (
    `${dir} (${drivers.join(', ')}): ${cases.length} files, ${cases.length - refused.length} accepted, ${refused.length} refused` +
    (scoped.length ? ` (${scoped.length} in scope, ${scoped.filter(caught).length} caught)` : '') +
    (unclassified ? `; ${unclassified} named by no driver` : '')
  );
}

test('libvirt 9.0 test suite: counts per folder, findings and speed', () => {
  const inScopeRejections = rejected().filter(inScope);
  const startTime = accepted().filter((c) => startTimeErrors(c).length > 0);
  const warned = accepted().filter((c) => warningsOf(c).length > 0);
  const listedGaps = [...Object.values(ACCEPTED_FLAGGED).flat(), ...Object.values(REFUSED_NOT_CAUGHT)].filter((l) => l.gap).length;
  const lines = [
    `${suite.cases.length} domain and device XMLs classified from libvirt's test drivers, ${suite.unclassified.length} data files named by no driver left out:`,
    ...SUITE_FOLDERS.map((f) => `  ${folderLine(f.dir, f.drivers)}`),
    `${accepted().length} accepted by libvirt:`,
    `  define-time errors on accepted files: ${accepted().filter((c) => defineTimeErrors(c).length > 0).length}`,
    `  start-time failures libvirt's tests cannot see: ${startTime.length}`,
    ...startTime.map(
      (c) =>
        `    ${c.file} [${[...new Set(startTimeErrors(c).map((d) => d.code))].join(', ')}]: ${reasons(c, startTimeErrors(c)).join('; ')}`,
    ),
    `  warnings: ${warned.length}`,
    ...warned.map(
      (c) => `    ${c.file} [${[...new Set(warningsOf(c).map((d) => d.code))].join(', ')}]: ${reasons(c, warningsOf(c)).join('; ')}`,
    ),
    `${rejected().length} refused by libvirt, ${inScopeRejections.length} in scope: ${inScopeRejections.filter(caught).length} caught with libvirt's message, ` +
      `${Object.keys(REFUSED_NOT_CAUGHT).length} listed with the reason:`,
    ...Object.entries(REFUSED_NOT_CAUGHT).map(([file, l]) => `    ${file}: ${l.reason}`),
    `${listedGaps} listed entries are known gaps of this tool`,
    `libvirt-hostdev check: ${suite.cases.length} files in ${seconds.toFixed(2)} s = ${Math.round(suite.cases.length / seconds)} files/second`,
  ];
  console.log(lines.map((l) => `libvirt suite: ${l}`).join('\n'));
  assert.ok(suite.cases.length > 2200, `only ${suite.cases.length} files classified: is ${tests} complete?`);
  assert.ok(rejected().length > 150, 'the refused files were found');
});

test('every folder virschematest.c validates as domain or device XML is classified', () => {
  assert.ok(suite.schemaFolders.length >= 20, `virschematest.c names ${suite.schemaFolders.length} folders`);
  assert.deepEqual(suite.unread, [], 'add these folders to SUITE_FOLDERS with the driver that reads them');
});

test('every refusal without a message file is said to be about something (in scope or not)', () => {
  const unexplained = rejected().filter((c) => !c.message && !WITHOUT_MESSAGE_FILE.some((g) => g.files.test(c.file)));
  const ambiguous = rejected().filter((c) => WITHOUT_MESSAGE_FILE.filter((g) => g.files.test(c.file)).length > 1);
  assert.deepEqual(
    unexplained.map((c) => c.file),
    [],
    'add them to WITHOUT_MESSAGE_FILE with what they are about',
  );
  assert.deepEqual(
    ambiguous.map((c) => c.file),
    [],
    'in more than one WITHOUT_MESSAGE_FILE group',
  );
});

test('no define-time error on any domain XML libvirt accepts', () => {
  const wrong = accepted().filter((c) => defineTimeErrors(c).length > 0);
  assert.deepEqual(
    wrong.map((c) => c.file),
    [],
    wrong.map((c) => `${c.file}\n${show(errorsOf(c))}`).join('\n'),
  );
});

test('no warning or start-time error on a domain XML libvirt accepts, unless listed with the reason', () => {
  const unexplained = accepted().filter((c) => {
    const listed = ACCEPTED_FLAGGED[c.file];
    return flagged(c).some((d) => !listed || !listed.some((f) => f.codes.includes(d.code)));
  });
  assert.deepEqual(
    unexplained.map((c) => c.file),
    [],
    unexplained.map((c) => `${c.file}\n${show(flagged(c))}`).join('\n'),
  );
  const stale = Object.keys(ACCEPTED_FLAGGED).filter((file) => {
    const c = suite.cases.find((x) => x.file === file);
    return !c || c.expectation !== 'accept' || flagged(c).length === 0;
  });
  assert.deepEqual(stale, [], 'listed files that are no longer flagged: remove them from ACCEPTED_FLAGGED');
});

test("every refusal in scope gets an error with libvirt's message, or is listed with the reason", () => {
  const missed = rejected()
    .filter(inScope)
    .filter((c) => !caught(c) && !(c.file in REFUSED_NOT_CAUGHT));
  assert.deepEqual(
    missed.map((c) => c.file),
    [],
    missed
      .map((c) => `${c.file}: libvirt says "${c.message ?? '(no message file)'}"; here:\n${show(diagnosticsOf(c)) || '    (nothing)'}`)
      .join('\n'),
  );
});

test('the not-caught list holds only refusals in scope that are still not caught', () => {
  const byFile = new Map(suite.cases.map((c) => [c.file, c]));
  const stale = Object.keys(REFUSED_NOT_CAUGHT).filter((file) => {
    const c = byFile.get(file);
    return !c || c.expectation !== 'reject' || !inScope(c) || caught(c);
  });
  assert.deepEqual(stale, [], 'caught now, accepted, or not in scope: remove them from REFUSED_NOT_CAUGHT');
});

test("every libvirt function the rule catalog names is in libvirt 9.0's source, in the file it names", () => {
  const root9 = path.resolve(tests, '..');
  const named = Object.entries(RULES).flatMap(([code, rule]) =>
    [...rule.libvirt.matchAll(/(\w+) \((src\/[^)]+)\)/g)].map((m) => ({ code, fn: m[1], file: m[2] })),
  );
  assert.ok(named.length > 60, `the catalog names ${named.length} functions with their files`);
  const texts = new Map<string, string>();
  const missing = named.filter(({ fn, file }) => {
    if (!texts.has(file)) texts.set(file, fs.existsSync(path.join(root9, file)) ? fs.readFileSync(path.join(root9, file), 'utf8') : '');
    return !new RegExp(`\\b${fn}\\s*\\(`).test(texts.get(file)!);
  });
  assert.deepEqual(
    missing.map(({ code, fn, file }) => `${code}: ${fn} (${file})`),
    [],
    'not in that file of libvirt 9.0',
  );
});
