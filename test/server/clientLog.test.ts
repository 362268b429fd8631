// The one log everything in the server writes to: it reaches the client's console while the server
// runs and says nothing once it has stopped (a send on a closed connection throws at once).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection } from 'vscode-languageserver/node';
import { clientLog } from '../../server/src/lsp/clientLog';

function recordingConnection(): { connection: Connection; sent: string[] } {
  const sent: string[] = [];
  const console = {
    info: (m: string) => sent.push(`info ${m}`),
    warn: (m: string) => sent.push(`warn ${m}`),
    error: (m: string) => sent.push(`error ${m}`),
  };
  return { connection: { console } as unknown as Connection, sent };
}

test('each level reaches the client console as that level while the server runs', () => {
  const { connection, sent } = recordingConnection();
  const log = clientLog(connection, () => false);
  log.info('read');
  log.warn('ProxyCommand for bastion: waiting');
  log.error('failed');
  assert.deepEqual(sent, ['info read', 'warn ProxyCommand for bastion: waiting', 'error failed']);
});

test('nothing reaches the connection once the server has stopped, whatever the level', () => {
  const { connection, sent } = recordingConnection();
  let stopped = false;
  const log = clientLog(connection, () => stopped);
  log.warn('before');
  stopped = true;
  log.info('after');
  log.warn('ProxyCommand for bastion: closing');
  log.error('after');
  assert.deepEqual(sent, ['warn before']);
});
