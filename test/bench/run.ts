// `npm run bench`: speed as ratios against baselines measured in the same run (never asserted in tests).
//  1. full validation vs fast-xml-parser's XMLValidator.validate on the same text (target ratio ≤ 2,
//     < 50 ms for the 15,000-line document), with a 1,024-VF inventory;
//  2. the language server's memory after opening the large document (real bundle over stdio);
//  3. editing the large document (editing.ts): keystroke, hover after a keystroke, memory while
//     editing, the first validation in a fresh process, the CLI against virt-xml-validate;
//  4. the live inventory over loopback SSH (when the test environment is up).
// `npm run bench` builds dist/ as it ships (esbuild --production, as in the .vsix and the npm package):
// a development bundle keeps comments, and one non-ASCII character in them makes V8 hold the whole
// bundle's source as two-byte text (3.5 MiB; the shipped bundle's is 0.85 MiB of ASCII).
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { XMLValidator } from 'fast-xml-parser';
import type * as Service from '../../server/src/service/index';
import { generateDomain, generateInventory } from './generate';
import { measureServerMemory } from './serverMemory';
import { benchEditingServer, benchFreshProcess, benchKeystroke } from './editing';

function median(samples: number[]): number {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(fn: () => unknown, runs: number): number {
  for (let i = 0; i < Math.min(5, runs); i++) fn(); // warm-up: JIT
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return median(samples);
}

/**
 * The service as it ships: bundled by esbuild like dist/server.js (scope-hoisted, no per-module
 * export getters, minified and for the same target as esbuild.mjs's production bundles), so the
 * numbers are those of the real server, whatever compiled out/. Unminified, the service's bundle is
 * 1.8x as long, and V8 reads a function's source again when it first runs it: loading it runs 7% more
 * instructions, the first validation of the large domain 1% more (valgrind).
 */
const root = path.resolve(__dirname, '..', '..', '..');
const serviceBundle = path.join(root, 'out', 'bench', 'service.js');
/**
 * what the server's entry does before it loads its bundle, for the fresh process of editing.ts: the V8
 * settings it applies at start (runtime/v8Settings.ts) and the loader that takes V8's code cache (runtime/compileCache.ts)
 */
const runtimeBundle = path.join(root, 'out', 'bench', 'runtime.js');

async function loadShippedService(): Promise<typeof Service> {
  const options = { bundle: true, platform: 'node', format: 'cjs', target: 'node18', minify: true, logLevel: 'warning' } as const;
  const runtime = path.join(root, 'server', 'src', 'runtime');
  await esbuild.build({
    ...options,
    stdin: { contents: "export * from './v8Settings'; export { requireBundle } from './compileCache';", resolveDir: runtime, loader: 'ts' },
    outfile: runtimeBundle,
  });
  await esbuild.build({ ...options, entryPoints: [path.join(root, 'server', 'src', 'service', 'index.ts')], outfile: serviceBundle });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(serviceBundle) as typeof Service;
}

async function main(): Promise<void> {
  const service = await loadShippedService();
  // as the server runs it: one language service (its caches: the inventory index, strings, numbers)
  const ls = service.createLanguageService();
  const validate = (text: string, context: Service.ServiceContext): Service.Problem[] => ls.validate(ls.parseDocument(text), context);
  const inventory = generateInventory(1024, 100);
  const cases = [
    { name: 'typical (200 lines, 4 hostdev interfaces)', text: generateDomain(4, 130, inventory), runs: 300 },
    { name: 'medium (2,000 lines, 120 hostdev interfaces)', text: generateDomain(120, 190, inventory), runs: 100 },
    { name: 'large (15,000 lines, 1,000 hostdev interfaces)', text: generateDomain(1000, 0, inventory), runs: 40 },
  ];
  console.log('== validation vs XMLValidator.validate (median of N runs, same process) ==');
  for (const c of cases) {
    const lines = c.text.split('\n').length;
    const variants = [c.text, c.text + ' ', c.text + '  '];
    let k = 0;
    const ours = time(() => validate(variants[k++ % 3], { inventory }), c.runs);
    const baseline = time(() => XMLValidator.validate(variants[k++ % 3]), c.runs);
    const problems = validate(c.text, { inventory }).length;
    console.log(`${c.name}: ${lines} lines, ${problems} diagnostics`);
    console.log(
      `  validate (1,024-VF inventory): ${ours.toFixed(2)} ms   XMLValidator.validate: ${baseline.toFixed(2)} ms   ratio ${(ours / baseline).toFixed(2)} (target ≤ 2)`,
    );
  }
  const large = cases[cases.length - 1].text;
  // the server's first start after a build makes its V8 code cache (runtime/compileCache.ts), as the first
  // start after an install does; the measured starts take it, as every later start does
  await measureServerMemory(large);
  const memory = await measureServerMemory(large);
  console.log('== language server memory (dist/server.js over stdio, VmRSS) ==');
  console.log(
    `  after initialize: ${memory.baselineMiB.toFixed(1)} MiB   after opening the large document: ${memory.afterOpenMiB.toFixed(1)} MiB   (+${(memory.afterOpenMiB - memory.baselineMiB).toFixed(1)} MiB, ratio ${(memory.afterOpenMiB / memory.baselineMiB).toFixed(2)})`,
  );
  console.log('== editing the large document ==');
  console.log('  ' + benchKeystroke(service, large, inventory));
  for (const line of await benchEditingServer(large, inventory)) console.log('  ' + line);
  for (const line of benchFreshProcess(runtimeBundle, serviceBundle, large, inventory)) console.log('  ' + line);
  await benchInventoryIfAvailable();
}

async function benchInventoryIfAvailable(): Promise<void> {
  console.log('== inventory refresh over loopback SSH ==');
  if (!process.env.LIBVIRT_HOSTDEV_TEST_SSH_PORT) {
    console.log('  skipped: the test sshd is not running (run `source test/setup/env.sh` first)');
    return;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { benchInventory } = require('./inventory') as { benchInventory(): Promise<string[]> };
  for (const line of await benchInventory()) console.log('  ' + line);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
