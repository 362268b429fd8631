// The CLI asks for an encrypted key's passphrase only on a terminal, without echo. A real pseudo
// terminal comes from util-linux `script`; the answer is typed when the prompt appears.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { main } from '../../../server/src/cli/main';
import { shellJoin } from '../../../shared/shellQuote';
import { isolateHome, sshEnv } from './support';

let env: ReturnType<typeof sshEnv>;
let home: string;
const CLI = path.resolve(__dirname, '..', '..', '..', 'server', 'src', 'cli', 'main.js');

before(() => {
  env = sshEnv();
  ({ home } = isolateHome('lhd-pass-home-', true));
});

function args(key: string): string[] {
  return ['inventory', '--host', env.target, '--identity', key, '--connect', 'test:///default', '--sysfs-root', path.join(home, 'none')];
}

test('on a terminal: the passphrase prompt names the key, the typed passphrase is not echoed, the inventory is read', async () => {
  const passphrase = process.env.LIBVIRT_HOSTDEV_TEST_SSH_KEY_PASSPHRASE ?? 'test-passphrase';
  const key = process.env.LIBVIRT_HOSTDEV_TEST_SSH_KEY_ENCRYPTED!;
  const child = spawn('script', ['-qec', shellJoin([process.execPath, CLI, ...args(key)]), '/dev/null'], { env: process.env });
  let output = '';
  let typed = false;
  const exit = new Promise<number | null>((resolve) => child.on('close', resolve));
  child.stdout.on('data', (b: Buffer) => {
    output += b.toString('utf8');
    if (!typed && output.includes(`Passphrase for key ${key}`)) {
      typed = true;
      child.stdin.write(passphrase + '\r');
    }
  });
  assert.equal(await exit, 0, output);
  assert.ok(typed, output);
  assert.ok(output.includes('"format": "libvirt-hostdev-inventory/1"'), output);
  assert.equal(output.includes(passphrase), false, 'the passphrase was echoed');
});

test('without a terminal the encrypted key cannot be used: exit 2, one line (authentication failed)', async () => {
  let err = '';
  const code = await main(args(process.env.LIBVIRT_HOSTDEV_TEST_SSH_KEY_ENCRYPTED!), {
    stdout: () => undefined,
    stderr: (t) => {
      err += t;
    },
  });
  assert.equal(code, 2);
  assert.equal(err.split('\n').length, 2, err);
  assert.match(err, /^libvirt-hostdev: authentication to vmtest@127\.0\.0\.1:\d+ failed/);
});
