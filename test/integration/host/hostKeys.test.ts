// Host-key policy against the real loopback sshd (test/setup/env.sh): known keys connect without
// a prompt, a changed key is refused naming both fingerprints, an unknown key needs consent and
// 'remember' writes the project's own known-hosts file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli } from '../../support/cli';
import { HostError } from '../../../server/src/host/transport';
import { fingerprintSha256, parseKnownHosts, verifyHostKey } from '../../../server/src/host/knownHosts';
import { loopbackSpec, recordingCallbacks, scratchDir, sshTestEnv, transport, using } from './sshTestEnv';

const T = { timeout: 30_000 };
const dir = scratchDir('lhd-hostkeys-');

test('a key listed in known_hosts is accepted without a prompt', T, async () => {
  const callbacks = recordingCallbacks('cancel');
  const t = transport(loopbackSpec(), callbacks);
  const result = await using(t, () => t.exec('echo connected', { timeoutMs: 10_000 }));
  assert.equal(result.stdout, 'connected\n');
  assert.equal(callbacks.prompts.length, 0);
});

test('a hashed known_hosts entry (ssh-keygen -H) is accepted without a prompt', T, async () => {
  const file = path.join(dir, 'hashed');
  fs.copyFileSync(sshTestEnv().knownHostsFile, file);
  execFileSync('ssh-keygen', ['-q', '-H', '-f', file], { stdio: 'ignore' });
  assert.match(fs.readFileSync(file, 'utf8'), /^\|1\|/);
  const callbacks = recordingCallbacks('cancel');
  const t = transport(loopbackSpec(), callbacks, { userKnownHostsFiles: [file] });
  await using(t, () => t.connect());
  assert.equal(callbacks.prompts.length, 0);
});

test('a changed host key is refused with HostError(host-key) naming expected and actual fingerprints', T, async () => {
  const env = sshTestEnv();
  const otherKey = fs
    .readFileSync(env.key + '.pub', 'utf8')
    .trim()
    .split(/\s+/)
    .slice(0, 2)
    .join(' ');
  const file = path.join(dir, 'changed');
  fs.writeFileSync(file, `[${env.host}]:${env.port} ${otherKey}\n`);
  const expected = fingerprintSha256(Buffer.from(otherKey.split(' ')[1], 'base64'));
  const callbacks = recordingCallbacks('remember');
  const t = transport(loopbackSpec(), callbacks, { userKnownHostsFiles: [file], projectKnownHostsFile: path.join(dir, 'never-written') });
  await assert.rejects(
    using(t, () => t.connect()),
    (err: unknown) => {
      assert.ok(err instanceof HostError);
      assert.equal(err.kind, 'host-key');
      assert.ok(err.message.includes(expected), err.message);
      assert.ok(err.message.includes(env.hostFingerprint), err.message);
      return true;
    },
  );
  assert.equal(callbacks.prompts.length, 0, 'a mismatch is never offered for acceptance');
  assert.equal(fs.existsSync(path.join(dir, 'never-written')), false);
});

test('an unknown host key is refused when the user cancels, and nothing is written', T, async () => {
  const env = sshTestEnv();
  const project = path.join(dir, 'cancel', 'known_hosts');
  const callbacks = recordingCallbacks('cancel');
  const t = transport(loopbackSpec(), callbacks, { userKnownHostsFiles: [], projectKnownHostsFile: project });
  await assert.rejects(
    using(t, () => t.connect()),
    (err: unknown) => err instanceof HostError && err.kind === 'host-key' && err.message.includes(env.hostFingerprint),
  );
  assert.deepEqual(callbacks.prompts, [{ host: env.host, port: env.port, keyType: 'ssh-ed25519', fingerprint: env.hostFingerprint }]);
  assert.equal(fs.existsSync(project), false);
});

/** A known_hosts file naming an RSA key for the loopback sshd, which has only an ed25519 host key. */
function otherTypeKnownHosts(name: string): string {
  const env = sshTestEnv();
  const keyFile = path.join(dir, `${name}-rsa`);
  execFileSync('ssh-keygen', ['-q', '-t', 'rsa', '-b', '2048', '-N', '', '-f', keyFile], { stdio: 'ignore' });
  const rsa = fs
    .readFileSync(keyFile + '.pub', 'utf8')
    .trim()
    .split(/\s+/)
    .slice(0, 2)
    .join(' ');
  const file = path.join(dir, name, 'known_hosts');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `[${env.host}]:${env.port} ${rsa}\n`);
  return file;
}

test(
  'a host known only with another key type: the prompt names the known types (ssh(1): "keys of different type are already known")',
  T,
  async () => {
    const env = sshTestEnv();
    const file = otherTypeKnownHosts('other-type');
    const callbacks = recordingCallbacks('cancel');
    // sshd has only an ed25519 host key: even asked for RSA first, it shows a key of another type
    const t = transport(loopbackSpec(), callbacks, { userKnownHostsFiles: [file] });
    await assert.rejects(
      using(t, () => t.connect()),
      (err: unknown) => err instanceof HostError && err.kind === 'host-key',
    );
    assert.deepEqual(callbacks.prompts, [
      { host: env.host, port: env.port, keyType: 'ssh-ed25519', fingerprint: env.hostFingerprint, otherKnownTypes: ['ssh-rsa'] },
    ]);
  },
);

test(
  'StrictHostKeyChecking accept-new refuses a key of another type than known_hosts has for the host, as ssh does: nothing written',
  T,
  async () => {
    const env = sshTestEnv();
    const file = otherTypeKnownHosts('accept-new-other');
    const before = fs.readFileSync(file, 'utf8');
    const callbacks = recordingCallbacks('remember');
    const t = transport(loopbackSpec({ strictHostKeyChecking: 'accept-new' }), callbacks, {
      userKnownHostsFiles: [file],
      projectKnownHostsFile: file,
    });
    await assert.rejects(
      using(t, () => t.connect()),
      (err: unknown) =>
        err instanceof HostError &&
        err.kind === 'host-key' &&
        err.message.includes(env.hostFingerprint) &&
        /which has ssh-rsa keys for it: refused as a changed key/.test(err.message),
    );
    assert.deepEqual(callbacks.prompts, []);
    assert.equal(fs.readFileSync(file, 'utf8'), before);
  },
);

test('the CLI with --accept-new-host-key refuses a key of another type than its known_hosts has for the host, saying why', T, async () => {
  const env = sshTestEnv();
  const file = otherTypeKnownHosts('libvirt-hostdev');
  const before = fs.readFileSync(file, 'utf8');
  const saved = process.env.XDG_CONFIG_HOME;
  process.env.XDG_CONFIG_HOME = dir; // the CLI's own known_hosts: dir/libvirt-hostdev/known_hosts
  try {
    const r = await runCli([
      'inventory',
      '--host',
      `${env.user}@${env.host}:${env.port}`,
      '--identity',
      env.key,
      '--connect',
      'test:///default',
      '--accept-new-host-key',
      '--ssh-config',
      'none',
    ]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      /--accept-new-host-key does not accept ssh-ed25519 .* known_hosts has ssh-rsa keys for it, so the host may have been replaced/,
    );
  } finally {
    if (saved === undefined) delete process.env.XDG_CONFIG_HOME;
    else process.env.XDG_CONFIG_HOME = saved;
  }
  assert.equal(fs.readFileSync(file, 'utf8'), before);
});

test('an unknown host key is refused when there is no way to ask', T, async () => {
  const t = transport(loopbackSpec(), {}, { userKnownHostsFiles: [] });
  await assert.rejects(
    using(t, () => t.connect()),
    (err: unknown) => err instanceof HostError && err.kind === 'host-key',
  );
});

test("'remember' writes the project known-hosts file, and the next connection does not ask", T, async () => {
  const env = sshTestEnv();
  const project = path.join(dir, 'remember', 'known_hosts');
  const first = recordingCallbacks('remember');
  const t1 = transport(loopbackSpec(), first, { userKnownHostsFiles: [], projectKnownHostsFile: project });
  await using(t1, () => t1.exec('true', { timeoutMs: 10_000 }));
  assert.equal(first.prompts.length, 1);
  assert.equal(fs.statSync(project).mode & 0o777, 0o600);
  const entries = parseKnownHosts(fs.readFileSync(project, 'utf8'));
  assert.equal(verifyHostKey(entries, env.host, env.port, env.hostKeyBlob).status, 'match');

  const second = recordingCallbacks('cancel');
  const t2 = transport(loopbackSpec(), second, { userKnownHostsFiles: [], projectKnownHostsFile: project });
  await using(t2, () => t2.exec('true', { timeoutMs: 10_000 }));
  assert.equal(second.prompts.length, 0);
});

test("'remember' with an unwritable project known-hosts file connects for this session and logs why", T, async () => {
  const blocker = path.join(dir, 'not-a-dir');
  fs.writeFileSync(blocker, '');
  const project = path.join(blocker, 'known_hosts'); // a file stands where the folder should be
  const logs: string[] = [];
  const callbacks = recordingCallbacks('remember', { log: (m) => logs.push(m) });
  const t = transport(loopbackSpec(), callbacks, { userKnownHostsFiles: [], projectKnownHostsFile: project });
  const result = await using(t, () => t.exec('echo connected', { timeoutMs: 10_000 }));
  assert.equal(result.stdout, 'connected\n');
  assert.equal(callbacks.prompts.length, 1);
  assert.ok(
    logs.some((m) => /accepted for this session only: cannot write .*known_hosts \(E[A-Z]+\)/.test(m)),
    logs.join('\n'),
  );
});

test("'once' accepts for this transport only: reconnects do not ask again, a new transport does", T, async () => {
  const project = path.join(dir, 'once', 'known_hosts');
  const callbacks = recordingCallbacks('once');
  const t = transport(loopbackSpec(), callbacks, { userKnownHostsFiles: [], projectKnownHostsFile: project });
  await using(t, async () => {
    await t.exec('true', { timeoutMs: 10_000 });
    const dropped = new Promise<void>((resolve) => t.onDidDisconnect(resolve));
    const { stdout } = await t.exec('echo $PPID', { timeoutMs: 10_000 });
    process.kill(Number(stdout.trim()), 'SIGKILL'); // the sshd process serving this connection
    await dropped;
    await t.exec('true', { timeoutMs: 10_000 });
    assert.equal(t.connectCount, 2);
  });
  assert.equal(callbacks.prompts.length, 1);
  assert.equal(fs.existsSync(project), false);
  const again = recordingCallbacks('once');
  const t2 = transport(loopbackSpec(), again, { userKnownHostsFiles: [], projectKnownHostsFile: project });
  await using(t2, () => t2.connect());
  assert.equal(again.prompts.length, 1);
});

test('the connect timeout does not run while the user is deciding about a host key', T, async () => {
  // The person answering takes longer than the whole connect timeout by itself, so a timer that
  // kept running would end the connection; the SSH work around the prompt has the usual budget.
  const connectTimeoutMs = 3000;
  let answered = false;
  const t = transport(
    loopbackSpec(),
    {
      confirmHostKey: () =>
        new Promise((resolve) =>
          setTimeout(() => {
            answered = true;
            resolve('once');
          }, connectTimeoutMs + 500),
        ),
    },
    { userKnownHostsFiles: [], connectTimeoutMs },
  );
  await using(t, () => t.connect());
  assert.equal(answered, true);
});
