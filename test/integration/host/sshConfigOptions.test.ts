// ssh_config directives that change how we connect, against real OpenSSH on loopback:
// IdentitiesOnly (with MaxAuthTries 1), IdentityAgent, StrictHostKeyChecking, HostKeyAlias,
// GlobalKnownHostsFile and ServerAliveInterval (a stopped sshd is noticed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { resolveTarget, type ConnectSpec } from '../../../server/src/host/target';
import { HostError } from '../../../server/src/host/transport';
import * as net from 'node:net';
import { describeStatus } from '../../../client/src/statusText';
import { createTransport } from '../../../server/src/host/connectionPool';
import { createHostInventoryProvider } from '../../../server/src/inventory/hostProvider';
import { startPrivateSshd } from './privateSshd';
import { runCli } from '../../support/cli';
import { recordingCallbacks, scratchDir, sshTestEnv, startAgent, transport, using } from './sshTestEnv';

const T = { timeout: 30_000 };

/** The spec for alias `kvm` with these config lines (HostName/Port/User of the loopback sshd unless given). */
function kvm(lines: string[], port = sshTestEnv().port): ConnectSpec {
  const env = sshTestEnv();
  const text = ['Host kvm', '  HostName 127.0.0.1', `  Port ${port}`, `  User ${env.user}`, ...lines.map((l) => `  ${l}`)].join('\n');
  return resolveTarget('kvm', { sshConfigText: text, homeDir: scratchDir('lhd-home-'), localUser: 'nobody' }) as ConnectSpec;
}

async function whoami(t: ReturnType<typeof transport>): Promise<string> {
  return using(t, async () => (await t.exec('id -un', { timeoutMs: 10_000 })).stdout.trim());
}

test('IdentitiesOnly: an agent offering a wrong key first is not used against MaxAuthTries 1; without it the login fails', T, async () => {
  const env = sshTestEnv();
  const sshd = await startPrivateSshd(['MaxAuthTries 1']);
  const agent = await startAgent([env.unauthorizedKey, env.key]);
  try {
    const options = { agentSocket: agent.socket, userKnownHostsFiles: [sshd.knownHostsFile] };
    // Without IdentitiesOnly the agent's first (wrong) key uses up the only attempt.
    await assert.rejects(
      whoami(transport(kvm([`IdentityFile ${env.key}`], sshd.port), {}, options)),
      (e: unknown) => e instanceof HostError && (e.kind === 'auth' || e.kind === 'unreachable'),
    );
    const spec = kvm([`IdentityFile ${env.key}`, 'IdentitiesOnly yes'], sshd.port);
    assert.equal(spec.identitiesOnly, true);
    assert.equal(await whoami(transport(spec, {}, options)), env.user);
  } finally {
    agent.stop();
    await sshd.stop();
  }
});

test('IdentitiesOnly with the right key only in the agent: the agent signs, its other keys are not offered', T, async () => {
  const env = sshTestEnv();
  const sshd = await startPrivateSshd(['MaxAuthTries 1']);
  const agent = await startAgent([env.unauthorizedKey, env.key]);
  const dir = scratchDir('lhd-pub-');
  // only the public half on disk, as with a key kept in an agent or on a token
  const pubOnly = path.join(dir, 'agent_key');
  fs.copyFileSync(`${env.key}.pub`, `${pubOnly}.pub`);
  try {
    const t = transport(
      kvm([`IdentityFile ${pubOnly}`, 'IdentitiesOnly yes'], sshd.port),
      {},
      { agentSocket: agent.socket, userKnownHostsFiles: [sshd.knownHostsFile] },
    );
    assert.equal(await whoami(t), env.user);
  } finally {
    agent.stop();
    await sshd.stop();
  }
});

test('IdentityAgent points at a second agent (the default one holds a wrong key); IdentityAgent none uses no agent', T, async () => {
  const env = sshTestEnv();
  const wrong = await startAgent([env.unauthorizedKey]);
  const right = await startAgent([env.key]);
  try {
    const spec = kvm([`IdentityAgent ${right.socket}`, 'IdentityFile /nonexistent/key']);
    assert.equal(spec.identityAgent, right.socket);
    assert.equal(await whoami(transport(spec, {}, { agentSocket: wrong.socket })), env.user);
    const none = kvm(['IdentityAgent none', 'IdentityFile /nonexistent/key']);
    assert.equal(none.identityAgent, null);
    await assert.rejects(
      whoami(transport(none, {}, { agentSocket: right.socket })),
      (e: unknown) => e instanceof HostError && e.kind === 'auth' && !/tried ssh-agent/.test(e.message),
    );
  } finally {
    wrong.stop();
    right.stop();
  }
});

test('StrictHostKeyChecking yes refuses an unknown host key without asking; accept-new takes it without asking', T, async () => {
  const env = sshTestEnv();
  const strict = recordingCallbacks('once');
  const t = transport(kvm([`IdentityFile ${env.key}`, 'StrictHostKeyChecking yes']), strict, { userKnownHostsFiles: [] });
  await using(t, () =>
    assert.rejects(
      t.connect(),
      (e: unknown) =>
        e instanceof HostError && e.kind === 'host-key' && /StrictHostKeyChecking is yes/.test(e.message) && /"ssh kvm"/.test(e.message),
    ),
  );
  assert.equal(strict.prompts.length, 0, 'no prompt');

  const project = path.join(scratchDir('lhd-kh-'), 'known_hosts');
  const acceptNew = recordingCallbacks('cancel');
  const t2 = transport(kvm([`IdentityFile ${env.key}`, 'StrictHostKeyChecking accept-new']), acceptNew, {
    userKnownHostsFiles: [],
    projectKnownHostsFile: project,
  });
  assert.equal(await whoami(t2), env.user);
  assert.equal(acceptNew.prompts.length, 0, 'no prompt');
  assert.match(fs.readFileSync(project, 'utf8'), new RegExp(`^\\[127\\.0\\.0\\.1\\]:${env.port} ssh-ed25519 `));
});

test(
  'CLI, StrictHostKeyChecking yes from --ssh-config: the advice is the ssh command with -F and -p, and not --accept-new-host-key (which cannot override it)',
  T,
  async () => {
    const env = sshTestEnv();
    const dir = scratchDir('lhd-strict-');
    const config = path.join(dir, 'ssh config');
    fs.writeFileSync(
      config,
      ['Host 127.0.0.1', '  StrictHostKeyChecking yes', '  UserKnownHostsFile /dev/null', '  GlobalKnownHostsFile /dev/null', ''].join(
        '\n',
      ),
    );
    const saved = process.env.XDG_CONFIG_HOME;
    process.env.XDG_CONFIG_HOME = dir; // an empty project known-hosts file
    try {
      const target = `${env.user}@127.0.0.1:${env.port}`;
      const r = await runCli([
        'inventory',
        '--host',
        target,
        '--ssh-config',
        config,
        '--identity',
        env.key,
        '--connect',
        'test:///default',
      ]);
      assert.equal(r.code, 2, r.stderr);
      assert.ok(
        r.stderr.includes(`(connect once with "ssh -F '${config}' -p ${env.port} ${env.user}@127.0.0.1" to add it to known_hosts)`),
        r.stderr,
      );
      assert.doesNotMatch(r.stderr, /--accept-new-host-key/);
    } finally {
      if (saved === undefined) delete process.env.XDG_CONFIG_HOME;
      else process.env.XDG_CONFIG_HOME = saved;
    }
  },
);

test(
  'CLI --ssh-config naming a missing file, a directory or a FIFO: exit 2 with one line, for both transports, before connecting',
  T,
  async () => {
    const env = sshTestEnv();
    const dir = scratchDir('lhd-named-config-');
    fs.mkdirSync(path.join(dir, 'libvirt-hostdev'));
    fs.copyFileSync(env.knownHostsFile, path.join(dir, 'libvirt-hostdev', 'known_hosts'));
    const fifo = path.join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const saved = process.env.XDG_CONFIG_HOME;
    process.env.XDG_CONFIG_HOME = dir; // the project known-hosts file knows the test sshd
    try {
      const common = ['inventory', '--host', `${env.user}@127.0.0.1:${env.port}`, '--identity', env.key, '--connect', 'test:///default'];
      const good = await runCli([...common, '--sysfs-root', dir]);
      assert.equal(good.code, 0, `the host is readable without --ssh-config: ${good.stderr}`);
      for (const [file, reason] of [
        [path.join(dir, 'missing'), 'no such file or directory (ENOENT)'],
        [dir, 'not a regular file'],
        [fifo, 'not a regular file'],
      ]) {
        for (const transport of ['builtin', 'openssh']) {
          const r = await runCli([...common, '--ssh-config', file, '--transport', transport]);
          assert.equal(r.code, 2, `${file} ${transport}: ${r.stderr}`);
          assert.equal(r.stdout, '');
          assert.equal(r.stderr, `libvirt-hostdev: ssh config ${file}: cannot read: ${reason}\n`);
        }
      }
    } finally {
      if (saved === undefined) delete process.env.XDG_CONFIG_HOME;
      else process.env.XDG_CONFIG_HOME = saved;
    }
  },
);

test('an --identity that cannot be read (missing, a directory) is an exit-2 error before any login, with either transport', T, async () => {
  const env = sshTestEnv();
  const dir = scratchDir('lhd-identity-');
  for (const [file, reason] of [
    [path.join(dir, 'missing'), 'no such file or directory (ENOENT)'],
    [dir, 'not a regular file'],
  ]) {
    for (const transport of ['builtin', 'openssh']) {
      const r = await runCli(['inventory', '--host', `${env.user}@127.0.0.1:${env.port}`, '--identity', file, '--transport', transport]);
      assert.equal(r.code, 2, `${file} ${transport}: ${r.stderr}`);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr, `libvirt-hostdev: --identity ${file}: cannot read: ${reason}\n`);
    }
  }
});

test('StrictHostKeyChecking no still refuses a CHANGED host key', T, async () => {
  const env = sshTestEnv();
  const other = fs.readFileSync(`${env.unauthorizedKey}.pub`, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
  const file = path.join(scratchDir('lhd-kh-'), 'known_hosts');
  fs.writeFileSync(file, `[127.0.0.1]:${env.port} ${other}\n`);
  const callbacks = recordingCallbacks('once');
  const t = transport(kvm([`IdentityFile ${env.key}`, 'StrictHostKeyChecking no']), callbacks, { userKnownHostsFiles: [file] });
  await using(t, () =>
    assert.rejects(t.connect(), (e: unknown) => e instanceof HostError && e.kind === 'host-key' && /CHANGED/.test(e.message)),
  );
  assert.equal(callbacks.prompts.length, 0);
});

test('HostKeyAlias: the key is looked up under the alias (no port), here from a GlobalKnownHostsFile', T, async () => {
  const env = sshTestEnv();
  const key = fs.readFileSync(env.hostPubKeyFile, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
  const global = path.join(scratchDir('lhd-kh-'), 'ssh_known_hosts');
  fs.writeFileSync(global, `kvm-key-alias ${key}\n`);
  const spec = kvm([
    `IdentityFile ${env.key}`,
    'HostKeyAlias kvm-key-alias',
    `GlobalKnownHostsFile ${global}`,
    'StrictHostKeyChecking yes',
  ]);
  // the isolation default (no global files) must not hide the config's file
  const t = transport(spec, recordingCallbacks('cancel'), { userKnownHostsFiles: [], globalKnownHostsFiles: undefined });
  assert.equal(await whoami(t), env.user);
});

test('ServerAliveInterval: a host that stops answering (sshd session stopped) is noticed', T, async () => {
  const env = sshTestEnv();
  const sshd = await startPrivateSshd([]);
  try {
    const spec = kvm([`IdentityFile ${env.key}`, 'ServerAliveInterval 1', 'ServerAliveCountMax 2'], sshd.port);
    assert.equal(spec.serverAliveIntervalMs, 1000);
    const logged: string[] = [];
    const t = transport(spec, { log: (m) => logged.push(m) }, { userKnownHostsFiles: [sshd.knownHostsFile] });
    await using(t, async () => {
      await t.connect();
      const lost = new Promise<void>((resolve) => t.onDidDisconnect(resolve));
      let stopped = 0;
      for (const pid of sshd.sessionPids()) {
        try {
          process.kill(pid, 'SIGSTOP');
          stopped++;
        } catch {
          // a short-lived helper that already ended
        }
      }
      assert.ok(stopped > 0, 'the connection has sshd session processes');
      await lost;
      // noticed by the unanswered keepalives (nothing else can tell a stopped sshd from a quiet one)
      assert.equal(t.connected, false);
      assert.ok(
        logged.some((m) => /keepalive/i.test(m)),
        logged.join('\n'),
      );
    });
  } finally {
    await sshd.stop();
  }
});

test('an unsupported directive stays in the status and its tooltip, also when the host cannot be reached', T, async () => {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  const config = `Host kvm-tip\n  HostName 127.0.0.1\n  Port ${port}\n  CertificateFile ~/.ssh/id_ed25519-cert.pub`;
  const t = createTransport(
    { target: 'kvm-tip' },
    {},
    { resolve: { sshConfigText: config, homeDir: scratchDir('lhd-home-'), localUser: 'nobody' }, connectTimeoutMs: 5000 },
  );
  const provider = createHostInventoryProvider(
    { name: 'kvm-tip', target: 'kvm-tip' },
    { transportFor: async () => t, commandTimeoutMs: 5000 },
  );
  try {
    await provider.refresh();
    const { status } = provider.current();
    assert.equal(status.state, 'unreachable');
    assert.match(status.warnings?.join('\n') ?? '', /CertificateFile for kvm-tip is not supported by the built-in SSH client/);
    assert.match(describeStatus(status, true).tooltip, /unreachable[\s\S]*CertificateFile for kvm-tip/);
  } finally {
    provider.dispose();
    t.close();
  }
});
