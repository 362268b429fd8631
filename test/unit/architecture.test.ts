// Keeps the language service pure (house style §6): server/src/service/** may import only itself.
// Walks the sources with the TypeScript compiler API, so comments and strings cannot fool it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';

const root = path.resolve(__dirname, '..', '..', '..');
const serviceDir = path.join(root, 'server', 'src', 'service');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(p);
    return entry.name.endsWith('.ts') ? [p] : [];
  });
}

/** Every module specifier a file imports, requires or dynamically imports. */
function importsOf(file: string): string[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.arguments.length > 0 && ts.isStringLiteral(node.arguments[0])) {
      const callee = node.expression;
      if ((ts.isIdentifier(callee) && callee.text === 'require') || callee.kind === ts.SyntaxKind.ImportKeyword) {
        found.push(node.arguments[0].text);
      }
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
      found.push(node.moduleReference.expression.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

test('service/ imports nothing but its own modules (no vscode, LSP connection, ssh2, fs, net, child_process, fast-xml-parser)', () => {
  const files = sourceFiles(serviceDir);
  assert.ok(files.length > 5, `expected service sources under ${serviceDir}`);
  const violations: string[] = [];
  for (const file of files) {
    for (const spec of importsOf(file)) {
      const relative = spec.startsWith('.');
      const target = relative ? path.resolve(path.dirname(file), spec) : '';
      if (!relative || !target.startsWith(serviceDir + path.sep)) {
        violations.push(`${path.relative(root, file)} imports '${spec}'`);
      }
    }
  }
  assert.deepEqual(violations, []);
});

test('the import walker sees require(), import() and import declarations (so the rule above can fail)', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'arch-'));
  const file = path.join(tmp, 'bad.ts');
  fs.writeFileSync(file, "import * as fs from 'fs';\nconst s = require('ssh2');\nvoid import('vscode');\nexport { x } from 'net';\n");
  try {
    assert.deepEqual(importsOf(file).sort(), ['fs', 'net', 'ssh2', 'vscode']);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test('client/ reaches the server only through server/src/protocol.ts', () => {
  const clientDir = path.join(root, 'client', 'src');
  const violations: string[] = [];
  for (const file of sourceFiles(clientDir)) {
    for (const spec of importsOf(file)) {
      if (!spec.startsWith('.')) continue;
      const target = path.resolve(path.dirname(file), spec);
      if (target.startsWith(path.join(root, 'server')) && target !== path.join(root, 'server', 'src', 'protocol')) {
        violations.push(`${path.relative(root, file)} imports '${spec}'`);
      }
    }
  }
  assert.deepEqual(violations, []);
});
