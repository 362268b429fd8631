// Shared by the inventory and attach integration tests: the REAL loopback sshd and the test user's
// qemu:///session set up by test/setup/env.sh (LIBVIRT_HOSTDEV_TEST_* variables), an isolated
// HOME/XDG_CONFIG_HOME for the CLI, and virsh as the test user (argv, never a shell) to define
// and inspect guests.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createTransport } from '../../../server/src/host/connectionPool';
import type { Transport, ExecOptions, ExecResult } from '../../../server/src/host/transport';

export interface SshEnv {
  host: string;
  port: number;
  user: string;
  key: string;
  knownHosts: string;
  hostPubKey: string;
  runtimeDir: string;
  /** vmtest@127.0.0.1:PORT */
  target: string;
}

export function sshEnv(): SshEnv {
  const e = process.env;
  const need = [
    'LIBVIRT_HOSTDEV_TEST_SSH_PORT',
    'LIBVIRT_HOSTDEV_TEST_SSH_USER',
    'LIBVIRT_HOSTDEV_TEST_SSH_KEY',
    'LIBVIRT_HOSTDEV_TEST_SSH_KNOWN_HOSTS',
    'LIBVIRT_HOSTDEV_TEST_SSH_HOST_PUBKEY',
    'LIBVIRT_HOSTDEV_TEST_VMTEST_RUNTIME_DIR',
  ];
  const missing = need.filter((n) => !e[n]);
  if (missing.length > 0) throw new Error(`run \`source test/setup/env.sh\` first (missing ${missing.join(', ')})`);
  const host = e.LIBVIRT_HOSTDEV_TEST_SSH_HOST ?? '127.0.0.1';
  const port = Number(e.LIBVIRT_HOSTDEV_TEST_SSH_PORT);
  const user = e.LIBVIRT_HOSTDEV_TEST_SSH_USER!;
  return {
    host,
    port,
    user,
    key: e.LIBVIRT_HOSTDEV_TEST_SSH_KEY!,
    knownHosts: e.LIBVIRT_HOSTDEV_TEST_SSH_KNOWN_HOSTS!,
    hostPubKey: e.LIBVIRT_HOSTDEV_TEST_SSH_HOST_PUBKEY!,
    runtimeDir: e.LIBVIRT_HOSTDEV_TEST_VMTEST_RUNTIME_DIR!,
    target: `${user}@${host}:${port}`,
  };
}

/** the CLI's options that reach the test user's qemu:///session over the loopback sshd (a generous timeout: CI is slow) */
export function sessionHostArgs(): string[] {
  const env = sshEnv();
  return ['--host', env.target, '--identity', env.key, '--connect', 'qemu:///session', '--timeout', '120'];
}

/**
 * Points HOME and XDG_CONFIG_HOME at fresh directories (no ~/.ssh/config, no agent) so the CLI's
 * project known-hosts file is ours; `trusted` pre-fills it with the test sshd's key.
 */
export function isolateHome(prefix: string, trusted: boolean): { home: string; knownHostsFile: string } {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  process.env.HOME = home;
  process.env.XDG_CONFIG_HOME = path.join(home, '.config');
  delete process.env.SSH_AUTH_SOCK;
  const knownHostsFile = path.join(home, '.config', 'libvirt-hostdev', 'known_hosts');
  fs.mkdirSync(path.dirname(knownHostsFile), { recursive: true });
  if (trusted) fs.copyFileSync(sshEnv().knownHosts, knownHostsFile);
  return { home, knownHostsFile };
}

/** An SSH transport to the test sshd with the test key, trusting its host key. */
export function sshTransport(env: SshEnv = sshEnv()): Transport {
  return createTransport(
    { target: env.target, identityFile: env.key },
    {},
    {
      projectKnownHostsFile: env.knownHosts,
      userKnownHostsFiles: [],
      agentSocket: null,
      defaultIdentityFiles: [],
      connectTimeoutMs: 10_000,
    },
  );
}

/** Counts exec calls through any transport (the "one round trip" assertion). */
export class CountingTransport implements Transport {
  execs: string[] = [];
  constructor(readonly inner: Transport) {}
  get description(): string {
    return this.inner.description;
  }
  exec(command: string, options: ExecOptions): Promise<ExecResult> {
    this.execs.push(command);
    return this.inner.exec(command, options);
  }
  close(): void {
    this.inner.close();
  }
}

/** virsh -c qemu:///session as the test user, argv only (names never meet a shell). */
export function vmVirsh(args: string[], stdin?: string): { code: number | null; stdout: string; stderr: string } {
  const env = sshEnv();
  const r = spawnSync(
    'runuser',
    ['-u', env.user, '--', 'env', `XDG_RUNTIME_DIR=${env.runtimeDir}`, 'LC_ALL=C', 'virsh', '-c', 'qemu:///session', ...args],
    {
      input: stdin ?? '',
      encoding: 'utf8',
      timeout: 120_000,
      cwd: '/',
    },
  );
  return { code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

export function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&apos;').replace(/"/g, '&quot;');
}

/** Defines (or redefines) a shut-off qemu guest with these <devices> children. */
export function defineGuest(name: string, devicesXml = ''): void {
  const xml = `<domain type='qemu'>
  <name>${xmlEscape(name)}</name>
  <memory unit='MiB'>64</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
${devicesXml}
  </devices>
</domain>
`;
  // a file the test user can read (node's stdin pipe is a socket, which /dev/stdin cannot open)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-define-'));
  fs.chmodSync(dir, 0o755);
  const file = path.join(dir, 'domain.xml');
  fs.writeFileSync(file, xml, { mode: 0o644 });
  try {
    const r = vmVirsh(['define', '--file', file]);
    if (r.code !== 0) throw new Error(`define ${name} failed: ${r.stderr}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function undefineGuest(name: string): void {
  vmVirsh(['undefine', '--domain', name]);
}

/** A guest without devices, defined afresh and started (QEMU runs it); throws when it does not start. */
export function startFreshGuest(name: string): void {
  removeGuest(name);
  defineGuest(name);
  const started = vmVirsh(['start', '--domain', name]);
  if (started.code !== 0) throw new Error(`start ${name} failed: ${started.stderr}`);
}

/** Stops the guest if it runs, then undefines it. */
export function removeGuest(name: string): void {
  vmVirsh(['destroy', '--domain', name]);
  undefineGuest(name);
}

export function inactiveXml(name: string): string {
  const r = vmVirsh(['dumpxml', '--inactive', '--domain', name]);
  if (r.code !== 0) throw new Error(`dumpxml ${name} failed: ${r.stderr}`);
  return r.stdout;
}

export function hostdevInterface(bus: number, slot: number, fn: number, mac: string): string {
  const h = (n: number) => '0x' + n.toString(16).padStart(2, '0');
  return `    <interface type='hostdev' managed='yes'>
      <mac address='${mac}'/>
      <source><address type='pci' domain='0x0000' bus='${h(bus)}' slot='${h(slot)}' function='0x${fn}'/></source>
    </interface>`;
}

export function plainHostdev(bus: number, slot: number, fn: number): string {
  const h = (n: number) => '0x' + n.toString(16).padStart(2, '0');
  return `    <hostdev mode='subsystem' type='pci' managed='yes'>
      <source><address domain='0x0000' bus='${h(bus)}' slot='${h(slot)}' function='0x${fn}'/></source>
    </hostdev>`;
}

/** Files the test user's mktemp left in /tmp (the SSH transport's temp files). */
export function remoteTempFiles(): string[] {
  return fs
    .readdirSync('/tmp')
    .filter((n) => n.startsWith('libvirt-hostdev.'))
    .sort();
}

/** Home of the test user, where a `$(touch x)` run by its shell would land. */
export function vmHome(): string {
  return `/home/${sshEnv().user}`;
}
