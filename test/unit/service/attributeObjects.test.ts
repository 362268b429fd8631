// The tree keeps attributes packed in tables (xml/nodes.ts); an element's attribute objects are made only
// when a feature reads its `attributes` list (hover, completion, code actions). Checking a document must
// not make them: for the 15,000-line domain they were 0.6 MB more kept through the check, 500 more page
// faults and a tenth more instructions for `libvirt-hostdev check`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLanguageService } from '../../../server/src/service/languageService';
import type { ElementNode } from '../../../server/src/service/xml/nodes';
import { walk } from '../../../server/src/service/xml/query';
import { context82576, corpusTexts } from './helpers';

test('checking a document reads its attributes from the tables, making no attribute objects (the examples and the whole corpus)', () => {
  const texts = corpusTexts(['accept-starts', 'accept-fails-at-start', 'reject']);
  assert.ok(texts.length > 100, `${texts.length} documents`);
  const service = createLanguageService();
  const made: string[] = [];
  for (const text of texts) {
    const document = service.parseDocument(text);
    service.validate(document, context82576());
    walk(document.xml, (el) => {
      // attributeFirst is -1 once the list was made (or for an element without attributes, whose list is the shared empty one)
      const node = el as ElementNode;
      if (node.attributeFirst < 0 && (node.attributeSource as unknown[]).length > 0)
        made.push(`<${el.name}> in ${text.slice(0, 80).replace(/\s+/g, ' ')}`);
    });
  }
  assert.deepEqual(made.slice(0, 10), []);
});
