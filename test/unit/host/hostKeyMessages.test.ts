// What the host-key policy says about a host (host/hostKeyPolicy.ts), read with real keys and
// known_hosts files: the address as users read it everywhere (host:port, an IPv6 address in brackets
// before its port, no port for 22), never the known_hosts file's [host]:port form.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HostKeyPolicy } from '../../../server/src/host/hostKeyPolicy';
import { knownHostName } from '../../../server/src/host/knownHosts';
import type { ConnectSpec } from '../../../server/src/host/target';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-host-key-messages-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));

function makeKey(name: string): { line: string; blob: Buffer } {
  const file = path.join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', file]);
  const [keyType, base64] = fs
    .readFileSync(file + '.pub', 'utf8')
    .trim()
    .split(/\s+/);
  return { line: `${keyType} ${base64}`, blob: Buffer.from(base64, 'base64') };
}

const served = makeKey('served');
const other = makeKey('other');

const spec = (host: string, port: number, extra: Partial<ConnectSpec> = {}): ConnectSpec => ({
  kind: 'ssh',
  alias: 'kvm1',
  host,
  port,
  username: 'root',
  identityFiles: [],
  explicitIdentities: true,
  proxyJump: [],
  ...extra,
});

/** every message the policy gives for `s` (thrown or logged) when known_hosts holds `lines` */
async function messages(s: ConnectSpec, lines: string, decide?: 'cancel'): Promise<string[]> {
  const file = path.join(dir, `known-${Math.random().toString(36).slice(2)}`);
  fs.writeFileSync(file, lines);
  const said: string[] = [];
  const policy = new HostKeyPolicy(
    { log: (m) => said.push(m), ...(decide ? { confirmHostKey: async () => decide } : {}) },
    { userKnownHostsFiles: [file], globalKnownHostsFiles: [] },
  );
  await policy.check(s, served.blob).catch((e: Error) => said.push(e.message));
  return said;
}

const cases: [string, ConnectSpec, string][] = [
  ['IPv4 on another port', spec('127.0.0.1', 22223), '127.0.0.1:22223'],
  ['IPv6 on another port', spec('::1', 2222), '[::1]:2222'],
  ['a name on port 22', spec('kvm1.example.org', 22), 'kvm1.example.org'],
];

test('changed, revoked and unknown host keys name the host as host:port, not as known_hosts files do', async () => {
  for (const [what, s, shown] of cases) {
    const name = knownHostName(s.host, s.port);
    const said = [
      ...(await messages(s, `${name} ${other.line}\n`)),
      ...(await messages(s, `@revoked ${name} ${served.line}\n`)),
      ...(await messages(s, '')),
      ...(await messages(s, '', 'cancel')),
      ...(await messages({ ...s, strictHostKeyChecking: 'yes' }, '')),
      ...(await messages({ ...s, strictHostKeyChecking: 'no' }, '')),
    ];
    assert.equal(said.length, 6, what);
    for (const m of said) {
      assert.ok(m.includes(` ${shown} `) || m.includes(` ${shown}:`), `${what}: ${m}`);
      if (s.port !== 22) assert.ok(!m.includes(`[${s.host}]:${s.port}`) || s.host.includes(':'), `${what}: ${m}`);
    }
  }
});
