// memory-size: sizes of the guest's memory, memtune, NUMA cells, hugepages and memory devices that
// libvirt refuses at define (virParseScaledValue, virScaleInteger, virDomainParseMemory): each with
// libvirt's own error, as `virsh -c test:///default define` printed it for the same value here
// (test/integration/libvirt/memorySize.test.ts runs the same values through virsh).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits, validate } from '../../../../server/src/service/index';
import { expectAt, expectNone } from './helpers';
import { fixActions } from '../quickFixHelpers';

/** A test-driver guest with `head` after its <memory> and `devices`. */
function guest(head: string, devices = '', memory = "<memory unit='GiB'>4</memory>"): string {
  return `<domain type='kvm'>\n  <name>db01</name>\n  ${memory}\n  ${head}\n  <os><type arch='x86_64'>hvm</type></os>\n  <devices>\n${devices}  </devices>\n</domain>\n`;
}
const memtune = (element: string, value: string, unit?: string) =>
  `<memtune><${element}${unit === undefined ? '' : ` unit='${unit}'`}>${value}</${element}></memtune>`;
/** libvirt's text inside one message */
const said = (message: string) => /libvirt: "([^]*)"\./.exec(message)?.[1];

test('memory-size: a blank after the number is refused in every guest memory element, with the path libvirt names', () => {
  const cases: [string, string, string][] = [
    [guest('', '', "<memory unit='GiB'>[[4 ]]</memory>"), 'memory', './memory[1]'],
    [guest("<currentMemory unit='GiB'>[[2 ]]</currentMemory>"), 'currentMemory', './currentMemory[1]'],
    [guest("<maxMemory slots='4' unit='GiB'>[[16 ]]</maxMemory>"), 'maxMemory', './maxMemory[1]'],
    [guest(memtune('hard_limit', '[[2097152 ]]')), 'hard_limit', './memtune/hard_limit[1]'],
    [guest(memtune('soft_limit', '[[2097152 ]]')), 'soft_limit', './memtune/soft_limit[1]'],
    [guest(memtune('swap_hard_limit', '[[2097152 ]]')), 'swap_hard_limit', './memtune/swap_hard_limit[1]'],
    [guest(memtune('min_guarantee', '[[2097152 ]]')), 'min_guarantee', './memtune/min_guarantee[1]'],
  ];
  for (const [text, name, xpath] of cases) {
    const [p] = expectAt(text, 'memory-size', 'error');
    assert.match(p.message, new RegExp(`^(<memtune>)?<${name}> has a blank after its number — define/attach fails; libvirt: `));
    const value = /\[\[([^\]]*)\]\]/.exec(text)![1];
    assert.equal(said(p.message), `XML error: Invalid value '${value}' for element or attribute '${xpath}'`);
  }
});

test('memory-size: the whole message for the hard limit seen refused here leads with the problem and ends with the fix', () => {
  const [p] = expectAt(guest(memtune('hard_limit', '[[2097152 ]]')), 'memory-size', 'error');
  assert.equal(
    p.message,
    '<memtune><hard_limit> has a blank after its number — define/attach fails; libvirt: "XML error: Invalid value ' +
      "'2097152 ' for element or attribute './memtune/hard_limit[1]'\". libvirt reads the whole value as the number: " +
      'write 2097152 without the blank.',
  );
});

test('memory-size: a pretty-printed size on lines of its own is refused (the trailing newline), leading blanks are not', () => {
  const [p] = expectAt(guest('', '', '<memory unit="GiB">[[\n    4\n  ]]</memory>'), 'memory-size', 'error');
  assert.equal(said(p.message), "XML error: Invalid value '\n    4\n  ' for element or attribute './memory[1]'");
  expectNone(guest('', '', "<memory unit='GiB'>\n    4</memory>"), 'memory-size');
  expectNone(guest(memtune('hard_limit', '  +2097152')), 'memory-size');
});

test('memory-size: negative, fractional, hex, unit-in-text and non-numbers each say what is wrong', () => {
  const problem = (head: string) => expectAt(guest(head), 'memory-size', 'error')[0].message;
  assert.match(problem(memtune('hard_limit', '[[-1]]')), /^<memtune><hard_limit> is negative — .* For no limit, remove <hard_limit>\.$/);
  assert.match(problem(memtune('min_guarantee', '[[-1]]')), /^<memtune><min_guarantee> is negative — .*A size is 0 or more\.$/);
  const fraction = problem("<currentMemory unit='GiB'>[[1.5]]</currentMemory>");
  assert.match(fraction, /^<currentMemory> is not a whole number — /);
  assert.equal(said(fraction), "XML error: Invalid value '1.5' for element or attribute './currentMemory[1]'");
  assert.match(problem(memtune('soft_limit', '[[0x100000]]')), /^<memtune><soft_limit> is hexadecimal — .*write 1048576\.$/);
  assert.match(
    problem('<currentMemory>[[4G]]</currentMemory>'),
    /has its unit in the text — .*<currentMemory unit='G'>4<\/currentMemory>\.$/,
  );
  assert.match(problem(memtune('hard_limit', '[[two]]')), /^<memtune><hard_limit> is not a number — /);
  assert.match(problem(memtune('hard_limit', '[[   ]]')), /^<memtune><hard_limit> is blank — /);
});

test('memory-size: an unknown unit is reported on the unit with libvirt\'s "unknown suffix"; units are case-insensitive', () => {
  const [ki] = expectAt(guest(`<memtune><hard_limit unit='[[Ki]]'>1</hard_limit></memtune>`), 'memory-size', 'error');
  assert.equal(said(ki.message), "invalid argument: unknown suffix 'Ki'");
  assert.match(ki.message, /^Unknown unit 'Ki' on <memtune><hard_limit> — .*Write unit='KiB'\. libvirt takes b or bytes/);
  const [gigs] = expectAt(guest('', '', "<memory unit='[[gigs]]'>4</memory>"), 'memory-size', 'error');
  assert.equal(said(gigs.message), "invalid argument: unknown suffix 'gigs'");
  // a blank after the unit is part of it
  expectAt(guest('', '', "<memory unit='[[Gb ]]'>4</memory>"), 'memory-size', 'error');
  // a bad number is reported before the unit is looked at, as libvirt does
  const [both] = expectAt(guest('', '', "<memory unit='X'>[[1.5]]</memory>"), 'memory-size', 'error');
  assert.match(said(both.message)!, /^XML error: Invalid value '1\.5'/);
  for (const unit of ['gib', 'GIB', 'Gib', 'g', 'G', 'gb', 'GB', 'b', 'BYTES', 'Byte', 'kib', 'e', 'EB', ''])
    expectNone(guest('', '', `<memory unit='${unit}'>4</memory>`), 'memory-size');
});

test('memory-size: too large is libvirt\'s "value too large" (with the number and unit as given) or "size value too large"', () => {
  const [pib] = expectAt(guest(`<memtune><swap_hard_limit unit='PiB'>[[8192]]</swap_hard_limit></memtune>`), 'memory-size', 'error');
  assert.equal(said(pib.message), 'numerical overflow: value too large: 8192PiB');
  assert.match(pib.message, /For no limit, remove <swap_hard_limit>\.$/);
  const [eib] = expectAt(guest('', '', "<memory unit='EiB'>[[8]]</memory>"), 'memory-size', 'error');
  assert.equal(said(eib.message), 'numerical overflow: value too large: 8EiB');
  // no unit: the number alone; a '+' and leading zeros are gone, as strtoull reads them
  const [kib] = expectAt(guest('', '', '<memory>[[+09223372036854775807]]</memory>'), 'memory-size', 'error');
  assert.equal(said(kib.message), 'numerical overflow: value too large: 9223372036854775807');
  // within virScaleInteger's bound, but 2^53 KiB once rounded up: virDomainParseMemory's own check
  const [size] = expectAt(guest('', '', "<memory unit='b'>[[9223372036854775807]]</memory>"), 'memory-size', 'error');
  assert.equal(said(size.message), 'numerical overflow: size value too large');
  expectNone(guest('', '', "<memory unit='b'>9223372036854774784</memory>"), 'memory-size');
  // past 2^64 - 1 strtoull itself fails
  const [u64] = expectAt(guest('', '', "<memory unit='b'>[[18446744073709551616]]</memory>"), 'memory-size', 'error');
  assert.equal(said(u64.message), "XML error: Invalid value '18446744073709551616' for element or attribute './memory[1]'");
  // a limit at or past VIR_DOMAIN_MEMORY_PARAM_UNLIMITED is "no limit", up to 8191 PiB; 0 is a size
  expectNone(guest(memtune('hard_limit', '8191', 'PiB')), 'memory-size');
  expectNone(guest(memtune('hard_limit', '0', 'EiB')), 'memory-size');
});

test('memory-size: an empty element counts as absent; only the first of each element is read', () => {
  expectNone(guest(memtune('hard_limit', '', 'GiB') + "<currentMemory unit='GiB'></currentMemory>"), 'memory-size');
  expectNone(guest('<memtune><hard_limit>1</hard_limit><hard_limit>x</hard_limit></memtune>'), 'memory-size');
  expectAt(guest('<memtune/><memtune><hard_limit>[[x]]</hard_limit></memtune>'), 'memory-size', 'error');
});

test('memory-size: NUMA cell memory and hugepage sizes are required attributes', () => {
  const numa = (cells: string) => `<vcpu>2</vcpu><cpu><numa>${cells}</numa></cpu>`;
  const [blank] = expectAt(guest(numa("<cell id='0' cpus='0-1' memory='[[4 ]]' unit='GiB'/>")), 'memory-size', 'error');
  assert.equal(said(blank.message), "XML error: Invalid value '4 ' for element or attribute './@memory'");
  const [missing] = expectAt(guest(numa("<[[cell]] id='0' cpus='0-1' unit='GiB'/>")), 'memory-size', 'error');
  assert.equal(said(missing.message), "XML error: missing element or attribute './@memory'");
  assert.match(missing.message, /^<cell memory> is missing — .*Give the size, e.g. memory='1' unit='GiB'\.$/);
  const [unit] = expectAt(guest(numa("<cell id='0' cpus='0-1' memory='4' unit='[[gibibytes]]'/>")), 'memory-size', 'error');
  assert.equal(said(unit.message), "invalid argument: unknown suffix 'gibibytes'");
  const [page] = expectAt(
    guest("<memoryBacking><hugepages><page size='[[2x]]' unit='MiB'/></hugepages></memoryBacking>"),
    'memory-size',
    'error',
  );
  assert.equal(said(page.message), "XML error: Invalid value '2x' for element or attribute './@size'");
  expectNone(guest(numa("<cell id='0' cpus='0-1' memory='4' unit='GiB'/>")), 'memory-size');
});

test("memory-size: a memory device's sizes, by model, named as libvirt names them from <target> or <source>", () => {
  const dimm = (target: string, model = 'dimm', source = '') =>
    `<memory model='${model}'>${source}<target>${target}<node>0</node></target></memory>\n`;
  const of = (device: string) => expectAt(guest('', device), 'memory-size', 'error')[0];
  assert.equal(said(of(dimm("<size unit='GiB'>[[1 ]]</size>")).message), "XML error: Invalid value '1 ' for element or attribute './size'");
  assert.equal(said(of(dimm("<size unit='[[gigs]]'>1</size>")).message), "invalid argument: unknown suffix 'gigs'");
  const empty = of(dimm("<[[size]] unit='GiB'></size>"));
  assert.equal(said(empty.message), "XML error: missing element or attribute './size'");
  assert.match(empty.message, /^Memory device <target><size> is empty — /);
  const none = of("<memory model='dimm'><[[target]]><node>0</node></target></memory>\n");
  assert.match(none.message, /^The memory device has no <target><size> — .*"XML error: missing element or attribute '\.\/size'"/);
  const label = of(dimm("<size unit='GiB'>1</size><label><size unit='KiB'>[[x]]</size></label>", 'nvdimm'));
  assert.equal(said(label.message), "XML error: Invalid value 'x' for element or attribute './label/size'");
  assert.match(of(dimm("<size unit='GiB'>1</size><block unit='MiB'>[[2.0]]</block>", 'virtio-mem')).message, /'\.\/block'/);
  assert.match(of(dimm("<size unit='GiB'>1</size><requested unit='MiB'>[[-5]]</requested>", 'virtio-mem')).message, /'\.\/requested'/);
  const page = of(dimm("<size unit='GiB'>1</size>", 'dimm', "<source><pagesize unit='KiB'>[[4k]]</pagesize></source>"));
  assert.match(page.message, /^Memory device <source><pagesize> has its unit in the text — .*'\.\/pagesize'/);
  // read only for the models libvirt reads them for; an unknown model is refused for its model first
  expectNone(guest('', dimm("<size unit='GiB'>1</size><block>x</block><label><size>x</size></label>")), 'memory-size');
  expectNone(guest('', dimm('<size>x</size>', 'DIMM')), 'memory-size');
  // a bare device snippet, as attach-device reads it
  expectAt(dimm("<size unit='GiB'>[[1 ]]</size>"), 'memory-size', 'error');
  expectNone(dimm("<size unit='GiB'>1</size>"), 'memory-size');
});

test('memory-size: every refused size in one guest is reported, not only the first libvirt stops at', () => {
  const text = guest(`<currentMemory>[[x]]</currentMemory>${memtune('hard_limit', '[[-1]]')}`, '', "<memory unit='GiB'>[[4 ]]</memory>");
  expectAt(text, 'memory-size', 'error');
});

test('memory-size quick fix: removes the blanks around a number or a unit, and only then', () => {
  const fixOf = (source: string) => {
    const problems = validate(source);
    const [p] = problems.filter((x) => x.code === 'memory-size');
    return fixActions(source, p.span, problems).filter((a) => a.fixes.includes('memory-size'));
  };
  const text = guest(memtune('hard_limit', '2097152 '));
  const [fix] = fixOf(text);
  assert.equal(fix.title, "Write '2097152' without blanks");
  assert.equal(fix.isPreferred, true);
  assert.equal(applyEdits(text, fix.edits), guest(memtune('hard_limit', '2097152')));
  expectNone(applyEdits(text, fix.edits), 'memory-size');
  const pretty = guest('', '', "<memory unit='GiB'>\n    4\n  </memory>");
  assert.equal(applyEdits(pretty, fixOf(pretty)[0].edits), guest('', '', "<memory unit='GiB'>4</memory>"));
  const unit = guest('', '', "<memory unit='Gb '>4</memory>");
  assert.equal(applyEdits(unit, fixOf(unit)[0].edits), guest('', '', "<memory unit='Gb'>4</memory>"));
  assert.deepEqual(fixOf(guest(memtune('hard_limit', '-1'))), []);
  assert.deepEqual(fixOf(guest('', '', "<memory unit='Ki'>4</memory>")), []);
});
