// ProxyCommand against the real loopback sshd: the target's HostName is unroutable (TEST-NET-1),
// so only the command's `ssh -W` stream can reach it; a failing command's stderr reaches the error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { resolveTarget, type ConnectSpec } from '../../../server/src/host/target';
import { HostError } from '../../../server/src/host/transport';
import { scratchDir, sshTestEnv, transport, using } from './sshTestEnv';
import { alive } from '../../support/processAlive';

const T = { timeout: 30_000 };
const UNROUTABLE = '192.0.2.10';

/** `ssh -W` through the loopback sshd as the bastion, with no prompts and env.sh's known host key. */
function bastionCommand(forwardTo: string): string {
  const env = sshTestEnv();
  return (
    `ssh -F /dev/null -q -o BatchMode=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile=${env.knownHostsFile} ` +
    `-i ${env.key} -p ${env.port} ${env.user}@127.0.0.1 -W ${forwardTo}`
  );
}

function specFor(alias: string, config: string): ConnectSpec {
  return resolveTarget(alias, { sshConfigText: config, homeDir: scratchDir('lhd-home-'), localUser: 'nobody' }) as ConnectSpec;
}

/** known_hosts naming the sshd's key under the unroutable name, as ssh(1) would look it up. */
function knownHostsForUnroutable(dir: string): string {
  const env = sshTestEnv();
  const file = path.join(dir, 'known_hosts');
  const key = fs.readFileSync(env.hostPubKeyFile, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
  fs.writeFileSync(file, `[${UNROUTABLE}]:${env.port} ${key}\n`);
  return file;
}

async function waitUntil(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test('ProxyCommand `ssh -W` reaches a host whose HostName is unroutable; the command is killed when the connection closes', T, async () => {
  const env = sshTestEnv();
  const dir = scratchDir('lhd-proxy-');
  const pidFile = path.join(dir, 'proxy.pid');
  const spec = specFor(
    'kvm-behind',
    [
      'Host kvm-behind',
      `  HostName ${UNROUTABLE}`,
      `  Port ${env.port}`,
      `  User ${env.user}`,
      `  IdentityFile ${env.key}`,
      // $$ of this shell is the proxy's pid: ssh(1) (and we) run `exec COMMAND`, and it execs ssh.
      `  ProxyCommand sh -c 'echo $$ > ${pidFile}; exec ${bastionCommand('127.0.0.1:%p')}'`,
      '  ProxyJump ignored-because-proxycommand-came-first',
    ].join('\n'),
  );
  assert.equal(spec.host, UNROUTABLE);
  assert.deepEqual(spec.proxyJump, []);
  const logs: string[] = [];
  const t = transport(spec, { log: (m) => logs.push(m) }, { userKnownHostsFiles: [knownHostsForUnroutable(dir)] });
  let pid = 0;
  await using(t, async () => {
    const result = await t.exec('echo "through $SSH_CONNECTION"', { timeoutMs: 10_000 });
    assert.equal(result.code, 0, result.stderr);
    // sshd sees the bastion's own forwarded connection from loopback, not a direct one
    assert.match(result.stdout, /^through 127\.0\.0\.1 \d+ 127\.0\.0\.1 \d+/);
    assert.match(t.description, /ProxyCommand/);
    pid = Number(fs.readFileSync(pidFile, 'utf8'));
    assert.ok(alive(pid), 'the ProxyCommand runs while the connection is open');
  });
  await waitUntil(() => !alive(pid), 'the ProxyCommand process is gone after close()');
});

test('a failing ProxyCommand: its stderr (with the user environment and tokens) is in the error and in the log', T, async () => {
  process.env.LHD_PROXY_TEST_MARK = 'from-the-environment';
  const logs: string[] = [];
  const spec = specFor(
    'kvm-fail',
    [
      'Host kvm-fail',
      `  HostName ${UNROUTABLE}`,
      '  User ops',
      '  Port 2200',
      `  ProxyCommand sh -c 'echo "bastion refused %r@%h:%p (%n) 100%% $LHD_PROXY_TEST_MARK" >&2; exit 3'`,
    ].join('\n'),
  );
  const t = transport(spec, { log: (m) => logs.push(m) });
  await using(t, async () => {
    await assert.rejects(t.connect(), (e: unknown) => {
      assert.ok(e instanceof HostError, String(e));
      assert.equal(e.kind, 'unreachable');
      assert.match(
        e.message,
        /^ProxyCommand for kvm-fail exited with status 3: bastion refused ops@192\.0\.2\.10:2200 \(kvm-fail\) 100% from-the-environment/,
      );
      return true;
    });
  });
  assert.ok(
    logs.some((l) => l.includes('bastion refused ops@192.0.2.10:2200')),
    logs.join('\n'),
  );
});

test(
  "a ProxyCommand that fails but leaves a child holding its stderr (as ssh's ControlPersist master does) fails the connection at once",
  T,
  async () => {
    const dir = scratchDir('lhd-proxy-held-');
    const pidFile = path.join(dir, 'held.pid');
    const spec = specFor(
      'kvm-held',
      [
        'Host kvm-held',
        `  HostName ${UNROUTABLE}`,
        `  ProxyCommand sh -c '(sleep 120 >&2 & echo $! > ${pidFile}); echo "bastion down" >&2; exit 3'`,
      ].join('\n'),
    );
    const t = transport(spec);
    try {
      await using(t, async () => {
        // without a bound on the proxy's end, this waited for the child (two minutes) and the test's 30 s ran out
        await assert.rejects(t.connect(), (e: unknown) => {
          assert.ok(e instanceof HostError, String(e));
          assert.match(e.message, /^ProxyCommand for kvm-held exited with status 3: bastion down/);
          return true;
        });
      });
    } finally {
      const held = Number(fs.readFileSync(pidFile, 'utf8'));
      if (alive(held)) process.kill(held);
    }
  },
);

test('a ProxyCommand that never connects (and ignores SIGHUP) ends at the connect timeout, which the message leads with', T, async () => {
  const spec = specFor(
    'kvm-stuck',
    ['Host kvm-stuck', `  HostName ${UNROUTABLE}`, `  ProxyCommand sh -c 'trap "" HUP; exec sleep 100'`].join('\n'),
  );
  const t = transport(spec, {}, { connectTimeoutMs: 1000 });
  const started = Date.now();
  await using(t, async () => {
    await assert.rejects(t.connect(), (e: unknown) => {
      assert.ok(e instanceof HostError, String(e));
      assert.equal(e.kind, 'timeout');
      assert.match(
        e.message,
        /^connecting to nobody@192\.0\.2\.10 timed out after 1000 ms through the ProxyCommand for kvm-stuck \(which said nothing; command: sh -c /,
      );
      return true;
    });
  });
  // the proxy had two more seconds to exit by itself after the timeout: the bound the user set was not the bound
  const took = Date.now() - started;
  assert.ok(took < 2500, `${took} ms for a 1000 ms connect timeout`);
});

test('`ProxyCommand none` in a more specific block disables the one inherited from `Host *`', () => {
  const spec = specFor('kvm-direct', ['Host kvm-direct', '  ProxyCommand none', 'Host *', '  ProxyCommand false'].join('\n'));
  assert.equal(spec.proxyCommand, undefined);
  const other = specFor('other', ['Host kvm-direct', '  ProxyCommand none', 'Host *', '  ProxyCommand nc %h %p'].join('\n'));
  assert.equal(other.proxyCommand, 'nc other 22');
});

test('an unknown %-token in ProxyCommand is a config error, as in ssh', () => {
  assert.throws(
    () => specFor('x', 'Host x\n  ProxyCommand nc %z %p'),
    (e: unknown) => e instanceof HostError && e.kind === 'config' && /%z/.test(e.message),
  );
});
