// Internal DTD entities: libvirt's parser (libxml2) expands them, refuses loops and amplification
// with "Detected an entity reference loop" (test/integration/libvirt/libxml2Agreement.test.ts holds real virsh's verdicts), and our parser must do the same whatever the number of
// references: the budget is per document, not per attribute value. The work is asserted as the
// characters the parse produced (bounded by the text plus the budget), never as a time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ENTITY_EXPANSION_BUDGET } from '../../../../server/src/service/xml/entities';
import { parseXml } from '../../../../server/src/service/xml/parser';
import { attrValue, walk } from '../../../../server/src/service/xml/query';
import { validate } from '../../../../server/src/service/index';
import { amplification, domainWith } from '../../../support/entityDocuments';

/** the characters of every attribute value of the parsed document: what the expansions produced */
function attributeChars(text: string): number {
  let chars = 0;
  walk(parseXml(text), (el) => {
    for (const a of el.attributes) chars += a.value?.length ?? 0;
  });
  return chars;
}

function loopProblems(text: string): string[] {
  return parseXml(text)
    .problems.filter((p) => /Detected an entity reference loop/.test(p.message))
    .map((p) => p.message);
}

test('entities: the amplification document of 2,000 attributes is refused as libxml2 refuses it', () => {
  const text = amplification(4, 2000);
  assert.ok(text.length < 40_000, `${text.length}`);
  const problems = validate(text);
  const syntax = problems.filter((p) => p.code === 'xml-syntax');
  assert.equal(syntax.length, 1, JSON.stringify(syntax));
  assert.match(syntax[0].message, /&e4;.*Detected an entity reference loop/);
  assert.equal(syntax[0].span.start, text.indexOf('&e4;', text.indexOf('<x ')));
  assert.ok(attributeChars(text) <= text.length, 'nothing of the refused entity was expanded');
});

test('entities: 20,000 references in a 260 KB document expand to no more than the text plus the budget', () => {
  // with a budget per attribute value this was 20,000 x 100,000 characters
  const text = amplification(4, 20_000);
  assert.ok(attributeChars(text) <= text.length + ENTITY_EXPANSION_BUDGET);
});

test('entities: small entities referenced from many attributes are expanded until the document-wide budget is spent', () => {
  // 1,000 characters per reference, 2,000 references: 2,000,000 characters in all, over the 1,000,000 budget
  const text = amplification(2, 2000);
  const problems = loopProblems(text);
  assert.ok(attributeChars(text) <= text.length + ENTITY_EXPANSION_BUDGET);
  assert.equal(problems.length, 1);
  assert.match(problems[0], /in all/);
  const doc = parseXml(text);
  const values: (string | null)[] = [];
  walk(doc, (el) => {
    if (el.name === 'x') values.push(attrValue(el, 'a'));
  });
  assert.equal(values[0], 'x'.repeat(1000));
  assert.equal(values[values.length - 1], '&e2;', 'past the budget the reference stays as written');
});

test('entities: nested declared entities are still expanded', () => {
  const text = domainWith(
    '<!ENTITY a "0x"><!ENTITY b "&a;0b"><!ENTITY c "&b;">',
    `<hostdev mode='subsystem' type='pci'><source><address domain='0' bus='&c;' slot='0x10' function='0'/></source></hostdev>`,
  );
  assert.deepEqual(parseXml(text).problems, []);
  let bus: string | null = null;
  walk(parseXml(text), (el) => {
    if (el.name === 'address') bus = attrValue(el, 'bus');
  });
  assert.equal(bus, '0x0b');
});

test('entities: a loop referred to from element content is refused where the reference is, as in an attribute value', () => {
  const text = domainWith('<!ENTITY a "x&b;"><!ENTITY b "&a;">', `<x>text &a;</x>`);
  const problems = parseXml(text).problems;
  assert.equal(problems.length, 1, JSON.stringify(problems));
  assert.match(problems[0].message, /&a; refers to itself.*Detected an entity reference loop/);
  assert.equal(problems[0].span.start, text.indexOf('&a;</x>'));
});

test('entities: a billion laughs in <name> is refused without being expanded', () => {
  const levels = ['<!ENTITY l0 "lol">'];
  for (let i = 1; i <= 9; i++) levels.push(`<!ENTITY l${i} "${`&l${i - 1};`.repeat(10)}">`);
  const text = `<!DOCTYPE domain [${levels.join('')}]>\n<domain type='kvm'><name>&l9;</name><memory>131072</memory></domain>\n`;
  const problems = validate(text).filter((p) => p.code === 'xml-syntax');
  assert.equal(problems.length, 1, JSON.stringify(problems));
  assert.match(problems[0].message, /&l9; expands to more than 1,000,000 characters.*Detected an entity reference loop/);
});

test('entities: a small entity in content is accepted, as libvirt accepts it', () => {
  const text = domainWith('<!ENTITY n "web01">', `<x>&n;</x>`);
  assert.deepEqual(parseXml(text).problems, []);
});
