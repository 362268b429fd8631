// Makes the npm package (`npm install -g libvirt-hostdev`): the CLI (an entry and its command bundles in
// dist/cli/) and the language server as minified bundles with every runtime library inside, so nothing
// is installed or built on the user's machine. The repository's package.json is the VS Code extension's manifest (contributes, vsce's
// .vscodeignore); the npm package gets its own with a `files` allowlist and no dependencies.
// Usage: node scripts/npm-package.mjs [--out DIR]   (prints the tarball's path)
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outArg = process.argv.indexOf('--out');
const outDir = path.resolve(outArg >= 0 ? process.argv[outArg + 1] : path.join(root, 'build'));
const stage = path.join(outDir, 'npm-package');

fs.rmSync(stage, { recursive: true, force: true });
fs.mkdirSync(path.join(stage, 'dist'), { recursive: true });
execFileSync(process.execPath, ['esbuild.mjs', `--npm-out=${path.join(stage, 'dist')}`], { cwd: root, stdio: 'inherit' });

const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const pkg = {
  name: manifest.name,
  version: manifest.version,
  description:
    "Check libvirt SR-IOV VF hostdev XML against libvirt's rules and a live host (CLI for CI pipelines, language server for any LSP editor).",
  license: manifest.license,
  repository: manifest.repository,
  keywords: manifest.keywords,
  engines: { node: manifest.engines.node },
  bin: { 'libvirt-hostdev': 'dist/cli.js', 'libvirt-hostdev-language-server': 'dist/server.js' },
  files: ['dist/cli.js', 'dist/cli/', 'dist/server.js', 'dist/lsp/', 'dist/ThirdPartyNotices.txt', 'CHANGELOG.md'],
};
fs.writeFileSync(path.join(stage, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
for (const f of ['README.md', 'LICENSE', 'CHANGELOG.md']) fs.copyFileSync(path.join(root, f), path.join(stage, f));

const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', outDir], { cwd: stage, encoding: 'utf8' }));
process.stdout.write(`${path.join(outDir, packed[0].filename)}\n`);
