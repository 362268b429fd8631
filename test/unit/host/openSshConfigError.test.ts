// ssh's own refusal of its config, through the OpenSSH transport, is the config error the built-in
// reader gives: the file and line of the first line ssh stops at, not "cannot reach". The stderr
// texts are what OpenSSH 9.2's `ssh` printed here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openSshError } from '../../../server/src/host/openSshTransport';

const error = (stderr: string) => {
  const e = openSshError(stderr, 'ssh kvm1', 'kvm1 (OpenSSH)');
  return [e.kind, e.message];
};

test("ssh's refusal of a config line, an owner or mode, or a missing -F file is a config error naming the file", () => {
  assert.deepEqual(
    error(
      'cfg line 1: Unsupported option "kerberosauthentication"\ncfg: line 3: Bad configuration option: tag\ncfg: terminating, 1 bad configuration options\n',
    ),
    ['config', 'ssh config cfg line 3: Bad configuration option: tag'],
  );
  assert.deepEqual(error("cfg line 2: Bad port 'yes'.\ncfg: terminating, 1 bad configuration options\n"), [
    'config',
    "ssh config cfg line 2: Bad port 'yes'.",
  ]);
  assert.deepEqual(error('Bad owner or permissions on /home/me/.ssh/config\n'), [
    'config',
    'ssh config /home/me/.ssh/config: Bad owner or permissions; ssh refuses a file that another user than you or root owns, or that others may write (chmod go-w)',
  ]);
  assert.deepEqual(error("Can't open user config file /nonexistent: No such file or directory\n"), [
    'config',
    "ssh config: Can't open user config file /nonexistent: No such file or directory",
  ]);
  assert.equal(error('ssh: connect to host 192.0.2.1 port 22: Connection refused\n')[0], 'unreachable');
});

test('ssh\'s own "ssh: " is not repeated after ours', () => {
  assert.deepEqual(error('ssh: connect to host 192.0.2.1 port 22: Connection timed out\n'), [
    'timeout',
    'connecting to kvm1 (OpenSSH) timed out (ssh: connect to host 192.0.2.1 port 22: Connection timed out)',
  ]);
  assert.deepEqual(error('ssh: Could not resolve hostname kvm9: Name or service not known\n'), [
    'unreachable',
    'cannot reach kvm1 (OpenSSH) (ssh: Could not resolve hostname kvm9: Name or service not known)',
  ]);
});

test("the lines before ssh's last one are kept: a ProxyCommand's own words, a key ssh would not load (OpenSSH 9.2's stderr)", () => {
  assert.deepEqual(
    error('bastion says no\nkex_exchange_identification: Connection closed by remote host\nConnection closed by UNKNOWN port 65535\n'),
    [
      'unreachable',
      'cannot reach kvm1 (OpenSSH) (ssh: bastion says no; kex_exchange_identification: Connection closed by remote host; Connection closed by UNKNOWN port 65535)',
    ],
  );
  const badKey =
    '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n@         WARNING: UNPROTECTED PRIVATE KEY FILE!          @\n@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n' +
    "Permissions 0644 for '/tmp/key' are too open.\nIt is required that your private key files are NOT accessible by others.\nThis private key will be ignored.\n" +
    'Load key "/tmp/key": bad permissions\nvmtest@127.0.0.1: Permission denied (publickey).\n';
  assert.deepEqual(error(badKey), [
    'auth',
    'authentication to kvm1 (OpenSSH) failed (ssh: This private key will be ignored.; Load key "/tmp/key": bad permissions; vmtest@127.0.0.1: Permission denied (publickey).)',
  ]);
});
