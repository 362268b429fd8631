// Reading ordinary tags in one step (ordinaryTags.ts) must give exactly what reading every tag token
// by token gives: the same tree (names, offsets, spans, values, quotes, flags, parents) and the same
// problems in the same order, on the corpus, the examples, a generated domain with many devices, and
// deterministic random mutations of them aimed at tag syntax (quotes, '=', '<', '/>', whitespace,
// references, line ends inside values, non-ASCII names).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseXml, parseXmlByTokens } from '../../../../server/src/service/xml/parser';
import { StringTable } from '../../../../server/src/service/xml/strings';
import type { XmlDocument, XmlElement } from '../../../../server/src/service/xml/types';
import { attrValue } from '../../../../server/src/service/xml/query';
import { only } from './helpers';
import { corpusTexts, hostdevInterface, seededRandom } from '../helpers';

const SEED = Number(process.env.ORDINARY_TAGS_SEED ?? 20261202);
const ITERATIONS = Number(process.env.ORDINARY_TAGS_ITERATIONS ?? 4000);

/** The tree as plain data, every field the parser sets (parents as the parent's start). */
function plain(el: XmlElement): unknown {
  return {
    name: el.name,
    start: el.start,
    nameSpan: { start: el.nameSpan.start, end: el.nameSpan.end },
    startTagEnd: el.startTagEnd,
    selfClosing: el.selfClosing,
    endTagStart: el.endTagStart,
    end: el.end,
    closed: el.closed,
    parent: el.parent ? el.parent.start : null,
    attributes: el.attributes.map((a) => ({
      name: a.name,
      nameSpan: { start: a.nameSpan.start, end: a.nameSpan.end },
      value: a.value,
      valueSpan: a.valueSpan && { start: a.valueSpan.start, end: a.valueSpan.end },
      quote: a.quote,
      closed: a.closed,
    })),
    textSpans: el.textSpans.map((s) => ({ start: s.start, end: s.end })),
    children: el.children.map(plain),
  };
}

function assertSameParse(text: string, where: string): void {
  const strings = new StringTable();
  const fast: XmlDocument = parseXml(text, strings);
  const reference: XmlDocument = parseXmlByTokens(text, strings);
  assert.deepEqual(fast.roots.map(plain), reference.roots.map(plain), `${where}: tree`);
  assert.deepEqual(fast.problems, reference.problems, `${where}: problems`);
}

const PIECES = [
  "'",
  '"',
  '=',
  ' =',
  '= ',
  '<',
  '>',
  '/',
  '/>',
  ' />',
  '</',
  '</a>',
  '<a>',
  ' ',
  '\t',
  '\n',
  '\r\n',
  '&',
  '&amp;',
  '&#x41;',
  '&e;',
  '<!-- c -->',
  '<![CDATA[x]]>',
  '<?pi x?>',
  '<!DOCTYPE d [<!ENTITY e "v">]>',
  ':',
  '-',
  '.',
  '\u00b7',
  'é',
  '\u00d7',
  '😀',
  "x='1'",
  'x="1"',
  "x='1'y='2'",
  "bus='0x03 slot='0x10'",
  'x',
  'address',
];

function mutate(text: string, next: () => number): string {
  const times = 1 + Math.floor(next() * 3);
  for (let i = 0; i < times; i++) {
    // mostly inside or next to a tag
    const tags = [...text.matchAll(/<\/?[A-Za-z]/g)].map((m) => m.index!);
    const anchor = tags.length > 0 && next() < 0.9 ? tags[Math.floor(next() * tags.length)] : Math.floor(next() * text.length);
    const a = Math.min(text.length, anchor + Math.floor(next() * 30));
    const b = Math.min(text.length, a + Math.floor(next() * 4));
    text = next() < 0.3 ? text.slice(0, a) + text.slice(b) : text.slice(0, a) + PIECES[Math.floor(next() * PIECES.length)] + text.slice(b);
  }
  return text;
}

function domainWithDevices(count: number): string {
  const devices: string[] = [];
  for (let i = 0; i < count; i++) {
    const slot = (0x10 + (i >> 3)).toString(16);
    devices.push(
      hostdevInterface(
        `<address type='pci' domain="0x0000" bus='0x0b' slot='0x${slot}' function='0x${i & 7}'/>`,
        `  <vlan trunk='no'>\n    <tag id='${10 + i}' nativeMode="untagged"/>\n  </vlan>\n  <!-- VF ${i} -->\n  <driver name='vfio' ></driver >\n`,
      ),
    );
  }
  return `<?xml version="1.0"?>\n<domain type='kvm'>\n  <name>web01</name>\n  <devices>\n${devices.join('')}  </devices>\n</domain>\n`;
}

test('ordinary tags read in one step: the same tree and problems as token by token, on the corpus and the examples', () => {
  const texts = corpusTexts(['reject', 'accept-fails-at-start', 'accept-starts']);
  assert.ok(texts.length > 50);
  texts.forEach((text, i) => assertSameParse(text, `corpus text ${i}`));
  assertSameParse(domainWithDevices(64), 'generated domain');
});

test('ordinary tags read in one step: shapes at the edge of ordinary are read as the scanner reads them', () => {
  const shapes = [
    `<a b='1'c='2'/>`,
    `<a b = '1'/>`,
    `<a b='1' / >`,
    `<a b='1'/x>`,
    `<a b='1`,
    `<a b='<c/>'/>`,
    `<a b='x>y' c="it's"/>`,
    `<a b='&amp;&#x41;&bad' c='&lt'/>`,
    `<a b='1\t2\r\n3'/>`,
    `<a b='1' b='2'/>`,
    `<a b/>`,
    `<a b=/>`,
    `<a b=1/>`,
    '<a b=`1`/>',
    `<é·x ñ='1'></é·x>`,
    `<a></a ><b></b\n>`,
    `<a></ab></a>`,
    `<a><b></a>`,
    `</a>`,
    `<a></a></a>`,
    `<a>`,
    `<a b='1'`,
    `<a b='1'/`,
    `<a\n  b='1'\n  c="2"\n/>`,
    `x <a/> y`,
    `<domain><x/></domain><y/>`,
    `<a>]]></a>`,
    `<a bus='0x03 slot='0x10'/>`,
  ];
  for (const s of shapes) assertSameParse(s, JSON.stringify(s));
});

test('ordinary tags read in one step: a tag that repeats the names or values of an earlier tag of its name only in part', () => {
  const shapes = [
    // the names in another order, one more, one fewer, a name that the expected one begins
    `<r><a x='1' y='2'/><a y='1' x='2'/><a x='1' y='2' z='3'/><a x='1'/><a x='1' y='2'/><a xy='1'/><a x='1'/></r>`,
    // a value that needs decoding after the same value written plainly, and before it
    `<r><a x='1'/><a x='&amp;'/><a x='&amp;'/><a x='1'/><a x='a&#9;b'/><a x='a\tb'/><a x='a b'/></r>`,
    // an element name longer or shorter than the one that followed last time
    `<r><ab/><abc/><ab/><abc/><a/><ab/></r>`,
    // the expected names, then no whitespace, '=' or quote where the scanner needs them
    `<r><a x='1' y='2'/><a x='1'y='2'/><a x='1' y = '2'/><a x='1' y=2/><a x='1' y='2'/></r>`,
    `<!DOCTYPE r [<!ENTITY e "v">]><r><a x='&e;' y='1'c='2'/><a x='&e;'/></r>`,
  ];
  for (const s of shapes) assertSameParse(s, JSON.stringify(s));
  const doc = parseXml(shapes[1]);
  assert.deepEqual(
    only(doc.roots).children.map((a) => attrValue(a, 'x')),
    ['1', '&', '&', '1', 'a\tb', 'a b', 'a b'],
  );
});

test('ordinary tags read in one step: a tag found unusual part-way charges its entities to the document once', () => {
  // 600,000 characters from one reference, far enough into the document not to count as amplification:
  // charged twice (once by a reading that gave up at c='2', once by the scanner) they would pass the
  // document's budget of 1,000,000 and be refused
  const text = `<!DOCTYPE r [<!ENTITY e "${'x'.repeat(600_000)}">]><!--${'c'.repeat(70_000)}--><r><a x='&e;' y='1'c='2'/></r>`;
  assertSameParse(text, 'one large entity');
  const doc = parseXml(text);
  assert.deepEqual(
    doc.problems.map((p) => p.message),
    ['Whitespace expected before attribute c'],
  );
  assert.equal(attrValue(only(only(doc.roots).children), 'x')?.length, 600_000);
});

test(`ordinary tags read in one step: ${ITERATIONS} mutated documents (seed ${SEED}) read as token by token`, () => {
  const texts = [...corpusTexts(['reject', 'accept-fails-at-start', 'accept-starts']), domainWithDevices(8)];
  const next = seededRandom(SEED);
  for (let i = 0; i < ITERATIONS; i++) {
    const text = mutate(texts[i % texts.length], next);
    try {
      assertSameParse(text, `iteration ${i} (seed ${SEED})`);
    } catch (e) {
      assert.fail(`${e instanceof Error ? e.message : String(e)}\n--- document ---\n${text}`);
    }
  }
});
