// Agreement with libvirt's own XML parser (libxml2 via virXMLParse): every snippet below is
// wrapped in a test domain and defined with real `virsh -c test:///default define`. When libvirt
// reports an XML parse error ("(domain_definition):LINE: ...", "at line LINE: ...") parseXml must report an
// xml-syntax problem, and when libvirt parses the XML parseXml must report none. Bytes that are not
// UTF-8 are `check`'s to find (the parser sees text): there the CLI is compared, line and message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseXml } from '../../../server/src/service/xml/parser';
import { amplification, domainWith } from '../../support/entityDocuments';
import { libvirtXmlError } from '../../support/virsh';
import { runCli } from '../../support/cli';

const SOURCE = `<source network='default'/>`;
const CASES: string[] = [
  `<interface type='network'>${SOURCE}</interface>`,
  `<interface type='network'>${SOURCE}<mac address='52:54:00:00:00:01'</interface>`,
  `<interface type='network'>${SOURCE}<mac address='52:54:00:00:00:01'\n<model type='virtio'/></interface>`,
  `<interface type='network'>${SOURCE}</interface`,
  `<interface type='network'><source network='default'></interface>`,
  `<interface type='network'><source network='default/></interface>`,
  `<interface type=network>${SOURCE}</interface>`,
  `<interface type='network'><source network='default' network='x'/></interface>`,
  `<interface type='network'><source network='a&b'/></interface>`,
  `<interface type='network'><source network='a&amp;b'/></interface>`,
  `<interface type='network'><source network="a'b"/></interface>`,
  `<interface type='network'><source network='a>b'/></interface>`,
  `<interface type='network'><source network='a<b'/></interface>`,
  `<interface type='network'><!-- <interface type='hostdev'> -->${SOURCE}</interface>`,
  `<interface type='network'><![CDATA[ <x> ]]>${SOURCE}</interface>`,
  `<interface type='network'>${SOURCE}<?foo bar?></interface>`,
  `<interface type='network'>${SOURCE}<?foo=bar?></interface>`,
  `<interface type='network'>${SOURCE}<? foo?></interface>`,
  `<interface type='network'>${SOURCE}</interface></devices>`,
  `<interface type='network'>${SOURCE}`,
  `<interface type='network'>${SOURCE}</interface><`,
  `<interface type='network'>${SOURCE}</interface> a < b`,
  `<interface type='network'>${SOURCE}</interface> a > b`,
  `<interface type ='network' ><source network = 'default' /></interface >`,
  `<interface type='network'>${SOURCE}</ interface>`,
  `<interface type='network'>${SOURCE}</interface foo>`,
  `<interface type='network'>${SOURCE}<x:y/></interface>`,
  `<interface type='network'>${SOURCE}&#0;</interface>`,
  `<interface type='network'>${SOURCE}&#x41;&#65;</interface>`,
  `<interface type='network'>${SOURCE}&#xD800;</interface>`,
  `<interface type='network'>${SOURCE}&nbsp;</interface>`,
  `<interface type='network'>${SOURCE}<!-- - --></interface>`,
  `<interface type='network'>${SOURCE}<!-- -- --></interface>`,
  `<interface type='network'>${SOURCE}<!----></interface>`,
  `<interface type='network'>${SOURCE}<!-- unterminated </interface>`,
  `<interface type='network'>${SOURCE}<!DOCTYPE x></interface>`,
  `<interface type='network'>${SOURCE}<1a/></interface>`,
  `<interface type='network'>${SOURCE}<a b/></interface>`,
  `<interface type='network'>${SOURCE}<a b=/></interface>`,
  `<interface type='network'>${SOURCE}<a b='1'c='2'/></interface>`,
  `<interface type='network'>${SOURCE}<address type='pci' bus='0x03 slot='0x10'/></interface>`,
  `<interface type='network'>${SOURCE}<a b='x c=' d='1'/><a b='x c='/></interface>`,
  `<interface type='network'>${SOURCE}<a b='1' / ></interface>`,
  `<interface type='network'>${SOURCE}<a\tb='1'\n/></interface>`,
  `<interface type='network'>${SOURCE}<a b='\u00e9'/><\u00e9/><a-b.c_d/></interface>`,
  `<interface type='network'>${SOURCE}]]></interface>`,
  `<interface type='network'>${SOURCE}\u0001</interface>`,
  `<interface type='network'>${SOURCE}<![CDATA[ unterminated </interface>`,
  `<interface type='network'>${SOURCE}<qemu:commandline xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'/></interface>`,
];

function wrap(body: string): string {
  return `<domain type='test'>\n  <name>agree</name>\n  <memory>1048576</memory>\n  <os><type>hvm</type></os>\n  <devices>\n${body}\n  </devices>\n</domain>\n`;
}

test('libxml2 agreement: xml-syntax problems exactly where real virsh reports an XML parse error', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'xml-agreement-'));
  try {
    const disagreements: string[] = [];
    let rejected = 0;
    for (const [i, body] of CASES.entries()) {
      const text = wrap(body);
      const file = join(dir, `case${i}.xml`);
      writeFileSync(file, text);
      const libvirt = await libvirtXmlError(file);
      if (libvirt) rejected++;
      const ours = parseXml(text).problems.map((p) => p.message);
      if ((libvirt !== null) !== ours.length > 0) {
        disagreements.push(`${JSON.stringify(body)}\n  libvirt: ${libvirt ?? 'parsed'}\n  ours: ${ours.join(' | ') || 'no problem'}`);
      }
    }
    assert.deepEqual(disagreements, []);
    // the corpus exercises both sides
    assert.ok(rejected > 20 && rejected < CASES.length - 5, `libvirt rejected ${rejected} of ${CASES.length}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

function loopProblems(text: string): string[] {
  return parseXml(text)
    .problems.filter((p) => /Detected an entity reference loop/.test(p.message))
    .map((p) => p.message);
}

const AGREEMENT: [string, string][] = [
  ['recursive entity in an attribute', domainWith('<!ENTITY a "x&a;">', `<x a='&a;'/>`)],
  ['mutually recursive entities in content', domainWith('<!ENTITY a "x&b;"><!ENTITY b "&a;">', `<x>&a;</x>`)],
  ['amplification, one reference', amplification(3, 1)],
  ['amplification, 2,000 references', amplification(4, 2000)],
  [
    'amplification in content',
    domainWith(
      '<!ENTITY a "xxxxxxxxxx"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">',
      `<x>&d;</x>`,
    ),
  ],
  ['1,000-character entity, 50 references', amplification(2, 50)],
  [
    'seven levels of nesting',
    domainWith(
      '<!ENTITY a "1"><!ENTITY b "&a;"><!ENTITY c "&b;"><!ENTITY d "&c;"><!ENTITY e "&d;"><!ENTITY f "&e;"><!ENTITY g "&f;">',
      `<x a='&g;'>&g;</x>`,
    ),
  ],
];

test('entities: loops and amplification reported exactly where real virsh refuses the document', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'xml-entities-'));
  try {
    const disagreements: string[] = [];
    for (const [i, [name, text]] of AGREEMENT.entries()) {
      const file = join(dir, `case${i}.xml`);
      writeFileSync(file, text);
      const libvirt = await libvirtXmlError(file);
      const ours = loopProblems(text);
      if (libvirt !== null) assert.match(libvirt, /Detected an entity reference loop/, name);
      if ((libvirt !== null) !== ours.length > 0)
        disagreements.push(`${name}: libvirt ${libvirt ?? 'parsed'}; ours ${ours.join(' | ') || 'none'}`);
    }
    assert.deepEqual(disagreements, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** DOCTYPE headers and internal subsets, each with one reference: whether libxml2 accepts the reference depends on both */
const DOCTYPE_CASES: [string, string][] = [
  ['<!DOCTYPE domain>', '<x>&y;</x>'],
  ['<!DOCTYPE domain>', "<x a='&y;'/>"],
  ["<!DOCTYPE domain SYSTEM 'domain.dtd'>", '<x>&y;</x>'],
  ["<!DOCTYPE domain SYSTEM 'domain.dtd'>", "<x a='&y;'/>"],
  ["<!DOCTYPE domain PUBLIC 'id' 'domain.dtd' [<!ENTITY x 'v'>]>", "<x a='&y;'/>"],
  ["<!DOCTYPE domain [<!ENTITY x 'v'>]>", "<x a='&y;'/>"],
  ["<!DOCTYPE domain [<!ENTITY x 'v'>]>", "<x a='&x;'>&x;</x>"],
  ["<!DOCTYPE domain [<!ENTITY x SYSTEM 'file:///etc/hostname'>]>", '<x>&x;</x>'],
  ["<!DOCTYPE domain [<!ENTITY x SYSTEM 'file:///etc/hostname'>]>", "<x a='&x;'/>"],
  ["<!DOCTYPE domain [<!ENTITY x PUBLIC 'id' 'file:///etc/hostname'>]>", "<x a='a&x;b'/>"],
  ["<!DOCTYPE domain [<!ENTITY % p SYSTEM 'p.ent'> %p;]>", "<x a='&y;'/>"],
];

test('entity references under a DOCTYPE: xml-syntax problems exactly where real virsh refuses the reference', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'xml-doctype-'));
  try {
    const disagreements: string[] = [];
    let rejected = 0;
    for (const [i, [doctype, body]] of DOCTYPE_CASES.entries()) {
      const text = `${doctype}\n${wrap(body)}`;
      const file = join(dir, `case${i}.xml`);
      writeFileSync(file, text);
      const libvirt = await libvirtXmlError(file);
      if (libvirt) rejected++;
      const ours = parseXml(text).problems.map((p) => p.message);
      if ((libvirt !== null) !== ours.length > 0)
        disagreements.push(`${doctype} ${body}\n  libvirt: ${libvirt ?? 'parsed'}\n  ours: ${ours.join(' | ') || 'no problem'}`);
    }
    assert.deepEqual(disagreements, []);
    assert.ok(rejected >= 4 && rejected <= DOCTYPE_CASES.length - 4, `libvirt rejected ${rejected} of ${DOCTYPE_CASES.length}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('nesting: xml-syntax exactly where real virsh refuses the depth, also for an empty element at the limit', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'xml-depth-'));
  try {
    const disagreements: string[] = [];
    // <domain> and <devices> are open around the body
    for (const [n, leaf] of [
      [254, ''],
      [255, ''],
      [256, ''],
      [255, '<b/>'],
      [254, '<b/>'],
    ] as const) {
      const text = wrap(`${'<a>'.repeat(n)}${leaf}${'</a>'.repeat(n)}`);
      const file = join(dir, `depth${n}${leaf ? 'leaf' : ''}.xml`);
      writeFileSync(file, text);
      const libvirt = await libvirtXmlError(file);
      const ours = parseXml(text).problems.map((p) => p.message);
      if ((libvirt !== null) !== ours.length > 0)
        disagreements.push(`${n} <a>${leaf}: libvirt ${libvirt ?? 'parsed'}; ours ${ours.join(' | ') || 'no problem'}`);
    }
    assert.deepEqual(disagreements, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Bytes that are not UTF-8 (or encode a code point XML lacks), in the places a document holds text */
const BYTE_CASES: [string, number[], (bad: string) => string][] = [
  ['0xE9 in text', [0xe9], (b) => `<description>caf${b} ok</description>`],
  ['0xE9 under an ISO-8859-1 declaration', [0xe9], (b) => `<description>caf${b}</description>`],
  ['a continuation byte alone', [0x80], (b) => `<description>a${b}b</description>`],
  ['overlong 2 bytes', [0xc0, 0x80], (b) => `<description>a${b}b</description>`],
  ['overlong 3 bytes', [0xe0, 0x80, 0x80], (b) => `<description>a${b}b</description>`],
  ['overlong 4 bytes', [0xf0, 0x80, 0x80, 0x80], (b) => `<description>a${b}b</description>`],
  ['a cut sequence', [0xe2, 0x82], (b) => `<description>a${b}b</description>`],
  ['a 5-byte form', [0xf8, 0x88, 0x80, 0x80, 0x80], (b) => `<description>a${b}b</description>`],
  ['a surrogate', [0xed, 0xa0, 0x80], (b) => `<description>a${b}b</description>`],
  ['past U+10FFFF', [0xf4, 0x90, 0x80, 0x80], (b) => `<description>a${b}b</description>`],
  ['in an attribute value', [0xe9], (b) => `<description>x</description><metadata><x a='caf${b}'/></metadata>`],
  ['in a comment', [0xe9], (b) => `<!-- caf${b} -->`],
  ['in an element name', [0xe9], (b) => `<metadata><na${b}me/></metadata>`],
  ['in CDATA', [0xe9], (b) => `<description><![CDATA[caf${b}]]></description>`],
  ['in a processing instruction', [0xe9], (b) => `<?foo caf${b}?>`],
  ['valid: é, an emoji, U+0080', [0xc3, 0xa9, 0xf0, 0x9f, 0x98, 0x80, 0xc2, 0x80], (b) => `<description>${b}</description>`],
];

test('bytes that are not UTF-8: an xml-syntax error on the line real virsh names, with its message', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'xml-bytes-'));
  const MARK = '\u0000';
  try {
    const disagreements: string[] = [];
    let rejected = 0;
    for (const [i, [name, bytes, place]] of BYTE_CASES.entries()) {
      const declaration = name.includes('ISO-8859-1') ? "<?xml version='1.0' encoding='ISO-8859-1'?>\n" : '';
      const [before, after] =
        `${declaration}<domain type='test'>\n  <name>bytes</name>\n  <memory>1048576</memory>\n  ${place(MARK)}\n  <os><type>hvm</type></os>\n</domain>\n`.split(
          MARK,
        );
      const file = join(dir, `bytes${i}.xml`);
      writeFileSync(file, Buffer.concat([Buffer.from(before), Buffer.from(bytes), Buffer.from(after)]));
      const libvirt = await libvirtXmlError(file);
      if (libvirt) rejected++;
      const run = await runCli(['check', '--no-config', '--format', 'json', file]);
      const ours = (
        JSON.parse(run.stdout) as { diagnostics: { code: string; message: string; range: { start: { line: number } } }[] }[]
      )[0].diagnostics.filter((d) => d.code === 'xml-syntax');
      const said = libvirt === null ? null : /^\(domain_definition\):(\d+): (.*)$/.exec(libvirt);
      const agrees =
        libvirt === null
          ? ours.length === 0
          : said !== null &&
            ours.length === 1 &&
            ours[0].range.start.line + 1 === Number(said[1]) &&
            ours[0].message.includes(`libvirt: "${said[2]}`);
      if (!agrees)
        disagreements.push(
          `${name}\n  libvirt: ${libvirt ?? 'parsed'}\n  ours: ${ours.map((d) => `${d.range.start.line + 1}: ${d.message}`).join(' | ') || 'no problem'}`,
        );
    }
    assert.deepEqual(disagreements, []);
    // every case but the valid one is refused
    assert.equal(rejected, BYTE_CASES.length - 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A character XML forbids, in each place a document holds one; true: libxml2's message names the character, and ours quotes it */
const FORBIDDEN_CASES: [string, string, (c: string) => string, boolean][] = [
  ['U+0001 in content', '\u0001', (c) => `<description>a${c}b</description>`, true],
  ['U+000B in content', '\u000b', (c) => `<description>a${c}b</description>`, true],
  ['U+001F in content', '\u001f', (c) => `<description>a${c}b</description>`, true],
  ['U+FFFE in content', '\ufffe', (c) => `<description>a${c}b</description>`, true],
  ['U+0001 in an attribute value', '\u0001', (c) => `<metadata><x a='b${c}'/></metadata>`, true],
  ['U+FFFF in an attribute value', '\uffff', (c) => `<metadata><x a="${c}"/></metadata>`, true],
  ['U+0001 in a comment', '\u0001', (c) => `<!-- a${c} -->`, true],
  ['U+FFFF in a comment', '\uffff', (c) => `<!-- a${c} -->`, true],
  ['U+0001 in CDATA', '\u0001', (c) => `<description><![CDATA[a${c}]]></description>`, false],
  ['U+0001 in a processing instruction', '\u0001', (c) => `<?pi a${c}?>`, false],
  ['U+0001 inside a tag', '\u0001', (c) => `<metadata><x${c}/></metadata>`, false],
];

test('a character XML forbids: an xml-syntax error on the line real virsh names, quoting libxml2 where its message names the character', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'xml-forbidden-'));
  try {
    const disagreements: string[] = [];
    for (const [i, [name, char, place, quoted]] of FORBIDDEN_CASES.entries()) {
      const text = `<domain type='test'>\n  <name>chars</name>\n  <memory>1048576</memory>\n  ${place(char)}\n  <os><type>hvm</type></os>\n</domain>\n`;
      const file = join(dir, `char${i}.xml`);
      writeFileSync(file, text);
      const said = /^\(domain_definition\):(\d+): (.*)$/.exec((await libvirtXmlError(file)) ?? '');
      const ours = parseXml(text).problems;
      const first = ours[0];
      const line = first ? text.slice(0, first.span.start).split('\n').length : 0;
      const agrees =
        said !== null &&
        ours.length === 1 &&
        line === Number(said[1]) &&
        (quoted ? first.message.endsWith(`stops with "${said[2]}"`) : !first.message.includes('stops with'));
      if (!agrees)
        disagreements.push(
          `${name}\n  libvirt: ${said?.[0] ?? 'parsed'}\n  ours: ${ours.map((p) => p.message).join(' | ') || 'no problem'}`,
        );
    }
    assert.deepEqual(disagreements, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
