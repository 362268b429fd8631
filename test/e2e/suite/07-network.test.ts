// A network XML document in VS Code: the CodeLens above <network> runs virsh net-define on the
// loopback host's qemu:///session through the language server (executeCommand, as every client
// does), and once the inventory is read again the lenses offer what is left (Start, Autostart).
// A VF pool document gets net-define's refusals as diagnostics, hover and completion from the
// loopback host's inventory, and a warning where it would move the host's guests to another VLAN.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  activateExtension,
  codeOf,
  openFixture,
  ourDiagnostics,
  positionOf,
  requireHost,
  screenshot,
  sessionVirsh,
  waitFor,
} from './helpers';

const NET = 'lhd-e2e-net';
/** a VF pool on the host whose portgroup 'blue' tags VLAN 100, and a shut-off guest that names 'blue' on it */
const VLAN_POOL = 'lhd-e2e-vlan';
const VLAN_GUEST = 'lhd-e2e-vlan-web01';

/** Defines `xml` in the loopback host's qemu:///session (`command`: define, net-define) from a file its user can read. */
function defineOnHost(command: string, name: string, xml: string): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-e2e-define-'));
  try {
    fs.chmodSync(dir, 0o755);
    const file = path.join(dir, `${name}.xml`);
    fs.writeFileSync(file, xml, { mode: 0o644 });
    assert.notEqual(sessionVirsh(`${command} --file ${file}`), null, `virsh ${command} ${name}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function undefineVlanPool(): void {
  sessionVirsh(`undefine --domain ${VLAN_GUEST}`);
  sessionVirsh(`net-undefine --network ${VLAN_POOL}`);
}

async function lensTitles(uri: vscode.Uri): Promise<vscode.CodeLens[]> {
  return (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
}

suite('network XML', () => {
  suiteSetup(() => {
    requireHost();
    sessionVirsh(`net-undefine --network ${NET}`);
    undefineVlanPool();
  });
  suiteTeardown(() => {
    sessionVirsh(`net-undefine --network ${NET}`);
    undefineVlanPool();
  });

  test('the Define lens defines the network on the host; then the lenses offer Start and Autostart', async () => {
    await activateExtension();
    const editor = await openFixture(`${NET}.xml`);
    assert.equal(sessionVirsh(`net-info --network ${NET}`), null, 'not defined before');
    const define = await waitFor(
      'the Define lens',
      async () => (await lensTitles(editor.document.uri)).find((l) => l.command?.title.startsWith(`Define '${NET}'`)),
      60_000,
    );
    assert.equal(define.command!.command, 'libvirtHostdev.server.network');
    const result = await vscode.commands.executeCommand<{ ok: boolean; message: string; commandLine: string }>(
      define.command!.command,
      ...(define.command!.arguments ?? []),
    );
    assert.ok(result?.ok, `net-define: ${JSON.stringify(result)}`);
    assert.match(result.commandLine, /^virsh -c qemu:\/\/\/session net-define --file \/dev\/stdin$/);
    assert.match(sessionVirsh(`net-info --network ${NET}`) ?? '', /Active:\s+no/);
    const titles = await waitFor(
      'Start and Autostart lenses',
      async () => {
        const t = (await lensTitles(editor.document.uri)).map((l) => l.command?.title ?? '');
        return t.includes(`Start '${NET}'`) ? t : undefined;
      },
      60_000,
    );
    assert.deepEqual(titles.slice(1), [`Start '${NET}'`, `Autostart '${NET}'`]);
    assert.match(titles[0], new RegExp(`^Redefine '${NET}' on `));
  });

  test("a VF pool: net-define's refusal of <ip> is a diagnostic; hover on <pf dev> names the host's PF and its VFs; <forward mode> completion offers hostdev first", async () => {
    await activateExtension();
    const editor = await openFixture('lhd-e2e-pool.xml');
    const doc = editor.document;
    const ip = await waitFor('network-element on <ip>', () => ourDiagnostics(doc.uri).find((d) => codeOf(d) === 'network-element'));
    assert.ok(ip.range.contains(positionOf(doc, '<ip ', 1)), `range ${JSON.stringify(ip.range)} covers <ip`);
    assert.match(ip.message, /Unsupported <ip> element in network lhd-e2e-pool with forward mode='hostdev'/);
    const hover = await waitFor('hover on <pf dev> from the host inventory', async () => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
        'vscode.executeHoverProvider',
        doc.uri,
        positionOf(doc, 'enp11s0f0', 2),
      );
      const text = hovers
        .flatMap((h) => h.contents)
        .map((c) => (typeof c === 'string' ? c : c.value))
        .join('\n');
      return /0000:0b:00\.0/.test(text) ? text : undefined;
    });
    assert.match(hover, /^\*\*PF\*\* .*enp11s0f0.* `0000:0b:00\.0`: 7 of 7 VFs enabled/);
    const at = positionOf(doc, 'enp11s0f0', 2);
    editor.selection = new vscode.Selection(at, at);
    await vscode.commands.executeCommand('editor.action.showHover');
    await screenshot('pool-hover');
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      doc.uri,
      positionOf(doc, "mode='hostdev'", "mode='".length),
    );
    // in the order the editor shows them; the editor's own word completions (the document's words) left out
    const modes = list.items
      .filter((i) => i.sortText !== undefined)
      .sort((a, b) => a.sortText!.localeCompare(b.sortText!))
      .map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.deepEqual(modes.slice(0, 2), ['hostdev', 'passthrough'], modes.join(' '));
    assert.ok(modes.includes('nat'), modes.join(' '));
  });

  test("a VF pool that moves the portgroup a guest of the host names to another VLAN: portgroup-vlan-changed names the guest, and the quick fix keeps the host's VLAN", async () => {
    await activateExtension();
    defineOnHost(
      'net-define',
      VLAN_POOL,
      `<network><name>${VLAN_POOL}</name><forward mode='hostdev' managed='yes'><pf dev='enp11s0f0'/></forward>` +
        "<portgroup name='blue' default='yes'><vlan><tag id='100'/></vlan></portgroup></network>",
    );
    defineOnHost(
      'define',
      VLAN_GUEST,
      `<domain type='qemu'><name>${VLAN_GUEST}</name><memory unit='MiB'>64</memory><os><type arch='x86_64'>hvm</type></os>` +
        `<devices><interface type='network'><source network='${VLAN_POOL}' portgroup='blue'/></interface></devices></domain>`,
    );
    // the host changed behind the editor's back: read it again, as a user does from the palette
    await vscode.commands.executeCommand('libvirtHostdev.refreshInventory');
    const editor = await openFixture(`${VLAN_POOL}.xml`);
    const doc = editor.document;
    const moved = await waitFor('portgroup-vlan-changed on the portgroup', () =>
      ourDiagnostics(doc.uri).find((d) => codeOf(d) === 'portgroup-vlan-changed'),
    );
    assert.equal(moved.severity, vscode.DiagnosticSeverity.Information);
    assert.ok(moved.range.contains(positionOf(doc, '<vlan>', 1)), `range ${JSON.stringify(moved.range)} is the portgroup's <vlan>`);
    assert.match(
      moved.message,
      new RegExp(`^A guest moves from VLAN 100 to VLAN 200 — guest '${VLAN_GUEST}' names portgroup 'blue' on this network`),
    );
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      doc.uri,
      moved.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    const keep = actions.find((a) => a.title === "Keep VLAN 100, as the host's network has it");
    assert.ok(keep?.edit, actions.map((a) => a.title).join(', '));
    assert.ok(await vscode.workspace.applyEdit(keep.edit));
    assert.match(doc.getText(), /<tag id='100'\/>/);
    await waitFor('portgroup-vlan-changed to go away', () => !ourDiagnostics(doc.uri).some((d) => codeOf(d) === 'portgroup-vlan-changed'));
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });
});
