// The project's .libvirt-hostdev.json in VS Code: a document below it shows what `libvirt-hostdev
// check` reports for it (the codes the file disables left out, the severities it sets), and an edit
// of the file on disk applies to the open document at once, through the file watcher VS Code keeps
// for the language server. The file itself is completed and checked by VS Code's JSON support with the
// extension's schema.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, codeOf, openFixture, ourDiagnostics, waitUntil, workspaceFile } from './helpers';

const labelOf = (item: vscode.CompletionItem): string => (typeof item.label === 'string' ? item.label : item.label.label);

async function openJson(uri: vscode.Uri): Promise<vscode.TextEditor> {
  const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: false });
  assert.equal(editor.document.languageId, 'json');
  return editor;
}

const FOLDER = 'lhd-e2e-policy';
// pci-octal (bus='011', a warning by default) and mac-missing (information by default)
const DEVICE = `<interface type='hostdev' managed='yes'>
  <source><address type='pci' domain='0x0000' bus='011' slot='0x10' function='0x2'/></source>
</interface>
`;

suite('project config file', () => {
  const folder = (): string => workspaceFile(FOLDER).fsPath;
  const config = (): string => path.join(folder(), '.libvirt-hostdev.json');

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(folder(), { recursive: true, force: true });
  });

  test('a document below .libvirt-hostdev.json: disabled codes not shown, severities as set; a change of the file applies at once', async () => {
    fs.mkdirSync(path.join(folder(), 'guests'), { recursive: true });
    fs.writeFileSync(config(), JSON.stringify({ disable: ['mac-missing'], severity: { 'pci-octal': 'error' } }));
    fs.writeFileSync(path.join(folder(), 'guests', 'web01.xml'), DEVICE);
    const editor = await openFixture(`${FOLDER}/guests/web01.xml`);
    const uri = editor.document.uri;
    const isError = (d: vscode.Diagnostic): boolean => codeOf(d) === 'pci-octal' && d.severity === vscode.DiagnosticSeverity.Error;
    const policed = await waitUntil(
      'pci-octal as an error (the config read)',
      () => ourDiagnostics(uri),
      (d) => d.some(isError),
    );
    assert.deepEqual(
      policed.filter((d) => codeOf(d) === 'mac-missing'),
      [],
      'mac-missing is disabled',
    );

    fs.writeFileSync(config(), JSON.stringify({ severity: { 'mac-missing': 'warning' } }));
    const changed = await waitUntil(
      'mac-missing as a warning after the file changed',
      () => ourDiagnostics(uri),
      (d) => d.some((x) => codeOf(x) === 'mac-missing' && x.severity === vscode.DiagnosticSeverity.Warning),
    );
    const octal = changed.find((d) => codeOf(d) === 'pci-octal');
    assert.equal(octal?.severity, vscode.DiagnosticSeverity.Warning, 'pci-octal back to its own severity');
  });

  test("the light bulb's Show documentation for CODE opens the code explained, at the severity the document's config sets", async () => {
    fs.mkdirSync(path.join(folder(), 'guests'), { recursive: true });
    fs.writeFileSync(config(), JSON.stringify({ severity: { 'pci-octal': 'error' } }));
    fs.writeFileSync(path.join(folder(), 'guests', 'db01.xml'), DEVICE);
    const editor = await openFixture(`${FOLDER}/guests/db01.xml`);
    const uri = editor.document.uri;
    const [octal] = await waitUntil(
      'pci-octal as an error',
      () => ourDiagnostics(uri),
      (d) => d.some((x) => codeOf(x) === 'pci-octal' && x.severity === vscode.DiagnosticSeverity.Error),
    ).then((d) => d.filter((x) => codeOf(x) === 'pci-octal'));
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, octal.range);
    const titles = actions.map((a) => a.title);
    const documentation = actions.find((a) => a.title === 'Show documentation for pci-octal');
    assert.ok(documentation?.command, titles.join(' | '));
    assert.ok(
      titles.indexOf(documentation.title) > titles.findIndex((t) => t.startsWith('Write ')),
      `after the fixes: ${titles.join(' | ')}`,
    );
    await vscode.commands.executeCommand(documentation.command.command, ...(documentation.command.arguments ?? []));
    const shown = vscode.window.activeTextEditor?.document;
    assert.equal(shown?.uri.scheme, 'libvirt-hostdev');
    assert.match(
      shown?.getText() ?? '',
      /^pci-octal: error \(set by .*\.libvirt-hostdev\.json; warning by default\)\n {2}leading zero read as octal/,
    );
    assert.equal(shown?.isDirty, false);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  test('Show Diagnostic Code Documentation… from the palette explains the code picked', async () => {
    const { answers } = await activateExtension();
    answers.push('code', 'vf-in-use');
    const text = await vscode.commands.executeCommand<string | undefined>('libvirtHostdev.explainCode');
    assert.match(text ?? '', /^vf-in-use: error\n {2}error when a running guest holds the VF live/);
    assert.equal(vscode.window.activeTextEditor?.document.getText(), text);
    assert.ok(
      answers.asked.some((a) => a.kind === 'code'),
      'the quick pick was asked',
    );
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  test('.libvirt-hostdev.json in the JSON editor: a misspelt code is marked, and the codes complete with what they mean', async () => {
    fs.mkdirSync(folder(), { recursive: true });
    fs.writeFileSync(config(), '{ "disable": ["mac-mising"], "severity": { "pci-octal": "fatal" } }\n');
    const editor = await openJson(vscode.Uri.file(config()));
    const doc = editor.document;
    const marked = await waitUntil(
      "the schema's marks on the misspelt code and the unknown level",
      () => vscode.languages.getDiagnostics(doc.uri),
      (d) =>
        d.some((x) => x.range.contains(doc.positionAt(doc.getText().indexOf('mac-mising')))) &&
        d.some((x) => x.range.contains(doc.positionAt(doc.getText().indexOf('fatal')))),
    );
    assert.ok(marked.length >= 2, marked.map((d) => d.message).join('\n'));
    const inside = doc.positionAt(doc.getText().indexOf('mac-mising') + 1);
    const items = await waitUntil(
      'the codes offered inside "disable"',
      () => vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, inside),
      (list) => list.items.some((i) => labelOf(i).includes('mac-missing')),
    );
    const missing = items.items.find((i) => labelOf(i).includes('mac-missing'));
    const documentation = typeof missing?.documentation === 'string' ? missing.documentation : (missing?.documentation?.value ?? '');
    assert.match(documentation, /mac-missing \(information by default\)/);
  });
});
