// The rules page and shared/ruleDocs.ts are what scripts/rules-page.mjs makes from the README's rule
// tables, and they cover exactly the codes the service can report.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RULE_DOCS, RULES_PAGE, ruleHref } from '../../../shared/ruleDocs';
import { RULES } from '../../../server/src/service/catalog';
import { validateWithSuppressions } from '../../../server/src/service/index';
import { readProjectConfig } from '../../../server/src/project/projectConfig';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-rules-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Every code the service reports: the rows of its rule catalog. */
function serviceCodes(): string[] {
  return Object.keys(RULES).sort();
}

test('docs/rules.md, shared/ruleDocs.ts and the config schema are exactly what the generator makes from the README (run node scripts/rules-page.mjs)', () => {
  execFileSync(process.execPath, [path.join(root, 'scripts', 'rules-page.mjs'), '--out', tmp], { cwd: root });
  for (const file of ['docs/rules.md', 'shared/ruleDocs.ts', 'schemas/libvirt-hostdev.schema.json']) {
    assert.equal(fs.readFileSync(path.join(root, file), 'utf8'), fs.readFileSync(path.join(tmp, file), 'utf8'), `${file} is out of date`);
  }
});

test("the rules page is linked only from a real repository's address, never a placeholder's", () => {
  const pageFor = (repository: string): string => {
    const out = fs.mkdtempSync(path.join(tmp, 'repo-'));
    execFileSync(process.execPath, [path.join(root, 'scripts', 'rules-page.mjs'), '--out', out, '--repository', repository], { cwd: root });
    const generated = fs.readFileSync(path.join(out, 'shared', 'ruleDocs.ts'), 'utf8');
    const m = /export const RULES_PAGE: string \| null = (.*);/.exec(generated);
    assert.ok(m, 'RULES_PAGE is generated');
    return m[1];
  };
  assert.equal(
    pageFor('git+https://github.com/someone/libvirt-hostdev.git'),
    '"https://github.com/someone/libvirt-hostdev/blob/main/docs/rules.md"',
  );
  for (const placeholder of ['https://example.invalid/libvirt-hostdev.git', 'https://git.example.com/x', 'http://localhost/x', ''])
    assert.equal(pageFor(placeholder), 'null', placeholder);
});

test('every code the service reports has a rule doc and an anchor on the page, and no doc is for a code that does not exist', () => {
  const codes = serviceCodes();
  assert.ok(codes.length >= 30);
  const undocumented = codes.filter((c) => !RULE_DOCS[c]);
  assert.deepEqual(undocumented, [], 'add a row for each to the README rule tables, then run node scripts/rules-page.mjs');
  assert.deepEqual(Object.keys(RULE_DOCS).sort(), codes, 'a README rule-table row names a code the service does not have');
  const page = fs.readFileSync(path.join(root, 'docs', 'rules.md'), 'utf8');
  for (const code of codes) {
    assert.equal(page.split(`<a id="${code}"></a>`).length, 2, `one anchor for ${code}`);
    assert.equal(ruleHref(code), RULES_PAGE === null ? undefined : `${RULES_PAGE}#${code}`);
  }
});

test('the page offers a disable comment only for codes one can take off', () => {
  const page = fs.readFileSync(path.join(root, 'docs', 'rules.md'), 'utf8');
  const offered = serviceCodes().filter((code) => page.includes(`<!-- libvirt-hostdev-disable-next-line ${code} -->`));
  // document-size and not-libvirt are at the first character, before any line a comment covers
  assert.deepEqual(
    serviceCodes().filter((code) => !offered.includes(code)),
    ['disable-comment', 'document-size', 'not-libvirt'],
  );
  const text = `<interface type='hostdev'>
  <!-- libvirt-hostdev-disable-next-line disable-comment -->
  <!-- libvirt-hostdev-disable-next-line nonsense -->
  <mac address='52:54:00:00:00:01'/>
  <source><address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x0'/></source>
</interface>
`;
  assert.deepEqual(
    validateWithSuppressions(text).problems.map((p) => p.code),
    ['disable-comment'],
    'a comment does not take off the warning about the comment below it',
  );
});

interface ConfigSchema {
  additionalProperties: boolean;
  properties: Record<string, unknown> & { severity: { properties: Record<string, unknown>; additionalProperties: boolean } };
  definitions: { code: { enum: string[]; enumDescriptions: string[] }; level: { enum: string[] } };
}

test("the config file's schema takes what check reads: the service's codes, its levels, only disable and severity; VS Code gets it for .libvirt-hostdev.json", () => {
  const schema = JSON.parse(fs.readFileSync(path.join(root, 'schemas', 'libvirt-hostdev.schema.json'), 'utf8')) as ConfigSchema;
  assert.deepEqual([...schema.definitions.code.enum].sort(), serviceCodes());
  assert.equal(schema.definitions.code.enumDescriptions.length, serviceCodes().length);
  assert.deepEqual(Object.keys(schema.properties.severity.properties).sort(), serviceCodes());
  assert.equal(schema.properties.severity.additionalProperties, false);
  assert.equal(schema.additionalProperties, false);
  assert.deepEqual(Object.keys(schema.properties).sort(), ['$schema', 'disable', 'severity']);
  // the levels readProjectConfig takes: each one is read, anything else refused
  const codes = { isKnown: (c: string) => c in RULES, nearest: () => null };
  const config = path.join(tmp, '.libvirt-hostdev.json');
  for (const level of schema.definitions.level.enum) {
    fs.writeFileSync(config, JSON.stringify({ $schema: './schema.json', severity: { 'mac-missing': level } }));
    const read = readProjectConfig(config, codes);
    assert.equal(level === 'off' ? read.disable.has('mac-missing') : read.severity.get('mac-missing') === level, true, level);
  }
  fs.writeFileSync(config, JSON.stringify({ severity: { 'mac-missing': 'fatal' } }));
  assert.throws(() => readProjectConfig(config, codes), /expected one of error, warning, information, hint, off/);
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    contributes: { jsonValidation: { fileMatch: string; url: string }[] };
  };
  assert.deepEqual(pkg.contributes.jsonValidation, [{ fileMatch: '.libvirt-hostdev.json', url: './schemas/libvirt-hostdev.schema.json' }]);
  assert.ok(
    fs.readFileSync(path.join(root, '.vscodeignore'), 'utf8').split('\n').includes('!schemas/*.json'),
    'the schema ships in the .vsix',
  );
});
