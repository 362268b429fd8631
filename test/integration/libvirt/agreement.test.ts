// Agreement with libvirt itself: every corpus case (test/fixtures/corpus) is wrapped in a
// test-driver domain and defined with the real `virsh -c test:///default define`. What libvirt
// rejects must get an error here; what it accepts and would start must get none; what it accepts
// but QEMU refuses at start must get an error (the gap this tool closes). virsh comes from Debian's
// libvirt-clients (test/run.sh installs it); without it this test fails, it is never skipped.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { validate } from '../../../server/src/service/validate';
import type { DiagnosticCode, Problem } from '../../../server/src/service/types';
import { virshDefine, type VirshVerdict } from '../../support/virsh';

// compiled to out/test/unit/libvirt/: the corpus stays in the source tree
const CORPUS = resolve(__dirname, '../../../../test/fixtures/corpus');
const FOLDERS = ['reject', 'accept-fails-at-start', 'accept-starts'] as const;
type Folder = (typeof FOLDERS)[number];

interface Case {
  folder: Folder;
  file: string;
  /** the case as stored: a device snippet (users check bare snippets too) or a whole test-driver domain */
  snippet: string;
  /** the device snippet wrapped in a test-driver domain, or the whole domain */
  domainXml: string;
}

function wrap(device: string, n: number): string {
  return (
    `<domain type='test'><name>agree-${n}</name><memory unit='KiB'>1048576</memory>` +
    `<os><type>hvm</type></os><devices>\n${device}</devices></domain>\n`
  );
}

function loadCases(): Case[] {
  const cases: Case[] = [];
  for (const folder of FOLDERS) {
    for (const file of readdirSync(join(CORPUS, folder))
      .filter((f) => f.endsWith('.xml'))
      .sort()) {
      const snippet = readFileSync(join(CORPUS, folder, file), 'utf8');
      // a whole <domain> case (guest-wide settings such as <memtune>) is defined as it is
      const domainXml = /^\s*(?:<!--[^]*?-->\s*)*<domain[\s>]/.test(snippet) ? snippet : wrap(snippet, cases.length + 1);
      cases.push({ folder, file, snippet, domainXml });
    }
  }
  return cases;
}

const cases = loadCases();
let workDir = '';
const virsh = new Map<Case, Promise<VirshVerdict>>();

before(() => {
  workDir = mkdtempSync(join(tmpdir(), 'libvirt-agreement-'));
});
after(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

/** virsh's verdict on a case; each case is defined once (about 20 ms a call). */
function verdict(c: Case, n: number): Promise<VirshVerdict> {
  let result = virsh.get(c);
  if (!result) {
    const file = join(workDir, `case-${n}.xml`);
    writeFileSync(file, c.domainXml);
    result = virshDefine(file);
    virsh.set(c, result);
  }
  return result;
}

const errorsOf = (problems: Problem[]) => problems.filter((p) => p.severity === 'error');
const describe = (c: Case, problems: Problem[]) =>
  problems.map((p) => `  ${p.severity} ${p.code} '${c.domainXml.slice(p.span.start, p.span.end)}': ${p.message}`).join('\n') || '  (none)';

test('the corpus has at least 25 cases in each expectation', () => {
  assert.ok(cases.filter((c) => c.folder === 'reject').length >= 25, 'reject cases');
  assert.ok(cases.length >= 50, 'all cases');
});

cases.forEach((c, n) => {
  const name = `${c.folder}/${c.file}`;
  if (c.folder === 'reject') {
    test(`${name}: libvirt rejects it, and it gets an error here`, async () => {
      const v = await verdict(c, n);
      assert.equal(v.accepted, false, `virsh accepted ${name}: the case belongs in an accept-* folder\n${v.output}`);
      const problems = validate(c.domainXml);
      assert.ok(errorsOf(problems).length > 0, `libvirt says:\n${v.output}\nbut no error here; got:\n${describe(c, problems)}`);
      assert.ok(errorsOf(validate(c.snippet)).length > 0, 'the bare snippet gets an error too');
    });
  } else if (c.folder === 'accept-fails-at-start') {
    test(`${name}: libvirt accepts it at define, QEMU refuses it, and it gets an error here`, async () => {
      const v = await verdict(c, n);
      assert.equal(v.accepted, true, `virsh rejected ${name}: the case belongs in reject/\n${v.output}`);
      const problems = validate(c.domainXml);
      assert.ok(errorsOf(problems).length > 0, `no error for a device that cannot start; got:\n${describe(c, problems)}`);
      assert.ok(errorsOf(validate(c.snippet)).length > 0, 'the bare snippet gets an error too');
    });
  } else {
    test(`${name}: libvirt accepts it, the guest would start, and it gets no error here`, async () => {
      const v = await verdict(c, n);
      assert.equal(v.accepted, true, `virsh rejected ${name}: the case belongs in reject/\n${v.output}`);
      const problems = validate(c.domainXml);
      assert.deepEqual(
        errorsOf(problems).map((p) => p.code),
        [],
        `unexpected errors:\n${describe(c, errorsOf(problems))}`,
      );
      assert.deepEqual(
        errorsOf(validate(c.snippet)).map((p) => p.code),
        [],
        'the bare snippet gets no error either',
      );
    });
  }
});

test("controller-index: the message quotes virsh's own refusal of each corpus case", async () => {
  const controllerCases = cases.filter((c) => c.folder === 'reject' && c.file.startsWith('controller-index-'));
  assert.ok(controllerCases.length >= 5, 'controller-index cases in reject/');
  for (const c of controllerCases) {
    const v = await verdict(c, cases.indexOf(c));
    const said = /error: ((?:XML error|unsupported configuration): [^\n]*)/.exec(v.output)?.[1];
    assert.ok(said, `${c.file}: virsh said:\n${v.output}`);
    const problems = validate(c.domainXml).filter((p) => p.code === 'controller-index');
    assert.equal(problems.length, 1, `${c.file}: ${describe(c, problems)}`);
    assert.ok(problems[0].message.includes(`"${said}"`), `${c.file}: virsh said "${said}"; here: ${problems[0].message}`);
  }
});

test("memory-size: the message quotes virsh's own refusal of each corpus case", async () => {
  const sizeCases = cases.filter((c) => c.folder === 'reject' && c.file.startsWith('memory-size-'));
  assert.ok(sizeCases.length >= 10, 'memory-size cases in reject/');
  for (const c of sizeCases) {
    const v = await verdict(c, cases.indexOf(c));
    // libvirt's error is the last line virsh prints
    const said = /\nerror: ([^\n]*)$/.exec(v.output)?.[1];
    assert.ok(said, `${c.file}: virsh said:\n${v.output}`);
    const problems = validate(c.domainXml).filter((p) => p.code === 'memory-size');
    assert.equal(problems.length, 1, `${c.file}: ${describe(c, problems)}`);
    assert.ok(problems[0].message.includes(`libvirt: "${said}"`), `${c.file}: virsh said "${said}"; here: ${problems[0].message}`);
  }
});

test("source-missing on an <interface type='network'>: the message quotes virsh's own refusal of each corpus case", async () => {
  const sourceCases = cases.filter((c) => c.folder === 'reject' && c.file.startsWith('network-interface-source-'));
  assert.ok(sourceCases.length >= 2, 'network-interface-source-* cases in reject/');
  for (const c of sourceCases) {
    const v = await verdict(c, cases.indexOf(c));
    const said = /\nerror: ([^\n]*)$/.exec(v.output)?.[1];
    assert.ok(said, `${c.file}: virsh said:\n${v.output}`);
    const problems = validate(c.domainXml).filter((p) => p.code === 'source-missing');
    assert.equal(problems.length, 1, `${c.file}: ${describe(c, problems)}`);
    assert.ok(problems[0].message.includes(`libvirt: "${said}"`), `${c.file}: virsh said "${said}"; here: ${problems[0].message}`);
  }
});

test('the corpus exercises every define-time and start-time error family', () => {
  const seen = new Set<DiagnosticCode>();
  for (const c of cases) for (const p of errorsOf(validate(c.domainXml))) seen.add(p.code);
  const expected: DiagnosticCode[] = [
    'source-missing',
    'source-address-type',
    'pci-number',
    'pci-range',
    'pci-duplicate',
    'mac-syntax',
    'mac-multicast',
    'vlan-tag',
    'vlan-trunk',
    'vlan-virtualport',
    'virtualport-type',
    'virtualport-parameters',
    'driver-name',
    'element-unsupported',
    'guest-address-type',
    'address-multifunction',
    'teaming',
    'rom',
    'boot-order-duplicate',
    'alias-duplicate',
    'controller-index',
    'memlock-limit',
    'memory-size',
  ];
  assert.deepEqual(
    expected.filter((code) => !seen.has(code)),
    [],
  );
});
