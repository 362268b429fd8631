// Reading ordinary tags in one step (server/src/service/xml/ordinaryTags.ts) on libvirt 9.0's own
// test XML: every file, as written and with one tag in ten cut short, must parse exactly as reading
// every tag token by token does (the same tree and the same problems, in order).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseXml, parseXmlByTokens } from '../../../server/src/service/xml/parser';
import { StringTable } from '../../../server/src/service/xml/strings';
import type { XmlElement } from '../../../server/src/service/xml/types';

const root = path.resolve(__dirname, '..', '..', '..', '..');

function xmlFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...xmlFiles(full));
    else if (entry.name.endsWith('.xml')) found.push(full);
  }
  return found;
}

function plain(el: XmlElement): unknown {
  return [
    el.name,
    el.start,
    el.nameSpan,
    el.startTagEnd,
    el.selfClosing,
    el.endTagStart,
    el.end,
    el.closed,
    el.parent?.start ?? null,
    el.attributes.map((a) => [a.name, a.nameSpan, a.value, a.valueSpan, a.quote, a.closed]),
    el.textSpans,
    el.children.map(plain),
  ];
}

function assertSameParse(text: string, where: string): void {
  const strings = new StringTable();
  const fast = parseXml(text, strings);
  const reference = parseXmlByTokens(text, strings);
  assert.deepEqual(fast.roots.map(plain), reference.roots.map(plain), `${where}: tree`);
  assert.deepEqual(fast.problems, reference.problems, `${where}: problems`);
}

test("libvirt 9.0's test XML: ordinary tags read in one step give the token-by-token parse, whole and with tags cut short", () => {
  // downloads once (about 10 s), then answers from the cache
  const tests = execFileSync('bash', [path.join(root, 'test/setup/libvirt-test-suite.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
  const files = xmlFiles(tests);
  assert.ok(files.length > 3000, `${files.length} XML files under ${tests}`);
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    const where = path.relative(tests, file);
    assertSameParse(text, where);
    // every tenth tag loses its last character ('>' or the '/' of '/>')
    let n = 0;
    const cut = text.replace(/\/?>/g, (m) => (++n % 10 === 0 ? m.slice(0, -1) : m));
    assertSameParse(cut, `${where} (tags cut short)`);
  }
});
