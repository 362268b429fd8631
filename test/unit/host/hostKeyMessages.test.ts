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
import { HostError } from '../../../server/src/host/transport';
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
  terminalCommand: 'ssh kvm1',
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
      // the printed ssh-keygen -R command names the host as the file does; the sentence does not
      const sentence = m.split('remove the old key with: ')[0];
      if (s.port !== 22) assert.ok(!sentence.includes(`[${s.host}]:${s.port}`) || s.host.includes(':'), `${what}: ${m}`);
    }
  }
});

/** the command a CHANGED-key message gives for removing the old key (the rest of the message after "with: ") */
function removalCommand(message: string): string {
  const at = message.indexOf('remove the old key with: ');
  assert.ok(at !== -1, message);
  return message.slice(at + 'remove the old key with: '.length);
}

test('a CHANGED host key names the ssh-keygen -R command for the file holding the old key; running it removes that key only', async () => {
  const removal: [string, ConnectSpec][] = [
    ...cases.map(([what, s]): [string, ConnectSpec] => [what, s]),
    // ssh(1) files a name in lower case; ssh-keygen -R hashes the name as given
    ['an upper-case name whose entry is hashed', spec('KVM1.Example.org', 22)],
    // the key is filed under the alias, with no port
    ['a HostKeyAlias', spec('10.0.0.5', 2222, { hostKeyAlias: 'kvm1-key' })],
  ];
  for (const [what, s] of removal) {
    const filedAs = s.hostKeyAlias ? knownHostName(s.hostKeyAlias, 22) : knownHostName(s.host.toLowerCase(), s.port);
    const sub = fs.mkdtempSync(path.join(dir, "it's here "));
    const file = path.join(sub, 'known hosts');
    const keep = `unrelated.example.org ${other.line}`;
    fs.writeFileSync(file, `${keep}\n${filedAs} ${other.line}\n`);
    if (what.includes('hashed')) execFileSync('ssh-keygen', ['-q', '-H', '-f', file], { stdio: 'ignore' });
    const said: string[] = [];
    const policy = new HostKeyPolicy({ log: (m) => said.push(m) }, { userKnownHostsFiles: [file], globalKnownHostsFiles: [] });
    await policy.check(s, served.blob).catch((e: Error) => said.push(e.message));
    assert.equal(said.length, 1, what);
    assert.match(said[0], /has CHANGED/, what);
    const command = removalCommand(said[0]);
    assert.ok(command.startsWith('ssh-keygen -R '), `${what}: ${command}`);
    execFileSync('sh', ['-c', command], { stdio: 'ignore' });
    // the old key is gone: the same key is now unknown, not CHANGED; the other host's line is kept
    const after: string[] = [];
    const again = new HostKeyPolicy({ log: (m) => after.push(m) }, { userKnownHostsFiles: [file], globalKnownHostsFiles: [] });
    await again.check(s, served.blob).catch((e: Error) => after.push(e.message));
    assert.match(after[0], /^unknown host key for /, `${what}: ${after[0]}`);
    const left = fs.readFileSync(file, 'utf8');
    assert.equal(left.trim().split('\n').length, 1, `${what}: ${left}`);
    if (!what.includes('hashed')) assert.equal(left, `${keep}\n`, what);
  }
});

test('a host a @cert-authority line covers is not "unknown": the message names the line and the OpenSSH transport, and no prompt is shown', async () => {
  const s = spec('kvm1.lab', 22);
  let asked = false;
  const file = path.join(dir, 'known-ca');
  fs.writeFileSync(file, `@cert-authority *.lab ${other.line}\n`);
  const policy = new HostKeyPolicy(
    {
      confirmHostKey: async () => {
        asked = true;
        return 'remember';
      },
    },
    { userKnownHostsFiles: [file], globalKnownHostsFiles: [] },
  );
  const error = await policy.check(s, served.blob).then(
    () => null,
    (e: unknown) => e,
  );
  assert.ok(error instanceof HostError && error.kind === 'host-key', String(error));
  assert.equal(error.unknownKeyAcceptable, false, 'the CLI does not offer --accept-new-host-key');
  assert.match(
    error.message,
    new RegExp(
      `^host key ssh-ed25519 SHA256:\\S+ of kvm1\\.lab is not in known_hosts, but a @cert-authority line covers the host \\(${file}:1\\): ssh trusts its host certificate, which the built-in SSH client cannot check; use "transport": "openssh" \\(CLI: --transport openssh\\)$`,
    ),
  );
  assert.equal(asked, false);
  // a CA line for other hosts changes nothing
  assert.match((await messages(spec('kvm1.example.org', 22), `@cert-authority *.lab ${other.line}\n`)).join(), /^unknown host key for /);
});

test('a key remembered for a host whose ssh config says HashKnownHosts yes is filed under its hashed name; without it, in plain', async () => {
  for (const hashKnownHosts of [true, false]) {
    const project = path.join(dir, `project-${hashKnownHosts}`);
    const policy = new HostKeyPolicy(
      { confirmHostKey: async () => 'remember' },
      { projectKnownHostsFile: project, userKnownHostsFiles: [], globalKnownHostsFiles: [] },
    );
    await policy.check(spec('127.0.0.1', 22223, { hashKnownHosts }), served.blob);
    const text = fs.readFileSync(project, 'utf8');
    assert.equal(text.startsWith('|1|'), hashKnownHosts, text);
    assert.equal(text.includes('127.0.0.1'), !hashKnownHosts, text);
    // and the next connection finds it there
    const again = new HostKeyPolicy({}, { projectKnownHostsFile: project, userKnownHostsFiles: [], globalKnownHostsFiles: [] });
    await again.check(spec('127.0.0.1', 22223, { hashKnownHosts }), served.blob);
  }
});
