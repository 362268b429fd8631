// disable-next-line comments: what they take off, the reason after ' - ' (XML allows no '--' in a
// comment), and a code they name that does not exist, which must not pass for a working suppression.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateWithSuppressions } from '../../../server/src/service/index';
import { splitInlineSuppressions } from '../../../server/src/service/suppressions';
import { LineTable } from '../../../server/src/service/xml/lines';
import { growth } from '../../support/growth';

const MULTICAST = `<interface type='hostdev' managed='yes'><mac address='01:00:5e:00:00:01'/><source><address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x2'/></source></interface>`;

function guestWith(comment: string): string {
  return `<domain type='kvm'><name>g</name><devices>\n${comment}\n${MULTICAST}\n</devices></domain>\n`;
}

test("a reason after ' - ' is a note: the codes before it are taken off and the comment is well-formed", () => {
  const r = validateWithSuppressions(
    guestWith('<!-- libvirt-hostdev-disable-next-line mac-multicast, mac-missing - lab multicast test -->'),
  );
  assert.deepEqual(
    r.suppressed.map((p) => p.code),
    ['mac-multicast'],
  );
  assert.deepEqual(
    r.problems.map((p) => p.code),
    [],
  );
});

test('a misspelt code is a disable-comment warning on the code, naming the code it most likely meant', () => {
  const text = guestWith('<!-- libvirt-hostdev-disable-next-line mac-multicas -->');
  const r = validateWithSuppressions(text);
  const warnings = r.problems.filter((p) => p.code === 'disable-comment');
  assert.equal(warnings.length, 1, JSON.stringify(r.problems));
  assert.equal(warnings[0].severity, 'warning');
  assert.equal(
    warnings[0].message,
    "Unknown code 'mac-multicas' in a disable comment — nothing is taken off for it; did you mean 'mac-multicast'?",
  );
  assert.equal(text.slice(warnings[0].span.start, warnings[0].span.end), 'mac-multicas');
  // and what it meant to take off is still reported
  assert.ok(r.problems.some((p) => p.code === 'mac-multicast'));
});

test('an unknown code is reported also when the next line has no problem, and a far-off name gets no guess', () => {
  const text = `<domain type='kvm'><name>g</name>\n<!-- libvirt-hostdev-disable-next-line vf-in-use whatever -->\n<devices/></domain>\n`;
  const r = validateWithSuppressions(text);
  assert.deepEqual(
    r.problems.filter((p) => p.code === 'disable-comment').map((p) => p.message),
    ["Unknown code 'whatever' in a disable comment — nothing is taken off for it"],
  );
});

test('the words of the reason are not read as codes', () => {
  const r = validateWithSuppressions(guestWith('<!-- libvirt-hostdev-disable-next-line mac-multicast - not a code, nor this -->'));
  assert.deepEqual(
    r.problems.filter((p) => p.code === 'disable-comment'),
    [],
  );
});

test("a directive this tool does not have (ESLint's disable-line and disable, a plural) is a disable-comment warning on it: it takes nothing off", () => {
  for (const directive of [
    'libvirt-hostdev-disable-line',
    'libvirt-hostdev-disable',
    'libvirt-hostdev-disable-next-lines',
    'libvirt-hostdev-enable',
  ]) {
    const text = guestWith(`<!-- ${directive} mac-multicast -->`);
    const r = validateWithSuppressions(text);
    assert.deepEqual(
      r.problems.map((p) => p.code),
      ['disable-comment', 'mac-multicast'],
      directive,
    );
    const [warning] = r.problems;
    assert.equal(text.slice(warning.span.start, warning.span.end), directive);
    assert.equal(warning.severity, 'warning');
    assert.equal(
      warning.message,
      `Unknown directive '${directive}' — nothing is taken off; the one directive is 'libvirt-hostdev-disable-next-line', which takes codes off the line after the comment`,
    );
  }
  // the real one, and a mention of the tool's name in a plain comment, get none
  assert.deepEqual(validateWithSuppressions(guestWith('<!-- libvirt-hostdev-disable-next-line mac-multicast -->')).problems, []);
  assert.deepEqual(
    validateWithSuppressions(guestWith('<!-- checked with libvirt-hostdev-disable-free settings -->')).problems.map((p) => p.code),
    ['mac-multicast'],
  );
});

test('many disable comments that never end are read in time that grows with the text, not its square', () => {
  // a search for '-->' from each of 80,000 openings without one after them (3 MB) costs about 50 s, and 16
  // times as many openings 256 times as long (test/support/growth.ts)
  const textOf = (openings: number) =>
    `<domain>\n<!-- libvirt-hostdev-disable-next-line mac-missing -->\n${'<!-- libvirt-hostdev-disable-next-line x\n'.repeat(openings)}`;
  assert.deepEqual(
    splitInlineSuppressions(new LineTable(textOf(80_000)), []).problems,
    [],
    'the one terminated comment names a code that exists',
  );
  const ratio = growth(textOf, (text) => splitInlineSuppressions(new LineTable(text), []), 500, 8_000);
  assert.ok(ratio < 80, `16 times the comments took ${ratio.toFixed(1)} times as long`);
});

test('a disable comment inside a CDATA section or a processing instruction is their text, as libvirt reads it: it takes nothing off and is not a directive', () => {
  // `virsh define` keeps the first as <description> text: "see &lt;!-- libvirt-hostdev-disable-next-line --&gt;"
  const inCdata = `<domain type='kvm'><name>g</name><description><![CDATA[\n<!-- libvirt-hostdev-disable-next-line -->]]></description><devices>\n${MULTICAST}\n</devices></domain>\n`;
  assert.deepEqual(
    validateWithSuppressions(inCdata).problems.map((p) => p.code),
    ['mac-multicast'],
  );
  const inPi = `<?note <!-- libvirt-hostdev-disable-next-line --> ?>\n<domain type='kvm'><name>g</name><devices>\n${MULTICAST}\n</devices></domain>\n`;
  assert.deepEqual(
    validateWithSuppressions(inPi.replace('?>\n<domain', '?><domain')).problems.map((p) => p.code),
    ['mac-multicast'],
  );
  const directive = `<domain type='kvm'><name>g</name><description><![CDATA[<!-- libvirt-hostdev-disable vf-in-use -->]]></description></domain>\n`;
  assert.deepEqual(
    validateWithSuppressions(directive).problems.map((p) => p.code),
    [],
  );
  // a real comment after the section still takes its line's codes off
  const after = inCdata.replace('<devices>\n', '<devices>\n<!-- libvirt-hostdev-disable-next-line mac-multicast -->\n');
  assert.deepEqual(
    validateWithSuppressions(after).suppressed.map((p) => p.code),
    ['mac-multicast'],
  );
});

test('what took a problem off names the comment by its lines: its own line, or first to last of one that spans lines', () => {
  const one = validateWithSuppressions(guestWith('<!-- libvirt-hostdev-disable-next-line mac-multicast -->'));
  assert.deepEqual(
    one.suppressed.map((p) => p.suppressedBy),
    ['comment on line 2'],
  );
  const spanning = validateWithSuppressions(
    guestWith('<!-- libvirt-hostdev-disable-next-line\n     mac-multicast - lab\n     multicast test -->'),
  );
  assert.deepEqual(
    spanning.suppressed.map((p) => p.suppressedBy),
    ['comment on lines 2-4'],
  );
});
