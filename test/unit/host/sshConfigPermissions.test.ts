// Config files ssh(1) refuses for their owner or mode ("Bad owner or permissions on FILE"), as Debian
// 12's OpenSSH 9.2 refuses them, seen with `runuser -u USER -- ssh -G`: ~/.ssh/config and every Included
// file (also from a -F file or /etc/ssh/ssh_config), never the -F file or /etc/ssh/ssh_config itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HostError } from '../../../server/src/host/transport';
import { configFileRefusal, type Accounts } from '../../../server/src/host/sshConfigPermissions';
import { loadNamedSshConfig, loadSshConfig, sshConfigFromText } from '../../../server/src/host/sshConfigFiles';
import { ConnectionPool } from '../../../server/src/host/connectionPool';

/** The accounts of the machine the cases were seen on: sshcfgx (1003) with its private group. */
const ACCOUNTS: Accounts = {
  users: [
    { name: 'root', uid: 0, gid: 0 },
    { name: 'vmtest', uid: 1001, gid: 1001 },
    { name: 'sshcfgx', uid: 1003, gid: 1003 },
  ],
  groups: [
    { name: 'root', gid: 0, members: [] },
    { name: 'users', gid: 100, members: [] },
    { name: 'vmtest', gid: 1001, members: [] },
    { name: 'sshcfgx', gid: 1003, members: [] },
    { name: 'sgx1', gid: 1004, members: ['sshcfgx'] },
    { name: 'sgx2', gid: 1005, members: ['sshcfgx', 'vmtest'] },
  ],
};

test('owner and mode as ssh -G run by sshcfgx took them', () => {
  const refusal = (uid: number, gid: number, mode: number) => configFileRefusal({ uid, gid, mode: 0o100000 | mode }, 1003, () => ACCOUNTS);
  for (const mode of [0o644, 0o600, 0o640, 0o604, 0o664, 0o660, 0o620]) assert.equal(refusal(1003, 1003, mode), null, mode.toString(8));
  for (const mode of [0o646, 0o666, 0o602]) assert.equal(refusal(1003, 1003, mode), 'writable by others', mode.toString(8));
  assert.equal(refusal(1001, 1001, 0o644), 'owned by vmtest, neither you nor root');
  assert.equal(refusal(4242, 4242, 0o644), 'owned by uid 4242, neither you nor root');
  assert.equal(refusal(0, 0, 0o644), null);
  // group-writable: only a group with the user alone in it (Debian's rule)
  assert.match(refusal(0, 0, 0o664)!, /^writable by group root/);
  assert.match(refusal(1003, 1001, 0o664)!, /^writable by group vmtest/);
  assert.match(refusal(1003, 100, 0o664)!, /^writable by group users/, 'a group without members');
  assert.equal(refusal(1003, 1004, 0o664), null, 'listed member: the user alone');
  assert.match(refusal(1003, 1005, 0o664)!, /^writable by group sgx2, which is not yours alone$/);
  assert.match(refusal(1003, 4242, 0o664)!, /^writable by group gid 4242/);
});

function withHome(fn: (home: string) => void): void {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-perm-'));
  try {
    fs.mkdirSync(path.join(home, '.ssh'));
    fn(home);
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
}

function write(file: string, text: string, mode: number): string {
  fs.writeFileSync(file, text);
  fs.chmodSync(file, mode);
  return file;
}

const badOwner = (file: string) => (e: unknown) =>
  e instanceof HostError &&
  e.kind === 'config' &&
  e.message === `ssh config ${file}: Bad owner or permissions: writable by others; ssh refuses it too (chmod go-w ${file})`;

test('~/.ssh/config that others may write is refused, naming it; the -F file and the system-wide file are not checked', () => {
  withHome((home) => {
    const user = write(path.join(home, '.ssh', 'config'), 'Host kvm1\n  Port 2222\n', 0o666);
    assert.throws(() => loadSshConfig({ homeDir: home, systemFile: null }), badOwner(user));
    fs.chmodSync(user, 0o644);
    assert.equal(loadSshConfig({ homeDir: home, systemFile: null }).files.length, 1);
    const named = write(path.join(home, 'named'), 'Host kvm1\n', 0o666);
    assert.equal(loadNamedSshConfig(named, home).files.length, 1);
    const system = write(path.join(home, 'ssh_config'), 'Host *\n', 0o666);
    assert.equal(loadSshConfig({ homeDir: home, systemFile: system }).files.length, 2);
  });
});

test('an Included file that others may write is refused from any config, also from a block that does not apply', () => {
  withHome((home) => {
    const inc = write(path.join(home, '.ssh', 'inc.conf'), 'User x\n', 0o666);
    for (const top of ['named', 'ssh_config']) write(path.join(home, top), `Host other\n  Include ${inc}\n`, 0o644);
    assert.throws(() => loadNamedSshConfig(path.join(home, 'named'), home), badOwner(inc));
    assert.throws(() => loadSshConfig({ homeDir: home, systemFile: path.join(home, 'ssh_config') }), badOwner(inc));
    assert.throws(() => sshConfigFromText('Include inc.conf\n', '~/.ssh/config', home), badOwner(inc));
    fs.chmodSync(inc, 0o644);
    assert.equal(loadNamedSshConfig(path.join(home, 'named'), home).files[0].lines[1].included?.length, 1);
  });
});

test('a file owned by another user is refused', { skip: process.getuid?.() !== 0 && 'needs root to give a file away' }, () => {
  withHome((home) => {
    const inc = write(path.join(home, '.ssh', 'inc.conf'), 'User x\n', 0o644);
    fs.chownSync(inc, 4242, 4242);
    assert.throws(
      () => sshConfigFromText('Include inc.conf\n', '~/.ssh/config', home),
      (e: unknown) =>
        e instanceof HostError &&
        e.message ===
          `ssh config ${inc}: Bad owner or permissions: owned by uid 4242, neither you nor root; ssh refuses it too (chown ${os.userInfo().username} ${inc} as root, or remove it)`,
    );
  });
});

test('both transports stop at a refused ~/.ssh/config before connecting, with the same config error', () => {
  withHome((home) => {
    const user = write(path.join(home, '.ssh', 'config'), 'Host kvm1\n  HostName 192.0.2.10\n', 0o646);
    const pool = new ConnectionPool({}, { resolve: { homeDir: home, systemSshConfigFile: null, localUser: 'me' } });
    try {
      assert.throws(() => pool.get({ target: 'kvm1' }), badOwner(user));
      assert.throws(() => pool.get({ target: 'kvm1', transport: 'openssh' }), badOwner(user));
    } finally {
      pool.dispose();
    }
  });
});
