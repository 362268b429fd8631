// A second loopback sshd with its own config lines (MaxAuthTries, TrustedUserCAKeys, …), started by
// a test and stopped by pid. It reuses env.sh's host key and test user; its port is picked free.
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { scratchDir, sshTestEnv } from './sshTestEnv';

export interface PrivateSshd {
  port: number;
  /** the listening sshd's pid */
  pid: number;
  /** known_hosts naming this sshd's key as [127.0.0.1]:port */
  knownHostsFile: string;
  /** pids of the per-connection sshd processes (descendants of the listener) */
  sessionPids(): number[];
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function waitForListen(port: number, logFile: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const sock = net.connect(port, '127.0.0.1');
      sock.once('connect', () => {
        sock.destroy();
        resolve(true);
      });
      sock.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`private sshd did not listen on ${port}: ${fs.readFileSync(logFile, 'utf8')}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // "pid (comm) state ppid …"; comm may hold spaces, so read after the last ')'
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) children.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return children;
}

export async function startPrivateSshd(extraConfig: string[], options: { authorizedKeysFile?: string } = {}): Promise<PrivateSshd> {
  const env = sshTestEnv();
  const dir = scratchDir('lhd-sshd-');
  fs.chmodSync(dir, 0o755); // sshd reads the CA key files as the test user
  const port = await freePort();
  const sshDir = path.dirname(env.hostPubKeyFile);
  const config = path.join(dir, 'sshd_config');
  const logFile = path.join(dir, 'sshd.log');
  fs.writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${path.join(sshDir, 'host_ed25519')}`,
      `PidFile ${path.join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${options.authorizedKeysFile ?? path.join(sshDir, 'authorized_keys')}`,
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'StrictModes no',
      `AllowUsers ${env.user}`,
      'LogLevel VERBOSE',
      ...extraConfig,
      '',
    ].join('\n'),
  );
  const out = fs.openSync(logFile, 'a');
  const child = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', config], { stdio: ['ignore', out, out] });
  fs.closeSync(out);
  const pid = child.pid as number;
  const kill = (): void => {
    if (child.exitCode === null) child.kill('SIGTERM');
  };
  process.on('exit', kill);
  await waitForListen(port, logFile, 10_000);
  const knownHostsFile = path.join(dir, 'known_hosts');
  const key = fs.readFileSync(env.hostPubKeyFile, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
  fs.writeFileSync(knownHostsFile, `[127.0.0.1]:${port} ${key}\n`);
  const descendants = (root: number): number[] => childrenOf(root).flatMap((c) => [c, ...descendants(c)]);
  return {
    port,
    pid,
    knownHostsFile,
    sessionPids: () => descendants(pid),
    stop: async () => {
      for (const p of descendants(pid)) {
        try {
          process.kill(p, 'SIGCONT');
          process.kill(p, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      kill();
      await exited;
    },
  };
}
