// ProxyJump: the jump host's channel to the next hop (direct-tcpip) is bounded by the connect
// timeout too. A jump sshd answers that channel only once its own TCP connect to the target is
// done, which for a black-holed target takes the kernel's ~2 minutes. An ssh2 Server on loopback
// that never answers the channel stands in for it. The timeout leaves the jump handshake itself
// (pure-JS ssh2 on a loaded machine) room to finish, so the one that fires is the channel's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { Server } from 'ssh2';
import { sshHostKey } from '../../support/sshHostKey';
import { SshTransport } from '../../../server/src/host/sshTransport';
import type { ConnectSpec } from '../../../server/src/host/target';
import { HostError } from '../../../server/src/host/transport';

const T = { timeout: 30_000 };

test('a jump host that never opens the channel to the target gives HostError(timeout), and the jump connection is closed', T, async () => {
  let channelRequests = 0;
  let resolveClosed!: () => void;
  const jumpClosed = new Promise<void>((resolve) => {
    resolveClosed = resolve;
  });
  const server = new Server({ hostKeys: [sshHostKey()] }, (client) => {
    client.on('authentication', (ctx) => ctx.accept());
    // neither accept nor reject: like sshd still waiting for its TCP connect to the target
    client.on('tcpip', () => {
      channelRequests++;
    });
    client.on('close', () => resolveClosed());
    client.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const hop = (host: string, p: number): ConnectSpec => ({
    kind: 'ssh',
    alias: host,
    terminalCommand: `ssh -p ${p} ops@${host}`,
    host,
    port: p,
    username: 'ops',
    identityFiles: [],
    explicitIdentities: true,
    proxyJump: [],
  });
  const t = new SshTransport(
    { ...hop('10.255.255.1', 22), proxyJump: [hop('127.0.0.1', port)] },
    { confirmHostKey: async () => 'once' },
    { connectTimeoutMs: 3000, userKnownHostsFiles: [], agentSocket: null, defaultIdentityFiles: [], keepaliveIntervalMs: 0 },
  );
  try {
    await assert.rejects(t.connect(), (e: unknown) => e instanceof HostError && e.kind === 'timeout' && /10\.255\.255\.1/.test(e.message));
    assert.equal(channelRequests, 1, 'the jump host was asked for the channel');
    await jumpClosed; // the jump connection does not stay open behind the failure
  } finally {
    t.close();
    server.close();
  }
});
