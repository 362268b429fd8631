// Where a text's comments are (xml/sections.ts): as XML reads them, a '<!--' inside a CDATA section or
// a processing instruction is their text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { commentSpans } from '../../../../server/src/service/xml/sections';

const texts = (text: string) => commentSpans(text).map((c) => [text.slice(c.start, c.end), c.closed]);

test('comments in order, each to after its -->', () => {
  assert.deepEqual(texts('<a><!-- one --><b/><!--two--></a><!---->'), [
    ['<!-- one -->', true],
    ['<!--two-->', true],
    ['<!---->', true],
  ]);
});

test("a '<!--' inside CDATA or a processing instruction opens no comment; one after them does", () => {
  assert.deepEqual(texts('<a><![CDATA[ <!-- no ]]><?pi <!-- no ?><!-- yes --></a>'), [['<!-- yes -->', true]]);
  // what opens a CDATA section or a processing instruction inside a comment is the comment's text
  assert.deepEqual(texts('<!-- <![CDATA[ --><!-- <? --><!-- last -->'), [
    ['<!-- <![CDATA[ -->', true],
    ['<!-- <? -->', true],
    ['<!-- last -->', true],
  ]);
});

test('an unterminated comment ends with the text, and nothing after an unterminated section is a comment', () => {
  assert.deepEqual(texts('<a/><!-- open'), [['<!-- open', false]]);
  // '<!--->' is an opening followed by '->', not a closed comment
  assert.deepEqual(texts('<!--->'), [['<!--->', false]]);
  assert.deepEqual(texts('<![CDATA[ <!-- x -->'), []);
  assert.deepEqual(texts('<? <!-- x -->'), []);
});
