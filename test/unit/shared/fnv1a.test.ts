// FNV-1a (shared/fnv1a.ts), which names the CLI's code caches and fingerprints GitLab Code Quality issues.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fnv1a } from '../../../shared/fnv1a';

test("FNV-1a's published 32-bit values from its offset basis; another seed another hash; 8 hex digits always", () => {
  assert.equal(fnv1a('', 0x811c9dc5), '811c9dc5');
  assert.equal(fnv1a('a', 0x811c9dc5), 'e40c292c');
  assert.equal(fnv1a('foobar', 0x811c9dc5), 'bf9cf968');
  assert.notEqual(fnv1a('foobar', 0x050c5d1f), fnv1a('foobar', 0x811c9dc5));
  assert.match(fnv1a('\u0000', 0), /^[0-9a-f]{8}$/);
});
