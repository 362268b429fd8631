// attach killed while virsh runs on the real loopback sshd (SIGINT, SIGTERM, SIGKILL): nothing of the
// device XML is left in the host's temp directory. virsh is held mid-command by a libvirt socket
// that accepts and never answers (qemu+unix:///session?socket=…), so the kill lands at a known point.
// Until then the socket passes the inventory read through to the test user's real session daemon
// (an inventory without libvirt fails the command before it attaches anything).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { sshTestEnv } from './sshTestEnv';
import { sshEnv, vmVirsh } from '../inventory/support';

const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');
let work: string;
let socketPath: string;
let libvirtd: net.Server;
/** set once the CLI is past its inventory read: from then on the socket holds virsh */
let armed = false;
let onHeld: (() => void) | null = null;
const held = new Set<net.Socket>();

before(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-attach-kill-'));
  fs.chmodSync(work, 0o755);
  socketPath = path.join(work, 'libvirt-sock');
  libvirtd = net.createServer((socket) => {
    socket.on('error', () => undefined);
    if (!armed) {
      const upstream = net.connect(path.join(sshEnv().runtimeDir, 'libvirt', 'libvirt-sock'));
      upstream.on('error', () => socket.destroy());
      socket.pipe(upstream).pipe(socket);
      return;
    }
    held.add(socket);
    onHeld?.();
  });
  await new Promise<void>((resolve) => libvirtd.listen(socketPath, resolve));
  fs.chmodSync(socketPath, 0o777);
});

after(async () => {
  for (const s of held) s.destroy();
  await new Promise<void>((resolve) => libvirtd.close(() => resolve()));
  fs.rmSync(work, { recursive: true, force: true });
});

/** files of the host's temp directory (the remote user's TMPDIR is unset: /tmp) holding `nonce` */
function leftovers(nonce: string): string[] {
  return fs
    .readdirSync('/tmp')
    .filter((f) => f.startsWith('libvirt-hostdev.'))
    .filter((f) => {
      try {
        return fs.readFileSync(path.join('/tmp', f), 'utf8').includes(nonce);
      } catch {
        return false; // removed meanwhile
      }
    });
}

async function killedAttach(
  signal: NodeJS.Signals,
): Promise<{ status: number | null; signal: NodeJS.Signals | null; stderr: string; nonce: string }> {
  const env = sshTestEnv();
  const nonce = `lhd-kill-${signal}-${process.pid}-${Date.now()}`;
  const device = path.join(work, `${signal}.xml`);
  fs.writeFileSync(
    device,
    `<interface type='hostdev' managed='yes'><!-- ${nonce} --><mac address='52:54:00:4a:00:09'/><source><address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x1'/></source></interface>\n`,
  );
  const config = path.join(work, `config-${signal}`);
  fs.mkdirSync(path.join(config, 'libvirt-hostdev'), { recursive: true });
  fs.copyFileSync(env.knownHostsFile, path.join(config, 'libvirt-hostdev', 'known_hosts'));
  armed = false;
  // the session daemon leaves after two idle minutes: this starts it for the inventory read
  assert.equal(vmVirsh(['uri']).code, 0, 'qemu:///session answers for the test user');
  const child = spawn(
    process.execPath,
    [
      path.join(repoRoot, 'dist', 'cli.js'),
      'attach',
      device,
      '--guest',
      'lhd-kill-guest',
      '--force',
      '--host',
      `${env.user}@127.0.0.1:${env.port}`,
      '--identity',
      env.key,
      '--connect',
      `qemu+unix:///session?socket=${socketPath}`,
    ],
    { env: { ...process.env, XDG_CONFIG_HOME: config, SSH_AUTH_SOCK: '' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stdout.resume();
  child.stderr.on('data', (b: Buffer) => {
    stderr += b.toString();
    // the inventory has been read (the guest is not on the host): the next virsh is attach's
    if (/disagrees|no guest named/.test(stderr)) armed = true;
  });
  const exited = new Promise<{ status: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (status, sig) => resolve({ status, signal: sig })),
  );
  await Promise.race([
    new Promise<void>((resolve) => {
      onHeld = resolve;
    }),
    exited,
  ]);
  onHeld = null;
  assert.ok(held.size > 0, `virsh never reached the socket: ${stderr}`);
  child.kill(signal);
  const result = await exited;
  for (const s of held) s.destroy();
  held.clear();
  return { ...result, stderr, nonce };
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGKILL'] as const) {
  test(`attach killed with ${signal} while virsh runs on the host: no temp file is left there`, async () => {
    const r = await killedAttach(signal);
    assert.deepEqual(leftovers(r.nonce), []);
    if (signal === 'SIGKILL') assert.equal(r.signal, 'SIGKILL');
    else {
      assert.equal(r.status, signal === 'SIGINT' ? 130 : 143, r.stderr);
      assert.match(r.stderr, new RegExp(`libvirt-hostdev: interrupted \\(${signal}\\); the connection to \\S+ was closed\\n$`));
    }
  });
}
