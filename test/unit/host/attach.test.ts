// host/attach.ts with a real /bin/sh transport and a fake `virsh` on PATH that records its argv:
// quoting, flags, the temp file's life (removed by the host's own shell before virsh runs), and which
// stream becomes the message.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { attachArgv, attachDevice } from '../../../server/src/host/attach';
import { networkArgv } from '../../../server/src/host/network';
import { HostError } from '../../../server/src/host/transport';
import { ShellTransport, tempDir } from '../../support/shellHost';

let work: string;
let env: NodeJS.ProcessEnv;
const DEVICE = `<interface type='hostdev' managed='yes'><source><address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x0'/></source></interface>`;

before(() => {
  work = tempDir('lhd-attach-unit-');
  const bin = path.join(work, 'bin');
  fs.mkdirSync(bin);
  // Fake virsh: writes one argv element per line (NUL-safe enough for names without newlines),
  // copies the device file it was given, then succeeds or fails like libvirt does.
  fs.writeFileSync(
    path.join(bin, 'virsh'),
    `#!/bin/sh
for a in "$@"; do printf '%s\\n' "$a"; done > "${work}/argv"
while [ $# -gt 0 ]; do [ "$1" = --file ] && cat "$2" > "${work}/sent.xml"; shift; done
ls "\${TMPDIR:-/tmp}" | grep -c '^libvirt-hostdev\.' > "${work}/temps-while-virsh-runs" || true
if grep -q fail-me "${work}/sent.xml"; then
  echo "error: Failed to attach device from file" >&2
  echo "error: XML error: expected unicast mac address, found multicast '01:00:5e:00:00:01'" >&2
  exit 1
fi
echo "Device attached successfully"
echo
`,
    { mode: 0o755 },
  );
  env = { ...process.env, PATH: `${bin}:${process.env.PATH}` };
});

after(() => fs.rmSync(work, { recursive: true, force: true }));

test('attach: one exec; virsh gets --config, the guest and the XML as separate words; the temp file is gone before virsh runs', async () => {
  const shell = new ShellTransport({ ...env, TMPDIR: tmpdirOfTest() });
  const guest = `we'ird $(touch pwned) ; "q" -x`;
  const r = await attachDevice(shell, {
    uri: 'qemu:///session',
    guest,
    deviceXml: DEVICE,
    operation: 'attach',
    live: false,
    timeoutMs: 10_000,
  });
  assert.deepEqual(r, { ok: true, message: 'Device attached successfully', commandLine: r.commandLine });
  assert.equal(shell.execs.length, 1);
  assert.deepEqual(fs.readFileSync(path.join(work, 'argv'), 'utf8').split('\n').slice(0, -1), [
    '-c',
    'qemu:///session',
    'attach-device',
    '--config',
    '--domain',
    guest,
    '--file',
    '/dev/stdin',
  ]);
  assert.equal(fs.readFileSync(path.join(work, 'sent.xml'), 'utf8'), DEVICE);
  assert.equal(fs.readFileSync(path.join(work, 'temps-while-virsh-runs'), 'utf8').trim(), '0');
  assert.deepEqual(fs.readdirSync(tmpdirOfTest()), []);
  assert.equal(
    r.commandLine,
    `virsh -c qemu:///session attach-device --config --domain 'we'\\''ird $(touch pwned) ; "q" -x' --file /dev/stdin`,
  );
  assert.equal(fs.existsSync(path.join(process.cwd(), 'pwned')), false);
});

test('detach --live: detach-device --config --live; libvirt failure → ok false with stderr as the message', async () => {
  const shell = new ShellTransport(env);
  const r = await attachDevice(shell, {
    guest: 'vm1',
    deviceXml: DEVICE.replace('managed', 'fail-me managed'),
    operation: 'detach',
    live: true,
    timeoutMs: 10_000,
  });
  assert.equal(r.ok, false);
  assert.equal(
    r.message,
    "error: Failed to attach device from file\nerror: XML error: expected unicast mac address, found multicast '01:00:5e:00:00:01'",
  );
  assert.deepEqual(attachArgv({ guest: 'vm1', operation: 'detach', live: true }, 'F'), [
    'virsh',
    '-c',
    'qemu:///system',
    'detach-device',
    '--config',
    '--live',
    '--domain',
    'vm1',
    '--file',
    'F',
  ]);
});

test('a host failure during the command propagates (exit 2 in the CLI)', async () => {
  const shell = new ShellTransport(env);
  shell.failNext = new HostError('unreachable', 'connection lost');
  await assert.rejects(
    attachDevice(shell, { guest: 'vm1', deviceXml: DEVICE, operation: 'attach', live: false, timeoutMs: 10_000 }),
    /connection lost/,
  );
});

/** a private TMPDIR for the host's shell, so the test sees only its own temp files */
function tmpdirOfTest(): string {
  const dir = path.join(work, 'tmp');
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

test('network commands: virsh argv with the name as one argument, --disable only for autostart, define reads /dev/stdin', () => {
  assert.deepEqual(networkArgv({ operation: 'define', network: 'x' }, '/dev/stdin'), [
    'virsh',
    '-c',
    'qemu:///system',
    'net-define',
    '--file',
    '/dev/stdin',
  ]);
  assert.deepEqual(networkArgv({ uri: 'qemu:///session', operation: 'start', network: '-x; rm' }, ''), [
    'virsh',
    '-c',
    'qemu:///session',
    'net-start',
    '--network',
    '-x; rm',
  ]);
  assert.deepEqual(networkArgv({ operation: 'autostart', network: 'p', disable: true }, '').slice(3), [
    'net-autostart',
    '--network',
    'p',
    '--disable',
  ]);
  assert.deepEqual(networkArgv({ operation: 'start', network: 'p', disable: true }, '').slice(3), ['net-start', '--network', 'p']);
});

test('a network name virsh would read as a network UUID is refused for net-start and net-autostart; define reads a file', () => {
  for (const operation of ['start', 'autostart'] as const)
    assert.throws(
      () => networkArgv({ operation, network: '84ec5cd6-e7e2-4f1f-bf5e-ef8cdcbafd3d' }, ''),
      (e: unknown) => e instanceof HostError && e.kind === 'config' && /as a network UUID/.test(e.message),
    );
  assert.deepEqual(networkArgv({ operation: 'start', network: '84ec5cd6-e7e2' }, '').slice(3), ['net-start', '--network', '84ec5cd6-e7e2']);
  assert.deepEqual(networkArgv({ operation: 'define', network: '84ec5cd6-e7e2-4f1f-bf5e-ef8cdcbafd3d' }, '/f').slice(3), [
    'net-define',
    '--file',
    '/f',
  ]);
});

test('a guest name virsh would read as a domain ID or UUID is refused before anything runs; others are the name as it is', () => {
  // virsh's --domain tries an ID (a whole number, blanks and a sign before it, 0 or more), then a UUID, then the name
  for (const name of [
    '1',
    ' 1',
    '+1',
    '0',
    '2147483647',
    '84ec5cd6-e7e2-4f1f-bf5e-ef8cdcbafd3d',
    /* 32 hex digits and 4 blanks: 36 characters virUUIDParse takes */ '84EC5CD6E7E24F1FBF5EEF8CDCBAFD3D    ',
  ]) {
    assert.throws(
      () => attachArgv({ guest: name, operation: 'attach', live: false }, '/dev/stdin'),
      (e: unknown) => e instanceof HostError && e.kind === 'config' && /as a domain (ID|UUID)/.test(e.message),
      JSON.stringify(name),
    );
  }
  for (const name of ['web01', '1a', '-1', '1 ', '2147483648', '84ec5cd6-e7e2-4f1f-bf5e-ef8cdcbafd3']) {
    const argv = attachArgv({ guest: name, operation: 'attach', live: false }, '/dev/stdin');
    assert.equal(argv[argv.indexOf('--domain') + 1], name);
  }
});
