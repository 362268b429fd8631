// Test doubles and fixtures for the inventory tests: a Transport that runs the REAL /bin/sh with a
// chosen environment (so a test can take virsh off PATH) and counts execs, and a libvirt
// test-driver host file (test:///abs/path.xml: real virsh, no daemon) with guests using VFs.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HostError, type ExecOptions, type ExecResult, type Transport } from '../../server/src/host/transport';
import { fetchInventory } from '../../server/src/inventory/fetchInventory';
import type { InventoryResult } from '../../server/src/inventory/parseOutput';

export class ShellTransport implements Transport {
  readonly description = 'test-shell';
  execs: string[] = [];
  /** the next exec rejects with this (then it is cleared) */
  failNext: Error | null = null;
  /** the next exec resolves with this result instead of running (then it is cleared) */
  replyNext: ExecResult | null = null;
  /** every exec waits for this promise first (to hold a refresh in flight) */
  gate: Promise<void> | null = null;

  constructor(
    private readonly env: NodeJS.ProcessEnv = process.env,
    private readonly cwd?: string,
  ) {}

  async exec(command: string, options: ExecOptions): Promise<ExecResult> {
    this.execs.push(command);
    if (this.gate) await this.gate;
    if (this.failNext) {
      const e = this.failNext;
      this.failNext = null;
      throw e;
    }
    if (this.replyNext) {
      const r = this.replyNext;
      this.replyNext = null;
      return r;
    }
    return runSh(command, options, this.env, this.cwd);
  }

  close(): void {
    /* nothing held */
  }
}

export function runSh(command: string, options: ExecOptions, env: NodeJS.ProcessEnv = process.env, cwd?: string): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', command], { env, cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new HostError('timeout', 'timed out'));
    }, options.timeoutMs);
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.stdin ?? '');
  });
}

/** A PATH holding only the tools the script uses besides virsh (sh, cat, ip, grep, ls), for "host without virsh". */
export function pathWithoutVirsh(dir: string): string {
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin, { recursive: true });
  for (const tool of ['sh', 'cat', 'ip', 'grep', 'ls']) {
    for (const where of ['/usr/bin', '/bin', '/usr/sbin', '/sbin']) {
      const p = path.join(where, tool);
      if (fs.existsSync(p)) {
        fs.symlinkSync(p, path.join(bin, tool));
        break;
      }
    }
  }
  return bin;
}

export const HOSTILE_NAME = `db01 we'ird $(touch lhd-pwned) ; \`touch lhd-pwned2\` "q" & <x> \\ end`;

function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&apos;').replace(/"/g, '&quot;');
}

/**
 * libvirt test-driver host (test:///PATH): web01 running with a hostdev interface on VF 0b:10.0
 * (vlan 42) and a network interface; a shut-off guest with a hostile name holding 0b:10.2 as a
 * plain <hostdev> (decimal numbers, as a user may write them); networks: sriov-pool (<pf dev>
 * enp11s0f1) and explicit (one <address>), plus the NAT network 'default' that is no pool.
 */
export function writeTestDriverHost(dir: string, hostileName = HOSTILE_NAME): string {
  const file = path.join(dir, 'libvirt-host.xml');
  fs.writeFileSync(
    file,
    `<node>
  <domain type='test' xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>
    <name>web01</name>
    <uuid>6695eb01-f6a4-8304-79aa-97f2502e1001</uuid>
    <memory>65536</memory>
    <os><type>hvm</type></os>
    <devices>
      <interface type='hostdev' managed='yes'>
        <mac address='52:54:00:6D:90:01'/>
        <source><address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x0'/></source>
        <vlan><tag id='42'/></vlan>
      </interface>
      <interface type='network'>
        <mac address='52:54:00:00:00:99'/>
        <source network='default' portgroup='office'/>
      </interface>
    </devices>
  </domain>
  <domain type='test' xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>
    <name>${xmlEscape(hostileName)}</name>
    <uuid>6695eb01-f6a4-8304-79aa-97f2502e1002</uuid>
    <memory>65536</memory>
    <os><type>hvm</type></os>
    <devices>
      <hostdev mode='subsystem' type='pci' managed='yes'>
        <source><address domain='0' bus='11' slot='16' function='2'/></source>
      </hostdev>
    </devices>
    <test:runstate>5</test:runstate>
  </domain>
  <network>
    <name>sriov-pool</name>
    <uuid>6695eb01-f6a4-8304-79aa-97f2502e2001</uuid>
    <forward mode='hostdev' managed='yes'><pf dev='enp11s0f1'/></forward>
  </network>
  <network>
    <name>explicit</name>
    <uuid>6695eb01-f6a4-8304-79aa-97f2502e2002</uuid>
    <forward mode='hostdev' managed='yes'>
      <address type='pci' domain='0x0000' bus='0x3b' slot='0x02' function='0x1'/>
    </forward>
    <portgroup name='blue' default='yes'><vlan><tag id='100'/></vlan></portgroup>
    <portgroup name='red'/>
  </network>
  <network>
    <name>default</name>
    <uuid>6695eb01-f6a4-8304-79aa-97f2502e2003</uuid>
    <forward mode='nat'/>
    <bridge name='virbr0'/>
    <ip address='192.168.122.1' netmask='255.255.255.0'/>
  </network>
</node>
`,
  );
  return `test://${file}`;
}

export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.chmodSync(dir, 0o755);
  return dir;
}

/** The inventory the real script reads from a copied host (`--host-root ROOT`), with the test driver as libvirt. */
export function readHostRoot(root: string): Promise<InventoryResult> {
  return fetchInventory(new ShellTransport(), { host: 'kvm1', uri: 'test:///default', hostRoot: root, timeoutMs: 30_000 });
}
