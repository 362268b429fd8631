import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NAME_SHOWN_CHARS, nameList, quotedName, quotedNames, shortName } from '../../../shared/quotedName';

test('a name is quoted whole up to NAME_SHOWN_CHARS, spaces and commas included', () => {
  assert.equal(quotedName('web01'), "'web01'");
  assert.equal(quotedName('db 01, (old).'), "'db 01, (old).'");
  const longest = 'x'.repeat(NAME_SHOWN_CHARS);
  assert.equal(quotedName(longest), `'${longest}'`);
  assert.equal(shortName(longest), longest);
});

test('a longer name is shown by its start, a … and its length, however long it is', () => {
  const huge = 'A'.repeat(2_000_000);
  assert.equal(quotedName(huge), `'${'A'.repeat(NAME_SHOWN_CHARS)}…' (2000000 characters)`);
  assert.equal(shortName(huge), `${'A'.repeat(NAME_SHOWN_CHARS)}…`);
  // a name that ends in '…' itself is told apart by the length
  const own = `${'b'.repeat(NAME_SHOWN_CHARS - 1)}…`;
  assert.equal(quotedName(own), `'${own}'`);
});

test('a shortened name never ends in half of a surrogate pair', () => {
  const name = `${'a'.repeat(NAME_SHOWN_CHARS - 1)}😀${'b'.repeat(50)}`;
  const shown = shortName(name);
  assert.equal(shown, `${'a'.repeat(NAME_SHOWN_CHARS - 1)}…`, 'the pair is left out whole');
});

test('a list of names shows the first ones and counts the rest, however many there are', () => {
  assert.equal(quotedNames([]), '');
  assert.equal(quotedNames(['a', 'b', 'c']), "'a', 'b', 'c'");
  const many = Array.from({ length: 5000 }, (_, i) => `guest${i}`);
  assert.equal(quotedNames(many, 3), "'guest0', 'guest1', 'guest2' and 4997 more");
  assert.ok(quotedNames(many).length < 200);
  // each name of the list is shortened too
  assert.ok(quotedNames(Array.from({ length: 50 }, () => 'Z'.repeat(1_000_000))).length < 20 * NAME_SHOWN_CHARS);
});

test('nameList: "and" before the last, the first `shown` then "and N more", of `total` when only the first are given', () => {
  assert.equal(nameList(['a']), 'a');
  assert.equal(nameList(['a', 'b']), 'a and b');
  assert.equal(nameList(['a', 'b', 'c']), 'a, b and c');
  assert.equal(nameList(['a', 'b', 'c', 'd'], 2), 'a, b and 2 more');
  assert.equal(nameList(['a', 'b'], 3, 4999), 'a, b and 4997 more');
});
