// The SR-IOV view and the Insert SR-IOV Interface command, on the selected loopback host.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AttachDeviceResult, ReadinessResult } from '../../../shared/protocol';
import {
  activateExtension,
  dumpxmlInactive,
  getStatus,
  GUEST,
  GUEST_USER,
  HOST,
  lensesFor,
  openFixture,
  requireHost,
  screenshot,
  waitFor,
  waitUntil,
} from './helpers';

suite('SR-IOV view and Insert Interface', () => {
  suiteSetup(() => requireHost());

  test('Insert SR-IOV Interface inserts a full hostdev interface for the chosen VF with a fresh MAC', async () => {
    const { answers } = await activateExtension();
    const editor = await openFixture('complete.xml');
    const end = editor.document.lineAt(editor.document.lineCount - 1).range.end;
    editor.selection = new vscode.Selection(end, end);
    answers.push('vf', '0000:0b:11.3');
    assert.equal(await vscode.commands.executeCommand('libvirtHostdev.insertInterface'), true);
    const text = editor.document.getText();
    assert.match(
      text,
      /<interface type='hostdev' managed='yes'>\n\s*<mac address='52:54:00:[0-9a-f:]{8}'\/>\n\s*<source>\n\s*<address type='pci' domain='0x0000' bus='0x0b' slot='0x11' function='0x3'\/>/,
    );
    // the cursor was right after the snippet's </interface>: the new one starts a line of its own
    assert.match(text, /<\/interface>\n<interface type='hostdev' managed='yes'>\n {2}<mac /);
    const macs = [...text.matchAll(/<mac address='([^']+)'/g)].map((m) => m[1]);
    assert.equal(new Set(macs).size, macs.length, `fresh MAC, unique in the document: ${macs.join(', ')}`);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  test('the SR-IOV view shows host → PF (netdev, driver, VFs) → VF (free or used by)', async () => {
    const { testing } = await activateExtension();
    const tree = testing.vfTree;
    await tree.reload();
    const [host, ...others] = tree.getChildren();
    assert.equal(others.length, 0);
    assert.equal(tree.getTreeItem(host).label, HOST);
    const pfs = tree.getChildren(host);
    assert.deepEqual(
      pfs.map((pf) => tree.getTreeItem(pf).label),
      ['enp11s0f0', 'enp11s0f1'],
    );
    assert.match(String(tree.getTreeItem(pfs[0]).description), /0000:0b:00\.0 · igb · 7\/7 VFs/);
    const vfs = tree.getChildren(pfs[0]);
    assert.equal(vfs.length, 7);
    const used = tree.getTreeItem(vfs[0]);
    assert.equal(used.label, '0000:0b:10.0');
    assert.equal(used.contextValue, 'vf.used');
    assert.match(String(used.description), new RegExp(`used by '${GUEST_USER}'`));
    const free = vfs.map((vf) => tree.getTreeItem(vf)).find((item) => item.label === '0000:0b:10.6');
    assert.equal(free?.contextValue, 'vf.free');
    assert.match(String(free?.description), /VF 3 · igbvf · free/);
    await vscode.commands.executeCommand('libvirtHostdev.vfs.focus');
    await screenshot('sriov-view');
    await vscode.commands.executeCommand('workbench.view.explorer');
  });

  test('Check Host Readiness reads the host again and shows its report as a read-only document', async () => {
    await activateExtension();
    const result = await vscode.commands.executeCommand<ReadinessResult>('libvirtHostdev.checkReadiness');
    assert.equal(result.host, HOST);
    // the guide's steps 1-8 in order (step 1 has the IOMMU and interrupt remapping, step 7 the free VFs and the VF pools)
    assert.deepEqual([...new Set(result.checks.map((c) => c.step))], [1, 2, 3, 4, 5, 6, 7, 8]);
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor, 'the report is open');
    assert.equal(editor.document.uri.scheme, 'libvirt-hostdev');
    assert.equal(editor.document.getText(), result.text);
    assert.match(
      result.text,
      new RegExp(`^Readiness of '${HOST}' for SR-IOV VF assignment:\n\\(inventory taken (just now|\\d+ s ago)\\)\n`),
    );
    assert.match(result.text, /^PASS {2}2\. SR-IOV capable network device present/m, 'the SR-IOV card of the loopback host');
    // the e2e host is one the guide was followed on (IOMMU, modprobe.d max_vfs, vfio-pci): every check passes
    assert.deepEqual(
      result.checks.filter((c) => c.status !== 'pass').map((c) => `${c.label} ${c.status}: ${c.details.join(' | ')}`),
      [],
    );
    assert.match(result.text, /0000:0b:00\.0: modprobe\.d \(\/etc\/modprobe\.d\/igb\.conf: options igb max_vfs=7\)/);
    assert.equal(editor.document.isDirty, false, 'closing it asks nothing');
    await screenshot('readiness');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  test('attach from the SR-IOV view: the server writes the interface for that VF, with a MAC no guest uses', async () => {
    const { answers, testing } = await activateExtension();
    const tree = testing.vfTree;
    await tree.reload();
    const [host] = tree.getChildren();
    const pf = tree.getChildren(host).find((node) => tree.getTreeItem(node).label === 'enp11s0f1');
    assert.ok(pf, 'the second PF');
    const vf = tree.getChildren(pf).find((node) => tree.getTreeItem(node).label === '0000:0b:11.5');
    assert.equal(vf && tree.getTreeItem(vf).contextValue, 'vf.free');
    const macsOf = (xml: string): string[] => [...xml.matchAll(/<mac address='([^']+)'/g)].map((m) => m[1]);
    const before = new Set(macsOf(dumpxmlInactive(GUEST)));
    const { inventory } = await testing.inventory();
    const hostMacs = new Set((inventory as { guests: { macs?: string[] }[] }).guests.flatMap((g) => g.macs ?? []));
    const freeBefore = (await getStatus()).status?.freeVfs ?? 0;
    answers.push('guest', GUEST);
    const result = await vscode.commands.executeCommand<AttachDeviceResult | undefined>('libvirtHostdev.attachDevice', vf);
    assert.ok(result?.ok, `attach succeeded: ${JSON.stringify(result)}`);
    const xml = dumpxmlInactive(GUEST);
    assert.match(xml, /<interface type='hostdev' managed='yes'>[\s\S]*?bus='0x0b' slot='0x11' function='0x5'/);
    const added = macsOf(xml).filter((mac) => !before.has(mac));
    assert.equal(added.length, 1, `one new MAC: ${added.join(', ')}`);
    assert.match(added[0], /^52:54:00(:[0-9a-f]{2}){3}$/);
    assert.ok(!hostMacs.has(added[0]), `${added[0]} is not used by a guest of the host`);
    await waitUntil('the refreshed inventory', getStatus, (s) => s.status?.freeVfs === freeBefore - 1);
  });

  test("Show Inventory opens the snapshot as JSON (savable for offline use), where the view's Insert button inserts nothing", async () => {
    const { testing } = await activateExtension();
    await vscode.commands.executeCommand('libvirtHostdev.showInventory');
    const editor = await waitFor('the JSON editor', () =>
      vscode.window.activeTextEditor?.document.languageId === 'json' ? vscode.window.activeTextEditor : undefined,
    );
    const text = editor.document.getText();
    const snapshot = JSON.parse(text) as { format: string; devices: { kind: string }[]; guests: { name: string }[] };
    assert.equal(snapshot.format, 'libvirt-hostdev-inventory/1');
    assert.equal(snapshot.devices.filter((d) => d.kind === 'vf').length, 14);
    assert.ok(snapshot.guests.some((g) => g.name === GUEST_USER));
    assert.equal(editor.document.isUntitled, true);
    // the view's inline button on a free VF, with this JSON the active editor
    const tree = testing.vfTree;
    await tree.reload();
    const free = tree
      .getChildren(tree.getChildren()[0])
      .flatMap((pf) => tree.getChildren(pf))
      .find((vf) => tree.getTreeItem(vf).contextValue === 'vf.free');
    assert.ok(free, 'a free VF in the view');
    assert.equal(await vscode.commands.executeCommand('libvirtHostdev.insertInterface', free), false);
    assert.equal(editor.document.getText(), text);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test("Open Guest Definition opens the picked guest's persistent definition, which the server checks against the host", async () => {
    const { answers } = await activateExtension();
    answers.push('guest', GUEST_USER);
    const document = await vscode.commands.executeCommand<vscode.TextDocument | undefined>('libvirtHostdev.openGuestDefinition');
    assert.ok(document, 'a document was opened');
    assert.deepEqual([document.languageId, document.isUntitled], ['xml', true]);
    assert.equal(document.uri.path, `${GUEST_USER}.xml`, 'titled (and saved) as `virsh dumpxml NAME > NAME.xml` would name it');
    assert.equal(document.getText(), dumpxmlInactive(GUEST_USER), 'what virsh dumpxml --inactive prints on the host');
    assert.equal(vscode.window.activeTextEditor?.document, document);
    // checked with the host's inventory: its own VF is held by this guest, not in use by another
    const whole = new vscode.Range(0, 0, document.lineCount, 0);
    const hints = await waitUntil(
      "an inlay hint on the guest's VF",
      async () => (await vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', document.uri, whole)) ?? [],
      (h) => h.length > 0,
    );
    const labels = hints.map((h) => (typeof h.label === 'string' ? h.label : h.label.map((part) => part.value).join('')));
    assert.deepEqual(labels, ["'enp11s0f0' VF 0 · held by this guest"]);
    // opened again while the first one is open (it may hold edits): a second document beside it
    const edited = vscode.window.activeTextEditor!;
    assert.ok(await edited.edit((e) => e.insert(new vscode.Position(0, 0), '<!-- an edit -->\n')));
    answers.push('guest', GUEST_USER);
    const again = await vscode.commands.executeCommand<vscode.TextDocument | undefined>('libvirtHostdev.openGuestDefinition');
    assert.equal(again?.uri.path, `${GUEST_USER}-2.xml`);
    assert.equal(again.getText(), dumpxmlInactive(GUEST_USER));
    assert.match(document.getText(), /^<!-- an edit -->/, 'the first one keeps its edit');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('the Redefine lens of an opened definition sends the edited document back with virsh define', async () => {
    const { answers } = await activateExtension();
    answers.push('guest', GUEST_USER);
    const document = await vscode.commands.executeCommand<vscode.TextDocument | undefined>('libvirtHostdev.openGuestDefinition');
    assert.ok(document);
    const editor = vscode.window.activeTextEditor!;
    const afterName = document.positionAt(document.getText().indexOf('</name>') + '</name>'.length);
    assert.ok(await editor.edit((e) => e.insert(afterName, '\n  <title>edited in VS Code</title>')));
    const lens = await waitFor('the Redefine lens', async () =>
      ((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri)) ?? []).find((l) =>
        l.command?.title.startsWith(`Redefine '${GUEST_USER}' on `),
      ),
    );
    assert.equal(lens.command!.command, 'libvirtHostdev.server.defineGuest');
    // nothing to ask: no errors, and the document keeps the VF the host's definition holds
    const result = await vscode.commands.executeCommand<{ ok: boolean; message: string; commandLine: string }>(
      lens.command!.command,
      ...(lens.command!.arguments ?? []),
    );
    assert.ok(result?.ok, `virsh define: ${JSON.stringify(result)}`);
    assert.equal(result.commandLine, 'virsh -c qemu:///session define --validate --file /dev/stdin');
    assert.match(dumpxmlInactive(GUEST_USER), /<title>edited in VS Code<\/title>/);
    // closed without saving: the next test opens a definition of that name again at once
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('Define Guest on Host runs the lens of the active document from the palette; a document that is no <domain> is refused', async () => {
    await activateExtension();
    const document = await vscode.commands.executeCommand<vscode.TextDocument | undefined>(
      'libvirtHostdev.openGuestDefinition',
      GUEST_USER,
    );
    assert.ok(document);
    const editor = vscode.window.activeTextEditor!;
    const afterName = document.positionAt(document.getText().indexOf('</name>') + '</name>'.length);
    assert.ok(await editor.edit((e) => e.insert(afterName, '\n  <description>defined from the palette</description>')));
    const result = await vscode.commands.executeCommand<{ ok: boolean; message: string; commandLine: string }>(
      'libvirtHostdev.defineGuest',
    );
    assert.ok(result?.ok, `virsh define: ${JSON.stringify(result)}`);
    assert.equal(result.commandLine, 'virsh -c qemu:///session define --validate --file /dev/stdin');
    assert.match(dumpxmlInactive(GUEST_USER), /<description>defined from the palette<\/description>/);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');

    // a device, not a domain
    await openFixture('problems.xml');
    const refused = await vscode.commands.executeCommand<{ ok: boolean; message: string }>('libvirtHostdev.defineGuest');
    assert.deepEqual(refused, { ok: false, message: 'define: the document is not one <domain> with a <name>' });
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  test('a lens title shows a name written like an icon, $(alert), as its text', async () => {
    await activateExtension();
    const document = await vscode.workspace.openTextDocument({
      language: 'xml',
      content: "<domain type='kvm'>\n  <name>$(alert)</name>\n</domain>\n",
    });
    await vscode.window.showTextDocument(document);
    const lens = await waitFor('the Define lens', async () =>
      (await lensesFor(document.uri)).find((l) => l.command?.command === 'libvirtHostdev.server.defineGuest'),
    );
    // VS Code draws `$(alert)` in a lens title as the alert icon, and `\$(alert)` as the text `$(alert)`
    assert.equal(lens.command!.title, `Define '\\$(alert)' on '${HOST}'`);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test("the SR-IOV view's used VF opens the definition of the guest that holds it, without asking", async () => {
    const { testing, answers } = await activateExtension();
    const tree = testing.vfTree;
    await tree.reload();
    const [host] = tree.getChildren();
    const used = tree.getChildren(tree.getChildren(host)[0]).find((vf) => tree.getTreeItem(vf).label === '0000:0b:10.0');
    assert.equal(used && tree.getTreeItem(used).contextValue, 'vf.used');
    // an answer ready for a guest picker, which must not be shown: one guest holds the VF
    answers.push('guest', GUEST);
    const asked = answers.asked.length;
    const document = await vscode.commands.executeCommand<vscode.TextDocument | undefined>('libvirtHostdev.openGuestDefinition', used);
    assert.equal(document?.getText(), dumpxmlInactive(GUEST_USER));
    assert.equal(answers.asked.length, asked, 'one guest holds it: nothing is asked');
    answers.clear();
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
