// A new user's first run (the offline launcher's Restricted Mode pass: the folder is untrusted, the user
// settings are empty, the workspace's own settings name hosts that must not be used). Quick picks and
// input boxes are driven with the keyboard, as a user would (helpers.ts asUser).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { activateExtension, asUser, codeOf, getStatus, openFixture, ourDiagnostics, waitFor, waitUntil, workspaceFile } from './helpers';

const PORT = process.env.LIBVIRT_HOSTDEV_TEST_SSH_PORT ?? '';
const KEY = process.env.LIBVIRT_HOSTDEV_TEST_SSH_KEY ?? '';
const USER = process.env.LIBVIRT_HOSTDEV_TEST_SSH_USER ?? 'vmtest';

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

  test('a pom.xml with a syntax error gets no diagnostic of ours and no status item; a libvirt file does', async () => {
    const pom = workspaceFile('pom.xml');
    fs.writeFileSync(pom.fsPath, '<?xml version="1.0"?>\n<project><modelVersion>4.0.0</modelVersion><build></project>\n');
    const pomEditor = await openFixture('pom.xml');
    assert.equal(((await getStatus()) as { shownForActiveEditor?: boolean }).shownForActiveEditor, false);
    // the server answers documents in order: once problems.xml (opened after) is checked, pom.xml was too
    const problems = await openFixture('problems.xml');
    await waitFor('diagnostics of problems.xml', () => ourDiagnostics(problems.document.uri).length > 0);
    assert.equal(((await getStatus()) as { shownForActiveEditor?: boolean }).shownForActiveEditor, true);
    assert.deepEqual(ourDiagnostics(pomEditor.document.uri).map(codeOf), []);
  });

  test('a Problems row names the problem in its first words', async () => {
    const editor = await openFixture('problems.xml');
    const diagnostics = await waitFor('diagnostics', () =>
      ourDiagnostics(editor.document.uri).filter((d) => codeOf(d) !== 'xml-syntax' && codeOf(d) !== 'inventory-unavailable'),
    );
    for (const d of diagnostics) {
      assert.doesNotMatch(d.message, /^libvirt /, d.message);
      const lead = d.message.indexOf(' — ');
      assert.ok(lead > 0 && lead <= 80, `${codeOf(d)}: the problem comes first: ${d.message}`);
    }
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
});
