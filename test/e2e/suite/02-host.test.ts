// Select Host through the command against the loopback sshd (unknown host key answered), then the
// inventory is loaded and the status bar item shows the host and its free/total VFs.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  activateExtension,
  codeOf,
  getStatus,
  HOST,
  openFixture,
  ourDiagnostics,
  PASSPHRASE_HOST,
  requireHost,
  screenshot,
  UNREACHABLE_HOST,
  waitFor,
  waitUntil,
} from './helpers';

suite('host selection', () => {
  test('Select Host (unknown host key accepted) loads the inventory and the status bar shows it', async () => {
    requireHost();
    const { answers } = await activateExtension();
    await openFixture('problems.xml');
    // remembered: the later attach connects again and must not be asked twice
    answers.push('hostKey', 'remember');
    const chosen = await vscode.commands.executeCommand('libvirtHostdev.selectHost', HOST);
    assert.equal(chosen, HOST);
    const status = await waitUntil(
      'the inventory of the selected host',
      getStatus,
      (s) => s.status?.state === 'ok' && s.status.host === HOST,
      60_000,
    );
    assert.ok(
      answers.asked.some((a) => a.kind === 'hostKey'),
      'the unknown host key prompt was shown (and answered)',
    );
    // 2 PFs × 7 VFs on the generated 82576 tree; lhd-e2e-web01's config holds 0000:0b:10.0
    assert.equal(status.status?.totalVfs, 14);
    assert.equal(status.status?.freeVfs, 13);
    assert.match(status.text, new RegExp(`${HOST} 13/14 VFs free`));
    if (process.env.LIBVIRT_HOSTDEV_E2E_SHOTS) {
      // the real host picker, for the walk-through's first step; closing it picks nothing
      const pending = vscode.commands.executeCommand('libvirtHostdev.selectHost');
      await screenshot('host-picker');
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      assert.equal(await pending, undefined, 'closing the picker picks no host');
    }
  });

  test('an unreachable host: the status bar says so, a diagnostic gives the reason; selecting the good host again recovers', async () => {
    requireHost();
    const editor = await openFixture('problems.xml');
    assert.equal(await vscode.commands.executeCommand('libvirtHostdev.selectHost', UNREACHABLE_HOST), UNREACHABLE_HOST);
    const down = await waitUntil(
      'the unreachable state',
      getStatus,
      (s) => s.status?.state === 'unreachable' && s.status.host === UNREACHABLE_HOST,
      60_000,
    );
    assert.match(down.text, new RegExp(`${UNREACHABLE_HOST} unreachable`));
    assert.ok(down.status?.error, 'the reason is kept');
    const info = await waitFor('the inventory-unavailable diagnostic', () =>
      ourDiagnostics(editor.document.uri).find((d) => codeOf(d) === 'inventory-unavailable'),
    );
    assert.equal(info.severity, vscode.DiagnosticSeverity.Information);
    // asked for again by the user, the failure is said in a notification (the view's state alone is easy to miss)
    const { testing } = await activateExtension();
    const again = await vscode.commands.executeCommand<{ state: string }>('libvirtHostdev.refreshInventory');
    assert.equal(again.state, 'unreachable');
    assert.ok(
      testing.lastFailure()?.startsWith(`Could not refresh '${UNREACHABLE_HOST}': `),
      `the notification names the host and why: ${testing.lastFailure()}`,
    );
    await vscode.commands.executeCommand('libvirtHostdev.selectHost', HOST);
    await waitUntil('the good host again', getStatus, (s) => s.status?.state === 'ok' && s.status.host === HOST, 60_000);
    await waitFor(
      'the inventory-unavailable diagnostic to go away',
      () => !ourDiagnostics(editor.document.uri).some((d) => codeOf(d) === 'inventory-unavailable'),
    );
  });

  test('a passphrase-protected key: the passphrase prompt is answered and the inventory loads', async () => {
    requireHost();
    const { answers } = await activateExtension();
    await openFixture('problems.xml');
    const passphrase = process.env.LIBVIRT_HOSTDEV_TEST_SSH_KEY_PASSPHRASE;
    assert.ok(passphrase, 'LIBVIRT_HOSTDEV_TEST_SSH_KEY_PASSPHRASE from test/setup/env.sh');
    answers.push('secret', passphrase);
    const asked = answers.asked.length;
    await vscode.commands.executeCommand('libvirtHostdev.selectHost', PASSPHRASE_HOST);
    await waitUntil(
      'the inventory through the encrypted key',
      getStatus,
      (s) => s.status?.state === 'ok' && s.status.host === PASSPHRASE_HOST,
      60_000,
    );
    assert.deepEqual(
      answers.asked.slice(asked).map((a) => a.kind),
      ['secret'],
      'asked for the passphrase once (host key already remembered)',
    );
    await vscode.commands.executeCommand('libvirtHostdev.selectHost', HOST);
    await waitUntil('the good host again', getStatus, (s) => s.status?.state === 'ok' && s.status.host === HOST, 60_000);
  });

  test('a host entry without a target: the diagnostic says what is wrong with it, not that it is missing', async () => {
    requireHost();
    const editor = await openFixture('problems.xml');
    const cfg = vscode.workspace.getConfiguration('libvirtHostdev');
    const written = cfg.inspect<unknown[]>('hosts')?.workspaceValue;
    assert.ok(Array.isArray(written), 'the workspace lists the test hosts');
    // the entry the user is still writing: VS Code passes it on as written, the server names what it lacks
    await cfg.update('hosts', [...written, { name: 'e2e-half' }], vscode.ConfigurationTarget.Workspace);
    try {
      await cfg.update('activeHost', 'e2e-half', vscode.ConfigurationTarget.Workspace);
      const info = await waitFor('the inventory-unavailable diagnostic for e2e-half', () =>
        ourDiagnostics(editor.document.uri).find((d) => codeOf(d) === 'inventory-unavailable' && d.message.includes('e2e-half')),
      );
      assert.match(info.message, /'e2e-half' is in libvirtHostdev\.hosts but has no target/);
    } finally {
      await cfg.update('hosts', written, vscode.ConfigurationTarget.Workspace);
      await vscode.commands.executeCommand('libvirtHostdev.selectHost', HOST);
    }
    await waitUntil('the good host again', getStatus, (s) => s.status?.state === 'ok' && s.status.host === HOST, 60_000);
  });
});
