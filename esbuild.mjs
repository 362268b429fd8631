// Bundles for the .vsix and the npm bin entries. tsc -b is only for typechecking and tests.
// ssh2's native helpers (sshcrypto.node, cpu-features) are optional and loaded behind try/require;
// leaving them external makes the bundle use ssh2's pure-JS path, which also works in VS Code's
// extension host whose Node ABI differs from the one npm built for.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { thirdPartyNotices } from './scripts/thirdPartyNotices.mjs';

const watch = process.argv.includes('--watch');
// --npm-out=DIR: only the bins' bundles (the server, the CLI's entry and its command bundles), minified, into DIR (the npm package: scripts/npm-package.mjs)
const npmOut = process.argv.find((a) => a.startsWith('--npm-out='))?.slice('--npm-out='.length);
const production = process.argv.includes('--production') || npmOut !== undefined;
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node18',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
};
const out = npmOut ?? 'dist';
// The CLI is an entry (dist/cli.js: the command table, --help, --version) and one bundle per group of
// commands in dist/cli/, required when a command runs (server/src/cli/lazy.ts): `check` does not read
// the host layer and ssh2. Each bundle holds its own copy of what it shares with the others. The glob
// matcher is one too, loaded only for a pattern. The language server is an entry (dist/server.js:
// --help, --version, the V8 settings) and the server itself (dist/lsp/serve.js), loaded by main.ts.
// Each bundle that another loads goes through runtime/compileCache.ts, with V8's code cache.
const loadedBundles = [
  { source: 'server/src/cli/check.ts', outfile: 'cli/check.js', loader: 'server/src/cli/lazy.ts' },
  { source: 'server/src/cli/rulesCommand.ts', outfile: 'cli/rules.js', loader: 'server/src/cli/lazy.ts' },
  { source: 'server/src/cli/hostCli.ts', outfile: 'cli/host.js', loader: 'server/src/cli/lazy.ts' },
  { source: 'server/src/cli/globMatcher.ts', outfile: 'cli/glob.js', loader: 'server/src/cli/lazy.ts' },
  { source: 'server/src/cli/completion.ts', outfile: 'cli/completion.js', loader: 'server/src/cli/lazy.ts' },
  { source: 'server/src/lsp/serve.ts', outfile: 'lsp/serve.js', loader: 'server/src/main.ts' },
];
const entries = [
  { source: 'server/src/cli/main.ts', outfile: 'cli.js', bin: true },
  { source: 'server/src/main.ts', outfile: 'server.js', bin: true },
  ...loadedBundles,
];

/** Resolves a loader's require('./cli/check') (and the like) to the bundle file built from that source, relative to `outfile`. */
function bundleBoundaries(outfile) {
  return {
    name: 'bundle-boundaries',
    setup(build) {
      build.onResolve({ filter: /^\.\.?\// }, (args) => {
        const target = loadedBundles.find((b) => path.resolve(args.resolveDir, `${args.path}.ts`) === path.resolve(b.source));
        if (!target) return undefined;
        if (args.importer !== path.resolve(target.loader) || args.kind !== 'require-call')
          return { errors: [{ text: `${args.path} is a bundle of its own: load it through ${target.loader}` }] };
        let relative = path.relative(path.dirname(outfile), `${out}/${target.outfile}`);
        if (!relative.startsWith('.')) relative = `./${relative}`;
        return { path: relative, external: true };
      });
    },
  };
}

const bins = entries.map((b) => ({
  ...common,
  entryPoints: [b.source],
  outfile: `${out}/${b.outfile}`,
  external: ['cpu-features', '*.node'],
  plugins: [bundleBoundaries(`${out}/${b.outfile}`)],
  define: {
    // server/src/cli/lazy.ts: where the command bundles are, from this one
    COMMAND_BUNDLES: JSON.stringify(path.relative(path.dirname(b.outfile), 'cli') || '.'),
    // server/src/main.ts: where the server's bundle is, from the entry
    SERVER_BUNDLE: JSON.stringify(path.relative(path.dirname(b.outfile), 'lsp/serve.js')),
  },
  ...(b.bin ? { banner: { js: '#!/usr/bin/env node' } } : {}),
}));
const builds =
  npmOut !== undefined
    ? bins
    : [{ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] }, ...bins];
if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  const results = await Promise.all(builds.map((b) => esbuild.build({ ...b, metafile: true })));
  // beside the bundles, in the .vsix and the npm package: the notices their libraries' licences ask for
  fs.writeFileSync(
    path.join(out, 'ThirdPartyNotices.txt'),
    thirdPartyNotices(
      results.map((r) => r.metafile),
      process.cwd(),
    ),
  );
}
