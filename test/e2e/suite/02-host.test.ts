// Select Host through the command against the loopback sshd (unknown host key answered), then the
// inventory is loaded and the status bar item shows the host and its free/total VFs.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, getStatus, HOST, openFixture, requireHost, waitUntil } from './helpers';

suite('host selection', () => {
  test('Select Host (unknown host key accepted) loads the inventory and the status bar shows it', async () => {
    requireHost();
    const { answers } = await activateExtension();
    await openFixture('problems.xml');
    // remembered: the later attach connects again and must not be asked twice
    answers.push('hostKey', 'remember');
    const chosen = await vscode.commands.executeCommand('libvirtHostdev.selectHost', HOST);
    assert.equal(chosen, HOST);
    const status = await waitUntil('the inventory of the selected host', getStatus,
      (s) => s.status?.state === 'ok' && s.status.host === HOST, 60_000);
    assert.ok(answers.asked.some((a) => a.kind === 'hostKey'), 'the unknown host key prompt was shown (and answered)');
    // 2 PFs × 7 VFs on the generated 82576 tree; lhd-e2e-web01's config holds 0000:0b:10.0
    assert.equal(status.status?.totalVfs, 14);
    assert.equal(status.status?.freeVfs, 13);
    assert.match(status.text, new RegExp(`${HOST} 13/14 VFs free`));
  });
});
