// Agreement with libvirt's own XML parser (libxml2 via virXMLParse): every snippet below is
// wrapped in a test domain and defined with real `virsh -c test:///default define`. When libvirt
// reports an XML parse error ("(domain_definition):LINE: ...", "at line LINE: ...") parseXml must report an
// xml-syntax problem, and when libvirt parses the XML parseXml must report none.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseXml } from '../../../server/src/service/xml/parser';
import { amplification, domainWith } from '../../support/entityDocuments';
import { libvirtXmlError } from '../../support/virsh';

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
