// The extension activates on an XML file and its language server starts.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, EXTENSION_ID, getStatus, openFixture, waitFor } from './helpers';

suite('activation', () => {
  // room for the editor in the screenshots: no chat side bar
  suiteSetup(() => vscode.commands.executeCommand('workbench.action.closeAuxiliaryBar').then(undefined, () => undefined));

  test('opening an XML file activates the extension and starts the language server', async () => {
    const editor = await openFixture('problems.xml');
    assert.equal(editor.document.languageId, 'xml');
    await waitFor('activation on onLanguage:xml', () => vscode.extensions.getExtension(EXTENSION_ID)?.isActive);
    const { answers } = await activateExtension();
    assert.ok(answers, 'test hooks exposed in ExtensionMode.Test');
    const status = await waitFor('the language server to run', async () => ((await getStatus()).serverRunning ? getStatus() : undefined));
    assert.match(status.text, /libvirt|\$\(/);
  });
});
