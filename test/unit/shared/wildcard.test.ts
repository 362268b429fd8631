// Globs from settings (an untrusted workspace may set libvirtHostdev.files) and fnmatch patterns from
// a host's udev rules are matched without backtracking: a pattern made to explode a RegExp answers
// (a regression shows as this test's timeout), and no pattern throws.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { globMatches } from '../../../shared/documents';
import { wildcardMatches, type WildcardToken } from '../../../shared/wildcard';

const T = { timeout: 20_000 };

test('stars and folders made to explode a RegExp (`*a*a…*b`, `**/**/…/x`) are answered, rightly', T, () => {
  const name = '/' + 'a'.repeat(200);
  assert.equal(globMatches('*a'.repeat(40) + '*b', name), false);
  assert.equal(globMatches('*a'.repeat(40) + '*', name), true);
  const deep = '/' + Array.from({ length: 60 }, (_, i) => `d${i}`).join('/') + '/y';
  assert.equal(globMatches('**/'.repeat(40) + 'x', deep), false);
  assert.equal(globMatches('**/'.repeat(40) + 'y', deep), true);
});

test('unclosed { and [, a reversed range and brace bombs never throw', T, () => {
  assert.equal(globMatches('{a', '/x/{a'), true);
  assert.equal(globMatches('[a', '/x/[a'), true);
  assert.equal(globMatches('[z-a]', '/x/a'), false);
  assert.equal(globMatches('{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}', '/x/aaaaaaa'), false, 'past 64 alternatives: nothing');
  assert.equal(globMatches('{a,b}{a,b}', '/x/ba'), true);
});

test('one token table for every dialect: * with or without /, ?, classes, negated classes', T, () => {
  const star = (slash: boolean): WildcardToken => ({ kind: 'star', slash });
  const char = (c: string): WildcardToken => ({ kind: 'char', char: c });
  assert.equal(wildcardMatches([star(true), char('x')], 'a/b/x'), true);
  assert.equal(wildcardMatches([star(false), char('x')], 'a/b/x'), false);
  assert.equal(wildcardMatches([star(false), char('x')], 'a/b/x', true), true);
  assert.equal(wildcardMatches([{ kind: 'class', negate: true, ranges: [['0', '9']] }], 'a'), true);
  assert.equal(wildcardMatches([{ kind: 'class', negate: true, ranges: [['0', '9']] }], '5'), false);
  assert.equal(wildcardMatches([{ kind: 'one', slash: false }], '/'), false);
  assert.equal(wildcardMatches([], ''), true);
});
