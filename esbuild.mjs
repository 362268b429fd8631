// Bundles for the .vsix and the npm bin entries. tsc -b is only for typechecking and tests.
// ssh2's native helpers (sshcrypto.node, cpu-features) are optional and loaded behind try/require;
// leaving them external makes the bundle use ssh2's pure-JS path, which also works in VS Code's
// extension host whose Node ABI differs from the one npm built for.
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');
// --npm-out=DIR: only the two bin bundles, minified, into DIR (the npm package: scripts/npm-package.mjs)
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
const bins = [
  {
    ...common,
    entryPoints: ['server/src/main.ts'],
    outfile: `${out}/server.js`,
    external: ['cpu-features', '*.node'],
    banner: { js: '#!/usr/bin/env node' },
  },
  {
    ...common,
    entryPoints: ['server/src/cli/main.ts'],
    outfile: `${out}/cli.js`,
    external: ['cpu-features', '*.node'],
    banner: { js: '#!/usr/bin/env node' },
  },
];
const builds =
  npmOut !== undefined
    ? bins
    : [{ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] }, ...bins];
if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
