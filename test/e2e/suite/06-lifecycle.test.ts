// The client context's life cycle: once disposed (deactivate), nothing may start a language server
// again, not even the SR-IOV view reloading on the last status event the dispose itself fires.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Ctx } from '../../../client/src/ctx';
import { VfTreeProvider } from '../../../client/src/vfTree';
import { activateExtension, EXTENSION_ID, getStatus, requireHost, waitFor, waitUntil } from './helpers';

suite('life cycle', () => {
  test('a disposed client context never starts the language server again (the SR-IOV view reloads on its last status event)', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, 'the extension is loaded');
    const storage = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-e2e-ctx-'));
    // a second context next to the extension's own: same server bundle, its own storage; no commands
    // (the extension registered them already)
    const context = {
      subscriptions: [] as vscode.Disposable[],
      extensionMode: vscode.ExtensionMode.Test,
      asAbsolutePath: (p: string) => path.join(extension.extensionPath, p),
      globalStorageUri: vscode.Uri.file(storage),
      secrets: { get: async () => undefined, store: async () => undefined, delete: async () => undefined },
    } as unknown as vscode.ExtensionContext;
    const ctx = new Ctx(context, {}, 'libvirtHostdev.status.lifecycleTest', 'libvirt Hostdev (life-cycle test)');
    const tree = new VfTreeProvider(ctx);
    try {
      await ctx.dispose();
      // the reload the dispose's status event started, and one more: both must find no server
      await tree.reload();
      assert.equal(ctx.serverRunning, false, 'no language server was started after dispose');
      assert.deepEqual(tree.getChildren(), []);
    } finally {
      tree.dispose();
      await ctx.dispose();
      fs.rmSync(storage, { recursive: true, force: true });
    }
  });

  test('a language server that stops without the extension asking takes its inventory with it: the view empties until Restart', async () => {
    requireHost();
    const { testing } = await activateExtension();
    const tree = testing.vfTree;
    await waitUntil("the host's inventory", getStatus, (s) => s.serverRunning && s.status?.state === 'ok', 60_000);
    await tree.reload();
    assert.equal(tree.getChildren().length, 1, 'the host in the view');
    await testing.stopServer();
    await waitFor('the view emptied', () => (tree.getChildren().length === 0 ? true : undefined));
    const stopped = await getStatus();
    assert.equal(stopped.serverRunning, false);
    assert.equal(stopped.status, null);
    assert.match(stopped.text, /server stopped/);
    await vscode.commands.executeCommand('libvirtHostdev.restartServer');
    await waitUntil("the host's inventory again", getStatus, (s) => s.serverRunning && s.status?.state === 'ok', 60_000);
    await waitFor('the host in the view again', () => (tree.getChildren().length === 1 ? true : undefined));
  });
});

suite('SR-IOV view reloads', () => {
  test('a reload that answers after a later one does not replace what the later one shows', async () => {
    // two reads of the inventory in flight: the first (an old snapshot) answers last
    const answers: Array<(host: string) => void> = [];
    const ctx = {
      isDisposed: false,
      log: { debug: () => undefined },
      onDidChangeStatus: () => ({ dispose: () => undefined }),
      getInventory: () =>
        new Promise((resolve) => {
          answers.push((host) => resolve({ inventory: { host, takenAt: '', devices: [], guests: [] }, status: { state: 'ok', host } }));
        }),
    } as unknown as Ctx;
    const tree = new VfTreeProvider(ctx);
    try {
      const older = tree.reload();
      const newer = tree.reload();
      answers[1]('newer-host');
      await newer;
      answers[0]('older-host');
      await older;
      const shown = tree.getChildren().map((node) => tree.getTreeItem(node).label);
      assert.deepEqual(shown, ['newer-host']);
    } finally {
      tree.dispose();
    }
  });
});
