// The layer table (house style §6), checked on the sources with the TypeScript compiler API, so
// comments and strings cannot fool it. Arrows point to what a layer may import.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';

const root = path.resolve(__dirname, '..', '..', '..');

type Layer = 'shared' | 'service' | 'host' | 'inventory' | 'project' | 'runtime' | 'lsp' | 'cli' | 'main' | 'client';

/** project layers each layer may import (besides itself) */
const MAY_IMPORT: Record<Layer, readonly Layer[]> = {
  shared: [],
  // only the shared files that import no package (snapshot types, addresses, VF use): see pureSharedFiles()
  service: ['shared'],
  host: ['shared'],
  inventory: ['service', 'host', 'shared'],
  // the project's config file (.libvirt-hostdev.json), which `check` and the language server apply alike
  project: ['service', 'shared'],
  // the settings a process of ours gives V8 and its code cache (node's modules, and pure shared files)
  runtime: ['shared'],
  lsp: ['service', 'host', 'inventory', 'project', 'runtime', 'shared'],
  cli: ['service', 'host', 'inventory', 'project', 'runtime', 'lsp', 'shared'],
  main: ['lsp', 'runtime', 'shared'],
  client: ['shared'],
};

/** packages a layer may import; absent: any */
const MAY_IMPORT_PACKAGES: Partial<Record<Layer, (spec: string) => boolean>> = {
  // node:fs for the bounded file reader both sides use (such a file is not pure: the service cannot import it)
  shared: (spec) => spec === 'vscode-languageserver-protocol' || spec === 'node:fs',
  service: () => false,
  runtime: (spec) => spec.startsWith('node:'),
  client: (spec) => spec === 'vscode' || spec.startsWith('vscode-languageclient') || spec.startsWith('node:'),
};

function layerOf(file: string): Layer | null {
  const rel = path.relative(root, file).split(path.sep);
  if (rel[0] === 'shared') return 'shared';
  if (rel[0] === 'client') return 'client';
  if (rel[0] === 'server' && rel[1] === 'src') {
    if (rel.length === 3) return 'main';
    const layer = rel[2];
    if (
      layer === 'service' ||
      layer === 'host' ||
      layer === 'inventory' ||
      layer === 'project' ||
      layer === 'runtime' ||
      layer === 'lsp' ||
      layer === 'cli'
    )
      return layer;
  }
  return null;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(p);
    return entry.name.endsWith('.ts') ? [p] : [];
  });
}

/** Every module specifier a file imports, requires or dynamically imports. */
function importsOf(file: string, text = fs.readFileSync(file, 'utf8')): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      found.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.arguments.length > 0 && ts.isStringLiteral(node.arguments[0])) {
      const callee = node.expression;
      if ((ts.isIdentifier(callee) && callee.text === 'require') || callee.kind === ts.SyntaxKind.ImportKeyword) {
        found.push(node.arguments[0].text);
      }
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference) &&
      ts.isStringLiteral(node.moduleReference.expression)
    ) {
      found.push(node.moduleReference.expression.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const sharedDir = path.join(root, 'shared');
/** shared files that import no package, directly or through another shared file: the part of shared/ the pure service may use */
function pureSharedFiles(): Set<string> {
  const files = sourceFiles(sharedDir).map((f) => f.replace(/\.ts$/, ''));
  const imports = new Map(files.map((f) => [f, importsOf(f + '.ts')]));
  const pure = new Set<string>();
  for (let grew = true; grew;) {
    grew = false;
    for (const f of files) {
      if (pure.has(f)) continue;
      const specs = imports.get(f)!;
      if (specs.every((spec) => spec.startsWith('.') && pure.has(path.resolve(path.dirname(f), spec)))) {
        pure.add(f);
        grew = true;
      }
    }
  }
  return pure;
}

/** `texts` stands in for the files' contents (probes that are not on disk) */
function layerViolations(files: string[], texts: Map<string, string> = new Map()): string[] {
  const pureShared = pureSharedFiles();
  const violations: string[] = [];
  for (const file of files) {
    const from = layerOf(file);
    if (!from) continue;
    for (const spec of importsOf(file, texts.get(file))) {
      const where = `${path.relative(root, file)} (${from}) imports '${spec}'`;
      if (!spec.startsWith('.')) {
        const allowed = MAY_IMPORT_PACKAGES[from];
        if (allowed && !allowed(spec)) violations.push(where);
        continue;
      }
      const target = path.resolve(path.dirname(file), spec);
      const to = layerOf(target + '.ts');
      if (to === from) continue;
      if (to === null || !MAY_IMPORT[from].includes(to)) violations.push(where);
      else if ((from === 'service' || from === 'runtime') && !pureShared.has(target)) violations.push(`${where}, which imports a package`);
    }
  }
  return violations;
}

const allSources = (): string[] =>
  [path.join(root, 'shared'), path.join(root, 'server', 'src'), path.join(root, 'client', 'src')].flatMap(sourceFiles);

test('every source file belongs to a layer of the table', () => {
  const unknown = allSources()
    .filter((f) => layerOf(f) === null)
    .map((f) => path.relative(root, f));
  assert.deepEqual(unknown, []);
});

test('each layer imports only the layers below it (service → nothing but shared data; host → shared; inventory → service, host, shared; client → shared)', () => {
  const files = allSources();
  assert.ok(files.filter((f) => layerOf(f) === 'service').length > 5, 'service sources found');
  assert.deepEqual(layerViolations(files), []);
});

test('the layer check fails on an upward import, a package in the service and a client import of the server', () => {
  const probes = new Map([
    [path.join(root, 'server/src/host/probe.ts'), "import { x } from '../inventory/script';\n"],
    [
      path.join(root, 'server/src/service/probe.ts'),
      "import { XMLParser } from 'fast-xml-parser';\nimport type { S } from '../../../shared/protocol';\n",
    ],
    [path.join(root, 'client/src/probe.ts'), "import { startServer } from '../../server/src/lsp/server';\n"],
  ]);
  const found = layerViolations([...probes.keys()], probes);
  assert.equal(found.length, 4, found.join('\n'));
});

/** Module-level state in a file: `let`/`var` declarations and empty collections or buffers made at load (caches). */
function moduleState(file: string, text = fs.readFileSync(file, 'utf8')): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  for (const statement of source.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    const list = statement.declarationList;
    const isConst = (list.flags & ts.NodeFlags.Const) !== 0;
    for (const d of list.declarations) {
      const name = d.name.getText(source);
      if (!isConst) found.push(`${name} (let/var)`);
      else if (d.initializer && ts.isRegularExpressionLiteral(d.initializer)) {
        // a g or y expression keeps lastIndex between uses
        const flags = d.initializer.text.slice(d.initializer.text.lastIndexOf('/') + 1);
        if (/[gy]/.test(flags)) found.push(`${name} (/${flags}: lastIndex)`);
      } else if (d.initializer) {
        // `new Array(n).fill('')` is the array made at load
        let init: ts.Expression = d.initializer;
        while (ts.isCallExpression(init) && ts.isPropertyAccessExpression(init.expression)) init = init.expression.expression;
        if (!ts.isNewExpression(init)) continue;
        const made = init.expression.getText(source);
        const empty = !init.arguments || init.arguments.length === 0;
        if ((empty && /^(Map|Set|WeakMap|WeakSet)$/.test(made)) || /^(Array|Uint8Array|Int32Array)$/.test(made))
          found.push(`${name} (new ${made})`);
      }
    }
  }
  return found;
}

test('service/ keeps no module-level state: no let/var, no cache made at load, no g/y regular expression (the language service object owns its caches)', () => {
  const files = sourceFiles(path.join(root, 'server', 'src', 'service'));
  const found = files.flatMap((f) => moduleState(f).map((what) => `${path.relative(root, f)}: ${what}`));
  assert.deepEqual(found, []);
});

test('the module-state check sees let, var, a module-level cache and a g/y regular expression', () => {
  const probe =
    "let a = 1;\nvar b;\nconst c = new Map<string, number>();\nconst d = new Set(['x']);\nconst e = new Array<string>(8).fill('');\nexport const f = 2;\n" +
    'const g = /x/g;\nconst h = /x/iy;\nconst i = /x/i;\n';
  assert.deepEqual(moduleState('probe.ts', probe), [
    'a (let/var)',
    'b (let/var)',
    'c (new Map)',
    'e (new Array)',
    'g (/g: lastIndex)',
    'h (/iy: lastIndex)',
  ]);
});

/**
 * Regular-expression literals without the g or y flag written inside a function: each call makes a new
 * RegExp object. Such a literal belongs in a module constant (a g/y one stays in the function: its
 * lastIndex is state).
 */
function regexLiteralsMadePerCall(file: string, text = fs.readFileSync(file, 'utf8')): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node, inFunction: boolean): void => {
    if (inFunction && ts.isRegularExpressionLiteral(node)) {
      const flags = node.text.slice(node.text.lastIndexOf('/') + 1);
      if (!/[gy]/.test(flags)) found.push(`${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}: ${node.text}`);
    }
    const inner = inFunction || ts.isFunctionLike(node);
    ts.forEachChild(node, (child) => visit(child, inner));
  };
  visit(source, false);
  return found;
}

test('the rules and the readers they call per device make each regular expression once, at load', () => {
  const service = path.join(root, 'server', 'src', 'service');
  const files = [...sourceFiles(path.join(service, 'rules')), path.join(service, 'pci.ts'), path.join(service, 'mac.ts')];
  const found = files.flatMap((f) => regexLiteralsMadePerCall(f).map((what) => `${path.relative(root, f)}:${what}`));
  assert.deepEqual(found, []);
});

test('the per-call regular-expression check sees a literal in a function, a method and an arrow, but not a g/y one or a constant', () => {
  const probe =
    "const A = /^a$/;\nfunction f(s: string) { return /^b$/.test(s) && s.replace(/c/g, '') && /d/y.exec(s); }\n" +
    'class C { m(s: string) { return /^e/i.test(s); } }\nconst g = (s: string) => /f/.test(s);\n';
  assert.deepEqual(regexLiteralsMadePerCall('probe.ts', probe), ['2: /^b$/', '3: /^e/i', '4: /f/']);
});

test('the import walker sees require(), import() and import declarations (so the rules above can fail)', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'arch-'));
  const file = path.join(tmp, 'bad.ts');
  fs.writeFileSync(file, "import * as fs from 'fs';\nconst s = require('ssh2');\nvoid import('vscode');\nexport { x } from 'net';\n");
  try {
    assert.deepEqual(importsOf(file).sort(), ['fs', 'net', 'ssh2', 'vscode']);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

/** How a message reaches the user: VS Code's window functions, the LSP messages by type or by method name. */
const MESSAGE_FUNCTIONS = new Set([
  'showInformationMessage',
  'showWarningMessage',
  'showErrorMessage',
  'ShowMessageNotification',
  'ShowMessageRequest',
  // a progress notification's title is a message too
  'withProgress',
]);
const MESSAGE_METHODS = new Set(['window/showMessage', 'window/showMessageRequest']);
/** the one file per side that shows messages, each passing them through inertLinks */
const MESSAGE_FILES = [path.join(root, 'client/src/notify.ts'), path.join(root, 'server/src/lsp/userMessages.ts')];

/** Each place in a file that names one of those functions or methods (a call, a property read, an import). */
function messageUses(file: string, text = fs.readFileSync(file, 'utf8')): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    const named =
      (ts.isIdentifier(node) && MESSAGE_FUNCTIONS.has(node.text)) || (ts.isStringLiteral(node) && MESSAGE_METHODS.has(node.text));
    if (named) found.push(`${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}: ${node.getText(source)}`);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

test('every message shown to the user goes through client/src/notify.ts or server/src/lsp/userMessages.ts, which make links in it inert', () => {
  const others = allSources().filter((f) => !MESSAGE_FILES.includes(f));
  const found = others.flatMap((f) => messageUses(f).map((what) => `${path.relative(root, f)}:${what}`));
  assert.deepEqual(found, []);
  for (const file of MESSAGE_FILES)
    assert.ok(
      importsOf(file).some((spec) => spec.endsWith('/shared/inertLinks')),
      `${file} imports inertLinks`,
    );
});

test('the message check sees a window function, an LSP message type and a method name, but not a mention in a comment', () => {
  const probe =
    "// showErrorMessage\nvoid vscode.window.showErrorMessage('x');\nvoid connection.window.showWarningMessage('y');\n" +
    "import { ShowMessageRequest } from 'vscode-languageserver/node';\nvoid connection.sendNotification('window/showMessage', {});\n";
  assert.deepEqual(messageUses('probe.ts', probe), [
    '2: showErrorMessage',
    '3: showWarningMessage',
    '4: ShowMessageRequest',
    "5: 'window/showMessage'",
  ]);
});
