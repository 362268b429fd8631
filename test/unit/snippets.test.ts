// The editor snippets (snippets/xml.json), expanded as VS Code expands them with nothing typed: each
// must be a device libvirt accepts, and each tab stop must be its own field (a number used twice
// makes VS Code mirror the first field into the second: slot='0x0000').
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { validate } from '../../server/src/service/validate';

// compiled to out/test/unit/: the snippets stay in the source tree
const SNIPPETS = resolve(__dirname, '../../../snippets/xml.json');

interface Snippet {
  prefix: string[];
  body: string[];
}

/** `${RANDOM_HEX}` as VS Code would give it: six hex digits */
const RANDOM_HEX = '5a3c1e';

/**
 * The body with every field at its default (a choice's first option) and variables resolved, a tab stop met
 * again showing the text of its first field, as VS Code mirrors it; and the tab stops met.
 */
function expand(body: string): { text: string; tabStops: number[] } {
  const tabStops: number[] = [];
  const values = new Map<number, string>();
  const field = (n: number, value: string): string => {
    tabStops.push(n);
    if (!values.has(n)) values.set(n, value);
    return values.get(n)!;
  };
  let text = body;
  for (;;) {
    // innermost first: a field whose text holds no further `${`
    const next = text
      .replace(/\$\{RANDOM_HEX\/\(\.\.\)\(\.\.\)\(\.\.\)\/\$1:\$2:\$3\/\}/g, RANDOM_HEX.replace(/(..)(..)(..)/, '$1:$2:$3'))
      // a choice (its first option) or a placeholder, in the order of the text: the first field of a number is the one mirrored
      .replace(/\$\{(\d+)(?:\|([^|}]*?)(?:,[^|}]*)*\||:((?:(?!\$\{)[^}])*))\}/g, (_m, n: string, choice?: string, placeholder?: string) =>
        field(Number(n), choice ?? placeholder ?? ''),
      );
    if (next === text) break;
    text = next;
  }
  assert.doesNotMatch(text, /\$\{/, `a field this expansion does not know: ${text}`);
  return { text: text.replace(/\$0/g, ''), tabStops };
}

const snippets = Object.entries(JSON.parse(readFileSync(SNIPPETS, 'utf8')) as Record<string, Snippet>);

test('there are snippets to check', () => {
  assert.ok(snippets.length >= 3, `${snippets.length} snippets`);
});

for (const [name, snippet] of snippets) {
  test(`snippet "${name}": every tab stop is its own field`, () => {
    const { tabStops } = expand(snippet.body.join('\n'));
    const twice = tabStops.filter((n, i) => tabStops.indexOf(n) !== i);
    assert.deepEqual(twice, [], `tab stops used more than once: ${twice.join(', ')}`);
  });

  test(`snippet "${name}": as inserted, with every default, it gets no error`, () => {
    const { text } = expand(snippet.body.join('\n'));
    const errors = validate(text).filter((p) => p.severity === 'error');
    assert.deepEqual(
      errors.map((p) => `${p.code}: ${p.message}`),
      [],
      text,
    );
  });
}
