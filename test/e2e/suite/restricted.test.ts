// Restricted Mode (run by the offline launcher's second pass: workspace trust on, folder not trusted).
// Attach is unavailable: the commands carry `enablement: isWorkspaceTrusted` (menus, palette and lenses
// honour it) and refuse at run time when invoked anyway; hosts from workspace settings are not contacted.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DeviceCommandArgs } from '../../../shared/commands';
import { activateExtension, EXTENSION_ID, getStatus, GUEST, openFixture, waitFor } from './helpers';

suite('restricted mode', () => {
  test('the workspace is untrusted in this run', () => {
    assert.equal(vscode.workspace.isTrusted, false);
  });

  test('attach and detach are declared disabled without workspace trust', () => {
    const commands = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON.contributes.commands as {
      command: string;
      enablement?: string;
    }[];
    for (const id of ['libvirtHostdev.attachDevice', 'libvirtHostdev.detachDevice']) {
      assert.equal(commands.find((c) => c.command === id)?.enablement, 'isWorkspaceTrusted', id);
    }
  });

  test('attach invoked anyway is refused at run time, saying why, and asks nothing', async () => {
    const { answers, testing } = await activateExtension();
    const editor = await openFixture(`${GUEST}.xml`);
    const text = editor.document.getText();
    const start = text.indexOf("<interface type='hostdev'");
    const args: DeviceCommandArgs = {
      uri: editor.document.uri.toString(),
      deviceSpan: { start, end: text.indexOf('</interface>', start) + '</interface>'.length },
      guest: GUEST,
    };
    answers.push('guest', GUEST);
    answers.push('attachAnyway', true);
    const result = await vscode.commands.executeCommand('libvirtHostdev.attachDevice', args);
    assert.equal(result, undefined);
    // refused for the trust, not for want of an inventory (none has been read in this pass yet)
    assert.match(testing.lastFailure() ?? '', /^Attach is disabled in Restricted Mode/);
    assert.deepEqual(answers.asked, [], 'no prompt: the flow stopped before choosing a guest');
    answers.clear();
  });

  test('hosts from the untrusted workspace settings are not contacted', async () => {
    const { answers, testing } = await activateExtension();
    // the workspace's settings file names both the hosts and the active host (offline/workspace.mjs);
    // VS Code hides them (restrictedConfigurations) and so does client/src/config.ts
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
    const written = JSON.parse(fs.readFileSync(path.join(folder, '.vscode', 'settings.json'), 'utf8')) as Record<string, unknown>;
    assert.ok(written['libvirtHostdev.activeHost'] && written['libvirtHostdev.hosts'], 'the untrusted workspace sets hosts and activeHost');
    // a host key prompt would be answered (and recorded) instead of waiting on a modal
    answers.push('hostKey', 'cancel');
    await openFixture('problems.xml');
    await waitFor('the language server', async () => (await getStatus()).serverRunning);
    // the server's own view (not the last status the client heard): no host provider at all
    const { status } = await testing.inventory();
    assert.ok(status.state === 'none' || status.source !== 'host', `no host inventory: ${JSON.stringify(status)}`);
    assert.ok(!answers.asked.some((a) => a.kind === 'hostKey'), 'no SSH connection was attempted (no host key prompt)');
    answers.clear();
  });
});
