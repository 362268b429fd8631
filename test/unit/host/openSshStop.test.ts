// The OpenSSH transport stops a timed-out ssh with SIGTERM and, when that is ignored (a wrapper, a stuck
// ProxyCommand), kills it: a CLI run must not wait for it long after its answer. The `ssh` here is a
// script that ignores SIGTERM.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { OpenSshTransport } from '../../../server/src/host/openSshTransport';
import { HostError } from '../../../server/src/host/transport';
import { within } from '../../support/waiters';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-openssh-stop-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('a timed-out ssh that ignores SIGTERM is killed, and its process is gone', async () => {
  const pidFile = path.join(tmp, 'ssh.pid');
  const ssh = path.join(tmp, 'ssh');
  // exec: the pid written is the process the transport signals
  fs.writeFileSync(
    ssh,
    `#!/bin/sh\necho $$ > '${pidFile}'\nexec node -e "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000)"\n`,
    {
      mode: 0o755,
    },
  );
  const transport = new OpenSshTransport('admin@192.0.2.30', { sshProgram: ssh });
  await assert.rejects(transport.exec('true', { timeoutMs: 1500 }), (e: unknown) => e instanceof HostError && e.kind === 'timeout');
  const pid = Number(fs.readFileSync(pidFile, 'utf8'));
  const gone = new Promise<void>((resolve) => {
    const check = (): void => {
      try {
        process.kill(pid, 0);
        setTimeout(check, 50);
      } catch {
        resolve();
      }
    };
    check();
  });
  try {
    await within(gone, `ssh (pid ${pid}) to be killed after ignoring SIGTERM`, 10_000);
  } finally {
    // a transport that did not kill it must not leave it holding the test run open
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone, as it should be
    }
    transport.close();
  }
});
