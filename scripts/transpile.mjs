// Fast, type-check-free transpile of every .ts file into out/ with the same layout tsc -b uses.
// For quick test loops while another part of the tree does not typecheck yet; `npm run build` is
// the real gate.
import * as esbuild from 'esbuild';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function walk(dir, acc = []) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'fixtures' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, acc);
    else if (p.endsWith('.ts') && !p.endsWith('.d.ts')) acc.push(p);
  }
  return acc;
}
const entryPoints = ['shared', 'server/src', 'client/src', 'test'].flatMap((d) => walk(d));
await esbuild.build({
  entryPoints,
  outdir: 'out',
  outbase: '.',
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
});
