// The ssh configs this machine's `ssh -G -F FILE HOST` (OpenSSH 9.2 on Debian 12) refuses are refused by
// the built-in reader with the same file, line and reason, and the ones it accepts are read: unknown,
// deprecated and unsupported keywords, IgnoreUnknown, Include, files others may write. Through the
// OpenSSH transport ssh's own refusal of a config is the same config error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadNamedSshConfig } from '../../../server/src/host/sshConfigFiles';
import { DEPRECATED, KNOWN, OTHER_BUILDS, UNSUPPORTED } from '../../../server/src/host/sshConfigKeywords';
import { OpenSshTransport } from '../../../server/src/host/openSshTransport';
import { resolveTarget } from '../../../server/src/host/target';
import { HostError } from '../../../server/src/host/transport';
import { scratchDir } from './sshTestEnv';

const dir = scratchDir('lhd-sshconf-agree-');

function sshG(file: string, host: string, verbose = false): { status: number | null; stderr: string } {
  const run = spawnSync('ssh', [...(verbose ? ['-v'] : []), '-G', '-F', file, host], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  assert.equal(run.error, undefined, 'the ssh program runs');
  return { status: run.status, stderr: run.stderr };
}

/** What ssh says of a config: `ok`, or the first line it stops at as `FILE line N: REASON`. */
function theirs(file: string, host: string): string {
  const { status, stderr } = sshG(file, host);
  if (status === 0) return 'ok';
  const owner = /^Bad owner or permissions on (.+)$/m.exec(stderr);
  if (owner) return `${owner[1]}: Bad owner or permissions`;
  const bad = [...stderr.matchAll(/^(.+?):? line (\d+): (.+)$/gm)].find((m) => !m[3].startsWith('Unsupported option'));
  return bad ? `${bad[1]} line ${bad[2]}: ${bad[3]}` : `exit ${status}: ${stderr}`;
}

/** The same, from the built-in reader, with the file read as `ssh -F` reads it. */
function ours(file: string, host: string): string {
  try {
    resolveTarget(host, { sshConfig: loadNamedSshConfig(file, dir), homeDir: dir, localUser: 'root' });
    return 'ok';
  } catch (e) {
    if (!(e instanceof HostError) || e.kind !== 'config') throw e;
    // ssh's own words, without the advice we add after them
    return e.message
      .replace(/^ssh config /, '')
      .replace(/(: Bad owner or permissions).*$/, '$1')
      .replace(/( \(did you mean '[^']*'\?\))?; ssh stops there too: .*$/, '');
  }
}

function config(name: string, text: string, mode = 0o644): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  fs.chmodSync(file, mode);
  return file;
}

test('every keyword the reader knows, deprecates or calls unsupported is what ssh -G classes it as; later ones are refused by 9.2', () => {
  // a file each: ssh stops reading at some values it refuses ("bad port number in permitremoteopen");
  // in a block that does not apply, where ssh still looks the keyword up (and says so under -v)
  const said = (keyword: string): string => {
    const { stderr } = sshG(config('keyword', `Host nomatch\n  ${keyword} yes\n`), 'h', true);
    return /line 2: (Bad configuration option|Deprecated option|Unsupported option)/.exec(stderr)?.[1] ?? 'read';
  };
  const misclassed = (set: ReadonlySet<string>, expected: string) => [...set].filter((k) => said(k) !== expected);
  assert.deepEqual(misclassed(KNOWN, 'read'), []);
  assert.deepEqual(misclassed(DEPRECATED, 'Deprecated option'), []);
  assert.deepEqual(misclassed(UNSUPPORTED, 'Unsupported option'), []);
  assert.deepEqual(misclassed(OTHER_BUILDS, 'Bad configuration option'), [], 'OpenSSH 9.2 does not know them; later releases do');
});

const CASES: Array<[string, string, string?]> = [
  ['an unknown keyword', 'FooBar yes\n'],
  ['in a Host block that does not apply', 'Host other\n  FooBar yes\nHost h\n  User u\n'],
  ['in a Match block that does not apply', 'Match host other\n  FooBar yes\n'],
  ['in a Match exec block', 'Match exec false\n  FooBar=yes\n'],
  ['listed by IgnoreUnknown, any case', 'IgnoreUnknown abc,FOO*\nFooBar yes\nUser u\n'],
  ['IgnoreUnknown after the line', 'FooBar yes\nIgnoreUnknown foobar\n'],
  ['IgnoreUnknown in a block that does not apply', 'Host other\n  IgnoreUnknown FooBar\nHost *\n  FooBar yes\n'],
  ['... which applies to that other host', 'Host other\n  IgnoreUnknown FooBar\nHost *\n  FooBar yes\n', 'other'],
  ['IgnoreUnknown in a block that applied, line in another', 'Host h\n  IgnoreUnknown FooBar\nHost other\n  FooBar yes\n'],
  ['a second IgnoreUnknown', 'IgnoreUnknown abc\nIgnoreUnknown FooBar\nFooBar yes\n'],
  ['a negated IgnoreUnknown pattern', 'IgnoreUnknown foo*,!foobar\nFooBar yes\n'],
  ['unsupported and deprecated keywords', 'KerberosAuthentication yes\nCipher blowfish\nUseRoaming no\n'],
  ['an unknown keyword with an unclosed quote', 'FooBar "x\n'],
  ['an unknown keyword without a value', 'FooBar\n'],
];

test('unknown keywords and IgnoreUnknown: refused and accepted as ssh -G does, with its file, line and reason', () => {
  for (const [name, text, host] of CASES) {
    const file = config('case', text);
    assert.equal(ours(file, host ?? 'h'), theirs(file, host ?? 'h'), name);
  }
});

test('Included files: read from a block that does not apply, their IgnoreUnknown in force after them, refused when others may write them', () => {
  const inc = config('inc', 'FooBar yes\n');
  const ignore = config('ignore', 'IgnoreUnknown foobar\n');
  const top = config('top', `Host other\n  Include ${inc}\n`);
  assert.equal(theirs(top, 'h'), `${inc} line 1: Bad configuration option: foobar`);
  assert.equal(ours(top, 'h'), theirs(top, 'h'));
  const after = config('after', `Include ${ignore}\nFooBar x\n`);
  assert.equal(ours(after, 'h'), theirs(after, 'h'));
  assert.equal(theirs(after, 'h'), 'ok');
  fs.chmodSync(ignore, 0o646);
  assert.equal(theirs(after, 'h'), `${ignore}: Bad owner or permissions`);
  assert.equal(ours(after, 'h'), theirs(after, 'h'));
  // the -F file itself is not checked
  const loose = config('loose', 'User u\n', 0o666);
  assert.equal(theirs(loose, 'h'), 'ok');
  assert.equal(ours(loose, 'h'), 'ok');
});

test(
  'owner of an Included file: another user is refused, root is not',
  { skip: process.getuid?.() !== 0 && 'needs root to give a file away' },
  () => {
    const inc = config('owned', 'User u\n');
    const top = config('owner-top', `Include ${inc}\n`);
    fs.chownSync(inc, 4242, 4242);
    assert.equal(theirs(top, 'h'), `${inc}: Bad owner or permissions`);
    assert.equal(ours(top, 'h'), theirs(top, 'h'));
    fs.chownSync(inc, 0, 0);
    fs.chmodSync(inc, 0o664); // root's group has root alone in it
    assert.equal(theirs(top, 'h'), 'ok');
    assert.equal(ours(top, 'h'), 'ok');
  },
);

test("through the OpenSSH transport, ssh's own refusal of the config is a config error naming the file and line", async () => {
  // a keyword of a later OpenSSH: the built-in reader passes over it, this machine's ssh stops at it
  const file = config('later', 'Host kvm\n  HostName 192.0.2.1\n  Tag lab\n');
  assert.equal(theirs(file, 'kvm'), `${file} line 3: Bad configuration option: tag`);
  const t = new OpenSshTransport('kvm', { sshConfigFile: file });
  try {
    await assert.rejects(
      t.exec('true', { timeoutMs: 10_000 }),
      (e: unknown) =>
        e instanceof HostError && e.kind === 'config' && e.message === `ssh config ${file} line 3: Bad configuration option: tag`,
    );
  } finally {
    t.close();
  }
});
