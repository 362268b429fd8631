// Line numbers in messages and suppression comments are the editor's: a lone \r ends a line too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lineLocator } from '../../../../server/src/service/xml/lines';
import { parseXml } from '../../../../server/src/service/xml/parser';

test('lineLocator: \\n, \\r\\n and a lone \\r each end a line', () => {
  const text = 'a\nb\r\nc\rd';
  const line = lineLocator(text);
  assert.deepEqual(
    [...text].map((_, i) => line(i)),
    [0, 0, 1, 1, 1, 2, 2, 3],
  );
});

test('a syntax message names the line the editor shows, also in a file with lone \\r line ends', () => {
  const text = "<domain>\r<devices>\r<interface type='hostdev'>\r</devices>\r</domain>\r";
  const messages = parseXml(text).problems.map((p) => p.message);
  assert.ok(
    messages.some((m) => /opened at line 3/.test(m)),
    messages.join('\n'),
  );
});
