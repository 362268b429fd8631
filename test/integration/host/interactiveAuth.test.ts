// Password and keyboard-interactive authentication go ONLY through the askSecret callback.
// The loopback OpenSSH server allows public keys only, so these use an ssh2 Server on 127.0.0.1
// that offers just one of those methods (the house style's "optional ssh2 Server on loopback").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { Server, type AuthContext } from 'ssh2';
import { sshHostKey } from '../../support/sshHostKey';
import type { AskSecretParams } from '../../../shared/protocol';
import { SshTransport } from '../../../server/src/host/sshTransport';
import { HostError } from '../../../server/src/host/transport';

const T = { timeout: 30_000 };
const PASSWORD = 'correct horse battery staple';

/** An SSH server offering only `method`; exec answers "hello <user>". */
async function startServer(method: 'password' | 'keyboard-interactive'): Promise<{ port: number; close(): void }> {
  const hostKey = sshHostKey();
  const server = new Server({ hostKeys: [hostKey] }, (client) => {
    let user = '';
    client.on('authentication', (ctx: AuthContext) => {
      user = ctx.username;
      if (ctx.method === 'password' && method === 'password') {
        return ctx.password === PASSWORD ? ctx.accept() : ctx.reject([method]);
      }
      if (ctx.method === 'keyboard-interactive' && method === 'keyboard-interactive') {
        return ctx.prompt(
          [
            { prompt: 'Verification code: ', echo: false },
            { prompt: 'Password: ', echo: false },
          ],
          (answers) => {
            if (answers[0] === '123456' && answers[1] === PASSWORD) ctx.accept();
            else ctx.reject([method]);
          },
        );
      }
      ctx.reject([method]);
    });
    client.on('ready', () => {
      client.on('session', (accept) => {
        accept().on('exec', (acceptExec) => {
          const stream = acceptExec();
          stream.write(`hello ${user}\n`);
          stream.exit(0);
          stream.end();
        });
      });
    });
    client.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { port, close: () => server.close() };
}

function transportTo(port: number, askSecret: (p: AskSecretParams) => Promise<string | null>, logs: string[] = []): SshTransport {
  return new SshTransport(
    {
      kind: 'ssh',
      alias: '127.0.0.1',
      terminalCommand: `ssh -p ${port} ops@127.0.0.1`,
      host: '127.0.0.1',
      port,
      username: 'ops',
      identityFiles: [],
      explicitIdentities: true,
      proxyJump: [],
    },
    { confirmHostKey: async () => 'once', askSecret, log: (m) => logs.push(m) },
    { connectTimeoutMs: 10_000, userKnownHostsFiles: [], agentSocket: null, defaultIdentityFiles: [], keepaliveIntervalMs: 0 },
  );
}

test('password authentication asks the callback and logs in', T, async () => {
  const server = await startServer('password');
  const asked: AskSecretParams[] = [];
  const t = transportTo(server.port, async (p) => {
    asked.push(p);
    return PASSWORD;
  });
  try {
    assert.equal((await t.exec('whoami', { timeoutMs: 5000 })).stdout, 'hello ops\n');
    assert.equal(asked.length, 1);
    assert.equal(asked[0].kind, 'password');
    assert.match(asked[0].prompt, /ops@127\.0\.0\.1/);
  } finally {
    t.close();
    server.close();
  }
});

test('a wrong password ends in HostError(auth) that names the method but never the password', T, async () => {
  const server = await startServer('password');
  const logs: string[] = [];
  const t = transportTo(server.port, async () => 'hunter2-wrong', logs);
  try {
    await assert.rejects(t.connect(), (err: unknown) => {
      assert.ok(err instanceof HostError);
      assert.equal(err.kind, 'auth');
      assert.match(err.message, /password/);
      assert.ok(!err.message.includes('hunter2'), err.message);
      return true;
    });
    assert.ok(logs.every((m) => !m.includes('hunter2')));
  } finally {
    t.close();
    server.close();
  }
});

test('keyboard-interactive prompts each go to the callback', T, async () => {
  const server = await startServer('keyboard-interactive');
  const prompts: string[] = [];
  const t = transportTo(server.port, async (p) => {
    prompts.push(p.prompt);
    return p.prompt.includes('Verification code') ? '123456' : PASSWORD;
  });
  try {
    assert.equal((await t.exec('whoami', { timeoutMs: 5000 })).stdout, 'hello ops\n');
    assert.equal(prompts.length, 2);
    assert.match(prompts[0], /Verification code:$/);
    assert.match(prompts[1], /Password:$/);
  } finally {
    t.close();
    server.close();
  }
});

test('declining the password prompt gives HostError(auth) without trying anything else', T, async () => {
  const server = await startServer('password');
  let asked = 0;
  const t = transportTo(server.port, async () => {
    asked++;
    return null;
  });
  try {
    await assert.rejects(t.connect(), (err: unknown) => err instanceof HostError && err.kind === 'auth');
    assert.equal(asked, 1);
  } finally {
    t.close();
    server.close();
  }
});
