// The pool hands out one transport per host, and a new one once the ssh config reads the host otherwise:
// an edited ~/.ssh/config applies to the next command without restarting the language server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConnectionPool } from '../../../server/src/host/connectionPool';
import { SshTransport } from '../../../server/src/host/sshTransport';

function homeWithConfig(config: string): { home: string; write(text: string): void } {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-pool-'));
  fs.mkdirSync(path.join(home, '.ssh'));
  const write = (text: string) => fs.writeFileSync(path.join(home, '.ssh', 'config'), text);
  write(config);
  return { home, write };
}

test('an edited ssh config gives the host a new transport at the next command; the old one is closed, being idle', () => {
  const { home, write } = homeWithConfig('Host kvm1\n  HostName 192.0.2.10\n  User admin\n');
  const pool = new ConnectionPool({}, { resolve: { homeDir: home, systemSshConfigFile: null, localUser: 'me' } });
  try {
    const host = { target: 'kvm1' };
    const first = pool.get(host) as SshTransport;
    assert.ok(first instanceof SshTransport);
    assert.equal(first.spec.host, '192.0.2.10');
    assert.equal(pool.get(host), first, 'the same transport while the config reads the same');
    let closed = 0;
    const close = first.close.bind(first);
    first.close = () => {
      closed++;
      close();
    };
    write('Host kvm1\n  HostName 192.0.2.20\n  User admin\n');
    const second = pool.get(host) as SshTransport;
    assert.notEqual(second, first);
    assert.equal(second.spec.host, '192.0.2.20');
    assert.equal(closed, 1, 'the old transport ran no command: closed at once');
    assert.equal(pool.get(host), second);
  } finally {
    pool.dispose();
  }
});

test('a config that turns broken is the next command’s config error, as ssh stops on it', () => {
  const { home, write } = homeWithConfig('Host kvm1\n  HostName 192.0.2.10\n');
  const pool = new ConnectionPool({}, { resolve: { homeDir: home, systemSshConfigFile: null, localUser: 'me' } });
  try {
    pool.get({ target: 'kvm1' });
    write('Host kvm1\n  HostName 192.0.2.10\n  ProxyCommand "nc %h\n');
    assert.throws(() => pool.get({ target: 'kvm1' }), /line 3: invalid quotes/);
  } finally {
    pool.dispose();
  }
});
