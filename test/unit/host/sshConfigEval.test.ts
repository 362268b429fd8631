// Which ssh config lines apply to a host, checked against what `ssh -G` (OpenSSH 9.2) prints for the
// same files: the system-wide file, patterns, negated Match criteria, Match host after HostName,
// Include inside a block and whole-path Include globs, and lines ssh stops at.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HostError } from '../../../server/src/host/transport';
import { lookupSshConfig } from '../../../server/src/host/sshConfig';
import { globPath, loadNamedSshConfig, sshConfigFromText } from '../../../server/src/host/sshConfigFiles';
import { resolveTarget, type ConnectSpec } from '../../../server/src/host/target';
import { sshPatternListMatches, sshPatternMatches } from '../../../server/src/host/sshPattern';

function resolve(alias: string, config: string): ConnectSpec {
  return resolveTarget(alias, { sshConfigText: config, homeDir: '/home/me', localUser: 'me' }) as ConnectSpec;
}

function withHome(fn: (home: string) => void): void {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-home-'));
  try {
    fs.mkdirSync(path.join(home, '.ssh'));
    fn(home);
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
}

const configError = (pattern: RegExp) => (e: unknown) => e instanceof HostError && e.kind === 'config' && pattern.test(e.message);

test('the system-wide file (and what it includes) is read after ~/.ssh/config; the first value wins across both', () => {
  withHome((home) => {
    const etc = path.join(home, 'etc');
    fs.mkdirSync(path.join(etc, 'ssh_config.d'), { recursive: true });
    const system = path.join(etc, 'ssh_config');
    fs.writeFileSync(system, `Include ${etc}/ssh_config.d/*.conf\nHost *\n  User sysuser\n  Port 2200\n`);
    fs.writeFileSync(path.join(etc, 'ssh_config.d', 'lab.conf'), 'Host kvm1\n  HostName 10.1.1.1\n  User labuser\n');
    fs.writeFileSync(path.join(home, '.ssh', 'config'), 'Host kvm1\n  Port 2222\n');
    const spec = resolveTarget('kvm1', { homeDir: home, localUser: 'me', systemSshConfigFile: system }) as ConnectSpec;
    assert.equal(spec.host, '10.1.1.1');
    assert.equal(spec.username, 'labuser');
    assert.equal(spec.port, 2222, "the user's file is read first");
    const other = resolveTarget('kvm2', { homeDir: home, localUser: 'me', systemSshConfigFile: system }) as ConnectSpec;
    assert.equal(other.username, 'sysuser');
    // a named config (ssh -F) replaces both files
    const named = path.join(home, 'named');
    fs.writeFileSync(named, 'Host kvm9\n  Port 2299\n');
    const f = resolveTarget('kvm1', { sshConfig: loadNamedSshConfig(named, home), homeDir: home, localUser: 'me' }) as ConnectSpec;
    assert.deepEqual([f.host, f.username, f.port], ['kvm1', 'me', 22]);
  });
});

test("GSSAPIAuthentication yes from the system-wide file (Debian's default) is not named; from the user's file it is", () => {
  withHome((home) => {
    const system = path.join(home, 'ssh_config');
    fs.writeFileSync(system, 'Host *\n  GSSAPIAuthentication yes\n  CertificateFile /etc/ssh/c.pub\n');
    const spec = resolveTarget('kvm1', { homeDir: home, localUser: 'me', systemSshConfigFile: system }) as ConnectSpec;
    assert.deepEqual(spec.notices, [
      `${system}: CertificateFile for kvm1 is not supported by the built-in SSH client; use "transport": "openssh" (CLI: --transport openssh)`,
    ]);
    assert.match(resolve('kvm1', 'Host *\n  GSSAPIAuthentication yes\n').notices?.[0] ?? '', /^~\/.ssh\/config: GSSAPIAuthentication/);
  });
});

test('a line ssh stops at (unclosed quote, keyword without argument) is a config error naming the file and line, wherever it is', () => {
  assert.throws(
    () => resolve('kvm1', 'Host kvm1\n  User admin\nHost other\n  HostName "10.0.0.1\n'),
    configError(/^ssh config ~\/.ssh\/config line 4: invalid quotes$/),
  );
  assert.throws(() => resolve('kvm1', 'Host kvm1\n  User\n'), configError(/line 2: no argument after keyword "user"/));
  assert.throws(() => resolve('kvm1', 'Match host\n  User x\n'), configError(/line 1: Missing Match criteria for host/));
  assert.throws(() => resolve('kvm1', 'Match hots kvm1\n  User x\n'), configError(/line 1: Unsupported Match attribute hots/));
});

test('quotes, escapes, `=` and trailing comments are read as ssh reads them', () => {
  const spec = resolve('kvm1', 'Host = kvm1 # lab\n  User="ad min"\n  IdentityFile ~/.ssh/my\\ key # the key\n  Port=2200\n');
  assert.equal(spec.username, 'ad min');
  assert.deepEqual(spec.identityFiles, ['/home/me/.ssh/my key']);
  assert.equal(spec.port, 2200);
});

test('`?` is exactly one character in Host and Match patterns; Host patterns are case-sensitive, Match host is not', () => {
  const config = 'Host kvm?\n  HostName 10.9.9.9\nHost KVM7\n  Port 2207\nMatch host WEB*\n  User web\n';
  assert.equal(resolve('kvm', config).host, 'kvm', 'kvm? does not match kvm');
  assert.equal(resolve('kvm1', config).host, '10.9.9.9');
  assert.equal(resolve('kvm7', config).port, 22, 'Host KVM7 does not match kvm7 (ssh -G)');
  assert.equal(resolve('web1', config).username, 'web');
  assert.equal(sshPatternMatches('kvm', 'kvm?'), false);
  assert.equal(sshPatternListMatches('bad.lab', '*.lab,!bad.lab'), false);
  assert.equal(sshPatternListMatches('hv1.lab', '*.lab,!bad.lab'), true);
  // no backtracking blow-up on a hostile pattern
  assert.equal(sshPatternMatches('a'.repeat(60), '*a*a*a*a*a*a*a*a*a*a*a*a*b'), false);
});

test('Host lists with ! exclusions and Match host comma lists with ! exclusions', () => {
  const config = 'Host *.lab !bad.lab\n  User lab\nMatch host *.dev,!old.dev\n  Port 2201\n';
  assert.equal(resolve('a.lab', config).username, 'lab');
  assert.equal(resolve('bad.lab', config).username, 'me');
  assert.equal(resolve('a.dev', config).port, 2201);
  assert.equal(resolve('old.dev', config).port, 22);
});

test('negated Match criteria apply when the criterion does not hold; !exec is named, not run', () => {
  const config = 'Match !host bastion*\n  ProxyJump bastion\nMatch !user root\n  Port 2202\n';
  const spec = resolve('kvm1', config);
  assert.deepEqual(
    spec.proxyJump.map((j) => j.alias),
    ['bastion'],
  );
  assert.equal(spec.port, 2202);
  assert.deepEqual(resolve('root@bastion1', config).proxyJump, []);
  assert.equal(resolve('root@bastion1', config).port, 22);
  const marker = path.join(os.tmpdir(), `lhd-neg-exec-${process.pid}`);
  const negExec = resolve('kvm1', `Match !exec "touch ${marker}"\n  User other\n`);
  assert.equal(negExec.username, 'me');
  assert.equal(fs.existsSync(marker), false);
  assert.deepEqual(negExec.notices, [
    `~/.ssh/config: 'Match !exec "touch ${marker}"' was not evaluated for kvm1 (the built-in SSH client runs no commands from the config); use "transport": "openssh" (CLI: --transport openssh)`,
  ]);
  // a block whose other criteria fail for the host is not named for it
  assert.equal(resolve('kvm1', 'Match host web* exec "true"\n  User x\n').notices, undefined);
});

test('Match host is tested against the HostName read so far, with %h expanded; originalhost against the name typed', () => {
  const config = 'Host kvm*\n  HostName %h.lab.example\nMatch host *.lab.example\n  User lab\nMatch originalhost kvm1\n  Port 2201\n';
  const spec = resolve('kvm1', config);
  assert.equal(spec.host, 'kvm1.lab.example');
  assert.equal(spec.username, 'lab');
  assert.equal(spec.port, 2201);
});

test('Match final blocks apply in a second pass, where Host lines see the HostName', () => {
  const config = 'Host kvm1\n  HostName hv1.lab\nHost hv1.lab\n  Port 2201\nMatch final host hv1.lab\n  User late\n';
  const spec = resolve('kvm1', config);
  assert.equal(spec.username, 'late');
  assert.equal(spec.port, 2201);
  assert.equal(resolve('kvm1', 'Host kvm1\n  HostName hv1.lab\nHost hv1.lab\n  Port 2201\n').port, 22, 'no final pass without Match final');
});

test('an Include inside a Host block is read only for that block, and the outer block goes on after it (ssh -G)', () => {
  withHome((home) => {
    fs.writeFileSync(path.join(home, '.ssh', 'lab'), 'User labuser\nHost other\n  HostName 10.0.0.66\n');
    const config = 'Host kvm1 other\n  Include lab\n  HostName 10.0.0.1\nHost *\n  Port 2200\n';
    const read = (alias: string): ConnectSpec =>
      resolveTarget(alias, { sshConfigText: config, homeDir: home, localUser: 'me' }) as ConnectSpec;
    assert.deepEqual([read('kvm1').host, read('kvm1').username], ['10.0.0.1', 'labuser']);
    // the included Host block applies where the outer one does (ssh -G other: hostname 10.0.0.66)
    assert.deepEqual([read('other').host, read('other').username], ['10.0.0.66', 'labuser']);
    assert.deepEqual([read('web').host, read('web').username, read('web').port], ['web', 'me', 2200]);
  });
});

test('Include globs every part of the path (conf.d/*/config), sorted, without hidden files', () => {
  withHome((home) => {
    for (const dir of ['b', 'a', '.hidden']) {
      fs.mkdirSync(path.join(home, '.ssh', 'conf.d', dir), { recursive: true });
      fs.writeFileSync(path.join(home, '.ssh', 'conf.d', dir, 'config'), `Host kvm1\n  User from-${dir}\nHost kvm-${dir}\n  Port 2201\n`);
    }
    const config = sshConfigFromText('Include conf.d/*/config\n', '~/.ssh/config', home);
    assert.equal(lookupSshConfig(config, 'kvm1').user, 'from-a');
    assert.equal(lookupSshConfig(config, 'kvm-b').port, 2201);
    assert.equal(lookupSshConfig(config, 'kvm-.hidden').port, undefined);
    assert.deepEqual(globPath(path.join(home, '.ssh', 'conf.d', '[ab]', 'config')), [
      path.join(home, '.ssh', 'conf.d', 'a', 'config'),
      path.join(home, '.ssh', 'conf.d', 'b', 'config'),
    ]);
  });
});
