// `check` for pipelines: SARIF 2.1.0, GitHub workflow commands and GitLab's Code Quality report,
// standard input, directories, quoted globs, and colour only on a terminal.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { wantsColour, type CliIO } from '../../../server/src/cli/main';
import { ruleHref } from '../../../shared/ruleDocs';
import { RULES } from '../../../server/src/service/catalog';
import { unreadableDirectoryIn } from '../../support/unreadableDirectory';
import { runCli, type CliRun } from '../../support/cli';
import { LineTable } from '../../../server/src/service/index';
import { formatJson, type FileResult } from '../../../server/src/cli/report';
import { formatGitlab } from '../../../server/src/cli/gitlab';
import { formatSarif } from '../../../server/src/cli/sarif';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-fmt-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

// no CI's variables unless a test sets them: the run's own environment may be a CI job's
const run = (argv: string[], extra: Partial<CliIO> = {}): Promise<CliRun> => runCli(argv, { cwd: tmp, env: {}, ...extra });

function write(rel: string, content: string): string {
  const file = path.join(tmp, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
}

// line 2: a multicast MAC (error) after a two-code-unit emoji; line 3: a decimal bus (hint)
const DEVICE = `<interface type='hostdev'>
<!-- 😀 --><mac address='01:00:5e:00:00:01'/>
<source><address type='pci' domain='0x0000' bus='11' slot='0x10' function='0x2'/></source>
</interface>
`;
const MAC_COLUMN = "<!-- 😀 --><mac address='".length + 1;
const CLEAN =
  "<interface type='hostdev' managed='yes'><mac address='52:54:00:12:34:56'/><source><address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x4'/></source></interface>\n";

interface SarifLog {
  version: string;
  $schema: string;
  runs: {
    tool: {
      driver: {
        name: string;
        version: string;
        rules: {
          id: string;
          name: string;
          shortDescription: { text: string };
          help: { text: string };
          defaultConfiguration: { level: string };
        }[];
      };
    };
    columnKind: string;
    results: {
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations: {
        physicalLocation: {
          artifactLocation: { uri: string; uriBaseId?: string };
          region: { startLine: number; startColumn: number; endLine: number; endColumn: number };
        };
      }[];
    }[];
  }[];
}

test('--format sarif: SARIF 2.1.0, one run, rules with help, results with 1-based UTF-16 regions relative to the checkout', async () => {
  const file = write('guests/web01.xml', DEVICE);
  const r = await run(['check', '--format', 'sarif', file]);
  assert.equal(r.code, 1);
  assert.equal(r.stderr, '');
  const log = JSON.parse(r.stdout) as SarifLog;
  assert.equal(log.version, '2.1.0');
  assert.match(log.$schema, /sarif-2\.1\.0/);
  assert.equal(log.runs.length, 1);
  const [run0] = log.runs;
  assert.equal(run0.tool.driver.name, 'libvirt-hostdev');
  assert.equal(run0.columnKind, 'utf16CodeUnits');
  const mac = run0.results.find((x) => x.ruleId === 'mac-multicast');
  assert.ok(mac, r.stdout);
  assert.equal(mac.level, 'error');
  assert.deepEqual(mac.locations[0].physicalLocation.artifactLocation, { uri: 'guests/web01.xml', uriBaseId: '%SRCROOT%' });
  assert.deepEqual(mac.locations[0].physicalLocation.region, {
    startLine: 2,
    startColumn: MAC_COLUMN,
    endLine: 2,
    endColumn: MAC_COLUMN + '01:00:5e:00:00:01'.length,
  });
  const decimal = run0.results.find((x) => x.ruleId === 'pci-decimal');
  assert.equal(decimal?.level, 'note');
  assert.deepEqual(
    run0.tool.driver.rules.map((r) => r.id),
    Object.keys(RULES),
    'every rule of the catalog, in its order',
  );
  // a readable identifier of its own, never the id again (the SARIF multitool's SARIF1001)
  assert.equal(run0.tool.driver.rules.find((x) => x.id === 'vf-in-use')?.name, 'VfInUse');
  for (const rule of run0.tool.driver.rules) assert.notEqual(rule.name, rule.id);
  // a rule links its page only where the manifest names a real repository, never a placeholder
  assert.equal((run0.tool.driver.rules[0] as { helpUri?: string }).helpUri, ruleHref(run0.tool.driver.rules[0].id));
  assert.doesNotMatch(r.stdout, /example\.invalid/);
  for (const res of run0.results) {
    const rule = run0.tool.driver.rules[res.ruleIndex];
    assert.equal(rule.id, res.ruleId, 'ruleIndex points at the rule');
    assert.ok(rule.help.text.length > 0 && rule.shortDescription.text.length > 0);
  }
  // an alert shows what `rules CODE` prints: the README's description, the libvirt functions, how to turn it off
  const vlan = run0.tool.driver.rules.find((rule) => rule.id === 'vlan-virtualport') as unknown as {
    fullDescription: { text: string };
    help: { text: string };
  };
  assert.match(vlan.fullDescription.text, /^`<vlan>` and `<virtualport>` together/);
  assert.match(vlan.help.text, /^vlan-virtualport: error\n {2}`<vlan>` and `<virtualport>` together/);
  assert.match(vlan.help.text, /libvirt: .*\n.*Quick fix in the editor: .*\n {2}Turn it off: --disable vlan-virtualport/);
});

test('--format github: one workflow command per problem, 1-based, escaped as the runner expects', async () => {
  const file = write('gh/a,b.xml', DEVICE);
  const r = await run(['check', '--format', 'github', file]);
  assert.equal(r.code, 1);
  const lines = r.stdout.trimEnd().split('\n');
  assert.ok(
    lines.every((l) => /^::(error|warning|notice) file=[^:]*,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=[a-z-]+::/.test(l)),
    r.stdout,
  );
  const mac = lines.find((l) => l.includes('title=mac-multicast'));
  assert.ok(mac);
  assert.ok(mac.startsWith(`::error file=${file.replace(/,/g, '%2C')},line=2,col=${MAC_COLUMN},`), mac);
  assert.ok(lines.some((l) => l.startsWith('::notice ') && l.includes('title=pci-decimal')));
  assert.ok(!/\n(?!$)/.test(r.stdout.replace(/\n::/g, '')), 'every message on one line');
});

interface CodeQualityIssue {
  description: string;
  check_name: string;
  fingerprint: string;
  severity: string;
  location: { path: string; lines: { begin: number; end: number } };
}

test('--format gitlab: a Code Quality issue per problem, the path from the working directory, 1-based lines, error major and warning minor', async () => {
  const file = write('gl/web01.xml', DEVICE);
  const r = await run(['check', '--format', 'gitlab', file, path.join(tmp, 'gl', '..', 'gl', 'web01.xml')]);
  assert.equal(r.code, 1);
  const issues = JSON.parse(r.stdout) as CodeQualityIssue[];
  const mac = issues.find((i) => i.check_name === 'mac-multicast')!;
  assert.deepEqual(
    { ...mac, fingerprint: typeof mac.fingerprint },
    {
      description: mac.description,
      check_name: 'mac-multicast',
      fingerprint: 'string',
      severity: 'major',
      location: { path: 'gl/web01.xml', lines: { begin: 2, end: 2 } },
    },
  );
  assert.match(mac.description, /^MAC 01:00:5e:00:00:01 is multicast/);
  assert.deepEqual(
    [...new Set(issues.map((i) => i.location.path))],
    ['gl/web01.xml'],
    'a file is reported by its path from the working directory, however it was named',
  );
  const severities = new Map(issues.map((i) => [i.check_name, i.severity]));
  assert.equal(severities.get('pci-decimal'), 'info', 'a hint is info');
  assert.ok(
    issues.every(
      (i) => Object.keys(i).join() === 'description,check_name,fingerprint,severity,location' && /^[0-9a-f]{32}$/.test(i.fingerprint),
    ),
  );
  // the same file twice: the same problems, each with a fingerprint of its own
  assert.equal(new Set(issues.map((i) => i.fingerprint)).size, issues.length, r.stdout);
});

test('--format gitlab: a problem keeps its fingerprint when lines are added above it (the merge request widget compares them)', async () => {
  const before = JSON.parse((await run(['check', '--format', 'gitlab', write('gl/moved.xml', DEVICE)])).stdout) as CodeQualityIssue[];
  const after = JSON.parse(
    (await run(['check', '--format', 'gitlab', write('gl/moved.xml', `<!-- web01 -->\n\n${DEVICE}`)])).stdout,
  ) as CodeQualityIssue[];
  assert.deepEqual(
    after.map((i) => [i.check_name, i.fingerprint, i.location.lines.begin - 2]),
    before.map((i) => [i.check_name, i.fingerprint, i.location.lines.begin]),
  );
  // a syntax error whose message names another line ("opened at line 3") keeps its fingerprint too
  const broken = DEVICE.replace('</source>', '</sourc>');
  assert.notEqual(broken, DEVICE);
  const brokenBefore = JSON.parse(
    (await run(['check', '--format', 'gitlab', write('gl/broken.xml', broken)])).stdout,
  ) as CodeQualityIssue[];
  const brokenAfter = JSON.parse(
    (await run(['check', '--format', 'gitlab', write('gl/broken.xml', `<!-- web01 -->\n\n${broken}`)])).stdout,
  ) as CodeQualityIssue[];
  assert.match(brokenBefore.map((i) => i.description).join('\n'), /line \d/);
  assert.deepEqual(
    brokenAfter.map((i) => [i.check_name, i.fingerprint]),
    brokenBefore.map((i) => [i.check_name, i.fingerprint]),
  );
  const clean = await run(['check', '--format', 'gitlab', write('gl/clean.xml', CLEAN)]);
  assert.deepEqual([clean.code, clean.stdout], [0, '[]\n'], 'no problem: an empty report');
});

test("run below the repository's root: github gives absolute paths, sarif and gitlab paths from GITHUB_WORKSPACE / CI_PROJECT_DIR", async () => {
  const file = write('repo/infra/guests/web01.xml', DEVICE);
  const below = path.join(tmp, 'repo', 'infra');
  const root = path.join(tmp, 'repo');
  // named from below the root, as a job's `working-directory` names it
  const cwd = process.cwd();
  process.chdir(below);
  const github = await run(['check', '--format', 'github', 'guests/web01.xml'], { cwd: below, env: { GITHUB_WORKSPACE: root } }).finally(
    () => process.chdir(cwd),
  );
  assert.ok(github.stdout.split('\n')[0].startsWith(`::error file=${file},`), github.stdout);
  const sarif = JSON.parse(
    (await run(['check', '--format', 'sarif', file], { cwd: below, env: { GITHUB_WORKSPACE: root } })).stdout,
  ) as SarifLog & {
    runs: { originalUriBaseIds: Record<string, { uri: string }> }[];
  };
  assert.deepEqual(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation, {
    uri: 'infra/guests/web01.xml',
    uriBaseId: '%SRCROOT%',
  });
  assert.equal(sarif.runs[0].originalUriBaseIds['%SRCROOT%'].uri, `file://${root}/`);
  const gitlab = JSON.parse(
    (await run(['check', '--format', 'gitlab', file], { cwd: below, env: { CI_PROJECT_DIR: root } })).stdout,
  ) as CodeQualityIssue[];
  assert.deepEqual([...new Set(gitlab.map((i) => i.location.path))], ['infra/guests/web01.xml']);
  // outside a CI: from the working directory, as before
  const local = JSON.parse((await run(['check', '--format', 'gitlab', file], { cwd: below })).stdout) as CodeQualityIssue[];
  assert.deepEqual([...new Set(local.map((i) => i.location.path))], ['guests/web01.xml']);
});

test("--format gitlab: a fingerprint does not change with the inventory's age, and a path given twice (as - and by name) has no fingerprint twice", async () => {
  const snapshot = JSON.parse(fs.readFileSync(path.join(root, 'test', 'fixtures', 'inventory', '82576.json'), 'utf8')) as {
    takenAt: string;
  };
  const unknownVf = write(
    'age/web01.xml',
    "<interface type='hostdev' managed='yes'><mac address='52:54:00:12:34:56'/><source><address type='pci' domain='0x0000' bus='0x7f' slot='0x10' function='0x0'/></source></interface>\n",
  );
  const fingerprints = async (daysAgo: number): Promise<Map<string, string>> => {
    const inventory = write(
      `age/inventory-${daysAgo}.json`,
      JSON.stringify({ ...snapshot, takenAt: new Date(Date.now() - daysAgo * 86_400_000).toISOString() }),
    );
    const r = await run(['check', '--format', 'gitlab', '--inventory', inventory, unknownVf]);
    const issues = JSON.parse(r.stdout) as CodeQualityIssue[];
    assert.ok(
      issues.some((i) => i.check_name === 'pci-unknown' && /taken \d+ days ago/.test(i.description)),
      r.stdout,
    );
    return new Map(issues.map((i) => [i.check_name, i.fingerprint]));
  };
  assert.deepEqual(await fingerprints(10), await fingerprints(11));

  const twiceNamed = write('age/twice.xml', DEVICE);
  const twice = await run(['check', '--format', 'gitlab', '--stdin-filename', twiceNamed, '-', twiceNamed], {
    readStdin: async () => Buffer.from(DEVICE),
  });
  const issues = JSON.parse(twice.stdout) as CodeQualityIssue[];
  assert.ok(issues.length >= 2, twice.stdout);
  assert.equal(new Set(issues.map((i) => i.fingerprint)).size, issues.length, twice.stdout);
});

test('- reads standard input (named by --stdin-filename) among other files', async () => {
  const clean = write('stdin/clean.xml', CLEAN);
  const r = await run(['check', '--format', 'json', '--stdin-filename', 'piped.xml', clean, '-'], {
    readStdin: async () => Buffer.from(DEVICE),
  });
  assert.equal(r.code, 1);
  const report = JSON.parse(r.stdout) as { file: string; diagnostics: { code: string }[] }[];
  assert.deepEqual(
    report.map((x) => x.file),
    [clean, 'piped.xml'],
  );
  assert.ok(report[1].diagnostics.some((d) => d.code === 'mac-multicast'));
});

test('a directory is searched for *.xml recursively (not node_modules or .git), in a stable order', async () => {
  write('tree/b.xml', DEVICE);
  write('tree/a/deep/c.XML', CLEAN);
  write('tree/notes.txt', DEVICE);
  write('tree/node_modules/pkg/x.xml', DEVICE);
  write('tree/.git/y.xml', DEVICE);
  const r = await run(['check', '--format', 'json', path.join(tmp, 'tree')]);
  const files = (JSON.parse(r.stdout) as { file: string }[]).map((x) => path.relative(tmp, x.file));
  assert.deepEqual(files, [path.join('tree', 'a', 'deep', 'c.XML'), path.join('tree', 'b.xml')]);
  assert.equal(r.code, 1);
});

test('a directory without any *.xml exits 2 like a pattern that matches nothing, instead of "0 files checked: no problems"', async () => {
  write('no-xml/notes.txt', DEVICE);
  write('no-xml/node_modules/pkg/x.xml', DEVICE);
  const r = await run(['check', path.join(tmp, 'no-xml')]);
  assert.equal(r.code, 2);
  assert.equal(
    r.stderr,
    `libvirt-hostdev: ${path.join(tmp, 'no-xml')}: no *.xml file in this directory outside node_modules, .git, .hg and .svn, ` +
      `which are not searched (1 there: ${path.join(tmp, 'no-xml', 'node_modules', 'pkg', 'x.xml')}); name such a directory to check it\n`,
  );
  assert.equal(r.stdout, '');
  // one empty directory among others is still reported
  write('some-xml/a.xml', CLEAN);
  fs.mkdirSync(path.join(tmp, 'empty-dir'));
  const mixed = await run(['check', path.join(tmp, 'some-xml'), path.join(tmp, 'empty-dir')]);
  assert.equal(mixed.code, 2);
  assert.match(mixed.stderr, /empty-dir: no \*\.xml file in this directory\n/);
});

test("a pattern does not reach into node_modules unless it names it; matching only there, it says so instead of 'no file matches'", async () => {
  write('deps/node_modules/pkg/x.xml', CLEAN);
  write('deps/node_modules/other/x.xml', CLEAN);
  const only = await run(['check', path.join(tmp, 'deps', '**', 'x.xml')]);
  assert.equal(only.code, 2);
  assert.match(
    only.stderr,
    /\*\*\/x\.xml: no file matches this pattern outside node_modules, .*\(2 there, such as .*other\/x\.xml\); name such a directory/,
  );
  const named = await run(['check', '--format', 'json', path.join(tmp, 'deps', '**', 'node_modules', '*', 'x.xml')]);
  assert.equal(named.code, 0, named.stderr);
  assert.equal((JSON.parse(named.stdout) as unknown[]).length, 2);
});

test('a quoted glob is expanded without the shell; one that matches nothing exits 2', async () => {
  write('glob/x/one.xml', CLEAN);
  write('glob/two.xml', CLEAN);
  write('glob/skip.json', '{}');
  const pattern = path.join(tmp, 'glob', '**', '*.xml');
  const r = await run(['check', '--format', 'json', pattern]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual((JSON.parse(r.stdout) as { file: string }[]).map((x) => path.basename(x.file)).sort(), ['one.xml', 'two.xml']);
  const none = await run(['check', path.join(tmp, 'glob', '*.yaml')]);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /\*\.yaml: no file matches this pattern/);
});

test("a quoted '**' reaches into directories only as a whole path segment, as bash's globstar: '**.xml' is '*.xml'", async () => {
  write('star/top.xml', CLEAN);
  write('star/sub/deep.xml', CLEAN);
  const names = async (pattern: string): Promise<string[]> =>
    (JSON.parse((await run(['check', '--format', 'json', path.join(tmp, 'star', pattern)])).stdout) as { file: string }[])
      .map((x) => path.relative(path.join(tmp, 'star'), x.file))
      .sort();
  assert.deepEqual(await names('**.xml'), ['top.xml']);
  assert.deepEqual(await names('t**.xml'), ['top.xml']);
  assert.deepEqual(await names('**/*.xml'), ['sub/deep.xml', 'top.xml']);
});

test('a quoted glob whose folder is written with ./, // or .. matches as the shell would expand it', async () => {
  write('norm/ex/a-good.xml', CLEAN);
  write('norm/sub/.keep', '');
  const base = path.join(tmp, 'norm');
  for (const written of ['ex/./*-good.xml', 'ex//*-good.xml', 'sub/../ex/*-good.xml', './ex/*-good.xml']) {
    const r = await run(['check', '--format', 'json', `${base}/${written}`]);
    assert.equal(r.code, 0, `${written}: ${r.stderr}`);
    assert.deepEqual(
      (JSON.parse(r.stdout) as { file: string }[]).map((x) => path.basename(x.file)),
      ['a-good.xml'],
      written,
    );
  }
});

test('a quoted glob reaches no deeper than it says, and passes over a directory it cannot read as a shell does; a named directory may not have one', async () => {
  write('reach/a.xml', CLEAN);
  write('reach/sub/b.xml', CLEAN);
  const remove = unreadableDirectoryIn(path.join(tmp, 'reach'));
  try {
    const names = (r: { stdout: string }): string[] =>
      (JSON.parse(r.stdout) as { file: string }[]).map((x) => path.relative(path.join(tmp, 'reach'), x.file));
    const top = await run(['check', '--format', 'json', path.join(tmp, 'reach', '*.xml')]);
    assert.equal(top.code, 0, top.stderr);
    assert.deepEqual(names(top), ['a.xml']);
    const all = await run(['check', '--format', 'json', path.join(tmp, 'reach', '**', '*.xml')]);
    assert.equal(all.code, 0, all.stderr);
    assert.deepEqual(names(all), ['a.xml', path.join('sub', 'b.xml')]);
    // a directory named on the command line is the user's: what cannot be read below it is said (notChecked.test.ts)
    const named = await run(['check', path.join(tmp, 'reach')]);
    assert.equal(named.code, 2);
    assert.match(named.stderr, /cannot read directory: /);
  } finally {
    remove();
  }
});

test('a symbolic link to a directory is passed over, in a directory and by a pattern; one to a file is the file', async () => {
  write('links/real/inner.xml', CLEAN);
  write('links/a.xml', CLEAN);
  fs.symlinkSync(path.join(tmp, 'links', 'real'), path.join(tmp, 'links', 'dir-link.xml'));
  fs.symlinkSync('.', path.join(tmp, 'links', 'loop'));
  fs.symlinkSync(path.join(tmp, 'links', 'a.xml'), path.join(tmp, 'links', 'file-link.xml'));
  const names = (r: { stdout: string }): string[] =>
    (JSON.parse(r.stdout) as { file: string }[]).map((x) => path.relative(path.join(tmp, 'links'), x.file));
  const walked = await run(['check', '--format', 'json', path.join(tmp, 'links')]);
  assert.equal(walked.code, 0, walked.stderr);
  assert.deepEqual(names(walked), ['a.xml', 'file-link.xml', path.join('real', 'inner.xml')]);
  const matched = await run(['check', '--format', 'json', path.join(tmp, 'links', '*')]);
  assert.equal(matched.code, 0, matched.stderr);
  assert.deepEqual(names(matched), ['a.xml', 'file-link.xml']);
});

test('text output is coloured only when asked (a terminal without NO_COLOR); file text never adds escapes', async () => {
  const file = write('colour.xml', DEVICE.replace('<!-- 😀 -->', '<!-- \x1b[31m -->'));
  const plain = await run(['check', file]);
  assert.doesNotMatch(plain.stdout, /\x1b/);
  const coloured = await run(['check', file], { colour: true });
  assert.match(coloured.stdout, /\x1b\[31m\x1b\[1merror|\x1b\[1m\x1b\[31merror/);
  assert.equal(coloured.stdout.replace(/\x1b\[[0-9;]*m/g, ''), plain.stdout, 'the same text without the escapes');
  assert.equal(wantsColour({}, true), true);
  assert.equal(wantsColour({}, false), false);
  assert.equal(wantsColour({ NO_COLOR: '1' }, true), false);
  assert.equal(wantsColour({ NO_COLOR: '' }, true), true, 'an empty NO_COLOR does not count (no-color.org)');
  assert.equal(wantsColour({ FORCE_COLOR: '1' }, false), true);
  assert.equal(wantsColour({ TERM: 'dumb' }, true), false);
});

test("wantsColour: FORCE_COLOR as node and chalk read it: '', 1, true, 2, 3 force colour; 0, false (any other value) turn it off, on a terminal too", () => {
  for (const on of ['', '1', 'true', '2', '3']) assert.equal(wantsColour({ FORCE_COLOR: on }, false), true, `FORCE_COLOR=${on}`);
  for (const off of ['0', 'false', 'no']) assert.equal(wantsColour({ FORCE_COLOR: off }, true), false, `FORCE_COLOR=${off}`);
  assert.equal(wantsColour({ FORCE_COLOR: '1', NO_COLOR: '1' }, true), false, 'NO_COLOR still wins');
});

test('the bundle reads a pipe on `-` and exits with the check status', () => {
  const cli = path.join(root, 'dist', 'cli.js');
  const r = spawnSync(process.execPath, [cli, 'check', '--format', 'github', '-'], {
    input: DEVICE,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '' },
  });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stdout, /^::error file=<stdin>,line=2,/m);
});

test('--format sarif: brackets from the file in a message are escaped, so a viewer does not read them as an embedded link (SARIF §3.11.6)', async () => {
  const file = write(
    'sarif-link.xml',
    "<interface type='hostdev'><mac address='[x](https://e.invalid)'/><source><address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x2'/></source></interface>\n",
  );
  const log = JSON.parse((await run(['check', '--format', 'sarif', file])).stdout) as SarifLog;
  const text = log.runs[0].results[0].message.text;
  assert.ok(text.includes("'\\[x\\](https://e.invalid)'"), text);
  assert.doesNotMatch(text, /(^|[^\\])\[x/);
});

test('json, sarif and gitlab are laid out exactly as JSON.stringify(…, null, 2) writes them, also with no problem at all', async () => {
  const files = [write('layout/a.xml', DEVICE), write('layout/b.xml', CLEAN), write('layout/c.xml', `${DEVICE}${DEVICE}`)];
  for (const format of ['json', 'sarif', 'gitlab']) {
    for (const args of [files, [files[1]]]) {
      const { stdout } = await run(['check', '--format', format, ...args]);
      assert.equal(stdout, `${JSON.stringify(JSON.parse(stdout), null, 2)}\n`, `${format} ${args.length}`);
    }
  }
});

test('json, sarif and gitlab are written in pieces, each problem made as its turn comes: 100,000 problems never make one string', () => {
  const lines = new LineTable(`${'x'.repeat(80)}\n`.repeat(600));
  const problems = Array.from({ length: 500 }, (_, i) => ({
    code: 'mac-multicast' as const,
    severity: 'error' as const,
    message: `MAC 01:00:5e:00:00:${(i % 256).toString(16).padStart(2, '0')} is multicast`,
    span: { start: i * 81, end: i * 81 + 10 },
  }));
  const results: FileResult[] = Array.from({ length: 200 }, (_, i) => ({ file: `/w/g${i}.xml`, lines, problems, suppressed: [] }));
  const paths = { cwd: '/w', root: '/w' };
  for (const [format, emit] of [
    ['json', (w: (t: string) => void) => formatJson(results, w)],
    ['gitlab', (w: (t: string) => void) => formatGitlab(results, paths, w)],
    ['sarif', (w: (t: string) => void) => formatSarif(results, { version: '0', rules: [] }, paths, w)],
  ] as const) {
    const pieces: string[] = [];
    emit((t) => pieces.push(t));
    const largest = Math.max(...pieces.map((p) => p.length));
    assert.ok(largest < 1_000_000, `${format}: a piece of ${largest} characters`);
    const parsed = JSON.parse(pieces.join('')) as unknown;
    const count =
      format === 'json'
        ? (parsed as { diagnostics: unknown[] }[]).reduce((n, f) => n + f.diagnostics.length, 0)
        : format === 'gitlab'
          ? (parsed as unknown[]).length
          : (parsed as { runs: { results: unknown[] }[] }).runs[0].results.length;
    assert.equal(count, 100_000, format);
  }
});
