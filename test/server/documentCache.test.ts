// One parse per document version, shared by every feature; one validation per version and inventory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DocumentCache } from '../../server/src/lsp/documentCache';
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
