// Bundles for the .vsix and the npm bin entries. tsc -b is only for typechecking and tests.
// ssh2's native helpers (sshcrypto.node, cpu-features) are optional and loaded behind try/require;
// leaving them external makes the bundle use ssh2's pure-JS path, which also works in VS Code's
// extension host whose Node ABI differs from the one npm built for.
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node18',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
};
const builds = [
  { ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { ...common, entryPoints: ['server/src/main.ts'], outfile: 'dist/server.js', external: ['cpu-features', '*.node'],
    banner: { js: '#!/usr/bin/env node' } },
  { ...common, entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js', external: ['cpu-features', '*.node'],
    banner: { js: '#!/usr/bin/env node' } },
];
if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
