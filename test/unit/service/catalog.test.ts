// The rule catalog is the one list of codes: the README's rule tables and the quick fixes must agree with it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RULES, type DiagnosticCode } from '../../../server/src/service/catalog';
import { fixableCodes } from '../../../server/src/service/codeActions';

const readme = fs.readFileSync(path.resolve(__dirname, '..', '..', '..', '..', 'README.md'), 'utf8');

interface ReadmeRow {
  codes: string[];
  severity: string;
  withInventory: boolean;
}

/** The rows of the rule tables under "## What it checks"; those after "With an inventory" need one. */
function readmeRows(text: string): ReadmeRow[] {
  const start = text.indexOf('## What it checks');
  const end = text.indexOf('\n## ', start + 1);
  assert.ok(start >= 0 && end > start, 'README has a "What it checks" section');
  const section = text.slice(start, end);
  const inventoryAt = section.indexOf('With an inventory');
  const rows: ReadmeRow[] = [];
  let offset = 0;
  for (const line of section.split('\n')) {
    const at = offset;
    offset += line.length + 1;
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 4 || !cells[1].startsWith('`')) continue;
    rows.push({
      codes: [...cells[1].matchAll(/`([a-z0-9-]+)`/g)].map((m) => m[1]),
      severity: cells[2].split(/[ /]/)[0],
      withInventory: inventoryAt >= 0 && at > inventoryAt,
    });
  }
  return rows;
}

test('every code of the catalog is in the README rule tables, once, with its severity and in the right table', () => {
  const rows = readmeRows(readme);
  const seen = rows.flatMap((r) => r.codes);
  assert.deepEqual([...seen].sort(), Object.keys(RULES).sort(), 'the README tables list exactly the catalog');
  assert.equal(new Set(seen).size, seen.length, 'no code twice');
  for (const row of rows) {
    for (const code of row.codes) {
      const rule = RULES[code as DiagnosticCode];
      assert.equal(row.severity, rule.severity, `${code}: severity`);
      assert.equal(row.withInventory, rule.needsInventory, `${code}: in the "With an inventory" table exactly when it needs one`);
    }
  }
});

test('the catalog marks as fixable exactly the codes a quick fix answers', () => {
  const fixable = Object.entries(RULES)
    .filter(([, r]) => r.fixable)
    .map(([code]) => code)
    .sort();
  assert.deepEqual(fixable, [...fixableCodes()].sort());
});

test('the README check fails on a missing row and on a wrong severity (so it can fail)', () => {
  const missing = readmeRows(readme.replace(/^\| `rom` .*\n/m, '')).flatMap((r) => r.codes);
  assert.ok(!missing.includes('rom'));
  const wrong = readmeRows(readme.replace('| `pci-zero` | warning |', '| `pci-zero` | error |'));
  assert.equal(wrong.find((r) => r.codes.includes('pci-zero'))?.severity, 'error');
});
