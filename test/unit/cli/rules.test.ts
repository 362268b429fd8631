// `libvirt-hostdev rules [CODE...]`: every code of the catalog listed (text-only ones, then those that
// need an inventory), one explained in full, both under the severities of the working directory's
// project config; unknown codes and bad configs exit 2 with the reason.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RULES } from '../../../server/src/service/catalog';
import type { RuleReport } from '../../../server/src/project/ruleExplanation';
import { runCli } from '../../support/cli';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-rules-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** a folder with `config` as its .libvirt-hostdev.json (none: null), and a subfolder to run in */
function project(name: string, config: object | null): string {
  const dir = path.join(tmp, name, 'guests');
  fs.mkdirSync(dir, { recursive: true });
  if (config) fs.writeFileSync(path.join(tmp, name, '.libvirt-hostdev.json'), JSON.stringify(config));
  return dir;
}

const plain = project('plain', null);

test('rules lists every code once with its severity and summary, those that need an inventory after the others', async () => {
  const r = await runCli(['rules'], { cwd: plain });
  assert.equal(r.code, 0, r.stderr);
  const listed = [...r.stdout.matchAll(/^ {2}([a-z0-9-]+) +(error|warning|information|hint|off) +(.*)$/gm)];
  assert.deepEqual(listed.map((m) => m[1]).sort(), Object.keys(RULES).sort());
  for (const [, code, severity, summary] of listed) {
    const rule = RULES[code as keyof typeof RULES];
    assert.equal(severity, rule.severity, code);
    assert.equal(summary, rule.summary, code);
  }
  const needsHost = r.stdout.indexOf("Checked against a host's inventory");
  assert.ok(needsHost > 0);
  for (const [code, rule] of Object.entries(RULES))
    assert.equal(r.stdout.indexOf(`  ${code} `) > needsHost, rule.needsInventory, `${code} in its section`);
  assert.doesNotMatch(r.stdout, /Severities as/, 'no config, no line about one');
});

test('rules CODE explains it: what it reports, the libvirt functions, the quick fix, how to turn it off', async () => {
  const r = await runCli(['rules', 'pci-octal', 'vf-in-use'], { cwd: plain });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^pci-octal: warning\n {2}leading zero read as octal \(`011` is 9\)\n {2}Checked from the text alone\.\n/);
  assert.match(r.stdout, / {2}libvirt: virStrToLong_uip \(src\/util\/virstring\.c\)\n {2}Quick fix in the editor: yes\n/);
  assert.match(
    r.stdout,
    /--disable pci-octal, "severity": \{ "pci-octal": "off" \} in \.libvirt-hostdev\.json, or <!-- libvirt-hostdev-disable-next-line pci-octal -->/,
  );
  assert.match(r.stdout, /\nvf-in-use: error\n[^\n]*\n {2}Checked against a host's inventory: check --inventory FILE or --host TARGET/);
  assert.doesNotMatch(r.stdout, /\*\*/, "the README's emphasis is not printed");
  const xml = await runCli(['rules', 'xml-syntax'], { cwd: plain });
  assert.match(xml.stdout, /Quick fix in the editor: yes/);
  const size = await runCli(['rules', 'document-size'], { cwd: plain });
  assert.match(size.stdout, /Quick fix in the editor: no/);
});

test("rules shows the severities the working directory's config sets, naming the default and the file", async () => {
  const dir = project('strict', { disable: ['mac-missing'], severity: { 'vf-driver': 'error', 'pci-decimal': 'off' } });
  const configFile = path.join(tmp, 'strict', '.libvirt-hostdev.json');
  const list = await runCli(['rules'], { cwd: dir });
  assert.equal(list.code, 0, list.stderr);
  assert.ok(list.stdout.startsWith(`Severities as ${configFile} sets them.\n`), list.stdout.slice(0, 200));
  assert.match(list.stdout, /^ {2}mac-missing +off +no <mac>.* \(information by default\)$/m);
  assert.match(list.stdout, /^ {2}pci-decimal +off +.* \(hint by default\)$/m);
  assert.match(list.stdout, /^ {2}vf-driver +error +.* \(warning by default\)$/m);
  assert.match(list.stdout, /^ {2}pci-octal +warning +leading zero read as octal$/m, 'a code the config leaves alone');
  const one = await runCli(['rules', 'vf-driver'], { cwd: dir });
  assert.ok(one.stdout.startsWith(`vf-driver: error (set by ${configFile}; warning by default)\n`), one.stdout);
  const none = await runCli(['rules', '--no-config', 'vf-driver'], { cwd: dir });
  assert.ok(none.stdout.startsWith('vf-driver: warning\n'), none.stdout);
  const other = await runCli(['rules', '--config', configFile, 'mac-missing'], { cwd: plain });
  assert.ok(other.stdout.startsWith(`mac-missing: off (set by ${configFile}; information by default)\n`), other.stdout);
});

test('a config in a folder whose name holds terminal controls is named with them written out', async () => {
  const dir = project('esc\x1b[2Jape', { severity: { 'pci-octal': 'error' } });
  const list = await runCli(['rules'], { cwd: dir });
  assert.match(list.stdout, /^Severities as .*esc\\x1b\[2Jape.* sets them\.$/m);
  const one = await runCli(['rules', 'pci-octal'], { cwd: dir });
  assert.match(one.stdout, /set by .*esc\\x1b\[2Jape/);
  assert.doesNotMatch(list.stdout + one.stdout, /\x1b/);
});

test('rules --format json gives each code as an object, with the config that set its severity', async () => {
  const dir = project('json', { severity: { 'pci-octal': 'error' } });
  const r = await runCli(['rules', '--format', 'json'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout) as { config: string; rules: RuleReport[] };
  assert.equal(report.config, path.join(tmp, 'json', '.libvirt-hostdev.json'));
  assert.equal(report.rules.length, Object.keys(RULES).length);
  const octal = report.rules.find((x) => x.code === 'pci-octal')!;
  assert.deepEqual(
    {
      severity: octal.severity,
      defaultSeverity: octal.defaultSeverity,
      setBy: octal.setBy,
      quickFix: octal.quickFix,
      needsInventory: octal.needsInventory,
    },
    { severity: 'error', defaultSeverity: 'warning', setBy: report.config, quickFix: true, needsInventory: false },
  );
  assert.equal(report.rules.find((x) => x.code === 'pci-range')!.setBy, undefined);
  const plainReport = JSON.parse((await runCli(['rules', '-f', 'json', 'vf-in-use'], { cwd: plain })).stdout) as {
    config: null;
    rules: RuleReport[];
  };
  assert.equal(plainReport.config, null);
  assert.deepEqual(
    plainReport.rules.map((x) => [x.code, x.needsInventory]),
    [['vf-in-use', true]],
  );
});

test('an unknown code, a bad config and a bad format exit 2 with the reason', async () => {
  const typo = await runCli(['rules', 'pci-octl'], { cwd: plain });
  assert.equal(typo.code, 2);
  assert.match(typo.stderr, /unknown diagnostic code 'pci-octl' \(did you mean 'pci-octal'\?\)/);
  const bad = project('bad', { disable: ['mac-mising'] });
  const config = await runCli(['rules'], { cwd: bad });
  assert.equal(config.code, 2);
  assert.match(
    config.stderr,
    /\.libvirt-hostdev\.json: disable\[0\]: unknown diagnostic code "mac-mising" \(did you mean 'mac-missing'\?\)/,
  );
  assert.equal(config.stdout, '');
  assert.equal((await runCli(['rules', '--no-config'], { cwd: bad })).code, 0, '--no-config reads no file');
  const both = await runCli(['rules', '--config', 'x.json', '--no-config'], { cwd: plain });
  assert.equal(both.code, 2);
  assert.match(both.stderr, /--config and --no-config cannot be used together/);
  const format = await runCli(['rules', '--format', 'sarif'], { cwd: plain });
  assert.equal(format.code, 2);
  assert.match(format.stderr, /--format must be text or json, not 'sarif'/);
});

test('rules --help says what it lists in a sentence: the codes that check and the editor report', async () => {
  const r = await runCli(['rules', '--help']);
  assert.equal(r.code, 0);
  assert.match(
    r.stdout.replace(/\s+/g, ' '),
    /Without CODE, lists every code that check and the editor report, with its severity and what it means: /,
  );
});
