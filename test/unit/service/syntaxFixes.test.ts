// Quick fixes for an unclosed start tag: the parser knows the '>' is missing; whether the element was
// meant empty (<mac …/>) or with children (<source …> … </source>) follows from the end tags after it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits, validate } from '../../../server/src/service/index';
import { fixActions } from './quickFixHelpers';

function syntaxFixes(text: string) {
  const problems = validate(text);
  const unclosed = problems.filter((p) => p.code === 'xml-syntax' && p.message.startsWith('Unclosed start tag'));
  assert.equal(unclosed.length, 1, JSON.stringify(problems.map((p) => p.message)));
  const actions = fixActions(text, unclosed[0].span, problems).filter((a) => a.fixes.includes('xml-syntax'));
  return { actions, titles: actions.map((a) => a.title), apply: (i: number) => applyEdits(text, actions[i].edits) };
}

const syntaxProblems = (text: string) => validate(text).filter((p) => p.code === 'xml-syntax');

describe('quick fix for an unclosed start tag', () => {
  it("<mac …> without '>' before the next tag: closed as an empty element (preferred), and the document is well-formed", () => {
    const text =
      "<interface type='hostdev' managed='yes'>\n  <mac address='52:54:00:6d:90:02'\n  <source><address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x4'/></source>\n</interface>\n";
    const fix = syntaxFixes(text);
    assert.deepEqual(fix.titles, ['Close as an empty element <mac …/>', 'Close the start tag <mac …>']);
    assert.equal(fix.actions[0].isPreferred, true);
    const fixed = fix.apply(0);
    assert.match(fixed, /<mac address='52:54:00:6d:90:02'\/>\n {2}<source>/);
    assert.deepEqual(syntaxProblems(fixed), []);
  });

  it("<source> without '>' and its </source> later: '>' first, and the document is well-formed", () => {
    const text =
      "<interface type='hostdev' managed='yes'>\n  <source\n    <address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x4'/>\n  </source>\n</interface>\n";
    const fix = syntaxFixes(text);
    assert.deepEqual(fix.titles, ['Close the start tag <source …>', 'Close as an empty element <source …/>']);
    const fixed = fix.apply(0);
    assert.match(fixed, /<source>\n {4}<address/);
    assert.deepEqual(syntaxProblems(fixed), []);
  });

  it("a start tag that ends with '/': only the '>' is added", () => {
    const text = "<interface type='hostdev'>\n  <driver name='vfio'/\n</interface>\n";
    const fix = syntaxFixes(text);
    assert.deepEqual(fix.titles, ["Close <driver …/> with '>'"]);
    assert.deepEqual(syntaxProblems(fix.apply(0)), []);
  });

  it('an end tag of the same name in another element does not count', () => {
    const text =
      "<devices>\n<interface type='hostdev'>\n  <source\n</interface>\n<hostdev mode='subsystem' type='pci'><source/></hostdev>\n</devices>\n";
    const problems = validate(text);
    const [p] = problems.filter((x) => x.message.startsWith('Unclosed start tag'));
    const [first] = fixActions(text, p.span, problems).filter((a) => a.fixes.includes('xml-syntax'));
    assert.equal(first.title, 'Close as an empty element <source …/>');
  });

  it("no fix while an attribute's quote is open (a '>' would land inside the value), nor for other syntax errors", () => {
    for (const text of [
      "<interface type='hostdev'>\n  <mac address='52:54:00:6d:90:02\n  <source/>\n</interface>\n",
      "<interface type='hostdev'>\n  <source>\n</interface>\n",
      '<interface type="hostdev"></interfac>\n',
    ]) {
      const problems = validate(text);
      assert.ok(
        problems.some((p) => p.code === 'xml-syntax'),
        text,
      );
      const actions = fixActions(text, { start: 0, end: text.length }, problems).filter((a) => a.fixes.includes('xml-syntax'));
      assert.deepEqual(
        actions.map((a) => a.title),
        [],
        text,
      );
    }
  });
});
