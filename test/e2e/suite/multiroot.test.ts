// (multi-root pass) A window of two folders whose documents use two hosts: the first folder the
// loopback host, the second the example snapshot (offline/workspace.mjs). The status item follows
// the host of the focused document, as the user moves between them.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, getStatus, HOST, requireHost, waitUntil, type StatusSnapshot } from './helpers';

/** the host the example snapshot (examples/82576-inventory.json) names */
const SNAPSHOT_HOST = 'kvm-82576.example.com';

async function focus(uri: vscode.Uri): Promise<void> {
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document, { preview: false });
}

suite('two folders on two hosts', () => {
  test("the status follows the focused document's host", async () => {
    requireHost();
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.equal(folders.length, 2, 'the pass opens a window of two folders');
    const { answers } = await activateExtension();
    answers.push('hostKey', 'once');
    const onHost = vscode.Uri.joinPath(folders[0].uri, 'hover.xml');
    const onSnapshot = vscode.Uri.joinPath(folders[1].uri, 'snapshot-guest.xml');
    const showing =
      (host: string) =>
      (s: StatusSnapshot): boolean =>
        s.status?.state === 'ok' && s.status.host === host;

    await focus(onHost);
    await waitUntil(`the status of ${HOST} (the first folder's document has the focus)`, getStatus, showing(HOST), 60_000);
    await focus(onSnapshot);
    await waitUntil(`the status of the snapshot's ${SNAPSHOT_HOST} (the second folder's)`, getStatus, showing(SNAPSHOT_HOST));
    // back, with both documents checked already: only the focus changes
    await focus(onHost);
    const back = await waitUntil(`the status of ${HOST} again`, getStatus, showing(HOST));
    assert.match(back.text, new RegExp(`${HOST} \\d+/\\d+ VFs free`));
    await focus(onSnapshot);
    await waitUntil(`the status of ${SNAPSHOT_HOST} again`, getStatus, showing(SNAPSHOT_HOST));
  });
});
