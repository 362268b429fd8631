// Keywords ssh(1) does not know stop the reading as `ssh -G` (OpenSSH 9.2) stops: wherever the line is,
// unless the IgnoreUnknown in force for the host lists it; unsupported ones are named and passed over,
// deprecated ones passed over. Each expectation was seen with `ssh -G -F FILE h` on Debian 12.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HostError } from '../../../server/src/host/transport';
import { keywordKind, refusesKeyword } from '../../../server/src/host/sshConfigKeywords';
import { loadSshConfig, sshConfigAliases, sshConfigFromText } from '../../../server/src/host/sshConfigFiles';
import { resolveTarget, type ConnectSpec } from '../../../server/src/host/target';

function resolve(alias: string, config: string, homeDir = '/home/me'): ConnectSpec {
  return resolveTarget(alias, { sshConfigText: config, homeDir, localUser: 'me' }) as ConnectSpec;
}

const badOption = (file: string, line: number, keyword: string) => (e: unknown) =>
  e instanceof HostError &&
  e.kind === 'config' &&
  e.message.startsWith(`ssh config ${file} line ${line}: Bad configuration option: ${keyword}`) &&
  e.message.endsWith('; ssh stops there too: correct the line, or list the keyword in IgnoreUnknown');

function withHome(fn: (home: string) => void): void {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-kw-'));
  try {
    fs.mkdirSync(path.join(home, '.ssh'));
    fn(home);
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
}

test('keywords are classed as OpenSSH 9.2 classes them; later releases and Apple’s UseKeychain are not refused', () => {
  assert.equal(keywordKind('hostname'), 'known');
  assert.equal(keywordKind('gssapikeyexchange'), 'known', "Debian's GSSAPI key exchange");
  assert.equal(keywordKind('keepalive'), 'known', 'alias of TCPKeepAlive');
  assert.equal(keywordKind('cipher'), 'deprecated');
  assert.equal(keywordKind('kerberosauthentication'), 'unsupported');
  assert.equal(keywordKind('tag'), 'known');
  assert.equal(keywordKind('usekeychain'), 'known');
  assert.equal(keywordKind('foobar'), 'unknown');
  assert.equal(refusesKeyword('foobar', undefined), true);
  assert.equal(refusesKeyword('foobar', 'abc,FOO*'), false, 'patterns are compared case-insensitively');
  assert.equal(refusesKeyword('foobar', 'foo*,!foobar'), true, 'a negated pattern excludes');
  assert.equal(refusesKeyword('cipher', undefined), false);
});

test('an unknown keyword is a config error naming file and line, also in a Host, Match or Match exec block that does not apply', () => {
  assert.throws(() => resolve('h', 'FooBar yes\n'), badOption('~/.ssh/config', 1, 'foobar'));
  assert.throws(() => resolve('h', 'Host other\n  FooBar yes\nHost h\n  User u\n'), badOption('~/.ssh/config', 2, 'foobar'));
  assert.throws(() => resolve('h', 'Match host other\n  FooBar yes\n'), badOption('~/.ssh/config', 2, 'foobar'));
  assert.throws(() => resolve('h', 'Match exec false\n  FooBar=yes\n'), badOption('~/.ssh/config', 2, 'foobar'));
  // ssh looks the keyword up before it reads the quotes, after it finds an argument
  assert.throws(() => resolve('h', 'FooBar "x\n'), badOption('~/.ssh/config', 1, 'foobar'));
  assert.throws(() => resolve('h', 'FooBar\n'), /line 1: no argument after keyword "foobar"/);
});

test('IgnoreUnknown: the first one read in a block that applies covers the lines after it, in any block', () => {
  assert.equal(resolve('h', 'IgnoreUnknown FOO*\nFooBar yes\nUser u\n').username, 'u');
  assert.equal(resolve('h', 'Host h\n  IgnoreUnknown foobar\nHost other\n  FooBar yes\n').username, 'me');
  assert.throws(() => resolve('h', 'FooBar yes\nIgnoreUnknown foobar\n'), badOption('~/.ssh/config', 1, 'foobar'));
  // read in a block that does not apply to this host: not in force for it (another host is fine)
  const other = 'Host other\n  IgnoreUnknown FooBar\nHost *\n  FooBar yes\n';
  assert.throws(() => resolve('h', other), badOption('~/.ssh/config', 4, 'foobar'));
  assert.equal(resolve('other', other).host, 'other');
  // the first value wins, as for any keyword
  assert.throws(() => resolve('h', 'IgnoreUnknown abc\nIgnoreUnknown FooBar\nFooBar yes\n'), badOption('~/.ssh/config', 3, 'foobar'));
  assert.throws(() => resolve('h', 'IgnoreUnknown foo*,!foobar\nFooBar yes\n'), badOption('~/.ssh/config', 2, 'foobar'));
});

test('unsupported keywords are named once and passed over (also where IgnoreUnknown lists them); deprecated ones are passed over', () => {
  const spec = resolve('h', 'IgnoreUnknown kerberos*\nHost other\n  KerberosAuthentication yes\nHost *\n  Cipher blowfish\n  User u\n');
  assert.equal(spec.username, 'u');
  assert.deepEqual(spec.notices, ['~/.ssh/config line 3: Unsupported option "kerberosauthentication" (ssh passes over it too)']);
});

test('an Include read from a block that does not apply is checked too, and its IgnoreUnknown covers what follows it', () => {
  withHome((home) => {
    fs.writeFileSync(path.join(home, '.ssh', 'bad'), '\n  FooBar yes\n');
    assert.throws(() => resolve('h', 'Host other\n  Include bad\n', home), badOption(path.join(home, '.ssh', 'bad'), 2, 'foobar'));
    fs.writeFileSync(path.join(home, '.ssh', 'ignore'), 'IgnoreUnknown foobar\n');
    assert.equal(resolve('h', 'Include ignore\nFooBar x\nUser u\n', home).username, 'u');
  });
});

test("the system-wide file is checked as the user's, with the user's IgnoreUnknown in force; read leniently for the picker and TAB, it still lists its hosts", () => {
  withHome((home) => {
    const system = path.join(home, 'ssh_config');
    fs.writeFileSync(system, 'Host other\n  UseRoaming no\n  FooBar yes\n');
    fs.writeFileSync(path.join(home, '.ssh', 'config'), 'Host kvm1\n  Port 2222\n');
    const read = () => resolveTarget('kvm1', { homeDir: home, localUser: 'me', systemSshConfigFile: system });
    assert.throws(read, badOption(system, 3, 'foobar'));
    // read strictly, a config every host refuses has no aliases, only the error; read leniently (the host
    // picker, TAB completion) it offers them, and connecting to one names the error
    assert.throws(() => sshConfigAliases(loadSshConfig({ homeDir: home, systemFile: system })), badOption(system, 3, 'foobar'));
    assert.deepEqual(sshConfigAliases(loadSshConfig({ homeDir: home, systemFile: system, lenient: true })), ['kvm1', 'other']);
    fs.writeFileSync(path.join(home, '.ssh', 'config'), 'IgnoreUnknown foobar\nHost kvm1\n  Port 2222\n');
    assert.equal((read() as ConnectSpec).port, 2222);
    assert.deepEqual(sshConfigAliases(loadSshConfig({ homeDir: home, systemFile: system })), ['kvm1', 'other']);
  });
});

test('a keyword some IgnoreUnknown lists but not for every host is left to the host: the picker still lists the aliases', () => {
  const config = sshConfigFromText('Host kvm1\n  IgnoreUnknown foobar\nHost *\n  FooBar yes\n');
  assert.deepEqual(sshConfigAliases(config), ['kvm1']);
  assert.throws(
    () => resolve('kvm2', 'Host kvm1\n  IgnoreUnknown foobar\nHost *\n  FooBar yes\n'),
    badOption('~/.ssh/config', 4, 'foobar'),
  );
});

test('a misspelt keyword is named with the one it may have meant', () => {
  assert.throws(
    () => sshConfigFromText('Host kvm\n  HostNmae 192.0.2.1\n', '/home/me/.ssh/config'),
    (e: unknown) =>
      e instanceof HostError &&
      e.message ===
        "ssh config /home/me/.ssh/config line 2: Bad configuration option: hostnmae (did you mean 'hostname'?); ssh stops there too: correct the line, or list the keyword in IgnoreUnknown",
  );
});

test('a keyword of a later OpenSSH is passed over with a notice saying so: OpenSSH 9.2 stops at it, a later ssh reads it', () => {
  const spec = resolve('h', 'Host h\n  Tag lab\n  ChannelTimeout session=5m\n  User u\n');
  assert.equal(spec.username, 'u');
  assert.deepEqual(spec.notices, [
    "~/.ssh/config line 2: tag is a keyword of a later OpenSSH than 9.2 (or of Apple's), which the built-in SSH client passes over; OpenSSH 9.2 stops at it",
    "~/.ssh/config line 3: channeltimeout is a keyword of a later OpenSSH than 9.2 (or of Apple's), which the built-in SSH client passes over; OpenSSH 9.2 stops at it",
  ]);
});

test('read leniently, a config lists every host it names past what ssh stops at: a bad line, an Include of a file others may write, a looping or missing Include', () => {
  withHome((home) => {
    const ssh = path.join(home, '.ssh');
    fs.writeFileSync(path.join(ssh, 'writable'), 'Host from-writable\n');
    fs.chmodSync(path.join(ssh, 'writable'), 0o666);
    fs.writeFileSync(path.join(ssh, 'loop'), 'Host from-loop\nInclude loop\n');
    fs.writeFileSync(
      path.join(ssh, 'config'),
      'Host kvm1\n  FooBar yes\n  User "unclosed\nInclude writable\nInclude loop\nInclude /nonexistent/*\nHost kvm2\n',
    );
    assert.throws(() => loadSshConfig({ homeDir: home, systemFile: null }), HostError);
    // only listed, never used to connect: the file others may write is read too; the looping one until its nesting runs out
    assert.deepEqual(sshConfigAliases(loadSshConfig({ homeDir: home, systemFile: null, lenient: true })), [
      'kvm1',
      'from-writable',
      'from-loop',
      'kvm2',
    ]);
  });
});
