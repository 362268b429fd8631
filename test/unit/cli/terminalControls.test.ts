// Text from a checked file (a MAC, a name) reaches the messages: in the formats a terminal or a CI
// log shows (text, github, attach's problems on stderr) its control characters are written out as
// `\x1b`, never sent raw (an ESC colours or retitles the terminal); json and sarif keep the real
// string, which JSON escapes.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../support/cli';
import { printChange } from '../../../server/src/cli/hostCommands';
import { definitionDiff } from '../../../server/src/cli/definitionDiff';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-controls-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

// ESC (C0), BEL (C0), CSI (C1) and DEL in the MAC's value
const HOSTILE = '\x1b[31mRED\x1b]0;TITLE\x07\x9b2J\x7f';
const SHOWN = '\\x1b[31mRED\\x1b]0;TITLE\\x07\\x9b2J\\x7f';
const file = path.join(tmp, 'esc.xml');
fs.writeFileSync(
  file,
  `<interface type='hostdev'>\n\t<mac address="${HOSTILE}"/>\n<source><address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x1'/></source></interface>\n`,
);
const RAW_CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;

function macMessageLine(output: string): string {
  const line = output.split('\n').find((l) => l.includes('mac-syntax'));
  assert.ok(line, output);
  return line;
}

test('text and github: the MAC in the message shows its controls as \\x1b, none raw in the whole report', async () => {
  for (const format of ['text', 'github']) {
    const r = await runCli(['check', '--format', format, file]);
    assert.equal(r.code, 1, r.stderr);
    assert.doesNotMatch(r.stdout, RAW_CONTROL, format);
    assert.ok(macMessageLine(r.stdout).includes(`MAC '${SHOWN}'`), `${format}: ${macMessageLine(r.stdout)}`);
  }
});

test('lines that end with a lone \\r (as old Mac files do) are quoted up to the line end, without a control shown for it', async () => {
  const cr = path.join(tmp, 'cr.xml');
  fs.writeFileSync(cr, "<interface type='hostdev'>\r<mac address='01:00:5e:00:00:01'/>\r</interface>\r");
  const r = await runCli(['check', cr]);
  assert.equal(r.code, 1, r.stderr);
  assert.ok(r.stdout.includes(`${cr}:2:15: error mac-multicast: `), r.stdout);
  assert.ok(r.stdout.includes("\n    2 | <mac address='01:00:5e:00:00:01'/>\n"), r.stdout);
});

test('text: no line of the report starts as a CI runner command (GitHub Actions reads `::` or `##[` after blanks)', async () => {
  // a document line that starts with a command, a MAC that holds one after a line feed, a file named like one
  const name = '::warning file=README.md::forged.xml';
  fs.writeFileSync(
    path.join(tmp, name),
    "<devices>\n::error::forged <interface type='hostdev'><mac address='x&#10;::set-output name=verdict::pass&#10;##[error]forged'/></interface>\n</devices>\n",
  );
  // the name as a shell in its folder gives it
  const cwd = process.cwd();
  process.chdir(tmp);
  const r = await runCli(['check', name]).finally(() => process.chdir(cwd));
  assert.equal(r.code, 1, r.stderr);
  const commands = r.stdout.split('\n').filter((line) => /^\s*(?:::|##\[)/.test(line));
  assert.deepEqual(commands, [], r.stdout);
  assert.match(
    r.stdout,
    /^\.\/::warning file=README\.md::forged\.xml:2:\d+: error mac-syntax: MAC 'x\\n::set-output name=verdict::pass\\n##\[error\]forged'/m,
  );
  assert.match(r.stdout, /^ {4}2 \| ::error::forged <interface/m);
});

test("a config file's key or an inventory file's name with controls and a line feed: one inert line on stderr", async () => {
  const repo = path.join(tmp, 'cfg-controls');
  fs.mkdirSync(repo);
  fs.writeFileSync(
    path.join(repo, '.libvirt-hostdev.json'),
    JSON.stringify({ ['x\x1b[2J\x1b]0;owned\x07\n::error file=a.xml,line=1::injected']: 1 }),
  );
  fs.writeFileSync(path.join(repo, 'guest.xml'), "<interface type='hostdev'/>\n");
  const config = await runCli(['check', path.join(repo, 'guest.xml')]);
  const inventory = await runCli(['check', '--inventory', path.join(tmp, 'no\x1b[31mpe\n::error::x.json'), file]);
  for (const r of [config, inventory]) {
    assert.equal(r.code, 2, r.stderr);
    assert.doesNotMatch(r.stderr, RAW_CONTROL, r.stderr);
    assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
  }
  assert.match(config.stderr, /\\x1b\[2J/);
});

test('json and sarif keep the real string (sarif with its brackets escaped)', async () => {
  const json = await runCli(['check', '--format', 'json', file]);
  const diagnostics = (JSON.parse(json.stdout) as { diagnostics: { code: string; message: string }[] }[])[0].diagnostics;
  assert.ok(diagnostics.find((d) => d.code === 'mac-syntax')?.message.includes(`MAC '${HOSTILE}'`));
  const sarif = await runCli(['check', '--format', 'sarif', file]);
  const results = (JSON.parse(sarif.stdout) as { runs: { results: { ruleId: string; message: { text: string } }[] }[] }).runs[0].results;
  // the controls as they are (JSON escapes them); SARIF's brackets escaped, as its plain text asks
  assert.ok(results.find((x) => x.ruleId === 'mac-syntax')?.message.text.includes(`MAC '${HOSTILE.replace(/[[\]]/g, '\\$&')}'`));
});

test("attach's problems on stderr show the controls the same way", async () => {
  const r = await runCli(['attach', file, '--guest', 'web01', '--host', 'local']);
  assert.equal(r.code, 1, r.stderr);
  assert.doesNotMatch(r.stderr, RAW_CONTROL);
  assert.ok(macMessageLine(r.stderr).includes(`MAC '${SHOWN}'`), r.stderr);
});

test("a file's name from a directory reaches the report on one line with its controls inert (text, github), and stderr too", async () => {
  const dir = path.join(tmp, 'names');
  fs.mkdirSync(dir);
  // a line feed in a name would otherwise start a report line of its own
  const forged = 'a\x1b[31mRED\nforged:1:1: error x.xml';
  fs.writeFileSync(path.join(dir, forged), '<domain><devices><interface type="hostdev"><mac address="ff:ff:ff:ff:ff:ff"/></interface>');
  fs.symlinkSync('/nonexistent', path.join(dir, 'gone\x1b[2J.xml'));
  for (const format of ['text', 'github']) {
    const r = await runCli(['check', '--format', format, dir]);
    assert.equal(r.code, 2, r.stderr);
    assert.doesNotMatch(r.stdout, RAW_CONTROL, format);
    assert.doesNotMatch(r.stderr, RAW_CONTROL, format);
    assert.ok(!r.stdout.split('\n').some((l) => l.startsWith('forged:')), `${format}: no forged line\n${r.stdout}`);
  }
  const text = await runCli(['check', dir]);
  assert.match(text.stdout, /a\\x1b\[31mRED\\nforged:1:1: error x\.xml:\d+:\d+: error /);
  assert.match(text.stderr, /gone\\x1b\[2J\.xml: cannot read/);
});

test("a host's words printed after a change (libvirt's answer, the command, the definition's diff) show their controls inert", async () => {
  let out = '';
  const io = { stdout: (t: string) => (out += t), stderr: (t: string) => (out += t) };
  printChange(io, { ok: true, message: `Device attached successfully${HOSTILE}`, commandLine: `virsh define x${HOSTILE}` });
  const diff = definitionDiff(`web${HOSTILE}`, `<domain>\n<!-- ${HOSTILE} -->\n</domain>\n`, '<domain>\n</domain>\n');
  for (const text of [out, diff]) {
    assert.doesNotMatch(text, RAW_CONTROL, text);
    assert.ok(text.includes(SHOWN), text);
  }
  // a diff keeps its lines
  assert.match(diff, /^-<!-- .* -->$/m);
});
