// The OpenSSH transport against a real sshd that trusts a user CA (TrustedUserCAKeys, no
// authorized_keys): a certificate signed with `ssh-keygen -s` is refused by the built-in client
// (which says why) and accepted through the system ssh, for the inventory, attach and the CLI.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { attachDevice } from '../../../server/src/host/attach';
import { createTransport } from '../../../server/src/host/connectionPool';
import { CommandTimeout, HostError } from '../../../server/src/host/transport';
import { shellQuote } from '../../../shared/shellQuote';
import { fetchInventory } from '../../../server/src/inventory/fetchInventory';
import { startPrivateSshd, type PrivateSshd } from './privateSshd';
import { scratchDir, sshTestEnv } from './sshTestEnv';
import { runCli, type CliRun } from '../../support/cli';

const T = { timeout: 60_000 };
const SYSFS = path.resolve(__dirname, '../../../../examples/sysfs-82576');
const CERT_NOTICE = /CertificateFile for kvm-cert is not supported by the built-in SSH client; use "transport": "openssh"/;

let sshd: PrivateSshd;
let dir: string;
let config: string;

before(async () => {
  const env = sshTestEnv();
  dir = scratchDir('lhd-cert-');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'lhd-test-ca', '-f', path.join(dir, 'ca')]);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'lhd-test-cert-user', '-f', path.join(dir, 'user_key')]);
  execFileSync('ssh-keygen', [
    '-q',
    '-s',
    path.join(dir, 'ca'),
    '-I',
    'lhd-test',
    '-n',
    env.user,
    '-V',
    '+1h',
    path.join(dir, 'user_key.pub'),
  ]);
  sshd = await startPrivateSshd([`TrustedUserCAKeys ${path.join(dir, 'ca.pub')}`], { authorizedKeysFile: 'none' });
  config = path.join(dir, 'ssh_config');
  const hostBlock = (name: string, knownHosts: string): string[] => [
    `Host ${name}`,
    '  HostName 127.0.0.1',
    `  Port ${sshd.port}`,
    `  User ${env.user}`,
    `  IdentityFile ${path.join(dir, 'user_key')}`,
    `  CertificateFile ${path.join(dir, 'user_key-cert.pub')}`,
    '  IdentitiesOnly yes',
    '  IdentityAgent none',
    `  UserKnownHostsFile ${knownHosts}`,
    '  GlobalKnownHostsFile /dev/null',
    '  StrictHostKeyChecking yes',
  ];
  fs.writeFileSync(path.join(dir, 'empty_known_hosts'), '');
  fs.writeFileSync(
    config,
    [
      ...hostBlock('kvm-cert', sshd.knownHostsFile),
      // the user's policy lets --accept-new-host-key take a new key (ssh's default, ask)
      ...hostBlock('kvm-new-key', path.join(dir, 'empty_known_hosts')).filter((l) => !l.includes('StrictHostKeyChecking')),
      ...hostBlock('kvm-strict-new-key', path.join(dir, 'strict_known_hosts')),
      ...hostBlock('kvm-changed-key', `"${path.join(dir, 'changed known_hosts')}"`),
      // an interactive set-up: ssh alone would refuse a command line beside RemoteCommand
      ...hostBlock('kvm-remote-command', sshd.knownHostsFile),
      '  RemoteCommand echo interactive-session',
      '  RequestTTY force',
      // the same key without its certificate: the CA-only sshd refuses it
      ...hostBlock('kvm-no-cert', sshd.knownHostsFile)
        .filter((l) => !l.includes('CertificateFile'))
        .map((l) => l.replace(/user_key$/, 'no_such_key')),
      '',
    ].join('\n'),
  );
});

after(() => sshd?.stop());

test('the built-in client is refused with a certificate-only login and names CertificateFile', T, async () => {
  const t = createTransport({ target: 'kvm-cert' }, {}, { sshConfigFile: config, connectTimeoutMs: 10_000 });
  try {
    assert.equal(t.notices?.length, 1);
    assert.match(t.notices?.[0] ?? '', CERT_NOTICE);
    await assert.rejects(t.exec('true', { timeoutMs: 10_000 }), (e: unknown) => e instanceof HostError && e.kind === 'auth');
  } finally {
    t.close();
  }
});

test(
  'the OpenSSH transport logs in with the certificate: the single-exec inventory, and the attach script hands the XML to virsh',
  T,
  async () => {
    const t = createTransport({ target: 'kvm-cert', transport: 'openssh' }, {}, { sshConfigFile: config, connectTimeoutMs: 10_000 });
    try {
      assert.match(t.description, /OpenSSH/);
      assert.deepEqual(t.notices ?? [], []);
      const result = await fetchInventory(t, { host: 'kvm-cert', uri: 'test:///default', sysfsRoot: SYSFS, timeoutMs: 30_000 });
      assert.ok(
        result.inventory.devices.some((d) => d.kind === 'vf'),
        'VFs read from the sysfs tree over OpenSSH',
      );
      assert.ok(
        result.inventory.guests.some((g) => g.name === 'test'),
        'guests read by virsh over OpenSSH',
      );
      const xml =
        "<interface type='hostdev' managed='yes'>\n  <source><address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x4'/></source>\n</interface>\n";
      const attached = await attachDevice(t, {
        uri: 'test:///default',
        guest: 'test',
        deviceXml: xml,
        operation: 'attach',
        live: false,
        timeoutMs: 30_000,
      });
      // The test driver has no attach; virsh reading the XML we sent on stdin (through the remote mktemp
      // file, already removed, open as its stdin) is what counts here.
      assert.match(
        attached.message,
        /Failed to attach device from \/dev\/stdin\n.*not supported by the connection driver/,
        attached.message,
      );
      assert.equal((await t.exec('cat', { stdin: xml, timeoutMs: 10_000 })).stdout, xml, 'stdin reaches the remote command unchanged');
    } finally {
      t.close();
    }
  },
);

test("a host whose ssh config sets RemoteCommand and RequestTTY runs our command through OpenSSH, not the config's", T, async () => {
  const t = createTransport(
    { target: 'kvm-remote-command', transport: 'openssh' },
    {},
    { sshConfigFile: config, connectTimeoutMs: 10_000 },
  );
  try {
    const result = await t.exec('echo ours; test -t 0 || echo no-tty', { timeoutMs: 10_000 });
    assert.equal(result.stdout, 'ours\nno-tty\n');
  } finally {
    t.close();
  }
});

test(
  'a command that outlives its timeout through OpenSSH gives HostError(timeout), and the host stops it soon after (its own timeout)',
  T,
  async () => {
    const t = createTransport({ target: 'kvm-cert', transport: 'openssh' }, {}, { sshConfigFile: config, connectTimeoutMs: 10_000 });
    try {
      // in the command line of the shell and of its sleep alike, so the check below sees either
      const seconds = `120.${process.pid}${Date.now() % 1_000_000}`;
      await assert.rejects(t.exec(`echo started; sleep ${seconds}; echo done`, { timeoutMs: 5_000 }), (e: unknown) => {
        // it ran on the host before the timeout: what it printed came back
        return e instanceof CommandTimeout && e.stdoutSoFar === 'started\n';
      });
      // Stopping the local ssh leaves the remote command running; the host's `timeout` stops it 2 s after
      // ours, with SIGKILL 3 s later, the shell and its sleep alike (its process group). Poll on the host
      // for up to 20 s, far below the sleep's 120 (the [1] keeps the pattern from matching this checking
      // shell's own command line).
      const pattern = shellQuote(`sleep [1]${seconds.slice(1)}`);
      const check = `i=0; while pgrep -f ${pattern} >/dev/null; do i=$((i+1)); [ $i -gt 400 ] && exit 1; sleep 0.05; done; exit 0`;
      assert.equal((await t.exec(check, { timeoutMs: 60_000 })).code, 0, 'the timed-out command is still running on the host');
    } finally {
      t.close();
    }
  },
);

test(
  "a ProxyCommand that ignores SIGTERM and never connects: the timeout fails the exec, and the proxy is killed with ssh's group",
  T,
  async () => {
    // in the proxy's command line alone, so pgrep below finds it and nothing else
    const seconds = `300.${process.pid}${Date.now() % 1_000_000}`;
    const stuck = path.join(dir, 'stuck_config');
    fs.writeFileSync(stuck, `Host kvm-stuck\n  HostName 192.0.2.10\n  ProxyCommand sh -c 'trap "" HUP TERM; exec sleep ${seconds}'\n`);
    const t = createTransport({ target: 'kvm-stuck', transport: 'openssh' }, {}, { sshConfigFile: stuck, connectTimeoutMs: 30_000 });
    const proxies = (): string => spawnSync('pgrep', ['-f', `sleep ${seconds}`], { encoding: 'utf8' }).stdout.trim();
    try {
      await assert.rejects(t.exec('true', { timeoutMs: 2_000 }), (e: unknown) => e instanceof CommandTimeout);
      assert.notEqual(proxies(), '', 'the proxy ran');
      // stopped as ssh is: SIGTERM to the group, SIGKILL 2 s later; polled for up to 20 s, far below its 300
      const deadline = Date.now() + 20_000;
      while (proxies() !== '' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50)); // poll interval
      assert.equal(proxies(), '', 'the ProxyCommand outlived the timed-out exec');
    } finally {
      t.close();
    }
  },
);

test('an unknown host key through OpenSSH fails without a prompt and says how to accept it with ssh once', T, async () => {
  const t = createTransport({ target: 'kvm-new-key', transport: 'openssh' }, {}, { sshConfigFile: config, connectTimeoutMs: 10_000 });
  try {
    await assert.rejects(
      t.exec('true', { timeoutMs: 10_000 }),
      (e: unknown) =>
        e instanceof HostError &&
        e.kind === 'host-key' &&
        e.message.includes(`accept it once in a terminal with "ssh -F ${config} kvm-new-key"`),
    );
  } finally {
    t.close();
  }
});

/** A config (its name needs quoting) for `user@127.0.0.1:PORT` that knows no host key. */
function unknownKeyConfig(): { file: string; target: string; knownHosts: string } {
  const env = sshTestEnv();
  const file = path.join(dir, "odd config's name");
  const knownHosts = path.join(dir, 'unknown_key_known_hosts');
  fs.writeFileSync(knownHosts, '');
  fs.writeFileSync(
    file,
    [
      'Host 127.0.0.1',
      `  IdentityFile ${path.join(dir, 'user_key')}`,
      `  CertificateFile ${path.join(dir, 'user_key-cert.pub')}`,
      '  IdentitiesOnly yes',
      '  IdentityAgent none',
      `  UserKnownHostsFile ${knownHosts}`,
      '  GlobalKnownHostsFile /dev/null',
      '',
    ].join('\n'),
  );
  return { file, target: `${env.user}@127.0.0.1:${sshd.port}`, knownHosts };
}

test(
  'an unknown host key through OpenSSH at user@host:PORT with --ssh-config: the advised ssh command has -F and -p and reaches that host',
  T,
  async () => {
    const { file, target, knownHosts } = unknownKeyConfig();
    const t = createTransport({ target, transport: 'openssh' }, {}, { sshConfigFile: file, connectTimeoutMs: 10_000 });
    let message = '';
    try {
      await assert.rejects(t.exec('true', { timeoutMs: 10_000 }), (e: unknown) => {
        message = e instanceof Error ? e.message : String(e);
        return e instanceof HostError && e.kind === 'host-key';
      });
    } finally {
      t.close();
    }
    const command = /accept it once in a terminal with "(.*)", then try again$/.exec(message)?.[1];
    assert.equal(command, `ssh -F '${file.replace(/'/g, "'\\''")}' -p ${sshd.port} ${sshTestEnv().user}@127.0.0.1`, message);
    // the editor shows this message too, where there is no command-line option to offer
    assert.doesNotMatch(message, /--accept-new-host-key/);
    // what that command would do, as ssh itself resolves it (-G prints the configuration and exits)
    const resolved = execFileSync('sh', ['-c', `${command} -G`], { encoding: 'utf8' }).split('\n');
    for (const line of ['hostname 127.0.0.1', `port ${sshd.port}`, `user ${sshTestEnv().user}`, `userknownhostsfile ${knownHosts}`]) {
      assert.ok(resolved.includes(line), `${line} in:\n${resolved.join('\n')}`);
    }
  },
);

test('CLI: an unknown host key through OpenSSH names both the ssh command and --accept-new-host-key, in one line', T, async () => {
  const { file, target } = unknownKeyConfig();
  const r = await cli([
    'inventory',
    '--host',
    target,
    '--ssh-config',
    file,
    '--transport',
    'openssh',
    '--connect',
    'test:///default',
    '--sysfs-root',
    SYSFS,
  ]);
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stderr.split('\n').length, 2, r.stderr);
  assert.ok(r.stderr.includes(` -p ${sshd.port} `), r.stderr);
  assert.match(r.stderr, /then try again \(run again with --accept-new-host-key to trust it\)\n$/);
});

test(
  'a CHANGED host key through OpenSSH names the ssh-keygen -R command for the file ssh read; running it removes the old key',
  T,
  async () => {
    const file = path.join(dir, 'changed known_hosts');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'lhd-old-host-key', '-f', path.join(dir, 'old_host_key')]);
    const old = fs.readFileSync(path.join(dir, 'old_host_key.pub'), 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
    fs.writeFileSync(file, `[127.0.0.1]:${sshd.port} ${old}\n`);
    const t = createTransport({ target: 'kvm-changed-key', transport: 'openssh' }, {}, { sshConfigFile: config, connectTimeoutMs: 10_000 });
    let message = '';
    try {
      await assert.rejects(t.exec('true', { timeoutMs: 10_000 }), (e: unknown) => {
        message = e instanceof Error ? e.message : String(e);
        return e instanceof HostError && e.kind === 'host-key' && /has CHANGED/.test(message);
      });
    } finally {
      t.close();
    }
    const at = message.indexOf('remove the old key with: ');
    assert.ok(at !== -1, message);
    const command = message.slice(at + 'remove the old key with: '.length);
    assert.equal(command, `ssh-keygen -R '[127.0.0.1]:${sshd.port}' -f '${file}'`);
    execFileSync('sh', ['-c', command], { stdio: 'ignore' });
    assert.equal(fs.readFileSync(file, 'utf8'), '', 'the old key is gone');
  },
);

test('a refused login through OpenSSH is HostError(auth), as with the built-in client', T, async () => {
  const t = createTransport({ target: 'kvm-no-cert', transport: 'openssh' }, {}, { sshConfigFile: config, connectTimeoutMs: 10_000 });
  try {
    await assert.rejects(
      t.exec('true', { timeoutMs: 10_000 }),
      (e: unknown) =>
        e instanceof HostError &&
        e.kind === 'auth' &&
        /authentication to kvm-no-cert \(OpenSSH\) failed \(ssh: .*Permission denied/.test(e.message),
    );
  } finally {
    t.close();
  }
});

/** `inventory --host HOST --transport openssh --accept-new-host-key` through the test config */
const acceptNewThroughOpenSsh = (host: string): Promise<CliRun> =>
  cli([
    'inventory',
    '--host',
    host,
    '--ssh-config',
    config,
    '--transport',
    'openssh',
    '--accept-new-host-key',
    '--connect',
    'test:///default',
    '--sysfs-root',
    SYSFS,
  ]);

test('CLI --accept-new-host-key with --transport openssh: OpenSSH accepts the new key (accept-new) and records it', T, async () => {
  const knownHosts = path.join(dir, 'empty_known_hosts');
  fs.writeFileSync(knownHosts, '');
  const r = await acceptNewThroughOpenSsh('kvm-new-key');
  assert.equal(r.code, 0, r.stderr);
  assert.match(fs.readFileSync(knownHosts, 'utf8'), new RegExp(`^\\[127\\.0\\.0\\.1\\]:${sshd.port} ssh-ed25519 `));
});

test(
  'CLI --accept-new-host-key with --transport openssh does not override StrictHostKeyChecking yes in the ssh config, as the built-in client',
  T,
  async () => {
    const knownHosts = path.join(dir, 'strict_known_hosts');
    fs.writeFileSync(knownHosts, '');
    const r = await acceptNewThroughOpenSsh('kvm-strict-new-key');
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /unknown host key for kvm-strict-new-key \(OpenSSH\): refused because StrictHostKeyChecking is yes in the ssh config \(connect once with "ssh -F /,
    );
    assert.doesNotMatch(r.stderr, /run again with --accept-new-host-key/);
    assert.equal(fs.readFileSync(knownHosts, 'utf8'), '', 'no key was recorded');
  },
);

const cli = (args: string[]): Promise<CliRun> => runCli(args);

test(
  'CLI: --transport openssh reads the inventory with the certificate; without it the warning names CertificateFile once',
  T,
  async () => {
    const common = ['inventory', '--host', 'kvm-cert', '--ssh-config', config, '--connect', 'test:///default', '--sysfs-root', SYSFS];
    const viaOpenSsh = await cli([...common, '--transport', 'openssh']);
    assert.equal(viaOpenSsh.code, 0, viaOpenSsh.stderr);
    assert.match(viaOpenSsh.stdout, /"format": ?"libvirt-hostdev-inventory\/1"/);
    assert.doesNotMatch(viaOpenSsh.stderr, /not supported/);

    const builtin = await cli(common);
    assert.equal(builtin.code, 2, builtin.stderr);
    const lines = builtin.stderr.split('\n');
    assert.equal(lines.filter((l) => CERT_NOTICE.test(l)).length, 1, builtin.stderr);
    assert.match(builtin.stderr, /authentication to .* failed/);
  },
);

test('CLI: --transport takes builtin or openssh only', async () => {
  const r = await cli(['inventory', '--host', 'kvm-cert', '--transport', 'putty']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--transport must be builtin or openssh, not 'putty'/);
});
