// CLI host-key policy against the REAL loopback sshd: an unknown key is refused (exit 2, one line
// that says how to accept it) unless --accept-new-host-key, which writes it to the project's own
// known-hosts file; a changed key is refused. HOME/XDG_CONFIG_HOME point at a fresh directory.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseInventorySnapshot } from '../../../server/src/inventory/snapshot';
import { isolateHome, sshEnv } from './support';
import { runCli, type CliRun } from '../../support/cli';

let env: ReturnType<typeof sshEnv>;
let knownHostsFile: string;
let home: string;

before(() => {
  env = sshEnv();
  ({ knownHostsFile, home } = isolateHome('lhd-hostkey-home-', false));
});

const cli = (args: string[]): Promise<CliRun> => runCli(args);

/** `inventory` with no sysfs tree and no libvirt work worth waiting for: a missing root is just a warning. */
function args(extra: string[] = []): string[] {
  return [
    'inventory',
    '--host',
    env.target,
    '--identity',
    env.key,
    '--connect',
    'test:///default',
    '--sysfs-root',
    path.join(home, 'no-sysfs'),
    ...extra,
  ];
}

function fingerprint(): string {
  const blob = Buffer.from(fs.readFileSync(env.hostPubKey, 'utf8').trim().split(/\s+/)[1], 'base64');
  return 'SHA256:' + crypto.createHash('sha256').update(blob).digest('base64').replace(/=+$/, '');
}

test('unknown host key without --accept-new-host-key: exit 2, one line naming the fingerprint and the option', async () => {
  fs.rmSync(knownHostsFile, { force: true });
  const r = await cli(args());
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr.split('\n').length, 2, r.stderr);
  assert.ok(r.stderr.includes(fingerprint()), r.stderr);
  assert.match(r.stderr, new RegExp(`^libvirt-hostdev: unknown host key for 127\\.0\\.0\\.1:${env.port}: .*--accept-new-host-key`));
  assert.equal(fs.existsSync(knownHostsFile), false);
});

test('--accept-new-host-key: the key is saved to the project known-hosts file and the next run needs no option', async () => {
  fs.rmSync(knownHostsFile, { force: true });
  const first = await cli(args(['--accept-new-host-key']));
  assert.equal(first.code, 0, first.stderr);
  assert.match(
    first.stderr,
    new RegExp(
      `accepted new host key for 127\\.0\\.0\\.1:${env.port} \\(ssh-ed25519 ${fingerprint().replace(/[+/]/g, '\\$&')}\\); saved in ${knownHostsFile.replace(/[.]/g, '\\.')}`,
    ),
  );
  assert.equal(parseInventorySnapshot(first.stdout, 'stdout').host, env.target);
  const saved = fs.readFileSync(knownHostsFile, 'utf8');
  assert.ok(saved.includes(fs.readFileSync(env.hostPubKey, 'utf8').trim().split(/\s+/)[1]), saved);
  const second = await cli(args());
  assert.equal(second.code, 0, second.stderr);
  assert.doesNotMatch(second.stderr, /accepted new host key/);
});

test('a changed host key is refused even with --accept-new-host-key: exit 2, one line', async () => {
  const other = crypto.generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' }) as Buffer;
  // ssh wire format of an ed25519 key: string "ssh-ed25519", string <32-byte key>
  const raw = other.subarray(other.length - 32);
  const str = (b: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, b.length]), b]);
  const blob = Buffer.concat([str(Buffer.from('ssh-ed25519')), str(raw)]);
  fs.writeFileSync(knownHostsFile, `[127.0.0.1]:${env.port} ssh-ed25519 ${blob.toString('base64')}\n`);
  const r = await cli(args(['--accept-new-host-key']));
  assert.equal(r.code, 2);
  assert.equal(r.stderr.split('\n').length, 2, r.stderr);
  assert.ok(r.stderr.includes(fingerprint()), r.stderr);
  assert.ok(r.stderr.startsWith(`libvirt-hostdev: host key of 127.0.0.1:${env.port} has CHANGED`), r.stderr);
});
