// A host's inventory provider keeps the kind of a failure beside its words: a refused login and a host
// key that does not match need the user (Add host offers another key; the editor warns), a timeout does not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHostInventoryProvider } from '../../../server/src/inventory/hostProvider';
import { HostError } from '../../../server/src/host/transport';
import { documentContext } from '../../../server/src/lsp/inventorySources';

async function failing(error: Error) {
  const provider = createHostInventoryProvider(
    { name: 'kvm1', target: 'root@192.0.2.7' },
    {
      transportFor: async () => {
        throw error;
      },
      commandTimeoutMs: 1_000,
    },
  );
  try {
    await provider.refresh();
    return provider.current();
  } finally {
    provider.dispose();
  }
}

test('a failed refresh keeps the HostError kind in the status; a changed host key makes the editor context say the key was refused', async () => {
  const changed = await failing(new HostError('host-key', 'host key of 192.0.2.7:22 has CHANGED: known_hosts has SHA256:x'));
  assert.equal(changed.status.state, 'unreachable');
  assert.equal(changed.status.errorKind, 'host-key');
  assert.equal(documentContext(changed).inventoryUnavailable?.hostKeyRefused, true);
  const refused = await failing(new HostError('auth', 'authentication to root@192.0.2.7 failed'));
  assert.equal(refused.status.errorKind, 'auth');
  assert.equal(documentContext(refused).inventoryUnavailable?.hostKeyRefused, undefined);
  // an error that is no HostError has no kind to tell
  const other = await failing(new Error('boom'));
  assert.equal(other.status.error, 'boom');
  assert.equal(other.status.errorKind, undefined);
});
