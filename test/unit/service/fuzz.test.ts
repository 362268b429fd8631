// Generated inputs, deterministic (fixed seed): mutations of the corpus and the examples (cut, doubled,
// truncated, markup characters and entities inserted) through validate, hover, completion and code
// actions with an inventory. Nothing may throw, and every span and edit must lie inside the document.
// FUZZ_ITERATIONS (default 10,000: 20-60 s on the 2-core CI machine) and FUZZ_SEED change the run;
// `npm run fuzz` runs a long one.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { codeActions, complete, hover, validate, type Span } from '../../../server/src/service/index';
import { context82576, corpusTexts, seededRandom } from './helpers';

const ITERATIONS = Number(process.env.FUZZ_ITERATIONS ?? 10000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261202);

const corpus = (): string[] => corpusTexts(['reject', 'accept-fails-at-start', 'accept-starts']);

const PIECES = [
  '<',
  '>',
  '/>',
  '</',
  "'",
  '"',
  '=',
  '&',
  '&amp;',
  '&#x41;',
  '&e;',
  ';',
  ' ',
  '\n',
  '\r\n',
  '\t',
  '<!--',
  '-->',
  '<![CDATA[',
  ']]>',
  '<?xml ?>',
  '<!DOCTYPE d [<!ENTITY e "&e;">]>',
  '\u0000',
  '😀',
  '\ud800',
  '0x',
  '0b',
  '011',
  ':',
  'hostdev',
  'interface',
  'source',
  'address',
  'mac',
  'vlan',
];

function mutate(text: string, next: () => number): string {
  const at = (): number => Math.floor(next() * (text.length + 1));
  const times = 1 + Math.floor(next() * 4);
  for (let i = 0; i < times; i++) {
    const a = at();
    const b = Math.min(text.length, a + Math.floor(next() * 40));
    switch (Math.floor(next() * 5)) {
      case 0:
        text = text.slice(0, a) + text.slice(b);
        break;
      case 1:
        text = text.slice(0, b) + text.slice(a, b) + text.slice(b);
        break;
      case 2:
        text = text.slice(0, a);
        break;
      default:
        text = text.slice(0, a) + PIECES[Math.floor(next() * PIECES.length)] + text.slice(a);
    }
  }
  return text;
}

function inside(text: string, span: Span, what: string): void {
  assert.ok(
    Number.isInteger(span.start) && Number.isInteger(span.end) && span.start >= 0 && span.start <= span.end && span.end <= text.length,
    `${what} span ${JSON.stringify(span)} outside a ${text.length}-character document`,
  );
}

test(`fuzz: ${ITERATIONS} mutated documents (seed ${SEED}) through validate, hover, completion and code actions`, () => {
  const texts = corpus();
  assert.ok(texts.length > 50);
  const next = seededRandom(SEED);
  const ctx = context82576();
  for (let i = 0; i < ITERATIONS; i++) {
    const text = mutate(texts[i % texts.length], next);
    const where = `iteration ${i} (seed ${SEED})`;
    try {
      const problems = validate(text, ctx);
      for (const p of problems) inside(text, p.span, `${p.code} problem`);
      for (let k = 0; k < 3; k++) {
        const offset = Math.floor(next() * (text.length + 1));
        const h = hover(text, offset, ctx);
        if (h) inside(text, h.span, 'hover');
        for (const c of complete(text, offset, ctx)) inside(text, c.span, 'completion');
      }
      if (problems.length > 0) {
        const p = problems[Math.floor(next() * problems.length)];
        for (const action of codeActions(text, p.span, problems, ctx))
          for (const e of action.edits) inside(text, e.span, `"${action.title}" edit`);
      }
    } catch (e) {
      assert.fail(`${where}: ${e instanceof Error ? e.stack : String(e)}\n--- document ---\n${text}`);
    }
  }
});
