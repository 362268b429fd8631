// A broken JSON file is reported as FILE:LINE:COLUMN whatever Node's version words JSON.parse's
// error: Node 20 says "at position N", Node 22 and 24 add "(line L column C)", and an unexpected
// token is never given a position (service/jsonSyntax.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JsonSyntaxError, jsonSyntaxMessage, parseJsonFile } from '../../../server/src/service/jsonSyntax';

const parseError = (text: string): unknown => {
  try {
    JSON.parse(text);
  } catch (e) {
    return e;
  }
  throw new Error(`parsed: ${text}`);
};

test("Node 20's and Node 22/24's wordings of one error give the same line and column", () => {
  const text = '{"a": 1\n"b": 2}';
  const expected = "f.json:2:1: bad JSON: Expected ',' or '}' after property value";
  assert.equal(
    jsonSyntaxMessage('f.json', text, new SyntaxError("Expected ',' or '}' after property value in JSON at position 8")),
    expected,
  );
  assert.equal(
    jsonSyntaxMessage('f.json', text, new SyntaxError("Expected ',' or '}' after property value in JSON at position 8 (line 2 column 1)")),
    expected,
  );
  assert.equal(jsonSyntaxMessage('f.json', text, parseError(text)), expected);
});

test('an unexpected token (no position in any version) is found in the text; its copy of the text is left out', () => {
  const text = '[1, 2, 3, 4, 5, , 7, 8, 9, 10]';
  const newer = `Unexpected token ',', ..." 3, 4, 5, , 7, 8, 9,"... is not valid JSON`;
  assert.equal(jsonSyntaxMessage('f.json', text, new SyntaxError(newer)), "f.json:1:17: bad JSON: Unexpected token ','");
  assert.equal(jsonSyntaxMessage('f.json', text, parseError(text)), "f.json:1:17: bad JSON: Unexpected token ','");
  const lines = '{\r\n  "disable": ["mac-missing",],\r\n  "x": 1\r\n}\r\n';
  assert.equal(jsonSyntaxMessage('f.json', lines, parseError(lines)), "f.json:2:29: bad JSON: Unexpected token ']'");
  // a bad character inside a literal, after a string that holds the same character
  const literal = '{"n": "x", "v": nulx}';
  assert.equal(jsonSyntaxMessage('f.json', literal, parseError(literal)), "f.json:1:20: bad JSON: Unexpected token 'x'");
});

test('the end of the input is placed after the last token, not on a blank last line', () => {
  const text = '{ "disable": [\n\n';
  assert.equal(jsonSyntaxMessage('f.json', text, parseError(text)), 'f.json:1:15: bad JSON: Unexpected end of JSON input');
  assert.equal(jsonSyntaxMessage('f.json', '', parseError('')), 'f.json:1:1: bad JSON: Unexpected end of JSON input');
});

test("a user's JSON file: a leading UTF-8 byte-order mark is not JSON; errors are placed as without it", () => {
  assert.deepEqual(parseJsonFile('\uFEFF{"disable": ["mac-missing"]}', 'f.json'), { disable: ['mac-missing'] });
  assert.throws(() => parseJsonFile('\uFEFF{"a": 1\n"b": 2}', 'f.json'), {
    name: 'Error',
    message: "f.json:2:1: bad JSON: Expected ',' or '}' after property value",
  });
  assert.throws(() => parseJsonFile('\uFEFF{"a": 1,}', 'f.json'), JsonSyntaxError);
  // only a leading mark: one anywhere else is a character JSON does not allow there
  assert.throws(() => parseJsonFile('{"a": 1}\uFEFF', 'f.json'), /f\.json:1:9: bad JSON/);
});
