// A character XML forbids: our words, and libxml2's where its message names the character, by where it
// stands (xml/forbiddenCharacters.ts; test/integration/libvirt/libxml2Agreement.test.ts compares them
// with real virsh).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseXml } from '../../../../server/src/service/xml/parser';

const messages = (text: string) => parseXml(text).problems.map((p) => p.message);

test('in content, an attribute value and a comment: libxml2 words each differently, and we quote it', () => {
  assert.deepEqual(messages("<a><b>x\u0001</b><c d='\u0002'/><!-- \u0003 --><e>\uffff</e></a>"), [
    `Character U+0001 is not allowed in XML: libvirt's XML parser (libxml2) stops with "PCDATA invalid Char value 1"`,
    `Character U+0002 is not allowed in XML: libvirt's XML parser (libxml2) stops with "invalid character in attribute value"`,
    `Character U+0003 is not allowed in XML: libvirt's XML parser (libxml2) stops with "xmlParseComment: invalid xmlChar value 3"`,
    `Character U+FFFF is not allowed in XML: libvirt's XML parser (libxml2) stops with "Char 0xFFFF out of allowed range"`,
  ]);
});

test('in CDATA, a processing instruction, a tag, outside the root, and U+0000 anywhere: our words alone', () => {
  for (const text of ['<a><![CDATA[\u0001]]></a>', '<a><?pi \u0001?></a>', "<a b='c'\u0001/>", '<a/>\u0001', '<a>\u0000</a>'])
    assert.deepEqual(
      messages(text).filter((m) => m.startsWith('Character')),
      [`Character U+${text.includes('\u0000') ? '0000' : '0001'} is not allowed in XML`],
      JSON.stringify(text),
    );
});
