// Host targets and ~/.ssh/config resolution (the config text is passed in; no real ~/.ssh read).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HostError } from '../../../server/src/host/transport';
import { execFileSync } from 'node:child_process';
import { lookupSshConfig, expandPathTokens } from '../../../server/src/host/sshConfig';
import { loadNamedSshConfig, readSshConfigFile, sshConfigFromText } from '../../../server/src/host/sshConfigFiles';
import { describeSpec, parseTarget, resolveTarget, type ConnectSpec } from '../../../server/src/host/target';

const HOME = '/home/me';
const CONFIG = `
Host hv1
  HostName 10.0.0.5
  User admin
  Port 2200
  IdentityFile ~/.ssh/hv1_ed25519
  ConnectTimeout 7
  ProxyJump bastion

Host bastion
  HostName bastion.example.org
  User jumper
  IdentityFile %d/.ssh/bastion_%r

Host double
  HostName 10.0.0.9
  ProxyJump bastion,jump2:2022

Host jump2
  HostName 192.0.2.2

Host loop
  ProxyJump loop

Host *.lab
  HostName %h.example.net
  UserKnownHostsFile ~/.ssh/lab_known_hosts

Host *
  User defaultuser
`;

function ssh(target: string, extra: { identityFile?: string; sshConfigText?: string | null } = {}): ConnectSpec {
  const resolved = resolveTarget(target, { sshConfigText: CONFIG, homeDir: HOME, localUser: 'me', ...extra });
  assert.equal(resolved.kind, 'ssh');
  return resolved as ConnectSpec;
}

test('parseTarget splits [user@]host[:port], bracketed IPv6 and ssh:// forms', () => {
  assert.deepEqual(parseTarget('hv1'), { host: 'hv1' });
  assert.deepEqual(parseTarget('root@hv1'), { user: 'root', host: 'hv1' });
  assert.deepEqual(parseTarget('root@127.0.0.1:2222'), { user: 'root', host: '127.0.0.1', port: 2222 });
  assert.deepEqual(parseTarget('[::1]:2222'), { host: '::1', port: 2222 });
  assert.deepEqual(parseTarget('u@fe80::1'), { user: 'u', host: 'fe80::1' });
  assert.deepEqual(parseTarget('ssh://ops@hv2:2022'), { user: 'ops', host: 'hv2', port: 2022 });
});

test('parseTarget rejects empty, spaced, option-like and bad-port targets with HostError(config)', () => {
  for (const bad of ['', '  ', 'a b', '@hv1', '-oProxyCommand=x', 'hv1:0', 'hv1:70000', 'hv1:ssh']) {
    assert.throws(
      () => parseTarget(bad),
      (err: unknown) => err instanceof HostError && err.kind === 'config',
      bad,
    );
  }
});

test('a typed host or user name with shell metacharacters is refused, as OpenSSH refuses one from its command line: a ProxyCommand would run it', () => {
  for (const bad of ['x$(touch${IFS}/tmp/p)', 'x`id`', "x';id;'", 'a$(id)@hv1', 'a;id@hv1', '-oProxyCommand=x@hv1', 'hv1|id', 'h\x1b[2Jv1'])
    assert.throws(
      () => parseTarget(bad),
      (err: unknown) =>
        err instanceof HostError && err.kind === 'config' && /character ssh refuses/.test(err.message) && !err.message.includes('\x1b'),
      bad,
    );
  // what a real name holds: dots, dashes, an IPv6 zone, a domain user, a '$' in a user name (Samba machine accounts)
  for (const good of ['kvm-1.example.com', 'u@fe80::1%eth0', 'DOM\\ops@hv1', 'host$@hv1', 'ops.admin@hv-2'])
    assert.doesNotThrow(() => parseTarget(good), good);
  // through a ProxyCommand's %h, %r and %n the refused target never reaches the shell
  const config = 'Host *\n  ProxyCommand nc %h %p\n';
  assert.throws(() => resolveTarget('x$(touch${IFS}/tmp/pwned)', { sshConfigText: config }), /character ssh refuses/);
});

test('"local" resolves to the local transport target', () => {
  assert.deepEqual(resolveTarget('local', { sshConfigText: CONFIG }), { kind: 'local' });
  assert.deepEqual(resolveTarget(' LOCAL ', { sshConfigText: CONFIG }), { kind: 'local' });
});

test('an alias takes HostName, User, Port, IdentityFile (~ expanded) and ConnectTimeout from the config', () => {
  const spec = ssh('hv1');
  assert.equal(spec.host, '10.0.0.5');
  assert.equal(spec.alias, 'hv1');
  assert.equal(spec.username, 'admin');
  assert.equal(spec.port, 2200);
  assert.deepEqual(spec.identityFiles, ['/home/me/.ssh/hv1_ed25519']);
  assert.equal(spec.explicitIdentities, true);
  assert.equal(spec.connectTimeoutMs, 7000);
});

test('user and port written in the target win over the config; the settings identity file comes first', () => {
  const spec = ssh('ops@hv1:2022', { identityFile: '~/keys/ops' });
  assert.equal(spec.username, 'ops');
  assert.equal(spec.port, 2022);
  assert.deepEqual(spec.identityFiles, ['/home/me/keys/ops', '/home/me/.ssh/hv1_ed25519']);
});

test('ProxyJump resolves the jump host through the config too (its own HostName, User, %d/%r tokens)', () => {
  const spec = ssh('hv1');
  assert.equal(spec.proxyJump.length, 1);
  const jump = spec.proxyJump[0];
  assert.equal(jump.host, 'bastion.example.org');
  assert.equal(jump.username, 'jumper');
  assert.equal(jump.port, 22);
  assert.deepEqual(jump.identityFiles, ['/home/me/.ssh/bastion_jumper']);
  assert.equal(describeSpec(jump), 'jumper@bastion.example.org');
});

test('a ProxyJump list is traversed in order, and a looping ProxyJump is a config error', () => {
  assert.deepEqual(
    ssh('double').proxyJump.map((j) => `${j.host}:${j.port}`),
    ['bastion.example.org:22', '192.0.2.2:2022'],
  );
  assert.throws(
    () => ssh('loop'),
    (err: unknown) => err instanceof HostError && err.kind === 'config',
  );
});

test('Host patterns apply with %h in HostName and UserKnownHostsFile expanded', () => {
  const spec = ssh('hv7.lab');
  assert.equal(spec.host, 'hv7.lab.example.net');
  assert.equal(spec.username, 'defaultuser');
  assert.deepEqual(spec.userKnownHostsFiles, ['/home/me/.ssh/lab_known_hosts']);
  assert.equal(spec.explicitIdentities, false);
  assert.deepEqual(spec.proxyJump, []);
});

test('without a config a plain host uses the local user and port 22', () => {
  const spec = ssh('hv3', { sshConfigText: null });
  assert.equal(spec.username, 'me');
  assert.equal(spec.port, 22);
  assert.equal(spec.host, 'hv3');
  assert.equal(spec.connectTimeoutMs, undefined);
});

test('Match exec blocks are not run (no command from a config file is executed)', () => {
  const marker = `/tmp/lhd-match-exec-${process.pid}`;
  const entry = lookupSshConfig(sshConfigFromText(`Match exec "touch ${marker}"\n  User evil\nHost *\n  User fine\n`), 'hv1');
  assert.equal(entry.user, 'fine');
  assert.equal(fs.existsSync(marker), false);
});

test('IdentityFile none, ProxyJump none and malformed Port are ignored', () => {
  const entry = lookupSshConfig(sshConfigFromText('Host x\n  IdentityFile none\n  ProxyJump none\n  Port abc\n'), 'x');
  assert.deepEqual(entry.identityFiles, []);
  assert.equal(entry.proxyJump, undefined);
  assert.equal(entry.port, undefined);
});

test('expandPathTokens expands ~ and %d %u %h %r %p %n %%', () => {
  const ctx = { homeDir: HOME, localUser: 'me', host: 'h.example', user: 'root', port: 2200, alias: 'h' };
  assert.equal(expandPathTokens('~/.ssh/%r@%h:%p-%n-%u-%%', ctx), '/home/me/.ssh/root@h.example:2200-h-me-%');
  assert.equal(expandPathTokens('%d/k', ctx), '/home/me/k');
});

test('expandPathTokens also expands %k (HostKeyAlias, else the alias), %i, %L and ${VAR}; any other token is refused, never left as written', () => {
  const ctx = { homeDir: HOME, localUser: 'me', host: 'h.example', user: 'root', port: 2200, alias: 'h' };
  assert.equal(expandPathTokens('~/.ssh/known_hosts.d/%k', ctx), '/home/me/.ssh/known_hosts.d/h');
  assert.equal(expandPathTokens('~/.ssh/known_hosts.d/%k', { ...ctx, hostKeyAlias: 'h-key' }), '/home/me/.ssh/known_hosts.d/h-key');
  assert.equal(expandPathTokens('/run/%i/%L', ctx), `/run/${os.userInfo().uid}/${os.hostname().split('.')[0]}`);
  process.env.LHD_TEST_KNOWN = '/srv/known';
  try {
    assert.equal(expandPathTokens('${LHD_TEST_KNOWN}/%h', ctx), '/srv/known/h.example');
  } finally {
    delete process.env.LHD_TEST_KNOWN;
  }
  // left as written, such a path names no file: the host's key in the real file would look unknown, not changed
  for (const [value, why] of [
    ['~/.ssh/known_hosts.d/%C', /the token %C is not supported/],
    ['/k/%j', /the token %j is not supported/],
    ['/k/50%', /a % at the end/],
    ['${LHD_TEST_UNSET}/k', /\$\{LHD_TEST_UNSET\} is not set/],
  ] as const) {
    assert.throws(
      () => expandPathTokens(value, ctx),
      (e: unknown) => e instanceof HostError && e.kind === 'config' && why.test(e.message) && e.message.includes(value),
      value,
    );
  }
});

test("UserKnownHostsFile with %k names the host's own file; one with a token the client cannot expand refuses the host", () => {
  const config =
    'Host hv7\n  HostName 10.0.0.7\n  UserKnownHostsFile ~/.ssh/known_hosts.d/%k\nHost hv8\n  UserKnownHostsFile ~/.ssh/known_hosts.d/%C\n';
  const spec = resolveTarget('hv7', { sshConfigText: config, homeDir: HOME, localUser: 'me' }) as ConnectSpec;
  assert.deepEqual(spec.userKnownHostsFiles, ['/home/me/.ssh/known_hosts.d/hv7']);
  assert.throws(() => resolveTarget('hv8', { sshConfigText: config, homeDir: HOME, localUser: 'me' }), /%C is not supported/);
});

test('Include lines are followed (relative to ~/.ssh, globbed, nested) when the real config is read', () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-home-'));
  try {
    fs.mkdirSync(path.join(home, '.ssh', 'config.d'), { recursive: true });
    fs.writeFileSync(path.join(home, '.ssh', 'config'), 'Include config.d/*.conf\nHost *\n  User fallback\n');
    fs.writeFileSync(path.join(home, '.ssh', 'config.d', '10-lab.conf'), 'Host hv9\n  HostName 198.51.100.9\n  Include ~/.ssh/nested\n');
    fs.writeFileSync(path.join(home, '.ssh', 'config.d', 'ignored.txt'), 'Host hv9\n  HostName wrong\n');
    fs.writeFileSync(path.join(home, '.ssh', 'nested'), '  Port 2299\n');
    const spec = resolveTarget('hv9', { homeDir: home, localUser: 'me', systemSshConfigFile: null }) as ConnectSpec;
    assert.equal(spec.host, '198.51.100.9');
    assert.equal(spec.port, 2299);
    assert.equal(spec.username, 'fallback');
    assert.equal(readSshConfigFile(path.join(home, 'missing'), { homeDir: home }), null);
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
});

test('Include 16 levels deep is read; a 17th level, or a file that includes itself, is a config error as in ssh(1)', () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-home-'));
  try {
    fs.mkdirSync(path.join(home, '.ssh'));
    const level = (n: number) => path.join(home, '.ssh', `level${n}`);
    // level0 includes level1 … level15 includes level16: 16 levels of Include below the top file
    for (let n = 0; n < 16; n++) fs.writeFileSync(level(n), `Include level${n + 1}\n`);
    fs.writeFileSync(level(16), 'Host deep\n  Port 2216\n');
    assert.equal(lookupSshConfig({ files: [readSshConfigFile(level(0), { homeDir: home })!] }, 'deep').port, 2216);
    fs.writeFileSync(level(16), 'Include level17\n');
    fs.writeFileSync(level(17), 'Host deep\n  Port 2217\n');
    const tooDeep = (e: unknown) =>
      e instanceof HostError && e.kind === 'config' && /^ssh config .*: Include nested more than 16 levels deep/.test(e.message);
    assert.throws(() => readSshConfigFile(level(0), { homeDir: home }), tooDeep);
    fs.writeFileSync(path.join(home, '.ssh', 'loop'), 'Include ~/.ssh/loop\n');
    assert.throws(() => readSshConfigFile(path.join(home, '.ssh', 'loop'), { homeDir: home }), tooDeep);
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
});

test('a named config (ssh -F) that is missing, a directory or a FIFO is a config error; a missing ~/.ssh/config is none', () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-home-'));
  try {
    const fifo = path.join(home, 'fifo');
    execFileSync('mkfifo', [fifo]);
    for (const [file, reason] of [
      [path.join(home, 'missing'), 'no such file or directory (ENOENT)'],
      [home, 'not a regular file'],
      [fifo, 'not a regular file'],
    ]) {
      assert.throws(
        () => loadNamedSshConfig(file, home),
        (e: unknown) => e instanceof HostError && e.kind === 'config' && e.message === `ssh config ${file}: cannot read: ${reason}`,
      );
    }
    assert.equal(readSshConfigFile(path.join(home, '.ssh', 'config'), { homeDir: home }), null);
    assert.equal(resolveTarget('kvm1', { homeDir: home, localUser: 'me', systemSshConfigFile: null }).kind, 'ssh');
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
});

test("--ssh-config none and /dev/null read no config, as ssh -F takes them (CI passes them to ignore the runner's)", () => {
  for (const given of ['none', '/dev/null']) {
    assert.deepEqual(loadNamedSshConfig(given, '/nonexistent-home'), { files: [] });
    const spec = resolveTarget('kvm1', { sshConfig: loadNamedSshConfig(given), homeDir: HOME, localUser: 'me', systemSshConfigFile: null });
    assert.equal(spec.kind === 'ssh' ? spec.host : null, 'kvm1', `${given}: the alias is a host name, nothing maps it`);
  }
});

test(
  'a config whose Includes fan out (each level includes the next four times, 6 levels) is refused with one config error, not read 4^6 times',
  { timeout: 20_000 },
  () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-home-'));
    try {
      fs.mkdirSync(path.join(home, '.ssh'));
      const bomb = path.join(home, '.ssh', 'bomb0');
      for (let n = 0; n < 6; n++) fs.writeFileSync(path.join(home, '.ssh', `bomb${n}`), `Include ${`bomb${n + 1} `.repeat(4)}\n`);
      fs.writeFileSync(path.join(home, '.ssh', 'bomb6'), `${'# padding '.repeat(20)}\n`);
      assert.throws(
        () => readSshConfigFile(bomb, { homeDir: home }),
        (e: unknown) =>
          e instanceof HostError && e.kind === 'config' && /more than 1024 files or 16 MiB with its Include files/.test(e.message),
      );
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  },
);

test('HashKnownHosts in the ssh config reaches the connection spec (a key remembered is filed hashed)', () => {
  const config = sshConfigFromText('Host hv1\n  HashKnownHosts yes\nHost hv2\n  HashKnownHosts no\n', '~/.ssh/config', HOME);
  const spec = (alias: string) => resolveTarget(alias, { sshConfig: config, homeDir: HOME, localUser: 'me', systemSshConfigFile: null });
  const hashOf = (alias: string) => {
    const s = spec(alias);
    return s.kind === 'ssh' ? s.hashKnownHosts : 'local';
  };
  assert.deepEqual([hashOf('hv1'), hashOf('hv2'), hashOf('hv3')], [true, false, undefined]);
});
