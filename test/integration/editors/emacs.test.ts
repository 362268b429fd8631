// Emacs as a third real LSP client (Debian's emacs-nox 28 with its elpa-eglot package, in batch mode;
// test/setup/env.sh installs them), started by the README's eglot recipe as it stands there: the
// server found on PATH by the name the recipe gives, the snapshot at the path the recipe names. It
// opens a pool definition that moves the guests of a portgroup to another VLAN, sees the diagnostic
// that needs the snapshot, gets a plain-text hover (eglot without markdown-mode asks for one), and
// applies the quick fix from `eglot-code-actions`.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readmeRecipe, repoRoot, runEditor } from './editorRun';

let work: string;

before(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-emacs-'));
});

after(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

/** The 82576 host's snapshot, with two guests that take portgroup 'blue' (VLAN 100) of its pool. */
function snapshot(): string {
  const fixture = path.join(repoRoot, 'test', 'fixtures', 'inventory', '82576.json');
  const inventory = JSON.parse(fs.readFileSync(fixture, 'utf8'));
  inventory.networks = [
    {
      name: 'sriov-pool',
      active: true,
      autostart: true,
      forwardMode: 'hostdev',
      managed: true,
      pfDevs: ['enp11s0f0'],
      addresses: [],
      portgroups: [{ name: 'blue', default: true, vlan: [100] }],
    },
  ];
  inventory.guests = ['web01', 'db01'].map((name) => ({
    name,
    state: 'shut off',
    persistent: true,
    devices: [],
    networks: ['sriov-pool'],
    interfacesPerNetwork: { 'sriov-pool': 1 },
    portgroupsPerNetwork: { 'sriov-pool': ['blue'] },
  }));
  return JSON.stringify(inventory, null, 2);
}

const POOL = `<network>
  <name>sriov-pool</name>
  <forward mode='hostdev' managed='yes'>
    <pf dev='enp11s0f0'/>
  </forward>
  <portgroup name='blue' default='yes'>
    <vlan>
      <tag id='200'/>
    </vlan>
  </portgroup>
</network>
`;

interface EmacsReport {
  mode?: string;
  connected?: boolean;
  diagnostics?: string[];
  actions?: string[];
  hoverKind?: string;
  hover?: string;
  text?: string;
  cleared?: boolean;
}

test("Emacs with eglot (the README's recipe): the snapshot's diagnostic on a pool definition, a plain-text hover, and the quick fix applied from eglot-code-actions", () => {
  const home = fs.mkdtempSync(path.join(work, 'home-'));
  // where the recipe's eglot-workspace-configuration names the snapshot
  fs.writeFileSync(path.join(home, 'kvm1-inventory.json'), snapshot());
  // the server under the name the recipe runs, as `npm install -g` puts it on PATH
  const bin = path.join(work, 'bin');
  fs.mkdirSync(bin);
  const server = path.join(bin, 'libvirt-hostdev-language-server');
  fs.writeFileSync(server, `#!/bin/sh\nexec '${process.execPath}' '${path.join(repoRoot, 'dist', 'server.js')}' "$@"\n`, { mode: 0o755 });
  const recipe = path.join(work, 'recipe.el');
  fs.writeFileSync(recipe, readmeRecipe(/Emacs with eglot/, 'elisp'));
  const file = path.join(work, 'sriov-pool.xml');
  fs.writeFileSync(file, POOL);

  const report = runEditor<EmacsReport>({
    program: 'emacs',
    args: ['--batch', '-q', '-l', path.join(repoRoot, 'test', 'integration', 'editors', 'emacs.el')],
    cwd: work,
    home,
    config: {
      file,
      recipe,
      code: 'portgroup-vlan-changed',
      // point after this, in the portgroup's name
      hoverAt: "portgroup name='bl",
      pick: 'Keep VLAN 100',
      timeoutMs: 60_000,
    },
    env: { PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}` },
    timeoutMs: 180_000,
  });

  assert.equal(report.mode, 'nxml-mode');
  assert.equal(report.connected, true, JSON.stringify(report));
  const [diagnostic, ...others] = report.diagnostics ?? [];
  assert.deepEqual(others, [], JSON.stringify(report.diagnostics));
  assert.match(diagnostic ?? '', /portgroup-vlan-changed/);
  assert.match(diagnostic ?? '', /2 guests move from VLAN 100 to VLAN 200 — guests 'web01', 'db01' name portgroup 'blue'/);
  // eglot without markdown-mode (Debian's emacs-nox) takes plain text only: the hover reads without Markdown
  assert.equal(report.hoverKind, 'plaintext');
  assert.match(report.hover ?? '', /^Portgroup 'blue' of network 'sriov-pool'$/m, report.hover);
  assert.doesNotMatch(report.hover ?? '', /\\|\*\*|`/, report.hover);
  assert.deepEqual(report.actions, [
    "Keep VLAN 100, as the host's network has it",
    'Disable portgroup-vlan-changed for this line',
    'Show documentation for portgroup-vlan-changed',
  ]);
  assert.equal(report.text, POOL.replace("<tag id='200'/>", "<tag id='100'/>"));
  assert.equal(report.cleared, true, 'the diagnostic goes once the fix is applied');
});
