// execOnClient against a stand-in ssh2 Client whose exec answer we control: the ordering cases a
// real sshd cannot be made to produce on demand (the reply to the exec request arriving late).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { Client, ClientChannel } from 'ssh2';
import { execOnClient } from '../../../server/src/host/sshExec';
import { HostError } from '../../../server/src/host/transport';

class FakeChannel extends EventEmitter {
  readonly stderr = new EventEmitter();
  readonly signals: string[] = [];
  closed = false;
  signal(name: string): boolean {
    this.signals.push(name);
    return true;
  }
  close(): void {
    this.closed = true;
  }
  end(): void {
    /* stdin written */
  }
}

class FakeClient extends EventEmitter {
  pending: ((err: Error | undefined, ch: ClientChannel) => void) | null = null;
  exec(_command: string, cb: (err: Error | undefined, ch: ClientChannel) => void): void {
    this.pending = cb;
  }
}

test('a command whose exec reply comes after the timeout is stopped on the host, not just closed: TERM, then KILL if still running', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const client = new FakeClient();
  const run = execOnClient(client as unknown as Client, 'sleep 30', { timeoutMs: 5 }, 'test-host');
  t.mock.timers.tick(5);
  await assert.rejects(run, (e: unknown) => e instanceof HostError && e.kind === 'timeout');
  assert.ok(client.pending, 'the exec request was sent');
  // sshd started the command and now answers the exec request: the command is running there.
  const channel = new FakeChannel();
  client.pending(undefined, channel as unknown as ClientChannel);
  assert.deepEqual(channel.signals, ['TERM']);
  assert.equal(channel.closed, false, 'the command has its time to run its traps');
  t.mock.timers.tick(2000);
  assert.deepEqual(channel.signals, ['TERM', 'KILL']);
  assert.equal(channel.closed, true);
});

test('a timed-out command that ends on its TERM is not sent KILL', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const client = new FakeClient();
  const run = execOnClient(client as unknown as Client, 'sleep 30', { timeoutMs: 5 }, 'test-host');
  const channel = new FakeChannel();
  client.pending!(undefined, channel as unknown as ClientChannel);
  t.mock.timers.tick(5);
  await assert.rejects(run, (e: unknown) => e instanceof HostError && e.kind === 'timeout');
  assert.deepEqual(channel.signals, ['TERM']);
  channel.emit('close');
  t.mock.timers.tick(2000);
  assert.deepEqual(channel.signals, ['TERM']);
  assert.equal(channel.closed, false);
});
