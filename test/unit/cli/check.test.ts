// `libvirt-hostdev check`, called in-process through main(argv, io).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { runCli, type CliRun } from '../../support/cli';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const examples = path.join(root, 'examples');
const inventory = path.join(examples, '82576-inventory.json');
const bad = path.join(examples, 'guest-bad.xml');
const good = path.join(examples, 'guest-good.xml');
const snippet = path.join(examples, 'interface-snippet.xml');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-cli-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const run = (...argv: string[]): Promise<CliRun> => runCli(argv);

function write(name: string, content: string | Buffer): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, content);
  return file;
}

/** 1-based line of the first occurrence of `needle` in `file`. */
function lineOf(file: string, needle: string): number {
  const text = fs.readFileSync(file, 'utf8');
  return text.slice(0, text.indexOf(needle)).split('\n').length;
}

interface JsonReport {
  file: string;
  diagnostics: {
    code: string;
    severity: string;
    message: string;
    range: { start: { line: number; character: number }; end: { line: number; character: number } };
  }[];
}

test('the bad example reports the unclosed <mac> and the vlan-virtualport clash, compiler style, exit 1', async () => {
  const { code, stdout, stderr } = await run('check', '--inventory', inventory, bad);
  assert.equal(code, 1);
  assert.equal(stderr, '');
  const macLine = lineOf(bad, "<mac address='52:54:00:6d:90:22'");
  const lines = stdout.split('\n');
  const syntax = lines.find((l) => l.includes(' error xml-syntax: '));
  assert.ok(syntax, stdout);
  const m = /^(.*):(\d+):(\d+): error xml-syntax: /.exec(syntax);
  assert.ok(m);
  assert.equal(m[1], bad);
  assert.ok([macLine, macLine + 1].includes(Number(m[2])), `xml-syntax at line ${m[2]}, mac at ${macLine}`);
  const vlan = lines.find((l) => / error vlan-virtualport: /.test(l));
  assert.ok(vlan, stdout);
  const vlanLine = Number(/:(\d+):\d+: /.exec(vlan)![1]);
  assert.ok([lineOf(bad, '<vlan>'), lineOf(bad, "<virtualport type='802.1Qbh'>")].includes(vlanLine));
  for (const c of ['mac-multicast', 'pci-decimal', 'pci-octal', 'pci-unknown', 'pci-not-vf', 'vf-in-use']) {
    assert.match(stdout, new RegExp(`:\\d+:\\d+: (error|warning|information|hint) ${c}: `), c);
  }
  assert.match(lines.filter((l) => l !== '').at(-1)!, /^1 file checked: \d+ errors, \d+ warnings?(, \d+ hints?)?$/);
});

test('the good example and the snippet have no problems: exit 0', async () => {
  const { code, stdout } = await run('check', '--inventory', inventory, good, snippet);
  assert.equal(code, 0);
  assert.equal(stdout, '2 files checked: no problems\n');
});

test("--format json: the issue's shape, 0-based lines, UTF-16 characters", async () => {
  // The emoji is two UTF-16 code units: the MAC value starts at a UTF-16 column, not a code-point one.
  const prefix = "<!-- 😀 --><interface type='hostdev'><mac address='";
  const file = write(
    'utf16.xml',
    `\n${prefix}01:00:5e:00:00:01'/><source><address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x2'/></source></interface>\n`,
  );
  const { code, stdout } = await run('check', '--format', 'json', file, good);
  assert.equal(code, 1);
  const report = JSON.parse(stdout) as JsonReport[];
  assert.deepEqual(
    report.map((r) => Object.keys(r)),
    [
      ['file', 'diagnostics', 'suppressed'],
      ['file', 'diagnostics', 'suppressed'],
    ],
  );
  assert.deepEqual(
    report.map((r) => r.file),
    [file, good],
  );
  const multicast = report[0].diagnostics.find((d) => d.code === 'mac-multicast');
  assert.ok(multicast);
  assert.deepEqual(Object.keys(multicast), ['code', 'severity', 'message', 'range']);
  assert.equal(multicast.severity, 'error');
  assert.deepEqual(multicast.range.start, { line: 1, character: prefix.length });
  assert.deepEqual(multicast.range.end, { line: 1, character: prefix.length + '01:00:5e:00:00:01'.length });
  for (const r of report) for (const d of r.diagnostics) assert.ok(['error', 'warning', 'information', 'hint'].includes(d.severity));
  // text and github: the same column from 1 (README: UTF-16 code units, the emoji is two)
  const column = prefix.length + 1;
  assert.ok((await run('check', file)).stdout.includes(`${file}:2:${column}: error mac-multicast: `));
  assert.ok(
    (await run('check', '--format', 'github', file)).stdout.includes(
      `line=2,col=${column},endLine=2,endColumn=${column + 17},title=mac-multicast::`,
    ),
  );
});

test('warnings and hints alone exit 0', async () => {
  const file = write(
    'octal-ish.xml',
    "<interface type='hostdev' managed='yes'><mac address='52:54:00:11:22:33'/><source><address type='pci' domain='0x0000' bus='11' slot='0x10' function='0x2'/></source></interface>\n",
  );
  const { code, stdout } = await run('check', file);
  assert.equal(code, 0);
  assert.match(stdout, / hint pci-decimal: /);
});

test('usage errors exit 2 with a reason', async () => {
  const cases: [string[], RegExp][] = [
    [[], /Usage: libvirt-hostdev/],
    [['check'], /no FILE to check/],
    [['check', '--bogus', good], /^libvirt-hostdev: unknown option '--bogus'\n/],
    [['check', '--format', 'xml', good], /--format must be one of text, json, sarif, github/],
    [['check', '--inventory', inventory, '--host', 'kvm1', good], /cannot be used together/],
    [['check', '--connect', 'qemu:///system', good], /--connect needs --host/],
    [['check', '--host', 'local', '--timeout', 'soon', good], /--timeout must be a number of seconds/],
    [['frobnicate'], /unknown command 'frobnicate'/],
  ];
  for (const [argv, reason] of cases) {
    const { code, stderr } = await run(...argv);
    assert.equal(code, 2, argv.join(' '));
    assert.match(stderr, reason, argv.join(' '));
  }
});

test('a bad inventory exits 2 naming the field, before any file is checked', async () => {
  const data = JSON.parse(fs.readFileSync(inventory, 'utf8'));
  data.devices[3].address = '0b:10.0';
  const file = write('bad-inventory.json', JSON.stringify(data));
  const { code, stdout, stderr } = await run('check', '--inventory', file, bad);
  assert.equal(code, 2);
  assert.equal(stdout, '');
  assert.equal(stderr, `libvirt-hostdev: ${file}: devices[3].address: expected "DDDD:BB:SS.F", got "0b:10.0"\n`);

  const wrongFormat = write('v2.json', JSON.stringify({ ...data, format: 'something/2' }));
  assert.match((await run('check', '--inventory', wrongFormat, good)).stderr, /format: expected "libvirt-hostdev-inventory\/1"/);
  const notJson = write('not.json', '{"format": ');
  const r = await run('check', '--inventory', notJson, good);
  assert.equal(r.code, 2);
  assert.equal(r.stderr, `libvirt-hostdev: ${notJson}:1:11: bad JSON: Unexpected end of JSON input\n`);
  assert.equal(r.stderr.split('\n').filter(Boolean).length, 1, 'one line');
});

test('an unreadable file exits 2, and the readable ones are still reported', async () => {
  const { code, stdout, stderr } = await run('check', path.join(tmp, 'missing.xml'), good);
  assert.equal(code, 2);
  assert.match(stderr, /missing\.xml: cannot read: no such file or directory \(ENOENT\)\n$/);
  const noInventory = await run('check', '--inventory', path.join(tmp, 'missing.json'), good);
  assert.equal(noInventory.code, 2);
  assert.match(noInventory.stderr, /missing\.json: cannot read: no such file or directory \(ENOENT\)\n$/);
  assert.match(stdout, /1 file checked \(1 unreadable\): no problems/);
  const alone = await run('check', path.join(tmp, 'missing.xml'));
  assert.equal(alone.code, 2);
  assert.equal(alone.stdout, '0 files checked (1 unreadable)\n', 'no "no problems" when nothing was checked');
  const fifo = path.join(tmp, 'not-regular.xml');
  execFileSync('mkfifo', [fifo]);
  const special = await run('check', fifo);
  assert.equal(special.code, 2);
  assert.match(special.stderr, /not a regular file/);
});

test('a binary file exits 2 with a reason instead of a flood of diagnostics', async () => {
  const file = write('image.qcow2', Buffer.from([0x51, 0x46, 0x49, 0xfb, 0x00, 0x00, 0x00, 0x03, 0x3c, 0x3e]));
  const { code, stdout, stderr } = await run('check', file);
  assert.equal(code, 2);
  assert.match(stderr, /image\.qcow2: binary file \(NUL byte at offset 4\)/);
  assert.doesNotMatch(stdout, /xml-syntax/);
});

test('an empty file is a not-libvirt error, not "no problems": exit 1 with what libvirt says', async () => {
  const file = write('empty.xml', '');
  const { code, stdout } = await run('check', file);
  assert.equal(code, 1);
  assert.match(stdout, /empty\.xml:1:1: error not-libvirt: empty: no libvirt XML to check — libvirt: "Document is empty"$/m);
  assert.match(stdout, /1 file checked: 1 error\n$/);
});

test('empty standard input (virsh dumpxml of a guest that does not exist) exits 1', async () => {
  for (const text of ['', '  \n\t', '<?xml version="1.0"?>\n<!-- nothing -->\n']) {
    const { code, stdout } = await runCli(['check', '-'], { readStdin: async () => Buffer.from(text) });
    assert.equal(code, 1, JSON.stringify(text));
    assert.match(stdout, /<stdin>:1:1: error not-libvirt: empty: no libvirt XML to check/, JSON.stringify(text));
  }
});

test('text without an element is a not-libvirt error; any root element is checked as before (attach-device takes <disk>, <console>, …)', async () => {
  const hello = write('hello.xml', 'hello');
  const disk = write('disk.xml', "<disk type='file' device='disk'><source file='/var/lib/x.qcow2'/><target dev='vdb'/></disk>\n");
  const { code, stdout } = await run('check', hello, disk);
  assert.equal(code, 1);
  assert.match(
    stdout,
    /hello\.xml:1:1: error not-libvirt: no element: no libvirt XML to check — libvirt: "Start tag expected, '<' not found"$/m,
  );
  assert.doesNotMatch(stdout, /disk\.xml/);
  assert.match(stdout, /2 files checked: 1 error\n$/);
});

test('not-libvirt is an error in every output format', async () => {
  const file = write('nothing.xml', '');
  const json = await run('check', '--format', 'json', file);
  assert.equal(json.code, 1);
  const report = JSON.parse(json.stdout) as JsonReport[];
  assert.deepEqual(
    report[0].diagnostics.map((d) => [d.code, d.severity]),
    [['not-libvirt', 'error']],
  );
  const sarif = await run('check', '--format', 'sarif', file);
  assert.equal(sarif.code, 1);
  const results = JSON.parse(sarif.stdout).runs[0].results as { ruleId: string; level: string }[];
  assert.deepEqual(
    results.map((r) => [r.ruleId, r.level]),
    [['not-libvirt', 'error']],
  );
  const github = await run('check', '--format', 'github', file);
  assert.equal(github.code, 1);
  assert.match(github.stdout, /^::error file=.*nothing\.xml,line=1,col=1,.*title=not-libvirt::empty: no libvirt XML to check/m);
});

test("a root under a default namespace that is not libvirt's (WildFly domain.xml, RFC 8345 network) is skipped, not checked", async () => {
  const wildfly = write(
    'wildfly-domain.xml',
    '<?xml version="1.0" ?>\n<domain xmlns="urn:jboss:domain:20.0">\n  <extensions/>\n</domain>\n',
  );
  const ietf = write(
    'ietf-network.xml',
    '<network xmlns="urn:ietf:params:xml:ns:yang:ietf-network"><network-id>t</network-id></network>\n',
  );
  const stray = write('stray-ns.xml', "<domain type='kvm' xmlns='http://libvirt.org/schemas/domain/1.0'><name>g</name></domain>\n");
  const { code, stdout } = await run('check', wildfly, ietf);
  assert.equal(code, 0, stdout);
  assert.equal(stdout, '0 files checked, 2 skipped (not libvirt XML)\n');
  assert.match((await run('check', stray)).stdout, /stray-ns\.xml:1:\d+: error default-namespace:/);
});

test('each libvirt root is still checked normally', async () => {
  for (const root of ['domain', 'interface', 'hostdev', 'devices', 'network']) {
    const file = write(`${root}-root.xml`, `<${root}/>\n`);
    const { stdout } = await run('check', file);
    assert.doesNotMatch(stdout, /not-libvirt/, root);
  }
});

test('UTF-8 BOM and UTF-16 files are decoded like editors do; a UTF-16 one, which libvirt refuses at its first byte, is an xml-syntax error at 1:1', async () => {
  const text = fs.readFileSync(snippet, 'utf8');
  const utf8 = write('bom8.xml', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]));
  assert.deepEqual(await run('check', utf8), { code: 0, stdout: '1 file checked: no problems\n', stderr: '' });
  const utf16 = write('bom16.xml', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text.replace('0x10', '16'), 'utf16le')]));
  const swapped = Buffer.from(text, 'utf16le').swap16();
  const utf16be = write('bom16be.xml', Buffer.concat([Buffer.from([0xfe, 0xff]), swapped]));
  const { code, stdout } = await run('check', utf16, utf16be);
  assert.equal(code, 1);
  // virsh define of either: "(domain_definition):1: Start tag expected, '<' not found"
  const refusal = (bom: string): string =>
    `error xml-syntax: The file is UTF-16 (byte order mark ${bom}): libvirt reads every document as UTF-8, whatever its encoding declaration says; save the file as UTF-8 — define/attach fails; libvirt: "Start tag expected, '<' not found"`;
  assert.ok(stdout.includes(`${utf16}:1:1: ${refusal('0xFF 0xFE')}\n`), stdout);
  assert.ok(stdout.includes(`${utf16be}:1:1: ${refusal('0xFE 0xFF')}\n`), stdout);
  assert.match(stdout, /bom16\.xml:\d+:\d+: hint pci-decimal: /, 'the rest is still checked');
  assert.match(stdout, /2 files checked: 2 errors, 1 hint\n$/);
});

test('a file over 4 MiB (libvirt takes no more) is refused with exit 2 and the reason, the others are checked', async () => {
  const device = fs.readFileSync(snippet, 'utf8');
  const filler = `<!-- ${'x'.repeat(1023)} -->\n`;
  const big = write(
    'big.xml',
    `<domain type='kvm'>\n<name>big</name>\n<devices>\n${filler.repeat(20 * 1024)}${device}</devices>\n</domain>\n`,
  );
  assert.ok(fs.statSync(big).size > 20 * 1024 * 1024);
  const { code, stdout, stderr } = await run('check', big, good);
  assert.equal(code, 2);
  assert.equal(
    stderr,
    `libvirt-hostdev: ${big}: ${fs.statSync(big).size} bytes, more than the 4194304 bytes (4 MiB) libvirt takes: not checked\n`,
  );
  assert.match(stdout, /1 file checked \(1 too large\): 1 error/);
});

test('an unreachable host exits 2 with a one-line reason', async () => {
  const { code, stdout, stderr } = await run('check', '--host', 'nobody@127.0.0.1:1', good);
  assert.equal(code, 2);
  assert.equal(stdout, '');
  assert.match(stderr, /^libvirt-hostdev: .*127\.0\.0\.1.*\n$/);
  assert.equal(stderr.split('\n').length, 2, 'one line');
});

test('--help and --version', async () => {
  const help = await run('--help');
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^ {2}check +check domain XML/m);
  const checkHelp = await run('check', '--help');
  assert.equal(checkHelp.code, 0);
  assert.match(checkHelp.stdout, /--accept-new-host-key/);
  const version = await run('--version');
  assert.equal(version.code, 0);
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
  assert.equal(version.stdout, `libvirt-hostdev ${pkg.version}\n`);
});

test('inventory, attach and detach are dispatched to the host commands (usage without arguments: exit 2)', async () => {
  for (const command of ['inventory', 'attach', 'detach']) {
    const { code, stderr } = await run(command);
    assert.equal(code, 2, command);
    assert.notEqual(stderr, '', command);
  }
});

test("examples/README.md shows check's first lines for guest-bad.xml as check prints them", async () => {
  const shown = /The first lines for `guest-bad\.xml`:\n\n```\n([\s\S]*?)```/.exec(
    fs.readFileSync(path.join(examples, 'README.md'), 'utf8'),
  );
  assert.ok(shown, 'the example output block');
  const previous = process.cwd();
  process.chdir(root);
  try {
    const r = await run('check', '--inventory', 'examples/82576-inventory.json', 'examples/guest-bad.xml');
    assert.ok(r.stdout.startsWith(shown[1]), `README:\n${shown[1]}\ncheck:\n${r.stdout.slice(0, 800)}`);
  } finally {
    process.chdir(previous);
  }
});
