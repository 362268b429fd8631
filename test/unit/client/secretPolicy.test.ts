// client/src/secretPolicy.ts: a remembered secret answers again after a reconnect, but never a retry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { storedSecretUsable } from '../../../client/src/secretPolicy';

test('a passphrase (the server says retry): the stored one answers every first ask, even after earlier use', () => {
  assert.equal(storedSecretUsable({ retry: false }, false), true);
  assert.equal(storedSecretUsable({ retry: false }, true), true, 'a reconnect later in the session uses it again');
});

test('a passphrase retry (the stored one was wrong): ask the user', () => {
  assert.equal(storedSecretUsable({ retry: true }, true), false);
});

test('a password (no retry information): the stored one answers once per session, then the user is asked', () => {
  assert.equal(storedSecretUsable({}, false), true);
  assert.equal(storedSecretUsable({}, true), false);
});
