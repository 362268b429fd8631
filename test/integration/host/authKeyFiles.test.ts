// Key files as ssh(1) treats them, against the real loopback sshd: a key others may read is refused,
// a certificate beside a key is named (the built-in client cannot offer it), and an encrypted key
// without its .pub still selects its agent key under IdentitiesOnly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HostError } from '../../../server/src/host/transport';
import { loopbackSpec, scratchDir, sshTestEnv, startAgent, transport, using } from './sshTestEnv';

const T = { timeout: 30_000 };

/** A copy of `key` (without its .pub) in a scratch directory, with `mode`. */
function copyKey(key: string, mode: number): string {
  const file = path.join(scratchDir('lhd-keyfile-'), 'id_ed25519');
  fs.copyFileSync(key, file);
  fs.chmodSync(file, mode);
  return file;
}

const authError = (pattern: RegExp) => (err: unknown) => {
  assert.ok(err instanceof HostError && err.kind === 'auth', String(err));
  assert.match(err.message, pattern);
  return true;
};

test('a private key that group or others may read is not used, as ssh refuses it, and the auth error says why', T, async () => {
  const env = sshTestEnv();
  const open = copyKey(env.key, 0o644);
  const t = transport(loopbackSpec({ identityFiles: [open] }));
  await assert.rejects(
    using(t, () => t.connect()),
    authError(
      new RegExp(`no key tried; skipped ${open}: permissions 0644 are too open, so ssh ignores this key too \\(chmod 600 it\\)\\)$`),
    ),
  );
  fs.chmodSync(open, 0o600);
  const fixed = transport(loopbackSpec({ identityFiles: [open] }));
  assert.equal(await using(fixed, async () => (await fixed.exec('id -un', { timeoutMs: 10_000 })).stdout.trim()), env.user);
});

test(
  'a certificate beside a key (KEY-cert.pub, which ssh offers by itself) is named in the auth error with the OpenSSH transport',
  T,
  async () => {
    const env = sshTestEnv();
    const key = copyKey(env.unauthorizedKey, 0o600);
    const dir = path.dirname(key);
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'lhd-test-ca', '-f', path.join(dir, 'ca')]);
    execFileSync('ssh-keygen', ['-y', '-f', key], { stdio: ['ignore', fs.openSync(`${key}.pub`, 'w'), 'ignore'] });
    execFileSync('ssh-keygen', ['-q', '-s', path.join(dir, 'ca'), '-I', 'lhd-test', '-n', env.user, '-V', '+1h', `${key}.pub`]);
    assert.ok(fs.existsSync(`${key}-cert.pub`));
    const t = transport(loopbackSpec({ identityFiles: [key] }));
    await assert.rejects(
      using(t, () => t.connect()),
      authError(
        new RegExp(
          `tried publickey ${key}; skipped ${key}-cert\\.pub: a certificate, which the built-in SSH client cannot offer \\(use "transport": "openssh" \\(CLI: --transport openssh\\)\\)\\)$`,
        ),
      ),
    );
  },
);

test('IdentitiesOnly with an encrypted key and no .pub file: its public half selects the same key in the agent', T, async () => {
  const env = sshTestEnv();
  const encrypted = copyKey(env.key, 0o600);
  execFileSync('ssh-keygen', ['-q', '-p', '-N', 'another-passphrase', '-f', encrypted]);
  assert.equal(fs.existsSync(`${encrypted}.pub`), false);
  const agent = await startAgent([env.unauthorizedKey, env.key]);
  try {
    const t = transport(loopbackSpec({ identityFiles: [encrypted], identitiesOnly: true }), {}, { agentSocket: agent.socket });
    assert.equal(await using(t, async () => (await t.exec('id -un', { timeoutMs: 10_000 })).stdout.trim()), env.user);
  } finally {
    agent.stop();
  }
});
