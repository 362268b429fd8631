// One line of text from a host or a file, made inert: what a report line, an inlay hint and a shell menu entry show.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inertLabel, inertLine } from '../../../shared/inertControls';

test('inertLine writes line feeds, tabs and terminal controls out, so a name stays one line that acts on nothing', () => {
  assert.equal(inertLine('web01'), 'web01');
  assert.equal(inertLine('a\nb\tc\u001b[2Jd\u009be'), 'a\\nb\\tc\\x1b[2Jd\\x9be');
});

test('inertLabel is that line, trimmed, cut to at most N characters with … where it was cut', () => {
  assert.equal(inertLabel('  short  ', 10), 'short');
  assert.equal(inertLabel('x'.repeat(10), 10), 'x'.repeat(10));
  assert.equal(inertLabel('x'.repeat(11), 10), `${'x'.repeat(9)}…`);
  assert.equal(inertLabel('word word', 6), 'word…', 'no blank left before the …');
  assert.equal(inertLabel('a\nb', 10), 'a\\nb');
});
