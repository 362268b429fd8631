// Shell completion's answers (cli/completion.ts) from the command table, with fixed codes and hosts:
// what each position of a command line offers, how a bash line is split into words, and what
// `__complete` and `completion SHELL` print. The shells themselves run it in
// test/integration/cli/completion.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { complete, COMPLETION_SOURCES, shellWords, type Completion, type CompletionSources } from '../../../server/src/cli/completion';
import { COMMANDS } from '../../../server/src/cli/main';
import { DIAGNOSTIC_CODES, RULES } from '../../../server/src/service/catalog';
import { runCli } from '../../support/cli';

const specs = COMMANDS.map((c) => c.spec);
const hostsAsked: (string | undefined)[] = [];
const pfsAsked: (string | undefined)[] = [];
const sources: CompletionSources = {
  codes: () => ['mac-missing', 'mac-multicast', 'pci-octal', 'pci-decimal'],
  hosts: (sshConfig) => {
    hostsAsked.push(sshConfig);
    return ['local', 'kvm1', 'kvm2'];
  },
  pfs: (inventoryFile) => {
    pfsAsked.push(inventoryFile);
    return inventoryFile === undefined ? [] : ['enp11s0f0', '0000:0b:00.0'];
  },
};
const at = (...words: string[]) => complete(words, specs, sources);

test('the first word: the commands and help; after a dash the top-level options', () => {
  assert.deepEqual(at('').words, [...specs.map((s) => s.name), 'help']);
  assert.deepEqual(at('ne').words, ['new-interface', 'net-define', 'net-start', 'net-autostart']);
  assert.deepEqual(at('-').words, ['--help', '--version']);
  assert.deepEqual(at('help', 'rul').words, ['rules']);
  assert.deepEqual(at('nope', '').words, [], 'an unknown command offers nothing');
});

test("a command's options after a dash, those given once left out, --disable (repeatable) kept; --help last", () => {
  const words = at('check', '--').words;
  assert.deepEqual(
    words,
    specs
      .find((s) => s.name === 'check')!
      .options.map((o) => `--${o.name}`)
      .concat('--help'),
  );
  const later = at('check', '--format', 'json', '--disable', 'pci-octal', '--').words;
  assert.ok(!later.includes('--format') && later.includes('--disable'), later.join(' '));
  assert.deepEqual(at('check', '-f', 'json', '--fo').words, [], '-f is --format');
  assert.deepEqual(at('readiness', '').words.slice(0, 2), ['--host', '--connect'], 'a command without operands offers its options at once');
});

test('what each candidate is: a command its summary, an option its help, a code its summary, a format or transport what it gives, local what it is; nothing where nothing is said', () => {
  const described = (c: Completion) => c.words.map((w, i) => [w, c.descriptions?.[i] ?? '']);
  assert.deepEqual(described(at('net-d')), [['net-define', 'virsh net-define the network in FILE']]);
  assert.deepEqual(described(at('he')), [['help', 'show the options of a command']]);
  assert.deepEqual(described(at('-')), [
    ['--help', 'show the help'],
    ['--version', 'show the version'],
  ]);
  assert.deepEqual(described(at('check', '--quie')), [
    ['--quiet', 'report errors only, in every format (--max-warnings still counts the warnings)'],
  ]);
  const coded: CompletionSources = { ...sources, codes: () => [['pci-octal', 'leading zero read as octal'], 'pci-decimal'] };
  const codes = complete(['check', '--disable', 'mac-missing,pci-'], specs, coded);
  assert.deepEqual(described(codes), [
    ['mac-missing,pci-octal', 'leading zero read as octal'],
    ['mac-missing,pci-decimal', ''],
  ]);
  assert.deepEqual(described(at('check', '--format', 's')), [['sarif', 'SARIF 2.1.0, for code scanning']]);
  assert.deepEqual(described(at('inventory', '--transport', 'o')), [['openssh', 'the system ssh program, with all of ~/.ssh/config']]);
  assert.equal(at('completion', '').descriptions, undefined, 'the shells: words alone');
});

test('option values: the formats and transports each command takes, URIs, hosts (from the --ssh-config given), codes after the last comma', () => {
  assert.deepEqual(at('check', '--format', '').words, ['text', 'json', 'sarif', 'github', 'gitlab']);
  assert.deepEqual(at('rules', '--format', '').words, ['text', 'json']);
  assert.deepEqual(at('readiness', '-f', 'j').words, ['json']);
  assert.deepEqual(at('inventory', '--transport', '').words, ['builtin', 'openssh']);
  assert.deepEqual(at('attach', '--connect', 'qemu:///se').words, ['qemu:///session']);
  hostsAsked.length = 0;
  assert.deepEqual(at('attach', '--ssh-config', '/etc/ssh/lab.conf', '--host', 'kv').words, ['kvm1', 'kvm2']);
  assert.deepEqual(at('inventory', '--host', '').words, ['local', 'kvm1', 'kvm2']);
  assert.deepEqual(hostsAsked, ['/etc/ssh/lab.conf', undefined]);
  hostsAsked.length = 0;
  at('inventory', '--ssh-config=~/lab.conf', '--host', '');
  assert.deepEqual(hostsAsked, [`${process.env.HOME}/lab.conf`], 'a leading ~/ read as the shell will when the command runs');
  assert.deepEqual(at('check', '--disable', 'mac-m').words, ['mac-missing', 'mac-multicast']);
  assert.deepEqual(at('check', '--disable', 'mac-missing,pci-').words, ['mac-missing,pci-octal', 'mac-missing,pci-decimal']);
  assert.deepEqual(at('check', '--max-warnings', ''), { words: [], paths: null }, 'a number: nothing to offer');
});

test('--pf: the PFs of the snapshot --inventory names on the line (~/ read as HOME), nothing without one', () => {
  pfsAsked.length = 0;
  assert.deepEqual(at('vfs', '--inventory', 'snap.json', '--pf', '').words, ['enp11s0f0', '0000:0b:00.0']);
  assert.deepEqual(at('new-interface', '--inventory=~/kvm1.json', '--vlan', '10', '--pf', '0000').words, ['0000:0b:00.0']);
  assert.deepEqual(at('vfs', '--inventory', 'snap.json', '--pf=enp').words, ['--pf=enp11s0f0']);
  assert.deepEqual(at('vfs', '--host', 'kvm1', '--pf', ''), { words: [], paths: null }, 'a live host is not asked at TAB');
  assert.deepEqual(pfsAsked, ['snap.json', `${process.env.HOME}/kvm1.json`, 'snap.json', undefined]);
});

test('--name=value: the values with their option in front; a path after = is the shell’s', () => {
  assert.deepEqual(at('check', '--format=s').words, ['--format=sarif']);
  assert.deepEqual(at('check', '--disable=pci-d').words, ['--disable=pci-decimal']);
  assert.deepEqual(at('check', '--inventory=ex'), { words: [], paths: 'file' });
  assert.deepEqual(at('check', '--no-config=x'), { words: [], paths: null }, 'a flag takes no value');
  assert.deepEqual(at('check', '--format=json', '').paths, 'file', 'the word after --name=value is an operand');
});

test("operands: files for check, attach, define and the network commands, directories for a DIR option, codes for rules, the shells for completion; after '--' only operands", () => {
  for (const command of ['check', 'attach', 'detach', 'define', 'net-define', 'net-start', 'net-autostart'])
    assert.deepEqual(at(command, 'ex'), { words: [], paths: 'file' }, command);
  assert.deepEqual(at('check', '--host-root', ''), { words: [], paths: 'dir' });
  assert.deepEqual(at('rules', 'pci-'), { words: ['pci-octal', 'pci-decimal'], paths: null });
  assert.deepEqual(at('completion', '').words, ['bash', 'zsh', 'fish']);
  assert.deepEqual(at('check', '--', '--fo'), { words: [], paths: 'file' });
  assert.deepEqual(at('rules', '--', '--fo'), { words: [], paths: null });
});

test('every option whose value is a FILE or DIR, and every --format, says what it completes (a new option cannot forget it)', () => {
  for (const spec of specs)
    for (const option of spec.options) {
      const where = `${spec.name} --${option.name}`;
      if (option.value === 'FILE') assert.equal(option.completes, 'file', where);
      if (option.value === 'DIR') assert.equal(option.completes, 'dir', where);
      if (option.name === 'format') assert.equal(typeof option.completes, 'object', where);
    }
});

test('a bash line becomes the words the shell means: quotes and backslashes taken off, = and : kept, the last word empty after a blank', () => {
  assert.deepEqual(shellWords('libvirt-hostdev check --connect qemu:///s'), ['libvirt-hostdev', 'check', '--connect', 'qemu:///s']);
  assert.deepEqual(shellWords("libvirt-hostdev check --format=json 'my guests/a b.xml' "), [
    'libvirt-hostdev',
    'check',
    '--format=json',
    'my guests/a b.xml',
    '',
  ]);
  assert.deepEqual(shellWords('x "a \\"b\\" c" d\\ e "un'), ['x', 'a "b" c', 'd e', 'un']);
  assert.deepEqual(shellWords(''), ['']);
});

test('the real sources: every code of the catalog; local first and the ssh config’s Host aliases, patterns and odd names left out', () => {
  assert.deepEqual(
    COMPLETION_SOURCES.codes(),
    DIAGNOSTIC_CODES.map((code) => [code, RULES[code].summary]),
  );
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-complete-'));
  try {
    const config = path.join(dir, 'config');
    fs.writeFileSync(
      config,
      'Host kvm1 kvm2\n  User root\nHost *.lab !bad\nHost local\nHost "a\u001b[31m" $(reboot) a;b\nHost bastion # jump\n',
    );
    const local = ['local', 'this machine, without SSH'];
    assert.deepEqual(COMPLETION_SOURCES.hosts(config), [local, 'kvm1', 'kvm2', 'bastion']);
    assert.deepEqual(COMPLETION_SOURCES.hosts(path.join(dir, 'missing')), [local], 'an unreadable config: local only');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the real PFs: each by netdev and by address, described by the other, the driver and the free VFs; an odd netdev by its address only; a bad snapshot offers nothing', () => {
  const fixture = path.join(__dirname, '../../../../test/fixtures/inventory/82576.json');
  assert.deepEqual(COMPLETION_SOURCES.pfs(fixture), [
    ['enp11s0f0', 'PF 0000:0b:00.0 · igb · 4 of 7 VFs free'],
    ['0000:0b:00.0', "PF 'enp11s0f0' · igb · 4 of 7 VFs free"],
    ['enp11s0f1', 'PF 0000:0b:00.1 · igb · 5 of 7 VFs free'],
    ['0000:0b:00.1', "PF 'enp11s0f1' · igb · 5 of 7 VFs free"],
  ]);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-complete-'));
  try {
    const snapshot = JSON.parse(fs.readFileSync(fixture, 'utf8'));
    snapshot.devices.find((d: { netdev: string | null }) => d.netdev === 'enp11s0f0').netdev = 'a$(reboot)';
    const odd = path.join(dir, 'odd.json');
    fs.writeFileSync(odd, JSON.stringify(snapshot));
    assert.deepEqual(
      COMPLETION_SOURCES.pfs(odd).map((c) => (typeof c === 'string' ? c : c[0])),
      ['0000:0b:00.0', 'enp11s0f1', '0000:0b:00.1'],
    );
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, '{"format": ');
    assert.deepEqual(COMPLETION_SOURCES.pfs(bad), []);
    assert.deepEqual(COMPLETION_SOURCES.pfs(path.join(dir, 'missing.json')), []);
    assert.deepEqual(COMPLETION_SOURCES.pfs(undefined), []);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('__complete prints one candidate per line and what the shell adds; completion SHELL prints its script; a wrong SHELL is a usage error', async () => {
  const words = await runCli(['__complete', '--line', 'libvirt-hostdev check --format j']);
  assert.deepEqual([words.code, words.stdout], [0, 'json\n:words\n']);
  const files = await runCli(['__complete', '--', 'check', '']);
  assert.equal(files.stdout, ':file\n');
  const described = await runCli(['__complete', '--describe', '--', 'net-d']);
  assert.deepEqual([described.code, described.stdout], [0, 'net-define\tvirsh net-define the network in FILE\n:words\n']);
  const long = await runCli(['__complete', '--describe', '--', 'check', '--transp']);
  const [line] = long.stdout.split('\n');
  assert.match(line, /^--transport\tSSH through the built-in client .*…$/);
  assert.equal(line.length, '--transport\t'.length + 80, 'a description is cut to 80 characters');
  assert.equal(
    (await runCli(['__complete', '--describe', '--line', 'libvirt-hostdev check --format j'])).stdout,
    'json\tfor scripts\n:words\n',
  );
  for (const shell of ['bash', 'zsh', 'fish']) {
    const r = await runCli(['completion', shell]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /libvirt-hostdev __complete/, shell);
  }
  const wrong = await runCli(['completion', 'tcsh']);
  assert.equal(wrong.code, 2);
  assert.match(wrong.stderr, /completion: SHELL must be one of bash, zsh, fish, not 'tcsh'/);
  const help = await runCli(['--help']);
  assert.match(help.stdout, /^ {2}completion /m);
  assert.doesNotMatch(help.stdout, /__complete/);
});
