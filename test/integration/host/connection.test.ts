// Connection life cycle against the real loopback sshd: exec, stdin, temp files, timeouts,
// unreachable hosts, a dropped connection, the pool, and ProxyJump.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as net from 'node:net';
import * as path from 'node:path';
import * as fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import { HostError } from '../../../server/src/host/transport';
import { ConnectionPool, createTransport } from '../../../server/src/host/connectionPool';
import { SshTransport } from '../../../server/src/host/sshTransport';
import { shellJoin, shellQuote } from '../../../shared/shellQuote';
import { stdinFileScript } from '../../../server/src/host/attach';
import { isolatedOptions, loopbackSpec, scratchDir, sshTestEnv, transport, using } from './sshTestEnv';

const T = { timeout: 30_000 };

function isHostError(kind: HostError['kind']) {
  return (err: unknown): boolean => {
    assert.ok(err instanceof HostError, String(err));
    assert.equal(err.kind, kind, err.message);
    return true;
  };
}

/** A TCP port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

test('exec returns stdout, stderr and the exit code, and feeds stdin', T, async () => {
  const t = transport(loopbackSpec());
  const result = await using(t, () => t.exec('cat; echo err >&2; exit 3', { stdin: 'line 1\nline 2\n', timeoutMs: 10_000 }));
  assert.deepEqual(result, { code: 3, stdout: 'line 1\nline 2\n', stderr: 'err\n' });
});

test('a command that outlives its timeout is killed and gives HostError(timeout) quickly', T, async () => {
  const t = transport(loopbackSpec());
  await using(t, async () => {
    await t.connect();
    const stamp = `${process.pid}-${Date.now()}`;
    await assert.rejects(t.exec(`sleep 30; echo lhd-timeout-${stamp}`, { timeoutMs: 300 }), isHostError('timeout'));
    // The remote command was killed, not just abandoned. Poll on the host until its shell is gone
    // (the [t] keeps the pattern from matching this checking shell's own command line).
    const pattern = shellQuote(`lhd-timeou[t]-${stamp}`);
    const check = `i=0; while pgrep -f ${pattern} >/dev/null; do i=$((i+1)); [ $i -gt 100 ] && exit 1; sleep 0.05; done; exit 0`;
    assert.equal((await t.exec(check, { timeoutMs: 10_000 })).code, 0, 'the timed-out command is still running on the host');
    // and the connection is still usable
    assert.equal((await t.exec('echo ok', { timeoutMs: 10_000 })).stdout, 'ok\n');
  });
});

test("a command stopped by its timeout runs its shell's traps first: an attach's temp file is not left on the host", T, async () => {
  const t = transport(loopbackSpec());
  // a `cat` that keeps the stdin file being written, as a slow link would: the script's traps are all that removes it
  const bin = scratchDir('lhd-slow-cat-');
  fs.chmodSync(bin, 0o755);
  fs.writeFileSync(path.join(bin, 'cat'), '#!/bin/sh\n/bin/cat "$@"\nexec sleep 30\n', { mode: 0o755 });
  const nonce = `lhd-trap-${process.pid}-${Date.now()}`;
  const holding = `grep -l ${shellQuote(nonce)} "\${TMPDIR:-/tmp}"/libvirt-hostdev.* >/dev/null 2>&1`;
  const poll = (until: string) => `i=0; until ${until}; do i=$((i+1)); [ $i -gt 100 ] && exit 1; sleep 0.05; done; exit 0`;
  await using(t, async () => {
    await t.connect();
    const stopped = assert.rejects(
      t.exec(`PATH=${shellQuote(bin)}:$PATH; ${stdinFileScript(['true'])}`, { stdin: `<interface/><!-- ${nonce} -->`, timeoutMs: 2000 }),
      isHostError('timeout'),
    );
    try {
      assert.equal((await t.exec(poll(holding), { timeoutMs: 10_000 })).code, 0, 'the temp file was written before the timeout');
      await stopped;
      assert.equal((await t.exec(poll(`! ${holding}`), { timeoutMs: 10_000 })).code, 0, 'the temp file is left on the host');
    } finally {
      await t.exec(`grep -l ${shellQuote(nonce)} "\${TMPDIR:-/tmp}"/libvirt-hostdev.* | xargs -r rm -f`, { timeoutMs: 10_000 });
    }
  });
});

test(
  'a host user whose login shell is fish: a command and its input reach sh as written through both transports, nothing of a name runs',
  T,
  async () => {
    const env = sshTestEnv();
    const dir = scratchDir('lhd-fish-');
    const config = path.join(dir, 'ssh_config');
    fs.writeFileSync(
      config,
      [
        'Host *',
        `  UserKnownHostsFile ${env.knownHostsFile}`,
        '  GlobalKnownHostsFile /dev/null',
        '  StrictHostKeyChecking yes',
        `  IdentityFile ${env.key}`,
        '  IdentitiesOnly yes',
        '  IdentityAgent none',
        '',
      ].join('\n'),
    );
    // fish reads \' inside single quotes as a quote: quoted for sh, this name would end its quoting there
    const names = ["pool\\'; touch /tmp/lhd-fish-pwned-$$ #", 'x!y', '=sh', "it's"];
    const command = `LC_ALL=C printf '%s\\n' ${shellJoin(names)}; ${stdinFileScript(['cat'])}`;
    const xml = "<interface type='hostdev'/>\n";
    const transports = [
      transport(loopbackSpec({ username: env.fishUser })),
      createTransport({ target: `${env.fishUser}@127.0.0.1:${env.port}`, transport: 'openssh' }, {}, { sshConfigFile: config }),
    ];
    for (const t of transports) {
      await using(t, async () => {
        const result = await t.exec(command, { stdin: xml, timeoutMs: 20_000 });
        assert.deepEqual(result, { code: 0, stdout: `${names.join('\n')}\n${xml}`, stderr: '' }, t.description);
        assert.equal(
          (await t.exec('echo $SHELL; ls /tmp/lhd-fish-pwned-* 2>/dev/null | wc -l', { timeoutMs: 10_000 })).stdout,
          '/usr/bin/fish\n0\n',
        );
      });
    }
  },
);

test('a server that accepts but never speaks gives HostError(timeout) after the connect timeout', T, async () => {
  const sockets: net.Socket[] = [];
  const silent = net.createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const { port } = silent.address() as net.AddressInfo;
  try {
    const t = transport(loopbackSpec({ port }), {}, { connectTimeoutMs: 300 });
    await assert.rejects(
      using(t, () => t.connect()),
      isHostError('timeout'),
    );
    assert.ok(sockets.length >= 1, 'the TCP connection was made');
  } finally {
    for (const s of sockets) s.destroy();
    silent.close();
  }
});

test('ConnectTimeout from the ssh config wins over the default', T, async () => {
  const sockets: net.Socket[] = [];
  const silent = net.createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const { port } = silent.address() as net.AddressInfo;
  try {
    const t = transport(loopbackSpec({ port, connectTimeoutMs: 200 }), {}, { connectTimeoutMs: 60_000 });
    await assert.rejects(
      using(t, () => t.connect()),
      isHostError('timeout'),
    );
  } finally {
    for (const s of sockets) s.destroy();
    silent.close();
  }
});

test('a closed port gives HostError(unreachable)', T, async () => {
  const t = transport(loopbackSpec({ port: await closedPort() }));
  await assert.rejects(
    using(t, () => t.exec('true', { timeoutMs: 5000 })),
    (err: unknown) => {
      isHostError('unreachable')(err);
      assert.match((err as Error).message, /connection refused/);
      return true;
    },
  );
});

test(
  'a port that closes the connection without an SSH greeting (not sshd, or a firewall) gives HostError(unreachable) saying so',
  T,
  async () => {
    const servers = [
      net.createServer((socket) => socket.destroy()),
      net.createServer((socket) => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n')),
    ];
    try {
      for (const server of servers) {
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
        const { port } = server.address() as net.AddressInfo;
        const t = transport(loopbackSpec({ port }));
        await assert.rejects(
          using(t, () => t.connect()),
          (err: unknown) => {
            isHostError('unreachable')(err);
            assert.match(
              (err as Error).message,
              /^cannot reach \S+: the connection closed before an SSH greeting \(no SSH server on that port, or a firewall closed it\)$/,
            );
            return true;
          },
        );
      }
    } finally {
      for (const server of servers) server.close();
    }
  },
);

test('an unknown host name gives HostError(unreachable)', T, async () => {
  const t = transport(loopbackSpec({ host: 'no-such-host.invalid' }));
  await assert.rejects(
    using(t, () => t.connect()),
    isHostError('unreachable'),
  );
});

test('after the connection is dropped, the next exec reconnects', T, async () => {
  const t = transport(loopbackSpec());
  await using(t, async () => {
    const { stdout } = await t.exec('echo $PPID', { timeoutMs: 10_000 });
    assert.equal(t.connectCount, 1);
    const dropped = new Promise<void>((resolve) => t.onDidDisconnect(resolve));
    process.kill(Number(stdout.trim()), 'SIGKILL'); // the sshd process serving this connection
    await dropped;
    assert.equal(t.connected, false);
    assert.equal((await t.exec('echo back', { timeoutMs: 10_000 })).stdout, 'back\n');
    assert.equal(t.connectCount, 2);
  });
});

test('a connection dropped while a command runs fails that command as unreachable; the next one reconnects', T, async () => {
  const t = transport(loopbackSpec());
  await using(t, async () => {
    const { stdout } = await t.exec('echo $PPID', { timeoutMs: 10_000 });
    const running = t.exec('sleep 20', { timeoutMs: 25_000 });
    // killing the process that serves the connection drops it, with or without the channel open yet
    process.kill(Number(stdout.trim()), 'SIGKILL');
    await assert.rejects(running, isHostError('unreachable'));
    assert.equal((await t.exec('echo again', { timeoutMs: 10_000 })).stdout, 'again\n');
  });
});

test('more commands at once than sshd MaxSessions (10) all run, on one connection', T, async () => {
  const t = transport(loopbackSpec());
  await using(t, async () => {
    const numbers = Array.from({ length: 25 }, (_, i) => i);
    const results = await Promise.all(numbers.map((n) => t.exec(`echo ${n}`, { timeoutMs: 10_000 })));
    assert.deepEqual(
      results.map((r) => r.stdout),
      numbers.map((n) => `${n}\n`),
    );
    assert.equal(t.connectCount, 1);
  });
});

test('the pool hands out one transport per host and reuses its connection; dispose closes it', T, async () => {
  const env = sshTestEnv();
  const pool = new ConnectionPool({}, { ...isolatedOptions(), resolve: { sshConfigText: null } });
  const host = { target: `${env.user}@${env.host}:${env.port}`, identityFile: env.key };
  const first = pool.get(host);
  assert.ok(first instanceof SshTransport);
  await first.exec('true', { timeoutMs: 10_000 });
  const second = pool.get({ ...host });
  assert.equal(second, first);
  await second.exec('true', { timeoutMs: 10_000 });
  assert.equal((first as SshTransport).connectCount, 1);
  assert.notEqual(pool.get({ target: 'local' }), first);
  pool.dispose();
  await assert.rejects(first.exec('true', { timeoutMs: 1000 }), HostError);
  assert.throws(() => pool.get(host));
});

test('a command running while the ssh config changes ends normally on its old connection, which closes after it', T, async () => {
  const env = sshTestEnv();
  const home = scratchDir('lhd-pool-home-');
  fs.mkdirSync(path.join(home, '.ssh'));
  const config = (user: string) =>
    fs.writeFileSync(
      path.join(home, '.ssh', 'config'),
      `Host vmhost\n  HostName ${env.host}\n  Port ${env.port}\n  User ${user}\n  IdentityFile ${env.key}\n`,
    );
  config(env.user);
  const pool = new ConnectionPool({}, { ...isolatedOptions(), resolve: { homeDir: home, systemSshConfigFile: null } });
  try {
    const old = pool.get({ target: 'vmhost' }) as SshTransport;
    const running = old.exec('sleep 1; echo done', { timeoutMs: 10_000 });
    await old.connect();
    config(env.fishUser);
    const fresh = pool.get({ target: 'vmhost' }) as SshTransport;
    assert.notEqual(fresh, old);
    assert.equal(fresh.spec.username, env.fishUser);
    assert.deepEqual(await running, { code: 0, stdout: 'done\n', stderr: '' });
    assert.equal(old.connected, false, 'the old connection closed once its command ended');
    assert.equal((await fresh.exec('id -un', { timeoutMs: 10_000 })).stdout, `${env.fishUser}\n`);
  } finally {
    pool.dispose();
  }
});

test('createTransport resolves an ssh-config alias with ProxyJump and runs through the jump host', T, async () => {
  const env = sshTestEnv();
  const config = [
    'Host vmhost',
    `  HostName ${env.host}`,
    `  Port ${env.port}`,
    `  User ${env.user}`,
    `  IdentityFile ${env.key}`,
    '  ProxyJump bastion',
    'Host bastion',
    `  HostName ${env.host}`,
    `  Port ${env.port}`,
    `  User ${env.user}`,
    `  IdentityFile ${env.key}`,
    '',
  ].join('\n');
  const t = createTransport({ target: 'vmhost' }, {}, { ...isolatedOptions(), resolve: { sshConfigText: config } }) as SshTransport;
  assert.equal(t.spec.proxyJump.length, 1);
  assert.match(t.description, / via /);
  await using(t, async () => {
    // Through the jump, the final sshd's peer is the TCP connection the JUMP's sshd opened for the
    // forward, not one of ours: look that source port up on this machine (we are root: ss -p).
    const result = await t.exec('echo "$SSH_CONNECTION"', { timeoutMs: 10_000 });
    const [, sourcePort, , serverPort] = result.stdout.trim().split(' ');
    assert.equal(Number(serverPort), env.port);
    const owner = execFileSync('ss', ['-tnpH', 'src', `127.0.0.1:${sourcePort}`], { encoding: 'utf8' });
    assert.match(owner, /"sshd"/, owner);
    assert.doesNotMatch(owner, /"node"/, owner);
    assert.equal(t.connectCount, 1);
  });
});

test('a malformed target is a HostError(config) from createTransport', () => {
  assert.throws(() => createTransport({ target: 'user@host:notaport' }), isHostError('config'));
});

test('the project known-hosts file path given to the pool is the only file written', T, async () => {
  const env = sshTestEnv();
  const dir = scratchDir('lhd-pool-kh-');
  const project = path.join(dir, 'known_hosts');
  const pool = new ConnectionPool(
    { confirmHostKey: async () => 'remember' },
    { ...isolatedOptions({ userKnownHostsFiles: [] }), projectKnownHostsFile: project, resolve: { sshConfigText: null } },
  );
  try {
    await pool.get({ target: `${env.user}@${env.host}:${env.port}`, identityFile: env.key }).exec('true', { timeoutMs: 10_000 });
    assert.match(fs.readFileSync(project, 'utf8'), new RegExp(`^\\[${env.host.replace(/\./g, '\\.')}\\]:${env.port} ssh-ed25519 `));
  } finally {
    pool.dispose();
  }
});

test('virsh -c qemu:///session works over an SSH exec as the test user (XDG_RUNTIME_DIR from sshd)', T, async () => {
  const t = transport(loopbackSpec());
  await using(t, async () => {
    const runtime = await t.exec('printf %s "$XDG_RUNTIME_DIR"', { timeoutMs: 10_000 });
    assert.match(runtime.stdout, /^\/run\/user\/\d+$/);
    const result = await t.exec('virsh -c qemu:///session uri', { timeoutMs: 25_000 });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.trim(), 'qemu:///session');
  });
});
