// Completion for what each client takes (lsp/completionItems.ts): snippets or plain text on one line, and
// labels that start with what an item replaces for clients that filter by the word at the cursor
// (Neovim's omnifunc, eglot) instead of by the text the item's edit replaces (VS Code, nvim-cmp).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CompletionItem, CompletionList, TextEdit } from 'vscode-languageserver/node';
import { exampleInventory, positionOf, startTestServer } from './harness';
import { plainText } from '../../server/src/lsp/completionItems';

const DOMAIN = `<domain type='kvm'><name>app03</name><devices>
<interface type='hostdev' managed='yes'>
  <ma|
</interface>
<interface type='hostdev' managed='yes'>
  <vl|
</interface>
<interface type='hostdev' managed='yes'>
  <source>
    <a|
  </source>
</interface>
<in|
</devices></domain>
`;

/** The items a client with `completionItem` capabilities gets at each '|' of DOMAIN, in order. */
async function itemsFor(completionItem: Record<string, unknown>): Promise<CompletionItem[][]> {
  const client = await startTestServer({ initializationOptions: { settings: { inventoryFile: exampleInventory } }, completionItem });
  try {
    const marks: number[] = [];
    let text = DOMAIN;
    for (let at = text.indexOf('|'); at >= 0; at = text.indexOf('|')) {
      marks.push(at);
      text = text.slice(0, at) + text.slice(at + 1);
    }
    const uri = 'file:///w/clients.xml';
    client.open(uri, text);
    const lists: CompletionItem[][] = [];
    for (const offset of marks) {
      const list = await client.request<CompletionList>('textDocument/completion', {
        textDocument: { uri },
        position: positionOf(text, offset),
      });
      lists.push(list.items);
    }
    return lists;
  } finally {
    await client.shutdown();
  }
}

const byLabel = (items: CompletionItem[], label: string | RegExp): CompletionItem => {
  const found = items.find((i) => (typeof label === 'string' ? i.label === label : label.test(i.label)));
  assert.ok(found, `${String(label)} in ${items.map((i) => i.label).join(', ')}`);
  return found;
};

test("a client without snippets that filters by the word (Neovim 0.7's omnifunc, eglot without yasnippet): plain text on one line, labels from the '<'", async () => {
  const [mac, vlan, address, iface] = await itemsFor({});
  for (const item of [...mac, ...vlan, ...address, ...iface]) {
    assert.equal(item.insertTextFormat, 1, item.label);
    assert.equal(item.filterText, undefined, `${item.label}: Neovim 0.7 takes the edit's start as the word's only without a filterText`);
    const edit = item.textEdit as TextEdit;
    assert.doesNotMatch(edit.newText, /[\n$]/, item.label);
    // eglot matches what was typed against the insertText, Neovim against the edit's text: both start with '<'
    assert.equal(item.insertText, edit.newText, item.label);
    assert.ok(item.label.startsWith('<'), item.label);
  }
  assert.match((byLabel(mac, '<mac').textEdit as TextEdit).newText, /^<mac address='52:54:00(:[0-9a-f]{2}){3}'\/>$/);
  assert.equal((byLabel(vlan, '<vlan').textEdit as TextEdit).newText, "<vlan><tag id='42'/></vlan>");
  assert.match(
    (byLabel(iface, '<interface hostdev enp11s0f0').textEdit as TextEdit).newText,
    /^<interface type='hostdev' managed='yes'><mac address='52:54:00(:[0-9a-f]{2}){3}'\/><source><address type='pci' [^>]*\/><\/source><\/interface>$/,
  );
  const vf = byLabel(address, '<address 0000:0b:10.2');
  assert.equal((vf.textEdit as TextEdit).newText, "<address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x2'/>");
});

test('VS Code (snippets, filtering by the edit): snippet text, the element name as label and a filterText from the "<"', async () => {
  const [mac, vlan, address] = await itemsFor({ snippetSupport: true, insertReplaceSupport: true });
  const item = byLabel(vlan, 'vlan');
  assert.equal(item.insertTextFormat, 2);
  assert.equal(item.filterText, '<vlan');
  assert.equal((item.textEdit as TextEdit).newText, "<vlan>\n\t<tag id='${1:42}'/>\n</vlan>");
  assert.equal(item.insertText, undefined);
  assert.ok(byLabel(mac, 'mac'));
  assert.equal(byLabel(address, '0000:0b:10.2').filterText, "<address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x2'/>");
});

test('eglot with yasnippet (snippets, filtering by the word): snippet text under a label that starts with the "<"', async () => {
  const [, vlan] = await itemsFor({ snippetSupport: true });
  const item = byLabel(vlan, '<vlan');
  assert.equal(item.insertTextFormat, 2);
  assert.equal(item.filterText, undefined);
  assert.equal((item.textEdit as TextEdit).newText, "<vlan>\n\t<tag id='${1:42}'/>\n</vlan>");
});

test('plainText: a snippet as the text it expands to with its defaults, on one line', () => {
  assert.equal(plainText("<mac address='${1:52:54:00:00:00:01}'/>"), "<mac address='52:54:00:00:00:01'/>");
  assert.equal(plainText('<source>\n\t$0\n</source>'), '<source></source>');
  assert.equal(plainText("<rom bar='${1|on,off|}'/>"), "<rom bar='on'/>");
  assert.equal(plainText('${1:a${2:b}c}d'), 'abcd');
  assert.equal(plainText('\\$1 costs \\}'), '$1 costs }');
  assert.equal(plainText('ATTR{x}="${1}" and $ alone'), 'ATTR{x}="" and $ alone');
});
