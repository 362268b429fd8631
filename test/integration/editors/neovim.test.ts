// Neovim as a second real LSP client (Debian's neovim 0.7, headless; test/setup/env.sh installs it),
// started by the README's recipe for Neovim 0.7-0.10: it opens a domain XML, shows our diagnostics,
// gets a hover, a completion and code actions that know the host, and runs the "Attach to <guest>"
// CodeLens through workspace/executeCommand against the loopback sshd's qemu:///session; libvirt then
// has the device. A second XML file is checked by the same server, under its folder's project config.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildRhelExampleTree, type SysfsTree } from '../../support/sysfsTree';
import { defineGuest, inactiveXml, sshEnv, undefineGuest } from '../inventory/support';
import { readmeRecipe, repoRoot, runEditor } from './editorRun';
import { isNotShownMessage } from '../../../shared/diagnostics';

const GUEST = 'lhd-nvim-web01';
const MAC = '52:54:00:4e:00:06';
let work: string;
let tree: SysfsTree;

before(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-nvim-'));
  tree = buildRhelExampleTree().tree;
  undefineGuest(GUEST);
  defineGuest(GUEST);
});

after(() => {
  undefineGuest(GUEST);
  fs.rmSync(work, { recursive: true, force: true });
  fs.rmSync(tree.root, { recursive: true, force: true });
});

const DOMAIN = `<domain type='qemu'>
  <name>${GUEST}</name>
  <devices>
    <interface type='hostdev' managed='yes'>
      <mac address='${MAC}'/>
      <source>
        <address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x6'/>
      </source>
    </interface>
    <interface type='hostdev' managed='yes'>
      <mac address='01:00:5e:00:00:01'/>
      <source>
        <address type='pci' domain='0x0000' bus='0x0b' slot='0x11' function='0x0'/>
      </source>
    </interface>
  </devices>
</domain>
`;

/** another guest's definition, with the same multicast MAC */
const SECOND = DOMAIN.replace(`<name>${GUEST}</name>`, '<name>lhd-nvim-second</name>');

/** 1,200 interfaces with a multicast MAC: more problems than the 1,000 lines an editor is sent */
const MANY = `<domain type='qemu'><name>lhd-nvim-many</name><devices>
${"    <interface type='hostdev' managed='yes'><mac address='01:00:5e:00:00:01'/></interface>\n".repeat(1200)}</devices></domain>
`;

interface NvimReport {
  /** servers the recipe started */
  started: number;
  secondDiagnostics: string[];
  /** code → Neovim's severity (1 error, 2 warning) */
  secondSeverities: Record<string, number>;
  /** the second file is served by the first file's server */
  secondClient: boolean;
  sawDiagnostics: boolean;
  diagnostics: { code: string; lnum: number; severity: number; source: string }[];
  executeCommands: string[] | null;
  lensTitles: string[];
  hover: string | null;
  completionLabels: string[];
  actionTitles: string[];
  attach?: { ok: boolean; message: string; commandLine?: string } | null;
  readiness?: { ok: boolean; message: string } | null;
  attachError?: string | null;
  /** the diagnostics Neovim holds for a document with more problems than an editor is sent */
  manyCount?: number;
  manyFirstLine?: { message: string; severity: number; source: string }[];
  log: string[];
}

/** the LSP position (0-based line, UTF-16 character) of `column` characters after `needle` on its line */
function positionAfter(needle: string, column = 0): { line: number; character: number } {
  const lines = DOMAIN.split('\n');
  const line = lines.findIndex((l) => l.includes(needle));
  return { line, character: lines[line].indexOf(needle) + needle.length + column };
}

test("Neovim (the README's recipe): diagnostics on open; hover, completion and code actions know the host; the Attach CodeLens attaches the VF to the guest over SSH (executeCommand); one server for two files, the second under its project config; the host's readiness report from the server command; 1,000 diagnostics for a document with more problems, the first saying so", () => {
  const env = sshEnv();
  const file = path.join(work, `${GUEST}.xml`);
  fs.writeFileSync(file, DOMAIN);
  // the second file's folder has a project config that makes a multicast MAC a warning
  fs.mkdirSync(path.join(work, 'lab'));
  fs.writeFileSync(path.join(work, 'lab', '.libvirt-hostdev.json'), JSON.stringify({ severity: { 'mac-multicast': 'warning' } }));
  const second = path.join(work, 'lab', 'second.xml');
  fs.writeFileSync(second, SECOND);
  const many = path.join(work, 'many.xml');
  fs.writeFileSync(many, MANY);
  const recipe = path.join(work, 'recipe.lua');
  fs.writeFileSync(recipe, readmeRecipe(/Neovim 0\.7–0\.10 /, 'lua'));
  const home = fs.mkdtempSync(path.join(work, 'home-'));
  // where the recipe's init_options look for the host's key
  fs.mkdirSync(path.join(home, '.config', 'libvirt-hostdev'), { recursive: true });
  fs.copyFileSync(env.knownHosts, path.join(home, '.config', 'libvirt-hostdev', 'known_hosts'));
  const report = runEditor<NvimReport>({
    program: 'nvim',
    args: [
      '--headless',
      '-u',
      'NONE',
      '-i',
      'NONE',
      '-n',
      '-c',
      `luafile ${path.join(repoRoot, 'test', 'integration', 'editors', 'neovim.lua')}`,
    ],
    // the recipe's root_dir: where the user started Neovim
    cwd: work,
    home,
    config: {
      file,
      second,
      many,
      recipe,
      guest: GUEST,
      node: process.execPath,
      server: path.join(repoRoot, 'dist', 'server.js'),
      timeoutMs: 60_000,
      // on the VF address's bus, after function='0x, on the multicast MAC
      hoverAt: positionAfter("bus='"),
      completeAt: positionAfter("function='0x", 0),
      actionAt: positionAfter("<mac address='01"),
      settings: {
        hosts: [{ name: 'loopback', target: env.target, identityFile: env.key, connect: 'qemu:///session', sysfsRoot: tree.root }],
        activeHost: 'loopback',
        commandTimeoutSeconds: 90,
      },
    },
    env: { SSH_AUTH_SOCK: '' },
    timeoutMs: 240_000,
  });

  assert.equal(report.sawDiagnostics, true, JSON.stringify(report));
  const multicast = report.diagnostics.find((d) => d.code === 'mac-multicast');
  assert.ok(multicast);
  assert.equal(
    multicast.lnum,
    DOMAIN.split('\n').findIndex((l) => l.includes('01:00:5e')),
  );
  assert.equal(multicast.severity, 1);
  assert.equal(multicast.source, 'libvirt-hostdev');
  assert.ok(report.executeCommands?.includes('libvirtHostdev.server.attachDevice'));
  assert.ok(report.lensTitles.includes(`Attach to '${GUEST}'`), report.lensTitles.join(', '));
  // the guest's whole definition can go back too (virsh define), as in VS Code
  assert.ok(report.lensTitles.includes(`Redefine '${GUEST}' on 'loopback'`), report.lensTitles.join(', '));
  assert.ok(report.executeCommands?.includes('libvirtHostdev.server.defineGuest'));

  assert.match(report.hover ?? '', /0000:0b:10\.6/, JSON.stringify(report.hover));
  assert.match(report.hover ?? '', /igbvf/, "the host's driver for that VF");
  assert.ok(report.completionLabels.includes('0x6'), report.completionLabels.join(', '));
  assert.ok(
    report.actionTitles.some((t) => t.startsWith('Use fresh MAC 52:54:00:')),
    report.actionTitles.join(', '),
  );

  assert.equal(report.attachError, null, JSON.stringify(report));
  assert.equal(report.attach?.ok, true, JSON.stringify(report));
  assert.equal(report.attach?.message, 'Device attached successfully');
  assert.match(report.attach?.commandLine ?? '', /^virsh -c qemu:\/\/\/session attach-device --config --domain lhd-nvim-web01 --file /);
  assert.equal(report.log[0], 'Device attached successfully', 'a window/showMessage, never a question');
  const xml = inactiveXml(GUEST);
  assert.match(xml, new RegExp(`<mac address='${MAC}'/>`));
  assert.match(xml, /<address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x6'\/>/);
  assert.doesNotMatch(xml, /01:00:5e:00:00:01/, "only the lens' device was sent");

  assert.equal(report.started, 1, 'the recipe starts one server');
  assert.equal(report.secondClient, true, "the second file is served by the first file's server");
  assert.ok(report.secondDiagnostics.includes('mac-multicast'), report.secondDiagnostics.join(', '));
  assert.equal(report.secondSeverities['mac-multicast'], 2, 'a warning, as lab/.libvirt-hostdev.json sets it');

  assert.equal(report.readiness?.ok, true, JSON.stringify(report.readiness));
  assert.match(report.readiness?.message ?? '', /^Readiness of 'loopback' for SR-IOV VF assignment:\n/);
  assert.match(report.readiness?.message ?? '', /^PASS {2}2\. SR-IOV capable network device present/m);
  assert.deepEqual(report.log.slice(1), [report.readiness?.message], 'shown as a window/showMessage too, after the attach');

  // the diagnostics budget: 1,000 lines, the first (on line 1, Information) saying how many are not shown
  assert.equal(report.manyCount, 1000);
  const note = report.manyFirstLine?.find((d) => isNotShownMessage(d.message));
  assert.ok(note, JSON.stringify(report.manyFirstLine));
  assert.equal(note.severity, 3);
  assert.equal(note.source, 'libvirt-hostdev');
});
