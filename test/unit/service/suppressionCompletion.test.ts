// Completion of codes in a disable-next-line comment: offered among the codes only, never in the reason,
// in another comment, or after the comment.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { complete } from '../../../server/src/service/index';
import { RULES } from '../../../server/src/service/catalog';

const at = (marked: string) => ({ text: marked.replace('|', ''), offset: marked.indexOf('|') });

function labels(marked: string): string[] {
  const { text, offset } = at(marked);
  return complete(text, offset).map((c) => c.label);
}

const doc = (comment: string) =>
  `<domain type='kvm'><name>g</name><devices>\n${comment}\n<interface type='hostdev'/>\n</devices></domain>\n`;

test('after the keyword: every code, with its severity and summary, replacing the word being typed', () => {
  const { text, offset } = at(doc('<!-- libvirt-hostdev-disable-next-line mac-m| -->'));
  const candidates = complete(text, offset);
  assert.deepEqual(
    candidates.map((c) => c.label),
    Object.keys(RULES),
  );
  const multicast = candidates.find((c) => c.label === 'mac-multicast')!;
  assert.equal(multicast.detail, `error: ${RULES['mac-multicast'].summary}`);
  assert.equal(text.slice(multicast.span.start, multicast.span.end), 'mac-m');
});

test('a second code: the codes already named are left out', () => {
  const offered = labels(doc('<!-- libvirt-hostdev-disable-next-line vf-in-use, | -->'));
  assert.ok(!offered.includes('vf-in-use'));
  assert.ok(offered.includes('vf-driver'));
});

test('nothing in the reason, in another comment, right after the keyword without a blank, or after the comment', () => {
  assert.deepEqual(labels(doc('<!-- libvirt-hostdev-disable-next-line vf-in-use - kept for | -->')), []);
  assert.deepEqual(labels(doc('<!-- a note | -->')), []);
  assert.deepEqual(labels(doc('<!-- libvirt-hostdev-disable-next-line| -->')), []);
  assert.deepEqual(labels(doc('<!-- libvirt-hostdev-disable-next-line vf-in-use --> |')), []);
  assert.deepEqual(labels(doc('<!|-- libvirt-hostdev-disable-next-line -->')), [], 'inside the <!-- itself');
});

test("the word replaced ends before the comment's '-->' where a code touches it: accepting a code keeps the comment closed", () => {
  for (const [marked, word] of [
    ['<!-- libvirt-hostdev-disable-next-line mac-m|-->', 'mac-m'],
    ['<!-- libvirt-hostdev-disable-next-line |-->', ''],
    ['<!-- libvirt-hostdev-disable-next-line m|ac-missing-->', 'mac-missing'],
  ]) {
    const { text, offset } = at(doc(marked));
    const candidate = complete(text, offset).find((c) => c.label === 'mac-multicast');
    assert.ok(candidate, marked);
    assert.equal(text.slice(candidate.span.start, candidate.span.end), word, marked);
  }
});

test('nothing inside a CDATA section that holds the words of a disable comment: it is text, not a comment', () => {
  assert.deepEqual(labels(doc('<description><![CDATA[<!-- libvirt-hostdev-disable-next-line |]]></description>')), []);
  assert.ok(labels(doc('<!-- libvirt-hostdev-disable-next-line |')).length > 0, 'an unterminated comment still takes codes');
});
