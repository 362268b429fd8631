// `libvirt-hostdev completion SHELL` in the real shells (bash, zsh and fish from test/setup/env.sh), each
// in a terminal, loaded as the help says and typed into: TAB completes commands, options, their values,
// codes, the ssh config's hosts, a snapshot's PFs and paths, also where bash splits a word at `=` or `:`. The CLI on the
// PATH is the built one (dist/cli.js).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TerminalShell, type ShellName } from '../../support/terminalShell';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-completion-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

// the user's home (an ssh config with two hosts, a snapshot of a host with two PFs), the working
// directory (a file and a folder), and `libvirt-hostdev` on the PATH
const home = path.join(tmp, 'home');
const work = path.join(tmp, 'work');
const bin = path.join(tmp, 'bin');
before(() => {
  fs.mkdirSync(path.join(home, '.ssh'), { recursive: true });
  fs.writeFileSync(path.join(home, '.ssh', 'config'), 'Host kvm-lab kvm-prod\n  User root\nHost *.example.com\n');
  // a config with a line ssh stops at: TAB still offers its hosts (running the command names the error)
  fs.writeFileSync(path.join(home, 'broken-config'), 'Host kvm-broken\n  FooBar yes\n');
  fs.copyFileSync(path.join(root, 'test', 'fixtures', 'inventory', '82576.json'), path.join(home, 'kvm1.json'));
  fs.mkdirSync(path.join(work, 'guests'), { recursive: true });
  fs.writeFileSync(path.join(work, 'guest.xml'), '<domain/>\n');
  fs.mkdirSync(bin);
  fs.writeFileSync(
    path.join(bin, 'libvirt-hostdev'),
    `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(path.join(root, 'dist', 'cli.js'))} "$@"\n`,
    {
      mode: 0o755,
    },
  );
});

const LOAD: Record<ShellName, string> = {
  bash: 'eval "$(libvirt-hostdev completion bash)"',
  zsh: 'eval "$(libvirt-hostdev completion zsh)"',
  fish: 'libvirt-hostdev completion fish | source',
};

/** what is typed before TAB, and the line TAB leaves (the shells differ only in the blank after a finished word) */
const CASES: [typed: string, completed: string][] = [
  ['libvirt-hostdev chec', 'libvirt-hostdev check '],
  ['libvirt-hostdev check --form', 'libvirt-hostdev check --format '],
  ['libvirt-hostdev check --format sa', 'libvirt-hostdev check --format sarif '],
  ['NO_COLOR=1 libvirt-hostdev check --format sa', 'NO_COLOR=1 libvirt-hostdev check --format sarif '],
  ['libvirt-hostdev check --format=gith', 'libvirt-hostdev check --format=github '],
  ['libvirt-hostdev check --connect qemu:///sy', 'libvirt-hostdev check --connect qemu:///system '],
  ['libvirt-hostdev check --disable mac-missing,pci-oc', 'libvirt-hostdev check --disable mac-missing,pci-octal '],
  ['libvirt-hostdev rules pci-oc', 'libvirt-hostdev rules pci-octal '],
  ['libvirt-hostdev inventory --host kvm-p', 'libvirt-hostdev inventory --host kvm-prod '],
  [
    'libvirt-hostdev inventory --ssh-config ~/broken-config --host kvm-b',
    'libvirt-hostdev inventory --ssh-config ~/broken-config --host kvm-broken ',
  ],
  ['libvirt-hostdev check guest.', 'libvirt-hostdev check guest.xml '],
  ['libvirt-hostdev check --host-root gu', 'libvirt-hostdev check --host-root guests/'],
  ['libvirt-hostdev check --inventory=guest.', 'libvirt-hostdev check --inventory=guest.xml '],
  // the PFs of the snapshot named on the line (enp11s0f0 and enp11s0f1, 0000:0b:00.0 and 0000:0b:00.1): as far as they agree
  ['libvirt-hostdev vfs --inventory ~/kvm1.json --pf enp', 'libvirt-hostdev vfs --inventory ~/kvm1.json --pf enp11s0f'],
  [
    'libvirt-hostdev new-interface --inventory ~/kvm1.json --pf 0000:0b:0',
    'libvirt-hostdev new-interface --inventory ~/kvm1.json --pf 0000:0b:00.',
  ],
  // no value of --format starts so: nothing, and no file name either
  ['libvirt-hostdev check --format gu', 'libvirt-hostdev check --format gu'],
];

const shellEnv = (): NodeJS.ProcessEnv => ({
  ...process.env,
  HOME: home,
  PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`,
  XDG_CONFIG_HOME: path.join(home, '.config'),
});

for (const shell of ['bash', 'zsh', 'fish'] as const)
  test(`${shell}: TAB completes commands, options, formats, URIs, codes, hosts, PFs and paths`, async () => {
    const terminal = await TerminalShell.start(shell, LOAD[shell], { cwd: work, env: shellEnv() });
    try {
      const seen: [string, string][] = [];
      for (const [typed] of CASES) seen.push([typed, await terminal.tab(typed)]);
      assert.deepEqual(seen, CASES, shell);
    } finally {
      await terminal.close();
    }
  });

/** what TAB on each line lists (several candidates), each beside what it is */
const LISTED: [typed: string, shown: RegExp[]][] = [
  [
    'libvirt-hostdev net-',
    [/net-define +\(?(-- )?virsh net-define the network in FILE/, /net-start +\(?(-- )?virsh net-start the network in FILE/],
  ],
  [
    'libvirt-hostdev check --connect',
    [/--connect +\(?(-- )?libvirt URI on that host/, /--connect-timeout +\(?(-- )?how long the SSH connection/],
  ],
  ['libvirt-hostdev rules mac-m', [/mac-missing +\(?(-- )?no <mac>/, /mac-multicast +\(?(-- )?multicast MAC/]],
  ['libvirt-hostdev inventory --host ', [/local +\(?(-- )?this machine, without SSH/, /kvm-lab/]],
  [
    'libvirt-hostdev vfs --inventory ~/kvm1.json --pf enp11s0f',
    [/enp11s0f0 +\(?(-- )?PF 0000:0b:00\.0 . igb . 4 of 7 VFs free/, /enp11s0f1 +\(?(-- )?PF 0000:0b:00\.1 . igb . 5 of 7 VFs free/],
  ],
];

for (const shell of ['zsh', 'fish'] as const)
  test(`${shell}: the candidates TAB lists show what each is (commands, options, codes, hosts, PFs)`, async () => {
    const terminal = await TerminalShell.start(shell, LOAD[shell], { cwd: work, env: shellEnv() });
    try {
      for (const [typed, shown] of LISTED) {
        const { shown: screen } = await terminal.tabShowing(typed);
        for (const pattern of shown) assert.match(screen, pattern, `${shell}: TAB on '${typed}'`);
      }
    } finally {
      await terminal.close();
    }
  });
