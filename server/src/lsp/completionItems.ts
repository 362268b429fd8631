// Completion candidates as LSP items, for what the client takes: snippets or plain text, and labels that
// start with what an item replaces for clients that filter by the word at the cursor.
import { CompletionItem, CompletionItemKind, InsertTextFormat } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { CompletionCandidate, CompletionKind } from '../service/index';
import type { CompletionSupport } from './clientFeatures';
import { markup, spanToRange } from './convert';

const completionKinds: Record<CompletionKind, CompletionItemKind> = {
  snippet: CompletionItemKind.Snippet,
  value: CompletionItemKind.Value,
  element: CompletionItemKind.Property,
  attribute: CompletionItemKind.Field,
};

export function toCompletionItem(doc: TextDocument, c: CompletionCandidate, client: CompletionSupport): CompletionItem {
  const snippet = c.isSnippet === true && client.snippets;
  const newText = c.isSnippet === true && !client.snippets ? plainText(c.insertText) : c.insertText;
  const item: CompletionItem = {
    label: c.label,
    kind: completionKinds[c.kind],
    textEdit: { range: spanToRange(doc, c.span), newText },
    insertTextFormat: snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
  };
  if (c.detail !== undefined) item.detail = c.detail;
  if (c.documentation !== undefined) item.documentation = markup(client.documentation, c.documentation);
  if (c.sortText !== undefined) item.sortText = c.sortText;
  if (c.filterText === undefined) return item;
  if (client.filtersByRange || !c.filterText.startsWith('<')) {
    item.filterText = c.filterText;
    return item;
  }
  // Neovim's omnifunc reads the textEdit's start as where the word begins only for items without a
  // filterText, and eglot matches what was typed ('<a', a '<' being part of a word in nxml-mode) against
  // the label, or the insertText it is sent: both then start with the element's '<name'
  const head = /^<[^\s/>]*/.exec(c.filterText)![0];
  item.label = c.label.startsWith(head.slice(1)) ? `<${c.label}` : `${head} ${c.label}`;
  if (!snippet) item.insertText = newText;
  return item;
}

/**
 * A snippet as the plain text it expands to with every placeholder left at its default, on one line: a
 * client without snippets inserts the text as it is (Neovim's omnifunc cannot insert a line break, and
 * eglot would keep the tab and leave the closing tag at the start of its line).
 */
export function plainText(snippet: string): string {
  let out = '';
  // placeholders open (`${1:` read, its `}` not yet): their defaults are kept, their braces dropped
  let open = 0;
  for (let i = 0; i < snippet.length; i++) {
    const ch = snippet[i];
    if (ch === '\\' && i + 1 < snippet.length && '$}\\|,'.includes(snippet[i + 1])) {
      out += snippet[++i];
      continue;
    }
    if (ch === '}' && open > 0) {
      open--;
      continue;
    }
    const tabstop = ch === '$' ? /^\$(\d+)|^\$\{(\d+)\}|^\$\{\d+:|^\$\{\d+\|([^,|]*)[^|]*\|\}/.exec(snippet.slice(i, i + 200)) : null;
    if (!tabstop) {
      out += ch;
      continue;
    }
    i += tabstop[0].length - 1;
    if (tabstop[0].endsWith(':')) open++;
    else if (tabstop[3] !== undefined) out += tabstop[3];
  }
  return out.replace(/\r?\n[ \t]*/g, '');
}
