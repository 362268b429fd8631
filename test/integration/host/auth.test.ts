// Authentication against the real loopback sshd: ssh-agent, key file, encrypted key with a
// passphrase callback, and failures that say which methods were tried (never a secret).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import type { AskSecretParams } from '../../../shared/protocol';
import { HostError } from '../../../server/src/host/transport';
import { loopbackSpec, sshTestEnv, startAgent, transport, using } from './sshTestEnv';

const T = { timeout: 30_000 };

function whoami(t: ReturnType<typeof transport>): Promise<string> {
  return using(t, async () => (await t.exec('id -un', { timeoutMs: 10_000 })).stdout.trim());
}

test('key-file authentication logs in as the test user', T, async () => {
  const env = sshTestEnv();
  assert.equal(await whoami(transport(loopbackSpec())), env.user);
});

test('ssh-agent authentication works with no identity file at all', T, async () => {
  const env = sshTestEnv();
  const agent = await startAgent([env.key]);
  try {
    const t = transport(
      loopbackSpec({ identityFiles: [], explicitIdentities: false }),
      {},
      { agentSocket: agent.socket, defaultIdentityFiles: [] },
    );
    assert.equal(await whoami(t), env.user);
  } finally {
    agent.stop();
  }
});

test('an agent without a usable key falls through to the identity file', T, async () => {
  const env = sshTestEnv();
  const agent = await startAgent([env.unauthorizedKey]);
  try {
    const t = transport(loopbackSpec(), {}, { agentSocket: agent.socket });
    assert.equal(await whoami(t), env.user);
  } finally {
    agent.stop();
  }
});

test('an encrypted key is unlocked with the passphrase from the callback', T, async () => {
  const env = sshTestEnv();
  const asked: AskSecretParams[] = [];
  const t = transport(loopbackSpec({ identityFiles: [env.encryptedKey] }), {
    askSecret: async (params) => {
      asked.push(params);
      return env.passphrase;
    },
  });
  assert.equal(await whoami(t), env.user);
  assert.equal(asked.length, 1);
  assert.equal(asked[0].kind, 'passphrase');
  assert.ok(asked[0].prompt.includes(env.encryptedKey), asked[0].prompt);
});

test('a wrong passphrase is asked again; declining ends in an auth error without the secret', T, async () => {
  const env = sshTestEnv();
  const answers = ['wrong-secret-1', 'wrong-secret-2', null];
  const asked: AskSecretParams[] = [];
  const logs: string[] = [];
  const t = transport(loopbackSpec({ identityFiles: [env.encryptedKey] }), {
    askSecret: async (params) => {
      asked.push(params);
      return answers.shift() ?? null;
    },
    log: (m) => logs.push(m),
  });
  await assert.rejects(
    using(t, () => t.connect()),
    (err: unknown) => {
      assert.ok(err instanceof HostError);
      assert.equal(err.kind, 'auth');
      assert.ok(!err.message.includes('wrong-secret'), err.message);
      return true;
    },
  );
  assert.equal(asked.length, 3);
  assert.match(asked[1].prompt, /^Wrong passphrase/);
  // one stable key for the three prompts, so a client remembers under one name; retry after the first
  assert.deepEqual(
    asked.map((a) => [a.key, a.retry]),
    [1, 2, 3].map((n) => [`passphrase:${env.encryptedKey}`, n > 1]),
  );
  assert.ok(logs.every((m) => !m.includes('wrong-secret')));
});

test('an encrypted key without a passphrase callback is skipped: the auth error says why, not "no identity file to try"', T, async () => {
  const env = sshTestEnv();
  const t = transport(loopbackSpec({ identityFiles: [env.encryptedKey] }));
  await assert.rejects(
    using(t, () => t.connect()),
    (err: unknown) => {
      assert.ok(err instanceof HostError && err.kind === 'auth', String(err));
      assert.equal(
        err.message,
        `authentication to ${env.user}@${env.host}:${env.port} failed (no key tried; skipped ${env.encryptedKey}: encrypted, and no passphrase can be asked here: add it to ssh-agent)`,
      );
      return true;
    },
  );
});

test('a named identity file that cannot be read is named in the auth error with the reason; a missing default key is not', T, async () => {
  const env = sshTestEnv();
  const named = transport(loopbackSpec({ identityFiles: ['/nonexistent/id_ed25519'] }));
  await assert.rejects(
    using(named, () => named.connect()),
    (err: unknown) => {
      assert.ok(err instanceof HostError && err.kind === 'auth', String(err));
      assert.equal(
        err.message,
        `authentication to ${env.user}@${env.host}:${env.port} failed (no key tried; skipped /nonexistent/id_ed25519: no such file or directory (ENOENT))`,
      );
      return true;
    },
  );
  const defaults = transport(
    loopbackSpec({ identityFiles: [], explicitIdentities: false }),
    {},
    { defaultIdentityFiles: ['/nonexistent/id_rsa'] },
  );
  await assert.rejects(
    using(defaults, () => defaults.connect()),
    (err: unknown) => err instanceof HostError && /\(no ssh-agent and no identity file to try\)$/.test(err.message),
  );
});

test('a key the server does not accept gives HostError(auth) naming the methods tried, not the key', T, async () => {
  const env = sshTestEnv();
  const t = transport(loopbackSpec({ identityFiles: [env.unauthorizedKey, '/nonexistent/id_ed25519'] }));
  await assert.rejects(
    using(t, () => t.connect()),
    (err: unknown) => {
      assert.ok(err instanceof HostError);
      assert.equal(err.kind, 'auth');
      assert.ok(err.message.includes(`publickey ${env.unauthorizedKey}`), err.message);
      assert.ok(err.message.includes(`${env.user}@${env.host}:${env.port}`), err.message);
      const keyBody = fs.readFileSync(env.unauthorizedKey, 'utf8').split('\n')[1];
      assert.ok(!err.message.includes(keyBody));
      return true;
    },
  );
});

test('with nothing to try, the auth error says so', T, async () => {
  const t = transport(loopbackSpec({ identityFiles: [], explicitIdentities: false }));
  await assert.rejects(
    using(t, () => t.connect()),
    (err: unknown) => err instanceof HostError && err.kind === 'auth' && /no ssh-agent and no identity file/.test(err.message),
  );
});

test('password and keyboard-interactive are only tried through the callback (sshd offers neither here)', T, async () => {
  const asked: AskSecretParams[] = [];
  const t = transport(loopbackSpec({ identityFiles: [sshTestEnv().unauthorizedKey] }), {
    askSecret: async (params) => {
      asked.push(params);
      return 'never-used';
    },
  });
  await assert.rejects(
    using(t, () => t.connect()),
    (err: unknown) => err instanceof HostError && err.kind === 'auth',
  );
  assert.deepEqual(asked, [], 'the server allows only publickey, so no password prompt is shown');
});
