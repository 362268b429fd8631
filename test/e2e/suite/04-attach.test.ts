// Attach from the CodeLens to a shut-off guest of the loopback host's qemu:///session, checked with
// `virsh dumpxml --inactive`; a device with errors is refused; the document is never modified.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { DeviceCommandArgs } from '../../../shared/commands';
import type { AttachDeviceResult } from '../../../shared/protocol';
import {
  activateExtension,
  dumpxmlInactive,
  getStatus,
  GUEST,
  GUEST_RUNNING,
  lensAt,
  openFixture,
  positionOf,
  requireHost,
  screenshot,
  waitFor,
  waitUntil,
} from './helpers';

const GOOD = "function='0x2'";
const BAD = '01:00:5e:00:00:01';

suite('attach', () => {
  suiteSetup(() => requireHost());

  test('attach from the CodeLens to a shut-off guest: virsh dumpxml --inactive shows the device; the document is unchanged', async () => {
    const { answers } = await activateExtension();
    const editor = await openFixture(`${GUEST}.xml`);
    const before = editor.document.getText();
    assert.doesNotMatch(dumpxmlInactive(GUEST), /hostdev/, 'the guest starts without hostdev devices');
    const lens = await lensAt(editor, GOOD, 'libvirtHostdev.attachDevice');
    const args = lens.command.arguments?.[0] as DeviceCommandArgs;
    if (process.env.LIBVIRT_HOSTDEV_E2E_SHOTS) {
      // the real guest quick pick, for the README picture; closing it cancels that attach
      const pending = vscode.commands.executeCommand('libvirtHostdev.attachDevice', { uri: args.uri, deviceSpan: args.deviceSpan });
      await screenshot('attach-pick');
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      assert.equal(await pending, undefined, 'closing the pick cancels the attach');
    }
    if (!args.guest) answers.push('guest', GUEST);
    const result = await vscode.commands.executeCommand<AttachDeviceResult | undefined>(
      lens.command.command,
      ...(lens.command.arguments ?? []),
    );
    assert.ok(result?.ok, `attach succeeded: ${JSON.stringify(result)}`);
    assert.match(result.message, /attached successfully/i);
    assert.match(result.commandLine, /^virsh -c qemu:\/\/\/session attach-device .*--config/);
    assert.ok(result.commandLine.includes(GUEST), result.commandLine);
    assert.doesNotMatch(result.commandLine, /--live/, 'a shut-off guest gets --config only');
    const xml = dumpxmlInactive(GUEST);
    assert.match(xml, /<interface type='hostdev' managed='yes'>/);
    assert.match(xml, /52:54:00:e2:e0:01/);
    assert.match(xml, /bus='0x0b' slot='0x10' function='0x2'/);
    assert.equal(editor.document.getText(), before, 'the document text is unchanged');
    assert.equal(editor.document.isDirty, false, 'the document is not dirty');
    // the inventory was refreshed after the attach: the VF now counts as used
    await waitUntil('the refreshed inventory', getStatus, (s) => s.status?.freeVfs === 12);
  });

  test('attaching that device to the guest again: the host check says the guest already has its VF (declined; libvirt untouched)', async () => {
    const { answers } = await activateExtension();
    const editor = await openFixture(`${GUEST}.xml`);
    const xmlBefore = dumpxmlInactive(GUEST);
    assert.match(xmlBefore, /function='0x2'/, 'attached by the test above');
    const lens = await lensAt(editor, GOOD, 'libvirtHostdev.attachDevice');
    const args = lens.command.arguments?.[0] as DeviceCommandArgs;
    // through the guest pick, as "Attach to guest…" goes: the guest's own VF is what the document cannot see
    answers.push('guest', GUEST);
    answers.push('attachAnyway', false);
    const asked = answers.asked.length;
    const result = await vscode.commands.executeCommand('libvirtHostdev.attachDevice', { uri: args.uri, deviceSpan: args.deviceSpan });
    assert.equal(result, undefined, 'nothing was attached');
    const questions = answers.asked.slice(asked);
    assert.deepEqual(
      questions.map((a) => a.kind),
      ['guest', 'attachAnyway'],
    );
    assert.match(questions[1].message, /^This device has 1 error( and 1 warning)?\. Attach it anyway\?$/);
    assert.match(
      questions[1].detail ?? '',
      new RegExp(`^'${GUEST}' already has host PCI address 0000:0b:10\\.2 \\(in its persistent definition\\)`),
    );
    answers.clear();
    assert.equal(dumpxmlInactive(GUEST), xmlBefore, 'the definition is unchanged: no second device on the VF');
  });

  test('a device with errors is refused (the modal offers "Attach anyway"; declined) and libvirt is not touched', async () => {
    const { answers } = await activateExtension();
    const editor = await openFixture(`${GUEST}.xml`);
    const before = editor.document.getText();
    const xmlBefore = dumpxmlInactive(GUEST);
    await waitFor('mac-multicast on the second device', () =>
      vscode.languages
        .getDiagnostics(editor.document.uri)
        .some((d) => d.source === 'libvirt-hostdev' && String(typeof d.code === 'object' ? d.code.value : d.code) === 'mac-multicast'),
    );
    const lens = await lensAt(editor, BAD, 'libvirtHostdev.attachDevice');
    answers.push('attachAnyway', false);
    answers.push('guest', GUEST);
    const asked = answers.asked.length;
    const result = await vscode.commands.executeCommand(lens.command.command, ...(lens.command.arguments ?? []));
    assert.equal(result, undefined, 'nothing was attached');
    assert.deepEqual(
      answers.asked.slice(asked).map((a) => a.kind),
      ['guest', 'attachAnyway'],
      'the guest picked, then the errors modal, and nothing after it',
    );
    answers.clear();
    assert.equal(dumpxmlInactive(GUEST), xmlBefore);
    assert.doesNotMatch(dumpxmlInactive(GUEST), new RegExp(BAD));
    assert.equal(editor.document.getText(), before);
    assert.equal(editor.document.isDirty, false);
  });

  test('a document with more problems than the editor is sent: 1,000 lines, the first saying so; attaching a device past them asks first', async () => {
    const { answers } = await activateExtension();
    // 1,200 empty hostdev interfaces: 2,400 problems (source-missing and mac-missing each), and uuid-taken on the
    // name: the host's guest, and no <uuid>
    const devices = "    <interface type='hostdev'/>\n".repeat(1200);
    const document = await vscode.workspace.openTextDocument({
      language: 'xml',
      content: `<domain type='kvm'>\n  <name>${GUEST}</name>\n  <devices>\n${devices}  </devices>\n</domain>\n`,
    });
    const editor = await vscode.window.showTextDocument(document);
    const ours = await waitFor('the budgeted diagnostics', () => {
      const list = vscode.languages.getDiagnostics(document.uri).filter((d) => d.source === 'libvirt-hostdev');
      return list.length > 0 ? list : undefined;
    });
    assert.equal(ours.length, 1000, 'the most VS Code shows for a file');
    const note = ours.find((d) => d.severity === vscode.DiagnosticSeverity.Information);
    assert.match(note?.message ?? '', /^1,402 more problems are not shown: the editor gets 1,000 lines per document/);
    assert.equal(note?.range.start.line, 0);
    // the last device: its errors are among those not sent
    const last = document.lineCount - 4;
    editor.selection = new vscode.Selection(last, 4, last, document.lineAt(last).text.length);
    assert.equal(editor.document.getText(editor.selection), "<interface type='hostdev'/>");
    answers.push('guest', GUEST);
    answers.push('attachAnyway', false);
    const asked = answers.asked.length;
    const result = await vscode.commands.executeCommand('libvirtHostdev.attachDevice');
    assert.equal(result, undefined, 'nothing was attached');
    // the guest first (the device's problems are asked about for the guest it would go to), then the question
    assert.deepEqual(
      answers.asked.slice(asked).map((a) => [a.kind, a.message]),
      [
        ['guest', 'Attach device to guest'],
        ['attachAnyway', 'This device may have errors the editor was not sent. Attach it anyway?'],
      ],
    );
    answers.clear();
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('detach from the CodeLens ("Detach from <guest>"): the device is gone from the definition', async () => {
    const editor = await openFixture(`${GUEST}.xml`);
    const before = editor.document.getText();
    assert.match(dumpxmlInactive(GUEST), /52:54:00:e2:e0:01/, 'attached by the test above');
    const lens = await lensAt(editor, GOOD, 'libvirtHostdev.detachDevice');
    assert.equal((lens.command.arguments?.[0] as DeviceCommandArgs).guest, GUEST);
    const result = await vscode.commands.executeCommand<AttachDeviceResult | undefined>(
      lens.command.command,
      ...(lens.command.arguments ?? []),
    );
    assert.ok(result?.ok, `detach succeeded: ${JSON.stringify(result)}`);
    assert.match(result.commandLine, /^virsh -c qemu:\/\/\/session detach-device .*--config/);
    assert.doesNotMatch(dumpxmlInactive(GUEST), /52:54:00:e2:e0:01/);
    assert.equal(editor.document.getText(), before);
    await waitUntil('the refreshed inventory', getStatus, (s) => s.status?.freeVfs === 13);
  });

  test("a running guest: the cursor's device, --config --live shows libvirt's error, --config alone attaches", async () => {
    const { answers } = await activateExtension();
    const editor = await openFixture('live.xml');
    const inside = positionOf(editor.document, "function='0x1'");
    editor.selection = new vscode.Selection(inside, inside);
    await waitUntil('the running guest in the inventory', ourGuestState, (state) => state === 'running');
    answers.push('guest', GUEST_RUNNING, GUEST_RUNNING);
    answers.push('live', true, false);
    const asked = answers.asked.length;
    const live = await vscode.commands.executeCommand<AttachDeviceResult | undefined>('libvirtHostdev.attachDevice');
    assert.ok(live && !live.ok, `--live on this VM fails (no real VF to pass through): ${JSON.stringify(live)}`);
    assert.match(live.commandLine, /--config --live|--live --config|--config.*--live/);
    assert.match(live.message, /error/i, "libvirt's own message is shown");
    const config = await vscode.commands.executeCommand<AttachDeviceResult | undefined>('libvirtHostdev.attachDevice');
    assert.ok(config?.ok, `--config attaches to the persistent definition: ${JSON.stringify(config)}`);
    assert.doesNotMatch(config.commandLine, /--live/);
    assert.deepEqual(
      answers.asked.slice(asked).map((a) => a.kind),
      ['guest', 'live', 'guest', 'live'],
    );
    assert.match(dumpxmlInactive(GUEST_RUNNING), /52:54:00:e2:e0:21/);
    assert.equal(editor.document.isDirty, false);
  });
});

/** The running guest's state as the server's inventory has it. */
async function ourGuestState(): Promise<string | undefined> {
  const { testing } = await activateExtension();
  const { inventory } = await testing.inventory();
  return (inventory as { guests?: { name: string; state: string }[] } | null)?.guests?.find((g) => g.name === GUEST_RUNNING)?.state;
}
