// Nothing in ~/.ssh/config is ignored without a word: the directives the built-in client does not
// honour and the Match blocks it cannot evaluate become one notice per host.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConnectionPool } from '../../../server/src/host/connectionPool';
import { resolveTarget, type ConnectSpec } from '../../../server/src/host/target';
import { sshConfigAliases, sshConfigFromText } from '../../../server/src/host/sshConfigFiles';

function resolve(alias: string, config: string): ConnectSpec {
  return resolveTarget(alias, { sshConfigText: config, homeDir: '/home/me', localUser: 'me' }) as ConnectSpec;
}

test('CertificateFile, PKCS11Provider, GSSAPIAuthentication yes are named with the way out', () => {
  const spec = resolve(
    'kvm1',
    [
      'Host kvm1',
      '  CertificateFile ~/.ssh/id_ed25519-cert.pub',
      '  PKCS11Provider /usr/lib/opensc-pkcs11.so',
      '  GSSAPIAuthentication yes',
      '  SecurityKeyProvider internal',
      '  ControlMaster auto',
      '  ControlPath ~/.ssh/cm-%C',
    ].join('\n'),
  );
  assert.deepEqual(spec.notices, [
    '~/.ssh/config: CertificateFile for kvm1 is not supported by the built-in SSH client; use "transport": "openssh" (CLI: --transport openssh)',
    '~/.ssh/config: PKCS11Provider for kvm1 is not supported by the built-in SSH client; use "transport": "openssh" (CLI: --transport openssh)',
    '~/.ssh/config: GSSAPIAuthentication for kvm1 is not supported by the built-in SSH client; use "transport": "openssh" (CLI: --transport openssh)',
    '~/.ssh/config: SecurityKeyProvider for kvm1 is not supported by the built-in SSH client; use "transport": "openssh" (CLI: --transport openssh)',
    '~/.ssh/config: ControlMaster for kvm1 is not supported by the built-in SSH client; use "transport": "openssh" (CLI: --transport openssh)',
    '~/.ssh/config: ControlPath for kvm1 is not supported by the built-in SSH client; use "transport": "openssh" (CLI: --transport openssh)',
  ]);
});

test('values that change nothing are not named (GSSAPIAuthentication no, ControlMaster no, PKCS11Provider none)', () => {
  const spec = resolve(
    'kvm1',
    ['Host kvm1', '  GSSAPIAuthentication no', '  ControlMaster no', '  PKCS11Provider none', '  AddressFamily any'].join('\n'),
  );
  assert.equal(spec.notices, undefined);
});

test('a Match exec block is not evaluated and is named; Match host blocks are evaluated', () => {
  const spec = resolve(
    'kvm1',
    ['Match host kvm1 exec "vpn-status --up"', '  HostName 10.0.0.1', 'Match originalhost kvm1', '  User ops'].join('\n'),
  );
  assert.equal(spec.host, 'kvm1', 'the exec block did not apply');
  assert.equal(spec.username, 'ops', 'the evaluable block applied');
  assert.deepEqual(spec.notices, [
    `~/.ssh/config: 'Match host kvm1 exec "vpn-status --up"' was not evaluated for kvm1 (the built-in SSH client runs no commands from the config); use "transport": "openssh" (CLI: --transport openssh)`,
  ]);
});

test('a Match block on a criterion the reader does not evaluate (tagged, localnetwork) says so, not that it runs a command', () => {
  const spec = resolve('kvm1', ['Match tagged work', '  User ops'].join('\n'));
  assert.deepEqual(spec.notices, [
    `~/.ssh/config: 'Match tagged work' was not evaluated for kvm1 (the built-in SSH client does not evaluate its criteria); use "transport": "openssh" (CLI: --transport openssh)`,
  ]);
});

test("a jump host's unsupported directive is named with the jump host", () => {
  const spec = resolve('kvm1', ['Host kvm1', '  ProxyJump bastion', 'Host bastion', '  CertificateFile ~/.ssh/c.pub'].join('\n'));
  assert.deepEqual(spec.notices, [
    '~/.ssh/config: CertificateFile for bastion is not supported by the built-in SSH client; use "transport": "openssh" (CLI: --transport openssh)',
  ]);
});

test('ProxyJump before ProxyCommand: ProxyJump wins (ssh keeps the first); ProxyJump none gives way to a later ProxyCommand, ProxyCommand none to nothing', () => {
  const jump = resolve('kvm1', ['Host kvm1', '  ProxyJump bastion', 'Host *', '  ProxyCommand nc %h %p'].join('\n'));
  assert.equal(jump.proxyCommand, undefined);
  assert.deepEqual(
    jump.proxyJump.map((j) => j.alias),
    ['bastion'],
  );
  // as `ssh -G`: proxycommand nc %h %p; a ProxyJump after `ProxyJump none` is not taken
  const none = resolve('kvm1', ['Host kvm1', '  ProxyJump none', 'Host *', '  ProxyCommand nc %h %p', '  ProxyJump j1'].join('\n'));
  assert.equal(none.proxyCommand, 'nc kvm1 22');
  assert.deepEqual(none.proxyJump, []);
  const off = resolve('kvm1', ['Host kvm1', '  ProxyCommand none', 'Host *', '  ProxyCommand nc %h %p', '  ProxyJump j1'].join('\n'));
  assert.equal(off.proxyCommand, undefined);
  assert.deepEqual(off.proxyJump, []);
});

test('IdentityAgent forms: none, SSH_AUTH_SOCK, $VAR, a path with ~ and tokens', () => {
  process.env.LHD_TEST_AGENT = '/run/agent.sock';
  const agent = (value: string): string | null | undefined => resolve('kvm1', `Host kvm1\n  IdentityAgent ${value}`).identityAgent;
  assert.equal(agent('none'), null);
  assert.equal(agent('SSH_AUTH_SOCK'), process.env.SSH_AUTH_SOCK || null);
  assert.equal(agent('$LHD_TEST_AGENT'), '/run/agent.sock');
  assert.equal(agent('${LHD_TEST_AGENT}'), '/run/agent.sock');
  assert.equal(agent('~/.1password/agent-%n.sock'), '/home/me/.1password/agent-kvm1.sock');
});

test("the connection pool logs a host's notices once, when its transport is made", () => {
  const logs: string[] = [];
  const pool = new ConnectionPool(
    { log: (m) => logs.push(m) },
    { resolve: { sshConfigText: 'Host kvm1\n  CertificateFile ~/c.pub', homeDir: '/home/me', localUser: 'me' } },
  );
  try {
    pool.get({ target: 'kvm1' });
    pool.get({ target: 'kvm1' });
    assert.deepEqual(logs, [
      '~/.ssh/config: CertificateFile for kvm1 is not supported by the built-in SSH client; use "transport": "openssh" (CLI: --transport openssh)',
    ]);
  } finally {
    pool.dispose();
  }
});

test('sshConfigAliases: the concrete Host aliases in file order, patterns and negations left out', () => {
  const text =
    'Host *\n  ServerAliveInterval 30\nHost kvm1 kvm2.lab\n  User admin\nhost=jump # the bastion\nHost !bad web-* db?\nMatch host x\nHost "quoted" kvm1\n';
  assert.deepEqual(sshConfigAliases(sshConfigFromText(text)), ['kvm1', 'kvm2.lab', 'jump', 'quoted']);
  assert.deepEqual(sshConfigAliases(null), []);
});

test('Match user sees the user the target spells out (user@host), as in ssh', () => {
  const config = ['Match user admin', '  Port 2222', 'Host *', '  User ops'].join('\n');
  assert.equal(resolve('admin@kvm1', config).port, 2222);
  assert.equal(resolve('admin@kvm1', config).username, 'admin');
  assert.equal(resolve('kvm1', config).port, 22, 'User ops from the config does not match a block read before it');
});

test('Match host sees the HostName however its keyword is spelt (Hostname, hostname, HOSTNAME=…), and Match user the User', () => {
  for (const spelling of ['HostName 10.0.0.5', 'Hostname 10.0.0.5', 'hostname 10.0.0.5', 'HOSTNAME=10.0.0.5']) {
    const config = [
      'Host kvm1',
      `  ${spelling}`,
      '  user Ops',
      'Match host 10.0.0.*',
      '  Port 2222',
      'Match user Ops',
      '  IdentitiesOnly yes',
    ].join('\n');
    const spec = resolve('kvm1', config);
    assert.equal(spec.host, '10.0.0.5', spelling);
    assert.equal(spec.port, 2222, `${spelling}: the Match host block applies`);
    assert.equal(spec.identitiesOnly, true, `${spelling}: the Match user block applies`);
  }
});
