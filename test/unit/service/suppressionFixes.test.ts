// The quick fixes around disable-next-line comments: "Disable CODE for this line" (after every real
// fix, never preferred) and a misspelt code rewritten as the code it most likely meant. Each applied
// edit is checked by validating the result: the problem is taken off and the XML stays well-formed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits, codeActions, validate, validateWithSuppressions } from '../../../server/src/service/index';
import type { DiagnosticCode } from '../../../server/src/service/types';
import { growth } from '../../support/growth';

const MULTICAST_MAC = "      <mac address='01:00:5e:00:00:01'/>";
const device = (mac = MULTICAST_MAC, address = "<address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x4'/>"): string =>
  `    <interface type='hostdev' managed='yes'>\n${mac}\n      <source>${address}</source>\n    </interface>`;
const guest = (devices: string): string => `<domain type='kvm'>\n  <name>g</name>\n  <devices>\n${devices}\n  </devices>\n</domain>\n`;

function actionsFor(text: string, code: DiagnosticCode) {
  const problems = validate(text);
  const problem = problems.find((p) => p.code === code);
  assert.ok(problem, `expected ${code}, got ${problems.map((p) => p.code).join(', ')}`);
  const actions = codeActions(text, problem.span, problems).filter((a) => a.fixes.includes(code));
  return { actions, disable: actions.find((a) => a.suppression) };
}

test('Disable CODE for this line: a comment above the line, indented as it is; the problem is then taken off', () => {
  const text = guest(device());
  const { actions, disable } = actionsFor(text, 'mac-multicast');
  assert.ok(disable);
  assert.equal(disable.title, 'Disable mac-multicast for this line');
  assert.equal(disable.isPreferred, undefined);
  assert.equal(actions[actions.length - 1], disable, 'after the fixes');
  assert.ok(actions.length > 1, 'the MAC fixes are still offered');
  const fixed = applyEdits(text, disable.edits);
  assert.ok(fixed.includes(`      <!-- libvirt-hostdev-disable-next-line mac-multicast -->\n${MULTICAST_MAC}\n`), fixed);
  const after = validateWithSuppressions(fixed);
  assert.deepEqual(
    after.suppressed.map((p) => p.code),
    ['mac-multicast'],
  );
  assert.deepEqual(
    after.problems.map((p) => p.code),
    [],
  );
});

test('a comment already above the line gets the code added, before its reason', () => {
  const text = guest(device(`      <!-- libvirt-hostdev-disable-next-line mac-missing - lab host -->\n${MULTICAST_MAC}`));
  const { disable } = actionsFor(text, 'mac-multicast');
  const fixed = applyEdits(text, disable!.edits);
  assert.ok(fixed.includes('<!-- libvirt-hostdev-disable-next-line mac-missing, mac-multicast - lab host -->'), fixed);
  assert.deepEqual(
    validateWithSuppressions(fixed).problems.map((p) => p.code),
    [],
  );
});

test('no disable action inside a start tag (a comment there would break it), for xml-syntax, or where a comment already takes every code off', () => {
  const split = guest(device(MULTICAST_MAC, "<address type='pci' domain='0x0000'\n        bus='011' slot='0x10' function='0x4'/>"));
  assert.equal(actionsFor(split, 'pci-octal').disable, undefined);
  const broken = guest(device(MULTICAST_MAC.replace('/>', '')));
  assert.equal(actionsFor(broken, 'xml-syntax').disable, undefined);
  const all = guest(device(`      <!-- libvirt-hostdev-disable-next-line -->\n${MULTICAST_MAC}`));
  assert.deepEqual(validate(all), [], 'the bare comment takes it off already');
});

test('a CRLF document gets a CRLF line', () => {
  const text = guest(device()).replace(/\n/g, '\r\n');
  const { disable } = actionsFor(text, 'mac-multicast');
  assert.match(disable!.edits[0].newText, /-->\r\n$/);
});

test("a misspelt code in a comment: 'Change to' the code it most likely meant, preferred", () => {
  const text = guest(device(`      <!-- libvirt-hostdev-disable-next-line mac-multicas -->\n${MULTICAST_MAC}`));
  const { actions } = actionsFor(text, 'disable-comment');
  assert.deepEqual(
    actions.map((a) => [a.title, a.isPreferred ?? false, a.suppression ?? false]),
    [["Change to 'mac-multicast'", true, false]],
  );
  assert.deepEqual(validate(applyEdits(text, actions[0].edits)), []);
});

// an address line with two problems: bus='011' (pci-octal) and slot='16' (pci-decimal)
const TWO_PROBLEMS = "      <source><address type='pci' domain='0x0000' bus='011' slot='16' function='0x4'/></source>";
const withAddressLine = (above: string): string =>
  guest(
    `    <interface type='hostdev' managed='yes'>\n${MULTICAST_MAC.replace('01:00:5e', '52:54:00')}\n${above}\n${TWO_PROBLEMS}\n    </interface>`,
  );

for (const [shape, above, expected] of [
  [
    'followed by more on its line',
    '      <!-- libvirt-hostdev-disable-next-line pci-octal - lab host --> <!-- moved in March -->',
    '<!-- libvirt-hostdev-disable-next-line pci-octal, pci-decimal - lab host --> <!-- moved in March -->',
  ],
  [
    'over two lines',
    '      <!-- libvirt-hostdev-disable-next-line pci-octal\n           - lab host -->',
    '<!-- libvirt-hostdev-disable-next-line pci-octal, pci-decimal\n           - lab host -->',
  ],
] as const) {
  test(`a comment ending on the line before, ${shape}, gets the code added: a new line would leave its own codes covering the new comment`, () => {
    const text = withAddressLine(above);
    assert.deepEqual(
      validateWithSuppressions(text).problems.map((p) => p.code),
      ['pci-decimal'],
    );
    const fixed = applyEdits(text, actionsFor(text, 'pci-decimal').disable!.edits);
    assert.ok(fixed.includes(expected), fixed);
    const after = validateWithSuppressions(fixed);
    assert.deepEqual(
      after.problems.map((p) => p.code),
      [],
    );
    assert.deepEqual(after.suppressed.map((p) => p.code).sort(), ['pci-decimal', 'pci-octal']);
  });
}

test('no disable action for a line that starts inside a comment, or with the XML declaration (nothing may come before it)', () => {
  const inComment = withAddressLine('      <!-- moved in March,').replace(
    `\n${TWO_PROBLEMS}`,
    `\n  back in April --> ${TWO_PROBLEMS.trim()}`,
  );
  assert.equal(actionsFor(inComment, 'pci-decimal').disable, undefined);
  const declared = `<?xml version='1.0'?><interface type='hostdev'><source><address type='pci' domain='0x0000' bus='0x0b' slot='16' function='0x4'/></source></interface>\n`;
  assert.equal(actionsFor(declared, 'pci-decimal').disable, undefined);
  assert.ok(actionsFor(declared.replace('?>', '?>\n'), 'pci-decimal').disable, 'on a line of its own below the declaration');
});

test('code actions for a whole document find each line’s comments in one pass: their time grows with the document, not its square', () => {
  // devices with a problem each, asked for the whole document at once (a client's selection of
  // everything): a search of the whole text per problem costs 4,000 devices about 14 s, and 16 times
  // as many devices 256 times as long (test/support/growth.ts)
  const documentOf = (devices: number) => {
    const many = Array.from({ length: devices }, (_, i) =>
      device(MULTICAST_MAC, `<address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='${i % 8}'/>`),
    );
    const text = guest(`    <!-- devices from the lab inventory -->\n${many.join('\n')}`);
    return { text, problems: validate(text) };
  };
  const large = documentOf(4000);
  assert.ok(codeActions(large.text, { start: 0, end: large.text.length }, large.problems).filter((a) => a.suppression).length >= 4000);
  const ratio = growth(documentOf, (d) => codeActions(d.text, { start: 0, end: d.text.length }, d.problems), 125, 2000);
  assert.ok(ratio < 80, `16 times the devices took ${ratio.toFixed(1)} times as long`);
});

test("a '<!--' inside a CDATA section opens no comment: the lines after it get their disable action", () => {
  const text = guest(device()).replace(
    '  <name>g</name>\n',
    '  <name>g</name>\n  <description><![CDATA[a <!-- in the text]]></description>\n',
  );
  assert.ok(actionsFor(text, 'mac-multicast').disable, 'the line of the multicast MAC takes a comment');
});
