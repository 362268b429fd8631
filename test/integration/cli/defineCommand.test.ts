// `libvirt-hostdev define FILE --host …` against REAL libvirt: the test user's qemu:///session over the
// loopback sshd. A guest's definition, edited, defined again (virsh define --validate); refused before the
// change for errors and for a VF the host's definition holds that FILE lacks, then with --force; libvirt's
// schema refusal in its own words; --dry-run changes nothing; no temp file is left on the host.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../support/cli';
import {
  defineGuest,
  hostdevInterface,
  inactiveXml,
  isolateHome,
  remoteTempFiles,
  removeGuest,
  sessionHostArgs,
  startFreshGuest,
  undefineGuest,
} from '../inventory/support';

const GUEST = 'lhd-cli-define';
/** a guest without devices, started: QEMU runs it */
const RUNNING = 'lhd-cli-define-running';
const VF = hostdevInterface(0x0b, 0x10, 3, '52:54:00:4c:00:03');
let dir = '';

before(() => {
  isolateHome('lhd-cli-define-home-', true);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-cli-define-'));
  undefineGuest(GUEST);
  defineGuest(GUEST, VF);
  startFreshGuest(RUNNING);
});

after(() => {
  undefineGuest(GUEST);
  removeGuest(RUNNING);
  fs.rmSync(dir, { recursive: true, force: true });
});

function file(name: string, xml: string): string {
  const f = path.join(dir, name);
  fs.writeFileSync(f, xml);
  return f;
}

/** the host's definition with a <title> after <name> */
const withTitle = (xml: string, title: string) => xml.replace('</name>', `</name>\n  <title>${title}</title>`);

test("define: the host's definition with a title, refused for its error (the VF is not on this host), defined with --force", async () => {
  const tempBefore = remoteTempFiles();
  const f = file('edited.xml', withTitle(inactiveXml(GUEST), 'from the CLI'));
  const refused = await runCli(['define', f, ...sessionHostArgs()]);
  assert.equal(refused.code, 1, refused.stderr);
  assert.match(refused.stderr, /edited\.xml:\d+:\d+: error pci-unknown: /);
  // (and host-iommu: this machine has no IOMMU)
  assert.match(refused.stderr, /edited\.xml has \d error\(s\); not sent to libvirt \(use --force to define it anyway\)/);
  assert.doesNotMatch(refused.stderr, /holds/, 'the document keeps the VF: nothing dropped');
  assert.doesNotMatch(inactiveXml(GUEST), /from the CLI/);

  const defined = await runCli(['define', f, ...sessionHostArgs(), '--force', '--print-diff']);
  assert.equal(defined.code, 0, defined.stderr);
  assert.match(defined.stderr, /^\$ virsh -c qemu:\/\/\/session define --validate --file \/dev\/stdin$/m);
  assert.match(defined.stdout, new RegExp(`^Domain '${GUEST}' defined from /dev/stdin`));
  // the host's definition before and after, both as libvirt writes them: the title is the one change
  assert.match(defined.stdout, new RegExp(`^--- ${GUEST} \\(before\\)\n\\+\\+\\+ ${GUEST} \\(after\\)$`, 'm'));
  assert.deepEqual(
    defined.stdout.split('\n').filter((l) => /^[-+] /.test(l)),
    ['+  <title>from the CLI</title>'],
  );
  assert.match(inactiveXml(GUEST), /<title>from the CLI<\/title>/);
  assert.deepEqual(remoteTempFiles(), tempBefore, 'a temp file was left on the host');
});

test('define: a FILE without the VF the host definition holds is refused and names it; --dry-run prints and changes nothing', async () => {
  const hostXml = inactiveXml(GUEST);
  const f = file('dropped.xml', hostXml.replace(/ *<interface type='hostdev'[^]*?<\/interface>\n/, ''));
  const refused = await runCli(['define', f, ...sessionHostArgs()]);
  assert.equal(refused.code, 1);
  assert.match(
    refused.stderr,
    new RegExp(
      `dropped\\.xml: The definition of '${GUEST}' on '[^']+' holds a device this document does not: <interface> 0000:0b:10\\.3\\.`,
    ),
  );
  assert.match(refused.stderr, /dropped\.xml has host devices it would drop; not sent to libvirt/);
  const dry = await runCli(['define', f, ...sessionHostArgs(), '--force', '--dry-run']);
  assert.equal(dry.code, 0, dry.stderr);
  assert.equal(dry.stdout, fs.readFileSync(f, 'utf8'));
  const predicted = await runCli(['define', f, ...sessionHostArgs(), '--force', '--dry-run', '--print-diff']);
  assert.equal(predicted.code, 0, predicted.stderr);
  // the host's definition against FILE as written: the interface is what goes
  assert.match(predicted.stdout, new RegExp(`^\\+\\+\\+ ${GUEST} \\(${f.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} as written\\)$`, 'm'));
  assert.ok(predicted.stdout.includes("-    <interface type='hostdev' managed='yes'>"), predicted.stdout);
  assert.ok(!/^\+ /m.test(predicted.stdout.slice(predicted.stdout.indexOf('@@'))), 'nothing added');
  assert.match(dry.stderr, /would run: virsh -c qemu:\/\/\/session define --validate --file \/dev\/stdin\n/);
  assert.equal(inactiveXml(GUEST), hostXml, 'nothing changed');
});

test('define of a running guest: stderr says the new definition applies when it is shut down and started again', async () => {
  const f = file('running.xml', withTitle(inactiveXml(RUNNING), 'while running'));
  const r = await runCli(['define', f, ...sessionHostArgs()]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stderr,
    new RegExp(
      `^libvirt-hostdev: '${RUNNING}' is running: it runs on with the definition it started with; the new one applies when it is shut down and started again\\.$`,
      'm',
    ),
  );
  assert.match(inactiveXml(RUNNING), /<title>while running<\/title>/);
});

test("define: libvirt's schema refuses a misspelt element (--validate), in its own words", async () => {
  const hostXml = inactiveXml(GUEST);
  const f = file('typo.xml', hostXml.replace('</name>', '</name>\n  <titel>typo</titel>'));
  const r = await runCli(['define', f, ...sessionHostArgs(), '--force']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /XML document failed to validate against schema[^]*Element domain has extra content: titel/);
  assert.equal(inactiveXml(GUEST), hostXml);
});

test('define: usage errors and documents virsh define does not read, before any host is contacted', async () => {
  const net = file('net.xml', '<network><name>n</name></network>\n');
  const r = await runCli(['define', net, '--host', 'nosuch.invalid']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /net\.xml: not a domain XML document \(virsh define reads one <domain> and nothing else\)/);
  const noName = await runCli(['define', file('noname.xml', "<domain type='kvm'><devices/></domain>\n"), '--host', 'nosuch.invalid']);
  assert.equal(noName.code, 2);
  assert.match(noName.stderr, /noname\.xml: the domain has no <name>/);
  const two = await runCli(['define', net, net, '--host', 'nosuch.invalid']);
  assert.equal(two.code, 2);
  assert.match(two.stderr, /define takes exactly one FILE/);
});
