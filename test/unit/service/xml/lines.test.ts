// Line numbers in messages, suppression comments and the CLI's reports are the editor's: a lone \r
// ends a line too, and positions are those LSP's TextDocument gives for the same offsets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LineTable } from '../../../../server/src/service/xml/lines';
import { parseXml } from '../../../../server/src/service/xml/parser';

test('lineOf: \\n, \\r\\n and a lone \\r each end a line', () => {
  const text = 'a\nb\r\nc\rd';
  const lines = new LineTable(text);
  assert.deepEqual(
    [...text].map((_, i) => lines.lineOf(i)),
    [0, 0, 1, 1, 1, 2, 2, 3],
  );
});

test('lineOf: offsets before the text are on the first line, offsets past it on the last', () => {
  const lines = new LineTable('a\nb\n');
  assert.equal(lines.lineOf(-5), 0);
  assert.equal(lines.lineOf(4), 2);
  assert.equal(lines.lineOf(100), 2);
});

test('positionAt is what LSP TextDocument.positionAt gives, for every offset of texts mixing line ends', () => {
  const pieces = ['a', 'bc', '\n', '\r', '\r\n', '\n\r', ' '];
  // a fixed seed: the same texts on every run, every piece at the start, the middle and the end
  let seed = 7;
  const next = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
  const texts = ['', '\r', '\n', '\r\n', '\r\r\n\n', 'x\r\ny'];
  for (let i = 0; i < 300; i++) texts.push(Array.from({ length: next(20) }, () => pieces[next(pieces.length)]).join(''));
  for (const text of texts) {
    const lines = new LineTable(text);
    const doc = TextDocument.create('file:///t.xml', 'xml', 1, text);
    for (let offset = -2; offset <= text.length + 2; offset++) {
      assert.deepEqual(lines.positionAt(offset), doc.positionAt(offset), `${JSON.stringify(text)} at ${offset}`);
    }
    for (let line = 0; line < doc.lineCount; line++) {
      const range = { start: { line, character: 0 }, end: { line: line + 1, character: 0 } };
      assert.equal(lines.lineWithBreak(line), doc.getText(range), `${JSON.stringify(text)} line ${line}`);
    }
  }
});

test('a syntax message names the line the editor shows, also in a file with lone \\r line ends', () => {
  const text = "<domain>\r<devices>\r<interface type='hostdev'>\r</devices>\r</domain>\r";
  const messages = parseXml(text).problems.map((p) => p.message);
  assert.ok(
    messages.some((m) => /opened at line 3/.test(m)),
    messages.join('\n'),
  );
});
