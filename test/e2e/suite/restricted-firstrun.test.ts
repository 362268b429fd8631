// A new user's first run (the offline launcher's Restricted Mode pass: the folder is untrusted, the user
// settings are empty, the workspace's own settings name hosts that must not be used). Quick picks, input
// boxes and the trust editor are driven with the keyboard and the mouse, as a user would (helpers.ts
// asUser). The walk ends by trusting the folder and attaching through a lens. VS Code refuses modal
// dialogs to extension tests, so the errors modal answered with Enter is walked by the launcher's
// third pass (test/e2e/user/firstAttach.mjs), without test hooks.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { DeviceCommandArgs } from '../../../shared/commands';
import type { AttachDeviceResult } from '../../../shared/protocol';
import {
  activateExtension,
  asUser,
  codeOf,
  dumpxmlInactive,
  getStatus,
  GUEST,
  HOST,
  lensAt,
  lensesFor,
  openFixture,
  ourDiagnostics,
  waitFor,
  waitUntil,
  workspaceFile,
} from './helpers';

const PORT = process.env.LIBVIRT_HOSTDEV_TEST_SSH_PORT ?? '';
const KEY = process.env.LIBVIRT_HOSTDEV_TEST_SSH_KEY ?? '';
const USER = process.env.LIBVIRT_HOSTDEV_TEST_SSH_USER ?? 'vmtest';
/** in lhd-e2e-db01.xml: a free VF with a good MAC, and a device with a multicast MAC (an error) */
const GOOD = "function='0x2'";
const BAD = '01:00:5e:00:00:01';

suite('first run (untrusted folder, empty user settings)', () => {
  suiteSetup(() => {
    if (!PORT || !KEY) throw new Error('no loopback host: run test/setup/env.sh (the offline launcher does)');
  });

  test('Restricted Mode is shown as "restricted", never as an unreachable host', async () => {
    await activateExtension();
    await openFixture('problems.xml');
    const status = await waitUntil('the status item', getStatus, (s) => s.serverRunning);
    assert.match(status.text, /restricted/);
    assert.doesNotMatch(status.text + status.tooltip, /unreachable/);
    assert.equal((status as { restricted?: boolean }).restricted, true);
  });

  test('a pom.xml with a syntax error gets no diagnostic of ours, no status item and no document commands; a libvirt file does', async () => {
    const pom = workspaceFile('pom.xml');
    fs.writeFileSync(pom.fsPath, '<?xml version="1.0"?>\n<project><modelVersion>4.0.0</modelVersion><build></project>\n');
    const pomEditor = await openFixture('pom.xml');
    assert.equal(((await getStatus()) as { shownForActiveEditor?: boolean }).shownForActiveEditor, false);
    // the context key that keeps attach, detach, define and insert off its palette and context menu
    assert.equal(((await getStatus()) as { activeDocumentKind?: string }).activeDocumentKind, 'other');
    // the server answers documents in order: once problems.xml (opened after) is checked, pom.xml was too
    const problems = await openFixture('problems.xml');
    await waitFor('diagnostics of problems.xml', () => ourDiagnostics(problems.document.uri).length > 0);
    assert.equal(((await getStatus()) as { shownForActiveEditor?: boolean }).shownForActiveEditor, true);
    assert.equal(((await getStatus()) as { activeDocumentKind?: string }).activeDocumentKind, 'libvirt');
    assert.deepEqual(ourDiagnostics(pomEditor.document.uri).map(codeOf), []);
  });

  test('a Problems row names the problem in its first words', async () => {
    const editor = await openFixture('problems.xml');
    const diagnostics = await waitFor('diagnostics', () => {
      const rows = ourDiagnostics(editor.document.uri).filter((d) => codeOf(d) !== 'xml-syntax' && codeOf(d) !== 'inventory-unavailable');
      return rows.length > 0 ? rows : undefined;
    });
    for (const d of diagnostics) {
      assert.doesNotMatch(d.message, /^libvirt /, d.message);
      const lead = d.message.indexOf(' — ');
      assert.ok(lead > 0 && lead <= 80, `${codeOf(d)}: the problem comes first: ${d.message}`);
    }
  });

  test('a command that needs the inventory, run before any host is read, says so and offers Select Host, which opens the host picker', async () => {
    await activateExtension();
    await openFixture('problems.xml');
    assert.notEqual((await getStatus()).status?.state, 'ok', 'no inventory has been read');
    await vscode.commands.executeCommand('libvirtHostdev.showInventory');
    // an extension test run's notifications go to the notification centre without a toast: opened there
    await vscode.commands.executeCommand('notifications.showList');
    await asUser([
      { waitFor: '.notifications-center .notification-list-item:has-text("Show Inventory: no inventory yet. Select a host first.")' },
      {
        click:
          '.notifications-center .notification-list-item:has-text("Show Inventory: no inventory yet") .monaco-button:has-text("Select Host")',
      },
      { waitFor: '.quick-input-widget .monaco-list-row:has-text("Add host")' },
      { press: 'Escape' },
    ]);
    await vscode.commands.executeCommand('notifications.hideList');
  });

  test('Add host from the UI with an identity file: the connection is tested, saved in the user settings, and used in Restricted Mode', async () => {
    const { answers } = await activateExtension();
    answers.push('hostKey', 'once');
    const picked = vscode.commands.executeCommand<string | undefined>('libvirtHostdev.selectHost');
    const row = '.quick-input-widget .monaco-list-row';
    await asUser([
      { waitFor: row },
      { type: 'Add host' },
      { press: 'Enter' },
      // step 1/4: the target, typed (the first row offers it)
      { waitFor: '.quick-input-widget input[placeholder^="An alias from"]' },
      { type: `${USER}@127.0.0.1:${PORT}` },
      { press: 'Enter' },
      // step 2/4: the identity file, typed as a path
      { waitFor: '.quick-input-widget input[placeholder^="Identity file"]' },
      { type: KEY },
      { press: 'Enter' },
      // step 3/4: the name (the suggestion replaced), 4/4: the libvirt URI
      { waitFor: '.quick-input-widget .quick-input-message:has-text("Name shown")' },
      { press: 'Control+A' },
      { type: 'lab' },
      { press: 'Enter' },
      { waitFor: '.quick-input-widget .quick-input-message:has-text("libvirt URI")' },
      { press: 'Control+A' },
      { type: 'qemu:///session' },
      { press: 'Enter' },
    ]);
    assert.equal(await picked, 'lab');
    const saved = vscode.workspace
      .getConfiguration('libvirtHostdev')
      .inspect<{ name: string; target: string; identityFile?: string; connect?: string }[]>('hosts')?.globalValue;
    assert.deepEqual(
      saved?.find((h) => h.name === 'lab'),
      { name: 'lab', target: `${USER}@127.0.0.1:${PORT}`, identityFile: KEY, connect: 'qemu:///session' },
    );
    const status = await waitUntil(
      'the new host in the status item',
      getStatus,
      (s) => s.status?.host === 'lab' && s.status.state === 'ok',
      60_000,
    );
    assert.match(status.text, /^\$\(server\) lab \d+\/\d+ VFs free/);
    answers.clear();
  });

  test('trust granted through the UI (palette → Manage Workspace Trust → Trust): the workspace host is used and attach is enabled', async () => {
    const { answers } = await activateExtension();
    assert.equal(vscode.workspace.isTrusted, false);
    // the server starts over with the workspace's own host (its activeHost wins over the user's): first contact
    answers.push('hostKey', 'once', 'once');
    await asUser([
      { press: 'F1' },
      { waitFor: '.quick-input-widget input' },
      { type: 'Manage Workspace Trust' },
      { waitFor: '.quick-input-widget .monaco-list-row:has-text("Manage Workspace Trust")' },
      { press: 'Enter' },
      { click: '.workspace-trust-editor .monaco-button >> text="Trust"' },
    ]);
    await waitFor('workspace trust', () => vscode.workspace.isTrusted);
    const status = await waitUntil(
      "the workspace's host in the status item",
      getStatus,
      (s) => s.serverRunning && s.status?.host === HOST && s.status.state === 'ok',
      60_000,
    );
    assert.doesNotMatch(status.text, /restricted/);
    assert.notEqual((status as { restricted?: boolean }).restricted, true);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    answers.clear();
  });

  test('a lens attaches only to a real guest: "Attach to" the guest the host has; for one it does not, a label saying why', async () => {
    const real = await openFixture(`${GUEST}.xml`);
    const lens = await lensAt(real, GOOD, 'libvirtHostdev.attachDevice', GUEST);
    assert.equal(lens.command.title, `Attach to '${GUEST}'`);
    assert.equal((lens.command.arguments?.[0] as DeviceCommandArgs).guest, GUEST);
    // guest-bad.xml is the domain XML of app02, which the host does not have
    const missing = await openFixture('guest-bad.xml');
    const lenses = await waitUntil(
      'the lenses of guest-bad.xml',
      () => lensesFor(missing.document.uri),
      (l) => l.some((x) => /is not defined on/.test(x.command?.title ?? '')),
      60_000,
    );
    const guestActions = lenses.filter((l) => (l.command?.arguments?.[0] as DeviceCommandArgs | undefined)?.guest);
    assert.deepEqual(
      guestActions.map((l) => l.command?.title),
      [],
      'no attach or detach names a guest the host does not have',
    );
    const why = lenses.find((l) => /is not defined on/.test(l.command?.title ?? ''));
    assert.equal(why?.command?.title, `'app02' is not defined on '${HOST}': no attach/detach`);
    assert.equal(why?.command?.command, '', 'the label is not clickable');
  });

  test('attach through the lens: --config to qemu:///session, virsh dumpxml shows the device', async () => {
    const editor = await openFixture(`${GUEST}.xml`);
    const before = editor.document.getText();
    const lens = await lensAt(editor, GOOD, 'libvirtHostdev.attachDevice', GUEST);
    const result = await vscode.commands.executeCommand<AttachDeviceResult | undefined>(
      lens.command.command,
      ...(lens.command.arguments ?? []),
    );
    assert.ok(result?.ok, `attach succeeded: ${JSON.stringify(result)}`);
    assert.match(result.commandLine, /^virsh -c qemu:\/\/\/session attach-device .*--config/);
    assert.ok(result.commandLine.includes(GUEST), result.commandLine);
    assert.doesNotMatch(result.commandLine, /--live/);
    const xml = dumpxmlInactive(GUEST);
    assert.match(xml, /52:54:00:e2:e0:01/);
    assert.match(xml, /bus='0x0b' slot='0x10' function='0x2'/);
    assert.doesNotMatch(xml, new RegExp(BAD));
    assert.equal(editor.document.getText(), before, 'the document is never modified');
    // now in the definition: the lens offers the detach instead
    await lensAt(editor, GOOD, 'libvirtHostdev.detachDevice', GUEST);
  });
});
