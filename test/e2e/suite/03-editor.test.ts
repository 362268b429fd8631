// Editor features through VS Code's own provider commands (the same path the UI takes):
// diagnostics, hover, completion and a quick fix, with the inventory of the selected loopback host.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  asUser,
  codeOf,
  GUEST_USER,
  openFixture,
  ourDiagnostics,
  positionOf,
  requireHost,
  screenshot,
  waitFor,
  waitUntil,
} from './helpers';

function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n');
}

function labelOf(item: vscode.CompletionItem): string {
  return typeof item.label === 'string' ? item.label : item.label.label;
}

function textOf(item: vscode.CompletionItem): string {
  return typeof item.insertText === 'string' ? item.insertText : (item.insertText?.value ?? '');
}

/** the completion items in the order the editor shows them (sortText, then label) */
function sorted(items: vscode.CompletionItem[]): vscode.CompletionItem[] {
  const key = (i: vscode.CompletionItem) => i.sortText ?? labelOf(i);
  return [...items].sort((a, b) => key(a).localeCompare(key(b)));
}

suite('editor features', () => {
  suiteSetup(() => requireHost());

  test('diagnostics for a known-bad device have the right codes and ranges', async () => {
    const editor = await openFixture('problems.xml');
    const doc = editor.document;
    const diags = await waitFor('mac-multicast and pci-decimal on problems.xml', () => {
      const d = ourDiagnostics(doc.uri);
      const codes = d.map(codeOf);
      return codes.includes('mac-multicast') && codes.includes('pci-decimal') ? d : undefined;
    });
    const mac = diags.find((d) => codeOf(d) === 'mac-multicast')!;
    assert.equal(mac.severity, vscode.DiagnosticSeverity.Error);
    assert.ok(
      mac.range.contains(positionOf(doc, '01:00:5e:00:00:fb', 1)),
      `mac-multicast range ${JSON.stringify(mac.range)} covers the MAC`,
    );
    assert.equal(mac.range.start.line, 1);
    const bus = diags.find((d) => codeOf(d) === 'pci-decimal')!;
    assert.ok(bus.range.contains(positionOf(doc, "bus='11'", 6)), `pci-decimal range ${JSON.stringify(bus.range)} covers bus='11'`);
    assert.equal(bus.range.start.line, 3);
  });

  test('a whole bad guest: syntax, VLAN with virtualport, multicast MAC, octal bus, unknown PCI, a PF, a VF in use', async () => {
    const editor = await openFixture('guest-bad.xml');
    const expected = ['xml-syntax', 'vlan-virtualport', 'mac-multicast', 'pci-octal', 'pci-unknown', 'pci-not-vf', 'vf-in-use'];
    const diags = await waitUntil(
      'the problems of guest-bad.xml',
      () => ourDiagnostics(editor.document.uri),
      (d) => expected.every((code) => d.some((x) => codeOf(x) === code)),
    );
    const line = (code: string) => diags.find((d) => codeOf(d) === code)!.range.start.line + 1;
    // 1-based lines of examples/guest-bad.xml, as `libvirt-hostdev check` prints them
    assert.deepEqual(expected.map(line), [22, 26, 35, 44, 44, 51, 58]);
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await screenshot('problems');
    await vscode.commands.executeCommand('workbench.action.closePanel');
  });

  test('quick fixes of the bad guest: the unclosed <mac closes as <mac …/>; the octal bus preselects the reading that is a VF here', async () => {
    const editor = await openFixture('guest-bad.xml');
    const doc = editor.document;
    const fixesAt = async (marker: string, code: string, delta: number) => {
      const diag = await waitFor(`${code} at ${marker}`, () =>
        ourDiagnostics(doc.uri).find((d) => codeOf(d) === code && d.range.contains(positionOf(doc, marker, delta))),
      );
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        doc.uri,
        diag.range,
        vscode.CodeActionKind.QuickFix.value,
      );
      return actions.map((a) => ({ title: a.title, preferred: a.isPreferred === true }));
    };
    const close = await fixesAt("<mac address='52:54:00:6d:90:22'", 'xml-syntax', 1);
    assert.deepEqual(close.slice(0, 2), [
      { title: 'Close as an empty element <mac …/>', preferred: true },
      { title: 'Close the start tag <mac …>', preferred: false },
    ]);
    // the address is also pci-unknown (0x09 is not on the host): keep the octal readings ("Write …")
    const octal = (await fixesAt("bus='011' slot", 'pci-octal', "bus='0".length)).filter((a) => a.title.startsWith('Write '));
    assert.match(octal[0].title, /^Write 0x0b \(if decimal was meant\) — 0000:0b:10\.1 is \S+ VF 0 on /, JSON.stringify(octal));
    assert.equal(octal[0].preferred, true);
    assert.deepEqual(
      octal.slice(1).map((a) => [a.title.replace(/ — .*/, ''), a.preferred]),
      [
        ['Write 0x09 (what libvirt reads)', false],
        ['Write 0x11 (if hex was meant)', false],
      ],
    );
  });

  test('the hostdev-interface snippet writes a fresh random MAC each time (never a fixed one)', async () => {
    const editor = await openFixture('complete.xml');
    const before = editor.document.getText();
    const end = editor.document.positionAt(before.length);
    // each insertion at the end of the original text: the second lands before the first
    for (let i = 0; i < 2; i++) {
      editor.selection = new vscode.Selection(end, end);
      await vscode.commands.executeCommand('editor.action.insertSnippet', {
        langId: 'xml',
        name: 'SR-IOV VF interface (hostdev) with MAC and VLAN',
      });
      await vscode.commands.executeCommand('leaveSnippet');
    }
    const macs = [
      ...editor.document
        .getText()
        .slice(before.length)
        .matchAll(/<mac address='([^']*)'/g),
    ].map((m) => m[1]);
    assert.equal(macs.length, 2, editor.document.getText().slice(before.length));
    for (const mac of macs) assert.match(mac, /^52:54:00:[0-9a-f]{2}:[0-9a-f]{2}:[0-9a-f]{2}$/);
    assert.notEqual(macs[0], macs[1]);
    assert.ok(!macs.includes('52:54:00:00:00:01'));
    await vscode.commands.executeCommand('workbench.action.files.revert');
    assert.equal(editor.document.getText(), before);
  });

  test('hover on a VF address shows its PF and the guest that uses it', async () => {
    const editor = await openFixture('hover.xml');
    const at = positionOf(editor.document, "slot='0x10'", 7);
    // host strings reach the hover Markdown-escaped (lhd-e2e-web01 is lhd\-e2e\-web01): compare what it shows
    const shown = (markdown: string) => markdown.replace(/\\(.)/g, '$1');
    const text = await waitUntil(
      'a hover naming the PF and the user',
      async () =>
        shown(hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, at))),
      (t) => t.includes('0000:0b:00.0') && t.includes(GUEST_USER),
    );
    const plain = text.replace(/[*`_]/g, '');
    assert.match(plain, /0000:0b:10\.0/);
    assert.match(plain, /VF 0 of PF 0000:0b:00\.0 \('enp11s0f0', igb\)/);
    assert.match(plain, new RegExp(`Used by '${GUEST_USER}'`));
    editor.selection = new vscode.Selection(at, at);
    await vscode.commands.executeCommand('editor.action.showHover');
    await screenshot('hover');
    await vscode.commands.executeCommand('editor.action.hideHover').then(undefined, () => undefined);
  });

  test('an inlay hint after the VF address says which VF it is and which guest uses it', async () => {
    const editor = await openFixture('hover.xml');
    const whole = new vscode.Range(0, 0, editor.document.lineCount, 0);
    const hints = await waitUntil(
      'an inlay hint on the VF address',
      async () =>
        (await vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', editor.document.uri, whole)) ?? [],
      (h) => h.length > 0,
    );
    const labels = hints.map((h) => (typeof h.label === 'string' ? h.label : h.label.map((part) => part.value).join('')));
    assert.equal(labels.length, 1, labels.join(' | '));
    assert.match(labels[0], new RegExp(`^'enp11s0f0' VF 0 · in use by '${GUEST_USER}' \\(`));
    const address = "function='0x0'/>";
    const after = positionOf(editor.document, address, address.length);
    assert.ok(hints[0].position.isEqual(after), `at ${JSON.stringify(hints[0].position)}, after the address ${JSON.stringify(after)}`);
    // the README's picture: a whole guest's VFs at a glance, once the editor shows the hints
    const guest = await openFixture('guest-bad.xml');
    guest.revealRange(new vscode.Range(32, 0, 60, 0), vscode.TextEditorRevealType.AtTop);
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    try {
      await asUser([{ waitFor: '.monaco-editor .view-lines >> text=/in.use.by/' }]);
      await screenshot('inlay-hints');
    } finally {
      await vscode.commands.executeCommand('workbench.action.toggleSidebarVisibility');
    }
  });

  test('completion inside <source> offers the free VFs first', async () => {
    const editor = await openFixture('complete.xml');
    const at = positionOf(editor.document, '<source>\n    ', '<source>\n    '.length);
    const items = sorted(
      await waitUntil(
        'completions for the 14 VFs',
        async () => {
          const list = await vscode.commands.executeCommand<vscode.CompletionList>(
            'vscode.executeCompletionItemProvider',
            editor.document.uri,
            at,
          );
          return list.items.filter((i) => /0b:1[01]\.\d|bus='0x0b'/.test(`${labelOf(i)} ${textOf(i)}`));
        },
        (vfs) => vfs.length >= 14,
      ),
    );
    const used = items.findIndex((i) => /0b:10\.0\b|slot='0x10' function='0x0'/.test(`${labelOf(i)} ${textOf(i)}`));
    assert.equal(used, items.length - 1, `the in-use VF 0000:0b:10.0 sorts last; order: ${items.map(labelOf).join(', ')}`);
    assert.match(textOf(items[0]), /<address type='pci'/, 'a full <address type=pci …/> is inserted');
    editor.selection = new vscode.Selection(at, at);
    await vscode.commands.executeCommand('editor.action.triggerSuggest');
    await screenshot('completion');
    await vscode.commands.executeCommand('hideSuggestWidget');
  });

  test('the quick fix for a multicast MAC applies and the diagnostic goes away', async () => {
    const editor = await openFixture('quickfix.xml');
    const doc = editor.document;
    const diag = await waitFor('mac-multicast on quickfix.xml', () => ourDiagnostics(doc.uri).find((d) => codeOf(d) === 'mac-multicast'));
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      doc.uri,
      diag.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    // vscode.executeCodeActionProvider does not hand back CodeAction.diagnostics: pick the quick fix by what it edits
    const fix = actions.find((a) => a.edit?.get(doc.uri).some((e) => !!e.range.intersection(diag.range)));
    assert.ok(
      fix?.edit,
      `a quick fix editing the MAC; got ${JSON.stringify(actions.map((a) => ({ title: a.title, edit: !!a.edit, command: a.command?.command })))}`,
    );
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.doesNotMatch(doc.getText(), /01:00:5e:00:00:fb/);
    assert.match(doc.getText(), /<mac address='52:54:00:[0-9a-f]{2}:[0-9a-f]{2}:[0-9a-f]{2}'\/>/);
    await waitFor('mac-multicast to go away', () => !ourDiagnostics(doc.uri).some((d) => codeOf(d) === 'mac-multicast'));
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });
});
