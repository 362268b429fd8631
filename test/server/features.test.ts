// Editor features through the real server: hover, completion, quick fixes, CodeLens,
// document symbols and the deviceAt request, with `|`-marker fixtures and the 82576 snapshot.
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type {
  CodeAction,
  CodeLens,
  CompletionList,
  Diagnostic,
  DocumentSymbol,
  Hover,
  InlayHint,
  TextEdit,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { example, exampleInventory, marked, positionOf, startTestServer, type TestClient } from './harness';
import type { DeviceCommandArgs } from '../../shared/commands';
import type { DeviceAtResult, NewInterfaceResult } from '../../shared/protocol';

const BAD = example('guest-bad.xml');
const GOOD = example('guest-good.xml');

async function withServer(body: (client: TestClient) => Promise<void>): Promise<void> {
  const client = await startTestServer({ initializationOptions: { settings: { inventoryFile: exampleInventory } } });
  try {
    await body(client);
    assert.deepEqual(client.logErrors, [], 'no handler failed');
  } finally {
    await client.shutdown();
  }
}

/** Opens `text` and waits until it has been checked against the inventory (the first publish). */
async function openChecked(client: TestClient, uri: string, text: string): Promise<Diagnostic[]> {
  client.open(uri, text);
  return (await client.diagnosticsFor(uri)).diagnostics;
}

function applyEdits(text: string, edits: TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create('file:///x', 'xml', 1, text), edits);
}

test('hover on a VF address shows the canonical address, its PF and who uses it', async () => {
  await withServer(async (client) => {
    const { text, offset } = marked(BAD.replace("slot='0x10' function='0x0'", "slot='0x1|0' function='0x0'"));
    const uri = 'file:///w/hover.xml';
    await openChecked(client, uri, text);
    const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: positionOf(text, offset) });
    assert.ok(hover, 'a hover');
    const value = hover.contents as { kind: string; value: string };
    assert.equal(value.kind, 'markdown');
    assert.match(value.value, /0000:0b:10\.0/);
    assert.match(value.value, /0000:0b:00\.0/);
    assert.match(value.value, /web01/);
    assert.ok(hover.range, 'with a range');
    assert.equal(hover.range.start.line, positionOf(text, offset).line);
  });
});

test('hover outside any device is empty', async () => {
  await withServer(async (client) => {
    const { text, offset } = marked(GOOD.replace('<name>app01', '<name>app|01'));
    const uri = 'file:///w/hover-none.xml';
    await openChecked(client, uri, text);
    const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: positionOf(text, offset) });
    assert.equal(hover, null);
  });
});

test('completion inside <source> offers VF addresses as text edits at the cursor, free ones first', async () => {
  await withServer(async (client) => {
    const { text, offset } = marked("<interface type='hostdev' managed='yes'>\n  <source>|</source>\n</interface>\n");
    const uri = 'file:///w/complete.xml';
    await openChecked(client, uri, text);
    const list = await client.request<CompletionList>('textDocument/completion', {
      textDocument: { uri },
      position: positionOf(text, offset),
    });
    const byLabel = new Map(list.items.map((i) => [i.label, i]));
    const free = byLabel.get('0000:0b:10.2');
    const used = byLabel.get('0000:0b:10.0');
    assert.ok(free && used, `VF items in ${list.items.map((i) => i.label).join(', ')}`);
    assert.ok((free.sortText ?? free.label) < (used.sortText ?? used.label), 'the free VF sorts before the one web01 holds');
    const edit = free.textEdit as TextEdit;
    assert.deepEqual(edit.range.start, positionOf(text, offset));
    const after = applyEdits(text, [edit]);
    assert.match(after, /<source><address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x2'\/><\/source>/);
  });
});

test('a client that shows only plain text (eglot without markdown-mode) gets hovers and completion documentation as plain text', async () => {
  const hoverAndDocs = async (markupFormats: string[] | undefined) => {
    const client = await startTestServer({ initializationOptions: { settings: { inventoryFile: exampleInventory } }, markupFormats });
    try {
      const uri = 'file:///w/plain.xml';
      const hovered = marked(BAD.replace("slot='0x10' function='0x0'", "slot='0x1|0' function='0x0'"));
      await openChecked(client, uri, hovered.text);
      const hover = await client.request<Hover | null>('textDocument/hover', {
        textDocument: { uri },
        position: positionOf(hovered.text, hovered.offset),
      });
      const completed = marked("<interface type='hostdev' managed='yes'>\n  <source>|</source>\n</interface>\n");
      const other = 'file:///w/plain-complete.xml';
      await openChecked(client, other, completed.text);
      const list = await client.request<CompletionList>('textDocument/completion', {
        textDocument: { uri: other },
        position: positionOf(completed.text, completed.offset),
      });
      const documented = list.items.find((i) => i.label === '0000:0b:10.0')?.documentation;
      assert.deepEqual(client.logErrors, []);
      return { hover: hover?.contents as { kind: string; value: string }, documentation: documented as { kind: string; value: string } };
    } finally {
      await client.shutdown();
    }
  };
  const markdown = await hoverAndDocs(undefined);
  const plain = await hoverAndDocs(['plaintext']);
  assert.equal(markdown.hover.kind, 'markdown');
  assert.equal(plain.hover.kind, 'plaintext');
  assert.equal(plain.documentation.kind, 'plaintext');
  assert.match(plain.hover.value, /0000:0b:10\.0/);
  assert.doesNotMatch(plain.hover.value, /\\[^n]|\*\*|`/, `without Markdown escapes, emphasis or code spans: ${plain.hover.value}`);
  // a code span in Markdown, its text in plain text
  const element = "<address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x0'/>";
  assert.deepEqual(markdown.documentation, { kind: 'markdown', value: `\`${element}\`` });
  assert.deepEqual(plain.documentation, { kind: 'plaintext', value: element });
  // the same lines, as they read without the markup
  assert.match(markdown.hover.value, /^\*\*VF 0\*\* of PF `0000:0b:00\.0` \('enp11s0f0', igb\)$/m);
  assert.match(plain.hover.value, /^VF 0 of PF 0000:0b:00\.0 \('enp11s0f0', igb\)$/m);
  assert.match(plain.hover.value, /^Used by 'web01' \(running; live \+ persistent\)$/m);
  assert.match(plain.hover.value, /^Inventory of 'kvm-82576\.example\.com', taken /m);
  // preferred formats in the client's order: Markdown listed anywhere is shown as Markdown
  assert.equal((await hoverAndDocs(['plaintext', 'markdown'])).hover.kind, 'markdown');
});

test('a quick fix for the multicast MAC is linked to its diagnostic and yields a unicast MAC', async () => {
  await withServer(async (client) => {
    const uri = 'file:///w/fix.xml';
    const diagnostics = await openChecked(client, uri, BAD);
    const multicast = diagnostics.find((d) => d.code === 'mac-multicast');
    assert.ok(multicast, 'mac-multicast published');
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: multicast.range,
      context: { diagnostics: [multicast], only: ['quickfix'] },
    });
    const fix = actions.find((a) => a.diagnostics?.some((d) => d.code === 'mac-multicast'));
    assert.ok(fix, `a fix among ${actions.map((a) => a.title).join(' | ')}`);
    assert.equal(fix.kind, 'quickfix');
    const edits = fix.edit?.changes?.[uri];
    assert.ok(edits && edits.length > 0);
    const fixed = applyEdits(BAD, edits);
    const mac = /<mac address='([^']*)'\/>\s*<source>\s*<address type='pci' domain='0x0000' bus='11'/.exec(fixed)?.[1];
    assert.ok(mac, 'the MAC is still there');
    assert.equal(parseInt(mac.split(':')[0], 16) & 1, 0, `${mac} is unicast`);
  });
});

test('a diagnostic sent back after an edit moved the text is not applied to whatever is at its old range now', async () => {
  await withServer(async (client) => {
    const uri = 'file:///w/stale.xml';
    const device = (mac: string, fn: string) =>
      `<interface type='hostdev' managed='yes'>\n  <mac address='${mac}'/>\n  <source><address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='${fn}'/></source>\n</interface>\n`;
    const before = `<devices>\n${device('01:00:5e:00:00:fb', '0x4')}</devices>\n`;
    const multicast = (await openChecked(client, uri, before)).find((d) => d.code === 'mac-multicast')!;
    // the user inserts a good device above before the server has published again: the old range is now its MAC
    const after = `<devices>\n${device('52:54:00:11:22:33', '0x6')}${device('01:00:5e:00:00:fb', '0x4')}</devices>\n`;
    client.change(uri, after);
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: multicast.range,
      context: { diagnostics: [multicast], only: ['quickfix'] },
    });
    for (const a of actions) {
      assert.match(applyEdits(after, a.edit?.changes?.[uri] ?? []), /52:54:00:11:22:33/, `${a.title} keeps the good device's MAC`);
    }
  });
});

test('code actions ignore diagnostics from other sources', async () => {
  await withServer(async (client) => {
    const uri = 'file:///w/foreign.xml';
    const diagnostics = await openChecked(client, uri, BAD);
    const multicast = diagnostics.find((d) => d.code === 'mac-multicast')!;
    const foreign = { ...multicast, source: 'someone-else' };
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: multicast.range,
      context: { diagnostics: [foreign] },
    });
    assert.ok(!actions.some((a) => a.diagnostics?.length), 'nothing claims to fix a foreign diagnostic');
  });
});

test('a code action request without diagnostics still finds the fix for the problem in its range', async () => {
  await withServer(async (client) => {
    const uri = 'file:///w/fix-no-context.xml';
    const diagnostics = await openChecked(client, uri, BAD);
    const multicast = diagnostics.find((d) => d.code === 'mac-multicast')!;
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: multicast.range,
      context: { diagnostics: [] },
    });
    assert.ok(
      actions.some((a) => a.kind === 'quickfix' && a.edit?.changes?.[uri]?.length),
      actions.map((a) => a.title).join(' | '),
    );
  });
});

test('CodeLens commands carry the document URI and the device span (the VS Code client runs them: clientCommands)', async () => {
  const client = await startTestServer({ initializationOptions: { settings: { inventoryFile: exampleInventory }, clientCommands: true } });
  await (async () => {
    const uri = 'file:///w/lens.xml';
    await openChecked(client, uri, GOOD);
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    assert.ok(lenses.length > 0);
    for (const lens of lenses) {
      assert.ok(lens.command);
      if (lens.command.command === '') {
        // a label: the inventory's host has no such guest, so no attach/detach is offered for it
        assert.match(lens.command.title, /is not defined on /);
        assert.equal(lens.command.arguments, undefined);
        continue;
      }
      if (lens.command.command === 'libvirtHostdev.server.defineGuest') {
        // virsh define runs on the server, as the network commands do, with the document it sends whole
        assert.deepEqual(lens.command.arguments, [{ uri }]);
        assert.equal(lens.range.start.line, positionOf(GOOD, GOOD.indexOf('<domain')).line);
        continue;
      }
      assert.ok(['libvirtHostdev.attachDevice', 'libvirtHostdev.detachDevice'].includes(lens.command.command), lens.command.command);
      const [args] = lens.command.arguments as [DeviceCommandArgs];
      assert.equal(args.uri, uri);
      const device = GOOD.slice(args.deviceSpan.start, args.deviceSpan.end);
      assert.match(device, /^<interface type='hostdev' managed='yes'>[\s\S]*<\/interface>$/);
      assert.equal(lens.range.start.line, positionOf(GOOD, GOOD.indexOf("<interface type='hostdev'")).line);
    }
    assert.ok(
      lenses.some((l) => l.command!.command === 'libvirtHostdev.attachDevice' && !(l.command!.arguments![0] as DeviceCommandArgs).guest),
      'an "Attach to guest…" lens without a guest',
    );
  })().finally(() => client.shutdown());
});

test('in Restricted Mode no lens offers a change on the host, which the server would refuse: only the labels stay', async () => {
  const lensesWhen = async (trusted: boolean): Promise<CodeLens[]> => {
    const client = await startTestServer({
      initializationOptions: { settings: { inventoryFile: exampleInventory }, clientCommands: true, trusted, hostsFromUser: true },
    });
    try {
      const uri = 'file:///w/lens.xml';
      await openChecked(client, uri, GOOD);
      return await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    } finally {
      await client.shutdown();
    }
  };
  const isLabel = (l: CodeLens): boolean => l.command?.command === '';
  const trusted = await lensesWhen(true);
  assert.ok(
    trusted.some((l) => !isLabel(l)),
    'attach and define lenses in a trusted workspace',
  );
  const restricted = await lensesWhen(false);
  assert.deepEqual(
    restricted.map((l) => l.command?.title),
    trusted.filter(isLabel).map((l) => l.command?.title),
  );
});

test('document symbols list every device with a range inside the document', async () => {
  await withServer(async (client) => {
    const uri = 'file:///w/symbols.xml';
    await openChecked(client, uri, BAD);
    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    const expected = BAD.split("<interface type='hostdev'").length - 1;
    assert.equal(symbols.length, expected);
    const lines = BAD.split('\n').length;
    for (const s of symbols) {
      assert.ok(s.name.length > 0);
      assert.ok(s.range.start.line < lines && s.range.end.line < lines);
      assert.ok(s.selectionRange.start.line >= s.range.start.line && s.selectionRange.end.line <= s.range.end.line);
    }
  });
});

test('deviceAt returns the device around an offset', async () => {
  await withServer(async (client) => {
    // several devices: the answer must be the one around the offset, not just the only one
    const uri = 'file:///w/device.xml';
    await openChecked(client, uri, BAD);
    const offset = BAD.indexOf("bus='011' slot");
    const device = await client.request<DeviceAtResult | null>('libvirtHostdev/deviceAt', { uri, offset });
    assert.ok(device);
    assert.equal(BAD.slice(device.span.start, device.span.end), device.xml);
    assert.match(device.xml, /^<interface type='hostdev'/);
    assert.ok(device.span.start < offset && offset < device.span.end, 'the device contains the offset');
    assert.equal((device.xml.match(/<interface /g) ?? []).length, 1, 'exactly one device');
  });
});

test('requests on a document that is not open answer empty', async () => {
  await withServer(async (client) => {
    const textDocument = { uri: 'file:///w/never-opened.xml' };
    const position = { line: 0, character: 0 };
    assert.equal(await client.request('textDocument/hover', { textDocument, position }), null);
    assert.deepEqual(await client.request('textDocument/completion', { textDocument, position }), { isIncomplete: false, items: [] });
    assert.deepEqual(
      await client.request('textDocument/codeAction', {
        textDocument,
        range: { start: position, end: position },
        context: { diagnostics: [] },
      }),
      [],
    );
    assert.deepEqual(await client.request('textDocument/codeLens', { textDocument }), []);
    assert.deepEqual(await client.request('textDocument/documentSymbol', { textDocument }), []);
    assert.equal(await client.request('libvirtHostdev/deviceAt', { uri: textDocument.uri, offset: 0 }), null);
  });
});

test('deviceAt also names the guest the document defines', async () => {
  await withServer(async (client) => {
    const uri = 'file:///w/device-guest.xml';
    await openChecked(client, uri, GOOD);
    const device = await client.request<DeviceAtResult | null>('libvirtHostdev/deviceAt', { uri, offset: GOOD.indexOf("function='0x2'") });
    assert.equal(device?.guest, 'app01');
  });
});

test('newInterface builds a hostdev interface whose MAC neither the document nor the inventory uses', async () => {
  await withServer(async (client) => {
    const uri = 'file:///w/new-interface.xml';
    await openChecked(client, uri, GOOD);
    const documentMacs = [...GOOD.matchAll(/<mac address='([^']+)'/g)].map((m) => m[1]);
    assert.ok(documentMacs.length >= 2, 'the document has MACs of its own');
    const inventory = JSON.parse(readFileSync(exampleInventory, 'utf8')) as { guests: { macs?: string[] }[] };
    const inventoryMacs = new Set(inventory.guests.flatMap((g) => g.macs ?? []));
    const taken = new Set([...documentMacs, ...inventoryMacs]);
    const result = await client.request<NewInterfaceResult | null>('libvirtHostdev/newInterface', {
      uri,
      address: '0000:0b:11.3',
      indent: '    ',
      unit: '  ',
    });
    assert.ok(result);
    assert.match(result.mac, /^52:54:00(:[0-9a-f]{2}){3}$/);
    assert.ok(!taken.has(result.mac), `${result.mac} is fresh`);
    assert.equal(
      result.xml,
      [
        "<interface type='hostdev' managed='yes'>",
        `      <mac address='${result.mac}'/>`,
        '      <source>',
        "        <address type='pci' domain='0x0000' bus='0x0b' slot='0x11' function='0x3'/>",
        '      </source>',
        '    </interface>',
      ].join('\n'),
    );
    // without a document: the active inventory only, default layout
    const bare = await client.request<NewInterfaceResult | null>('libvirtHostdev/newInterface', { address: '0000:0b:10.6' });
    assert.ok(bare);
    assert.match(
      bare.xml,
      /^<interface type='hostdev' managed='yes'>\n {2}<mac address='52:54:00(:[0-9a-f]{2}){3}'\/>\n {2}<source>\n {4}<address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x6'\/>/,
    );
    assert.ok(!inventoryMacs.has(bare.mac), `${bare.mac} is not an inventory guest's MAC`);
    assert.equal(await client.request('libvirtHostdev/newInterface', { uri, address: '0b:11.3' }), null, 'not a canonical address');
  });
});

test('documentAddresses lists the host addresses the document assigns, as numbers (Insert Interface leaves them out)', async () => {
  await withServer(async (client) => {
    const uri = 'file:///w/addresses.xml';
    const text =
      "<devices>\n<interface type='hostdev'><source><address type='pci' domain='0' bus='11' slot='0x10' function='0x1'/></source></interface>\n" +
      "<hostdev mode='subsystem' type='pci'><source><address domain='0x0000' bus='0x0b' slot='0x11' function='0x3'/></source></hostdev>\n</devices>\n";
    await openChecked(client, uri, text);
    assert.deepEqual(await client.request<string[]>('libvirtHostdev/documentAddresses', { uri }), ['0000:0b:10.1', '0000:0b:11.3']);
    assert.deepEqual(await client.request<string[]>('libvirtHostdev/documentAddresses', { uri: 'file:///w/not-open.xml' }), []);
  });
});

test('inlay hints: after each host address of the range asked for, what the host has there, as plain text', async () => {
  await withServer(async (client) => {
    const uri = 'file:///w/hints.xml';
    await openChecked(client, uri, BAD);
    const all = await client.request<InlayHint[]>('textDocument/inlayHint', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: positionOf(BAD, BAD.length) },
    });
    const lines = BAD.split('\n');
    // each hint as the text of its line up to it (the address it follows), its label and its padding
    const seen = all.map((h) => [lines[h.position.line].slice(0, h.position.character).trim(), h.label, h.paddingLeft]);
    const address = (bus: string, slot: string, fn: string) =>
      `<address type='pci' domain='0x0000' bus='${bus}' slot='${slot}' function='${fn}'/>`;
    assert.deepEqual(seen, [
      [address('0x0b', '0x10', '0x4'), "'enp11s0f0' VF 2 · free", true],
      [address('11', '16', '6'), "'enp11s0f0' VF 3 · free", true],
      [address('011', '0x10', '0x1'), "not on host 'kvm-82576.example.com'", true],
      [address('0x0b', '0x00', '0x0'), "PF 'enp11s0f0': not a VF", true],
      [address('0x0b', '0x10', '0x0'), "'enp11s0f0' VF 0 · in use by 'web01' (running)", true],
    ]);
    const second = all[1].position;
    const one = await client.request<InlayHint[]>('textDocument/inlayHint', {
      textDocument: { uri },
      range: { start: { line: second.line, character: 0 }, end: { line: second.line + 1, character: 0 } },
    });
    assert.deepEqual(
      one.map((h) => h.label),
      ["'enp11s0f0' VF 3 · free"],
      'only the range asked for',
    );
    assert.equal((client.initializeResult.capabilities as { inlayHintProvider?: unknown }).inlayHintProvider, true);
  });
});
