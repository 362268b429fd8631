// A file whose bytes are not UTF-8: libvirt refuses it at the first bad sequence whatever its XML
// declaration says ("Input is not proper UTF-8, indicate encoding !", checked with virsh define), so
// `check` reports an xml-syntax error there in every format, and attach, detach and net-define refuse
// the file before any host is contacted. A BOM and valid multi-byte text stay fine.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli, type CliRun } from '../../support/cli';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-encoding-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));
const run = (...argv: string[]): Promise<CliRun> => runCli(argv, { cwd: tmp });

function write(name: string, ...parts: (string | Buffer)[]): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p))));
  return file;
}

const HEAD = "<interface type='hostdev' managed='yes'>\n  <!-- caf";
const TAIL =
  " -->\n  <mac address='52:54:00:12:34:56'/>\n  <source><address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x4'/></source>\n</interface>\n";
/** 'é' in ISO-8859-1: one byte 0xE9, at line 2, column 11 */
const latin1 = write('latin1.xml', HEAD, Buffer.from([0xe9]), TAIL);
const NOT_UTF8 =
  'Byte 0xE9 is not UTF-8: libvirt reads every document as UTF-8, whatever its encoding declaration says; save the file as UTF-8 — define/attach fails; libvirt: "Input is not proper UTF-8, indicate encoding ! Bytes: 0xE9 0x20 0x2D 0x2D"';

test("check: a byte that is not UTF-8 is an xml-syntax error at its line and column, with libvirt's message; exit 1", async () => {
  const r = await run('check', '--no-config', latin1);
  assert.equal(r.code, 1, r.stderr);
  assert.equal(r.stdout.split('\n')[0], `${latin1}:2:11: error xml-syntax: ${NOT_UTF8}`);
  assert.match(r.stdout, /1 file checked: 1 error\n$/);
  assert.equal(r.stderr, '');
});

test('check --format json, sarif, github: the same error at the same place', async () => {
  const json = JSON.parse((await run('check', '--no-config', '--format', 'json', latin1)).stdout) as {
    diagnostics: { code: string; severity: string; message: string; range: { start: { line: number; character: number } } }[];
  }[];
  assert.deepEqual(
    json[0].diagnostics.map((d) => [d.code, d.severity, d.range.start.line, d.range.start.character, d.message]),
    [['xml-syntax', 'error', 1, 10, NOT_UTF8]],
  );
  const sarif = JSON.parse((await run('check', '--no-config', '--format', 'sarif', latin1)).stdout) as {
    runs: {
      results: {
        ruleId: string;
        level: string;
        locations: { physicalLocation: { region: { startLine: number; startColumn: number } } }[];
      }[];
    }[];
  };
  assert.deepEqual(
    sarif.runs[0].results.map((x) => [
      x.ruleId,
      x.level,
      x.locations[0].physicalLocation.region.startLine,
      x.locations[0].physicalLocation.region.startColumn,
    ]),
    [['xml-syntax', 'error', 2, 11]],
  );
  const github = await run('check', '--no-config', '--format', 'github', latin1);
  assert.equal(github.code, 1);
  assert.ok(
    github.stdout.startsWith(`::error file=${latin1},line=2,col=11,endLine=2,endColumn=12,title=xml-syntax::${NOT_UTF8}`),
    github.stdout,
  );
});

test("check: an encoding='ISO-8859-1' declaration does not help (libvirt refuses it too), nor does standard input", async () => {
  const declared = write('declared.xml', "<?xml version='1.0' encoding='ISO-8859-1'?>\n", HEAD, Buffer.from([0xe9]), TAIL);
  const r = await run('check', '--no-config', declared);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /declared\.xml:3:11: error xml-syntax: Byte 0xE9 is not UTF-8/);
  const stdin = await runCli(['check', '--no-config', '-'], { cwd: tmp, readStdin: async () => fs.readFileSync(latin1) });
  assert.equal(stdin.code, 1);
  assert.match(stdin.stdout, /^<stdin>:2:11: error xml-syntax: Byte 0xE9 is not UTF-8/);
});

test('check: a well-formed sequence of a surrogate or a code point past U+10FFFF is "out of allowed range", as libxml2 says', async () => {
  for (const [bytes, said] of [
    [
      [0xed, 0xa0, 0x80],
      'Bytes 0xED 0xA0 0x80 encode U+D800, which is not an XML character — define/attach fails; libvirt: "Char 0xD800 out of allowed range"',
    ],
    [
      [0xf4, 0x90, 0x80, 0x80],
      'Bytes 0xF4 0x90 0x80 0x80 encode U+110000, which is not an XML character — define/attach fails; libvirt: "Char 0x110000 out of allowed range"',
    ],
  ] as const) {
    const file = write('range.xml', HEAD, Buffer.from(bytes), TAIL);
    const r = await run('check', '--no-config', file);
    assert.equal(r.stdout.split('\n')[0], `${file}:2:11: error xml-syntax: ${said}`);
  }
});

test('check: overlong forms, a continuation byte alone and a cut sequence are not UTF-8; the first one is reported', async () => {
  for (const bytes of [[0xc0, 0x80], [0xe0, 0x80, 0x80], [0xf0, 0x80, 0x80, 0x80], [0x80], [0xe2, 0x82], [0xf8, 0x88, 0x80, 0x80, 0x80]]) {
    const file = write('bad.xml', HEAD, Buffer.from(bytes), Buffer.from([0xe9]), TAIL);
    const r = await run('check', '--no-config', '--format', 'json', file);
    const d = (JSON.parse(r.stdout) as { diagnostics: { message: string; range: { start: { character: number } } }[] }[])[0].diagnostics;
    assert.equal(d.length, 1, `${bytes}: ${JSON.stringify(d)}`);
    assert.equal(d[0].range.start.character, 10);
    assert.ok(d[0].message.startsWith(`Byte 0x${bytes[0].toString(16).toUpperCase()} is not UTF-8`), d[0].message);
  }
});

test('check: a UTF-8 BOM, valid multi-byte text (é, an emoji, a real U+FFFD) are fine; after a BOM a bad byte keeps its column', async () => {
  const good = write('good.xml', '\uFEFF', HEAD, 'é 😀 \uFFFD', TAIL);
  const r = await run('check', '--no-config', good);
  assert.equal(r.code, 0, r.stdout);
  assert.match(r.stdout, /1 file checked: no problems/);
  const bomBad = write('bom-bad.xml', '\uFEFF', HEAD, 'é', Buffer.from([0xe9]), TAIL);
  const bad = await run('check', '--no-config', bomBad);
  assert.equal(bad.code, 1);
  assert.match(bad.stdout, /bom-bad\.xml:2:12: error xml-syntax: Byte 0xE9 is not UTF-8/);
});

test('attach, detach and net-define refuse a file that is not UTF-8 before any host is contacted, even with --force: exit 1', async () => {
  const network = write(
    'pool.xml',
    '<network>\n  <name>pool</name>\n  <!-- caf',
    Buffer.from([0xe9]),
    " -->\n  <forward mode='hostdev' managed='yes'><pf dev='enp11s0f0'/></forward>\n</network>\n",
  );
  // a host that cannot be reached: a run that got as far as the host would exit 2
  const host = ['--host', 'nobody@127.0.0.1:1', '--connect-timeout', '1'];
  for (const [argv, file, line] of [
    [['attach', latin1, '--guest', 'web01', ...host], latin1, 2],
    [['detach', latin1, '--guest', 'web01', '--force', ...host], latin1, 2],
    [['net-define', network, '--force', ...host], network, 3],
  ] as const) {
    const r = await run(...argv);
    assert.equal(r.code, 1, `${argv[0]}: ${r.stderr}`);
    assert.equal(r.stdout, '');
    assert.equal(
      r.stderr,
      `${file}:${line}:11: error xml-syntax: ${NOT_UTF8}\nlibvirt-hostdev: ${file} is not UTF-8; nothing sent to libvirt, even with --force (save the file as UTF-8)\n`,
    );
  }
});

test('attach refuses a UTF-16 file as it refuses one that is not UTF-8: libvirt refuses it at its first byte', async () => {
  const utf16 = write('utf16.xml', Buffer.from([0xff, 0xfe]), Buffer.from(HEAD + 'é' + TAIL, 'utf16le'));
  const r = await run('attach', utf16, '--guest', 'web01', '--force', '--host', 'nobody@127.0.0.1:1', '--connect-timeout', '1');
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /utf16\.xml:1:1: error xml-syntax: The file is UTF-16 \(byte order mark 0xFF 0xFE\): /);
  assert.match(r.stderr, /utf16\.xml is not UTF-8; nothing sent to libvirt, even with --force \(save the file as UTF-8\)\n$/);
});

test('check: a bad byte where the parser already has an error (text after the root element) is that one error, as libxml2 stops there', async () => {
  const file = write('after.xml', "<domain type='kvm'>\n  <name>g</name>\n</domain>\n", Buffer.from([0xe9]), '\n');
  const r = await run('check', '--no-config', '--format', 'json', file);
  const d = (JSON.parse(r.stdout) as { diagnostics: { code: string; message: string; range: { start: { line: number } } }[] }[])[0]
    .diagnostics;
  assert.deepEqual(
    d.filter((x) => x.code === 'xml-syntax').map((x) => [x.range.start.line, x.message.startsWith('Text after the <domain> element')]),
    [[3, true]],
  );
});
