// Sizes read as libvirt reads them (server/src/service/memorySize.ts), against the real parser: each
// case is a test-driver domain with a <memory> and a <memtune><hard_limit> in some unit, defined with
// `virsh -c test:///default` and dumped back, where libvirt writes both in KiB (a hard limit it takes
// as "no limit" is not written). A size libvirt refuses must read as null here, and libvirt's error
// for it must be the one memorySize.ts's sizeError writes (the text the memory-size rule quotes). Needs Debian's
// libvirt-clients (test/run.sh installs it); without virsh this test fails, it is never skipped.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isRefusal, memoryKiB, memoryLimitKiB, readMemory, readMemoryLimit, sizeError } from '../../../server/src/service/memorySize';

interface SizeCase {
  memory: [value: string, unit: string | null];
  hardLimit: [value: string, unit: string | null];
}

const CASES: SizeCase[] = [
  { memory: ['4', 'GiB'], hardLimit: ['5', 'G'] },
  { memory: ['4096', 'MiB'], hardLimit: ['5120', 'M'] },
  { memory: ['4194304', null], hardLimit: ['5242880', 'KiB'] },
  { memory: ['4', 'GB'], hardLimit: ['5', 'gb'] },
  { memory: ['4000000', 'KB'], hardLimit: ['5000', 'MB'] },
  { memory: ['1048577', 'b'], hardLimit: ['5368709119', 'bytes'] },
  { memory: ['1048577', 'byte'], hardLimit: ['1000', 'B'] },
  { memory: ['1', 'T'], hardLimit: ['1', 'TiB'] },
  { memory: ['2', 'gib'], hardLimit: ['3', 'Gib'] },
  { memory: ['2', 'k'], hardLimit: ['3', 'K'] },
  { memory: [' +1048576', null], hardLimit: ['  +2097152', null] },
  { memory: ['1048576', null], hardLimit: ['0', null] },
  { memory: ['1048576', null], hardLimit: ['9007199254740990', null] },
  // the largest hard limit libvirt takes, and "no limit" at or past VIR_DOMAIN_MEMORY_PARAM_UNLIMITED
  { memory: ['1048576', null], hardLimit: ['8191', 'PiB'] },
  { memory: ['1048576', null], hardLimit: ['9007199254740991', null] },
  { memory: ['1048576', null], hardLimit: ['', 'GiB'] },
  // refused: trailing blank, '-', hex, unknown units, too large
  { memory: ['1048576', null], hardLimit: ['2097152 ', null] },
  { memory: ['1048576', null], hardLimit: ['-1', null] },
  { memory: ['0x100000', null], hardLimit: ['1', 'GiB'] },
  { memory: ['1048576', null], hardLimit: ['1', 'Ki'] },
  { memory: ['1048576', null], hardLimit: ['1', 'GiBs'] },
  { memory: ['1', 'Gb '], hardLimit: ['1', 'GiB'] },
  { memory: ['1048576', null], hardLimit: ['8192', 'PiB'] },
  { memory: ['8', 'EiB'], hardLimit: ['1', 'GiB'] },
  { memory: ['18446744073709551616', 'b'], hardLimit: ['1', 'GiB'] },
  // refused: a fraction, blanks only, a unit in any case that is still unknown, too large without a unit
  { memory: ['1.5', 'GiB'], hardLimit: ['1', 'GiB'] },
  { memory: ['1048576', null], hardLimit: ['   ', null] },
  { memory: ['1048576', null], hardLimit: ['1', 'GIGS'] },
  { memory: ['+09223372036854775807', null], hardLimit: ['1', 'GiB'] },
  { memory: ['9223372036854775807', 'b'], hardLimit: ['1', 'GiB'] },
];

const unitAttr = (unit: string | null) => (unit === null ? '' : ` unit='${unit}'`);

function domainXml(c: SizeCase, name: string): string {
  return (
    `<domain type='test'><name>${name}</name><memory${unitAttr(c.memory[1])}>${c.memory[0]}</memory>` +
    `<memtune><hard_limit${unitAttr(c.hardLimit[1])}>${c.hardLimit[0]}</hard_limit></memtune>` +
    `<os><type>hvm</type></os></domain>\n`
  );
}

let workDir = '';
before(() => {
  workDir = mkdtempSync(join(tmpdir(), 'libvirt-sizes-'));
});
after(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

type Reading = { memory: string; hardLimit: string } | { refused: string };

/** libvirt's reading: both sizes in KiB ('unlimited' when no hard limit is written back), or its error when define refuses. */
function libvirtReads(c: SizeCase, n: number): Reading {
  const name = `lhd-size-${n}`;
  const file = join(workDir, `${name}.xml`);
  writeFileSync(file, domainXml(c, name));
  // the test driver keeps a definition for one connection only: define and dump in one virsh call
  const run = spawnSync('virsh', ['-c', 'test:///default', `define '${file}'; dumpxml ${name}`], { encoding: 'utf8', timeout: 30_000 });
  if (run.error) throw new Error(`virsh could not run (Debian package libvirt-clients): ${run.error.message}`);
  if (run.status !== 0) {
    assert.match(run.stderr, /error: Failed to define domain/, `case ${n}: virsh failed otherwise:\n${run.stderr}`);
    // then dumpxml fails too ("failed to get domain"): libvirt's error is what lies between
    const said = /error: Failed to define domain[^\n]*\nerror: ([^]*?)\n+error: failed to get domain/.exec(run.stderr)?.[1];
    assert.ok(said, `case ${n}: no error after "Failed to define domain" in\n${run.stderr}`);
    return { refused: said };
  }
  const memory = /<memory unit='KiB'>(\d+)<\/memory>/.exec(run.stdout)?.[1];
  assert.ok(memory, `case ${n}: no <memory> in\n${run.stdout}`);
  return { memory, hardLimit: /<hard_limit unit='KiB'>(\d+)<\/hard_limit>/.exec(run.stdout)?.[1] ?? 'unlimited' };
}

/** Our reading, with the error libvirt gives for the first refused size (it reads <memory> before <memtune>). */
function oursFor(c: SizeCase): Reading {
  const memory = readMemory(c.memory[0], c.memory[1]);
  const hardLimit = readMemoryLimit(c.hardLimit[0], c.hardLimit[1]);
  if (isRefusal(memory)) return { refused: sizeError(memory, './memory[1]') };
  if (isRefusal(hardLimit)) return { refused: sizeError(hardLimit, './memtune/hard_limit[1]') };
  // the readers in memlock-limit's terms: null exactly when refused
  assert.equal(memoryKiB(c.memory[0], c.memory[1]), memory === 'absent' ? 0n : memory);
  assert.equal(memoryLimitKiB(c.hardLimit[0], c.hardLimit[1]), hardLimit);
  return { memory: `${memory}`, hardLimit: `${hardLimit}` };
}

CASES.forEach((c, n) => {
  test(`sizes as libvirt reads them: <memory${unitAttr(c.memory[1])}>${c.memory[0]}, <hard_limit${unitAttr(c.hardLimit[1])}>${c.hardLimit[0]}`, () => {
    assert.deepEqual(oursFor(c), libvirtReads(c, n));
  });
});

test('the size cases include each kind of refusal and "no limit", so the comparison can fail both ways', () => {
  const readings = CASES.map((c) => memoryLimitKiB(c.hardLimit[0], c.hardLimit[1]));
  assert.ok(readings.includes(null) && readings.includes('unlimited'));
  const refusals = CASES.flatMap((c) => [readMemory(c.memory[0], c.memory[1]), readMemoryLimit(c.hardLimit[0], c.hardLimit[1])]);
  const kinds = new Set(refusals.filter(isRefusal).map((r) => r.why));
  assert.deepEqual([...kinds].sort(), ['not-a-number', 'size-too-large', 'too-large', 'unknown-unit']);
});
