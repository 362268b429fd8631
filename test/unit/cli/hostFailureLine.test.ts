// The one line the host commands print for a host failure: the --accept-new-host-key hint goes with an
// unknown key that accepting new keys would let through, as the host layer says of its error, whatever
// the message's words.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hostFailureLine } from '../../../server/src/cli/hostCommands';
import { HostError } from '../../../server/src/host/transport';

const HINT = ' (run again with --accept-new-host-key to trust it)';

test('an unknown host key that accepting new keys lets through names --accept-new-host-key, once', () => {
  const e = new HostError('host-key', 'unknown host key for kvm1:22: ssh-ed25519 SHA256:abc; not accepted', true);
  assert.equal(hostFailureLine(e), `${e.message}${HINT}`);
  // the line a command passes on is not given the hint a second time
  assert.equal(hostFailureLine(new HostError('host-key', hostFailureLine(e))), `${e.message}${HINT}`);
});

test('no hint where the option would not help: StrictHostKeyChecking yes, a changed key, any other failure', () => {
  for (const e of [
    new HostError(
      'host-key',
      'unknown host key for kvm1:22: ssh-ed25519 SHA256:abc; refused because StrictHostKeyChecking is yes in the ssh config',
    ),
    new HostError('host-key', 'host key of kvm1:22 has CHANGED: OpenSSH refuses to connect'),
    new HostError('auth', 'authentication to kvm1 failed: unknown host key words in a message'),
    new Error('unknown host key'),
  ])
    assert.equal(hostFailureLine(e), e.message);
});
