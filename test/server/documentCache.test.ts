// One parse per document version, shared by every feature; one validation per version and inventory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { composeChanges, DocumentCache } from '../../server/src/lsp/documentCache';
import { createLanguageService, type LanguageService } from '../../server/src/service/index';
import { INVENTORY_FORMAT, type Inventory } from '../../shared/snapshot';

const TEXT =
  "<interface type='hostdev'>\n  <source><address type='pci' domain='0' bus='0x0b' slot='0x10' function='0x1'/></source>\n</interface>\n";
const inventory: Inventory = {
  format: INVENTORY_FORMAT,
  host: 'h',
  takenAt: '2026-11-25T12:00:00Z',
  devices: [],
  guests: [],
  networks: [],
};

/** A language service that counts parses and validations. */
function counting(): { service: LanguageService; parses: number; validations: number } {
  const inner = createLanguageService();
  const counts = { parses: 0, validations: 0 };
  const service: LanguageService = {
    ...inner,
    parseDocument: (text) => {
      counts.parses++;
      return inner.parseDocument(text);
    },
    updateDocument: (previous, text, change) => {
      counts.parses++;
      return inner.updateDocument(previous, text, change);
    },
    validate: (doc, ctx) => {
      counts.validations++;
      return inner.validate(doc, ctx);
    },
  };
  return Object.assign(counts, { service });
}

test('a document version is parsed once for every feature, and again only for a new version', () => {
  const c = counting();
  const cache = new DocumentCache(c.service);
  const v1 = TextDocument.create('file:///a.xml', 'xml', 1, TEXT);
  const parsed = cache.parsed(v1);
  c.service.hover(cache.parsed(v1), 10);
  c.service.complete(cache.parsed(v1), 10);
  assert.equal(cache.parsed(v1), parsed);
  assert.equal(c.parses, 1);
  const v2 = TextDocument.update(v1, [{ text: TEXT + ' ' }], 2);
  assert.notEqual(cache.parsed(v2), parsed);
  assert.equal(c.parses, 2);
  cache.delete(v2.uri);
  cache.parsed(v2);
  assert.equal(c.parses, 3, 'a closed document is forgotten');
});

test('diagnostics and code actions share one validation per version and inventory', () => {
  const c = counting();
  const cache = new DocumentCache(c.service);
  const doc = TextDocument.create('file:///b.xml', 'xml', 1, TEXT);
  const first = cache.problems(doc, { inventory });
  assert.equal(cache.problems(doc, { inventory }), first);
  assert.equal(c.validations, 1);
  assert.ok(first.some((p) => p.code === 'pci-unknown'));
  cache.problems(doc, { inventory: { ...inventory } });
  assert.equal(c.validations, 2, 'another snapshot is validated again');
  const unavailable = cache.problems(doc, { inventory, inventoryUnavailable: { source: 'host', host: 'h', error: 'timeout' } });
  assert.equal(c.validations, 3);
  assert.ok(unavailable.some((p) => p.code === 'inventory-unavailable'));
});

test('composeChanges: two edits in a row are one change of the first text', () => {
  const apply = (text: string, c: { start: number; oldEnd: number }, insert: string) =>
    text.slice(0, c.start) + insert + text.slice(c.oldEnd);
  const cases: [number, number, string, number, number, string][] = [
    [2, 4, 'xyz', 0, 1, ''],
    [2, 4, 'xyz', 3, 3, 'q'],
    [5, 5, 'ab', 1, 9, 'Z'],
    [0, 10, '', 0, 0, 'new'],
  ];
  for (const [s1, e1, t1, s2, e2, t2] of cases) {
    const original = 'abcdefghijklmnop';
    const middle = apply(original, { start: s1, oldEnd: e1 }, t1);
    const final = apply(middle, { start: s2, oldEnd: e2 }, t2);
    const c = composeChanges({ start: s1, oldEnd: e1, newEnd: s1 + t1.length }, { start: s2, oldEnd: e2, newEnd: s2 + t2.length });
    assert.equal(original.slice(0, c.start) + final.slice(c.start, c.newEnd) + original.slice(c.oldEnd), final, JSON.stringify(c));
    assert.equal(original.length - c.oldEnd, final.length - c.newEnd);
  }
});

test('edits sent as ranges update the cached parse: the same diagnostics as a fresh parse of each version', () => {
  const service = createLanguageService();
  const cache = new DocumentCache(service);
  const device = (f: number) =>
    `    <interface type='hostdev' managed='yes'>\n      <mac address='52:54:00:00:00:0${f}'/>\n      <source><address type='pci' domain='0' bus='0x0b' slot='0x10' function='0x${f}'/></source>\n    </interface>\n`;
  let doc = TextDocument.create(
    'file:///c.xml',
    'xml',
    1,
    `<domain type='kvm'>\n  <name>g</name>\n  <devices>\n${[0, 1, 2, 3].map(device).join('')}  </devices>\n</domain>\n`,
  );
  cache.parsed(doc);
  const typed = ['7', '', "'", '<', 'x', '\n', '0x'];
  for (let k = 0; k < 60; k++) {
    const text = doc.getText();
    const at = text.indexOf('function=', (k * 97) % text.length) + 12;
    const start = doc.positionAt(Math.min(at, text.length));
    const end = doc.positionAt(Math.min(at + (k % 3), text.length));
    const changes = [{ range: { start, end }, text: typed[k % typed.length] }];
    cache.noteChanges(doc, changes, doc.version + 1);
    doc = TextDocument.update(doc, changes, doc.version + 1);
    if (k % 3 === 2) continue; // versions nobody asked for: the next parse covers several edits
    const fresh = createLanguageService();
    assert.deepEqual(cache.problems(doc, { inventory }), fresh.validate(fresh.parseDocument(doc.getText()), { inventory }), `edit ${k}`);
  }
});
