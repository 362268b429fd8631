// The CLI's option tables: every subcommand answers --help, and every host command takes the same
// host options (parsed and listed from one table).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { COMMANDS } from '../../../server/src/cli/main';
import { HOST_OPTIONS } from '../../../server/src/cli/options';
import { runCli, type CliRun } from '../../support/cli';

const run = (...argv: string[]): Promise<CliRun> => runCli(argv);

const HOST_COMMANDS = ['check', 'inventory', 'vfs', 'attach', 'detach', 'new-interface'];

test("README's CLI synopsis is every command's --help usage line, in the same order", () => {
  const readme = fs.readFileSync(path.resolve(__dirname, '..', '..', '..', '..', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('\n## CLI\n'));
  const block = /```\n([^]*?)\n```/.exec(section);
  assert.ok(block, 'a code block under ## CLI');
  assert.deepEqual(
    block[1].split('\n'),
    COMMANDS.map(({ spec }) => `libvirt-hostdev ${spec.name} ${spec.synopsis}`),
  );
});

test('every subcommand answers --help, -h and `help NAME` with its own usage on stdout, exit 0', async () => {
  assert.ok(COMMANDS.length >= 4);
  for (const { spec } of COMMANDS) {
    for (const argv of [
      [spec.name, '--help'],
      [spec.name, '-h'],
      ['help', spec.name],
      [spec.name, '--host', 'x', '--help'],
    ]) {
      const r = await run(...argv);
      assert.equal(r.code, 0, argv.join(' '));
      assert.equal(r.stderr, '', argv.join(' '));
      assert.match(r.stdout, new RegExp(`^Usage: libvirt-hostdev ${spec.name} `), argv.join(' '));
      assert.match(r.stdout, /\n {2}-h, --help +show this help\n/);
    }
  }
  const top = await run('--help');
  for (const { spec } of COMMANDS)
    assert.match(top.stdout, new RegExp(`^ {2}${spec.name} +${spec.summary.replace(/[()]/g, '\\$&')}$`, 'm'));
});

test('the host commands list every shared host option in their help', async () => {
  for (const name of HOST_COMMANDS) {
    const { stdout } = await run(name, '--help');
    for (const o of HOST_OPTIONS)
      assert.match(
        stdout,
        new RegExp(`--${o.name}${o.value ? ` ${o.value}` : ''}\\s+${o.help.replace(/[()[\]]/g, '\\$&')}`),
        `${name} --${o.name}`,
      );
  }
});

test('the host options are validated the same way by every host command', async () => {
  for (const name of HOST_COMMANDS) {
    const file = name === 'inventory' || name === 'vfs' || name === 'new-interface' ? [] : ['guest.xml'];
    const guest = name === 'attach' || name === 'detach' ? ['--guest', 'g'] : [];
    for (const [bad, reason] of [
      [['--timeout', 'soon'], /--timeout must be a number of seconds, not 'soon'/],
      [['--timeout', '1e10'], /--timeout must be at most 86400 seconds, not '1e10'/],
      [['--connect-timeout', 'soon'], /--connect-timeout must be a number of seconds, not 'soon'/],
      [['--timeout', '0'], /--timeout must be more than 0 seconds, not '0'/],
      [['--connect-timeout=-1'], /--connect-timeout must be more than 0 seconds, not '-1'/],
    ] as const) {
      const r = await run(name, ...file, ...guest, '--host', 'local', ...bad);
      assert.equal(r.code, 2, `${name} ${bad}`);
      assert.match(r.stderr, reason, `${name} ${bad}`);
      assert.match(r.stderr, new RegExp(`Try 'libvirt-hostdev ${name} --help'`));
    }
  }
  const emptyNetwork = await run('net-start', '--network', '', '--host', 'local');
  assert.equal(emptyNetwork.code, 2);
  assert.match(emptyNetwork.stderr, /^libvirt-hostdev: --network needs a NAME \(it is empty\)\n/);
  const neither = await run('new-interface');
  assert.equal(neither.code, 2);
  assert.match(neither.stderr, /^libvirt-hostdev: new-interface needs --host TARGET .* or --inventory FILE\n/);
  const stray = await run('check', '--sysfs-root', '/tmp', 'guest.xml');
  assert.equal(stray.code, 2);
  assert.match(stray.stderr, /--sysfs-root needs --host/);
});

// A TCP listener that accepts and never speaks: the SSH banner never comes, so only the connect
// timeout can end the attempt.
const silent = net.createServer(() => undefined);
after(() => silent.close());

test('--connect-timeout bounds the SSH connection of every host command', async () => {
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const port = (silent.address() as net.AddressInfo).port;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-opt-'));
  const device = path.join(dir, 'vf.xml');
  fs.writeFileSync(
    device,
    "<interface type='hostdev' managed='yes'><mac address='52:54:00:12:34:56'/><source><address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x4'/></source></interface>\n",
  );
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  for (const argv of [['inventory'], ['check', device], ['attach', device, '--guest', 'g'], ['detach', device, '--guest', 'g']]) {
    const r = await run(...argv, '--host', `nobody@127.0.0.1:${port}`, '--connect-timeout', '0.5');
    assert.equal(r.code, 2, argv.join(' '));
    // the option's 500 ms, not the 10 s default, ended the attempt
    assert.match(r.stderr, /timed out after 500 ms/, `${argv[0]}: ${r.stderr}`);
  }
});

test("--dry-run's help says what each network command checks and prints: net-define the XML and the command, net-start and net-autostart the command only", async () => {
  const dryRun = async (name: string): Promise<string> => /\n {2}-n, --dry-run +(.*)\n/.exec((await run(name, '--help')).stdout)?.[1] ?? '';
  assert.equal(await dryRun('net-define'), 'check, then print the XML and the virsh command; change nothing');
  assert.equal(
    await dryRun('net-start'),
    'check that the host has the network, stopped and with usable VFs, then print the virsh command; change nothing',
  );
  assert.equal(await dryRun('net-autostart'), 'check that the host has the network, then print the virsh command; change nothing');
});

test("a mistyped option or command is named in the tool's words with the one it most likely meant", async () => {
  const cases: [string[], string][] = [
    [['check', '--frmat', 'json', 'f.xml'], "unknown option '--frmat' (did you mean '--format'?)"],
    [['check', '--frmat=json', 'f.xml'], "unknown option '--frmat' (did you mean '--format'?)"],
    [['vfs', '--inventry', 'i.json'], "unknown option '--inventry' (did you mean '--inventory'?)"],
    [['check', '--zzzzzz', 'f.xml'], "unknown option '--zzzzzz'"],
    [['check', '-Z', 'f.xml'], "unknown option '-Z'"],
    [['check', '--format'], '--format needs a value (FORMAT)'],
    [['check', '--quiet=yes', 'f.xml'], '--quiet takes no value'],
    [['chek', 'f.xml'], "unknown command 'chek' (did you mean 'check'?)"],
    [['help', 'readines'], "unknown command 'readines' (did you mean 'readiness'?)"],
    [['frobnicate'], "unknown command 'frobnicate'"],
  ];
  for (const [argv, reason] of cases) {
    const r = await run(...argv);
    assert.equal(r.code, 2, argv.join(' '));
    assert.equal(r.stderr.split('\n')[0], `libvirt-hostdev: ${reason}`, argv.join(' '));
  }
});
