// What the OpenSSH transport hands ssh: the connect timeout setting only where the ssh config names no
// ConnectTimeout (ssh takes `-o` before its config, so passing it always overrode the config's). The
// `ssh` on PATH here prints its arguments instead of connecting.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createTransport } from '../../../server/src/host/connectionPool';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-openssh-args-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const bin = path.join(tmp, 'bin');
fs.mkdirSync(bin);
fs.writeFileSync(path.join(bin, 'ssh'), '#!/bin/sh\nprintf "%s\\n" "$@"\n', { mode: 0o755 });
const config = path.join(tmp, 'ssh_config');
fs.writeFileSync(config, 'Host slow-link\n  HostName 192.0.2.20\n  ConnectTimeout 60\nHost plain\n  HostName 192.0.2.21\n');

async function sshArguments(target: string): Promise<string[]> {
  const saved = process.env.PATH;
  process.env.PATH = `${bin}:${saved}`;
  try {
    const transport = createTransport({ target, transport: 'openssh' }, {}, { sshConfigFile: config, connectTimeoutMs: 10_000 });
    const result = await transport.exec('true', { timeoutMs: 10_000 });
    transport.close();
    return result.stdout.split('\n');
  } finally {
    process.env.PATH = saved;
  }
}

test("the OpenSSH transport leaves the ssh config's ConnectTimeout alone, and passes the setting where the config has none", async () => {
  const configured = await sshArguments('slow-link');
  assert.ok(!configured.some((a) => a.startsWith('ConnectTimeout=')), configured.join(' '));
  assert.ok(configured.includes(config), 'ssh -F names the config');
  const plain = await sshArguments('plain');
  assert.ok(plain.includes('ConnectTimeout=10'), plain.join(' '));
});

test("the OpenSSH transport turns off a config's RemoteCommand, which would make ssh refuse the command line", async () => {
  const args = await sshArguments('plain');
  assert.ok(args.includes('-T'), args.join(' '));
  assert.equal(args[args.indexOf('RemoteCommand=none') - 1], '-o', args.join(' '));
});
