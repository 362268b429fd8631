// The V8 settings of our processes: the optimizing compilers hold back from applyProcessSettings() until
// firstCheckDone(), then work as V8 has them (test/support/v8SettingsTests.ts, here on the node running the
// tests; on Node 24 in test/integration/runtime/node24.test.ts); the young generation stays at its first size
// through the first check (for good in the language server) and is collected on one thread.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { stepsInChild, writeProbe } from '../../support/optimizingCompiler';
import { testCompilerSettings } from '../../support/v8SettingsTests';

const settingsModule = path.resolve(__dirname, '..', '..', '..', 'server', 'src', 'runtime', 'v8Settings.js');
const probe = writeProbe();
after(() => probe.dispose());

/** Runs `steps` (JavaScript, with `settings` the module and `on()` the probe) in a child of this node; returns what it saw. */
function inChild(steps: string, nodeOptions: string[] = []): unknown {
  return stepsInChild(process.execPath, probe.preload, settingsModule, steps, nodeOptions);
}

testCompilerSettings('the node running the tests', () => process.execPath);

test('the young generation keeps its first size through the first check, for good in the language server, and grows after it in a CLI run', () => {
  // what a parse does to the young generation: many small objects that survive it (as a document's tree does)
  const youngSizes = (kind: string): unknown =>
    inChild(
      "const young = () => require('node:v8').getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size / 1048576;" +
        'const parse = () => { const tree = []; for (let i = 0; i < 300000; i++) tree.push({ at: i, children: [i, i + 1], name: "e" + i }); return tree.length; };' +
        `settings.applyProcessSettings('${kind}'); parse(); seen.push(young()); settings.firstCheckDone(); parse(); parse(); seen.push(young())`,
    );
  const [serverFirst, serverAfter] = youngSizes('language server') as number[];
  assert.ok(serverFirst <= 2 && serverAfter <= 2, `language server: ${serverFirst}, then ${serverAfter} MiB`);
  // (new_space counts both halves: 2 MiB at V8's first size) V8's own factor takes over after the first check: it doubles at each growth
  const [cliFirst, cliAfter] = youngSizes('command line') as number[];
  assert.ok(cliFirst <= 2 && cliAfter >= 8, `command line: ${cliFirst} MiB after the first parse, ${cliAfter} MiB after two more`);
});

for (const kind of ['language server', 'command line']) {
  test(`the ${kind} collects the young generation on one thread, before its first check and after`, () => {
    // V8 traces each young collection with the time its helper threads spent in it (background.scavenge.parallel)
    const parse =
      'const parse = () => { const tree = []; for (let i = 0; i < 300000; i++) tree.push({ at: i, children: [i, i + 1], name: "e" + i }); return tree.length; };';
    const script =
      `const settings = require(${JSON.stringify(settingsModule)}); ${parse}` +
      `settings.applyProcessSettings('${kind}'); parse(); console.log('FIRST CHECK DONE'); settings.firstCheckDone(); for (let i = 0; i < 5; i++) parse();`;
    const helperTimes = (trace: string): number[] =>
      trace
        .split('\n')
        .filter((l) => / gc=s /.test(l))
        .map((l) => Number(/ background\.scavenge\.parallel=([\d.]+)/.exec(l)?.[1]));
    const r = spawnSync(process.execPath, ['--trace-gc-nvp', '-e', script], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, r.stderr);
    const [before, after] = r.stdout.split('FIRST CHECK DONE').map(helperTimes);
    assert.ok(before.length > 0 && after.length > 0, `young collections: ${before.length} before the first check, ${after.length} after`);
    assert.deepEqual(
      before.filter((t) => t !== 0),
      [],
      'helper threads worked before the first check was done',
    );
    assert.deepEqual(
      after.filter((t) => t !== 0),
      [],
      'helper threads worked after it',
    );
  });
}

test('without the settings V8 shares a young collection among its helper threads (what the test above would see)', () => {
  const r = spawnSync(
    process.execPath,
    ['--trace-gc-nvp', '-e', 'const t = []; for (let i = 0; i < 1500000; i++) t.push({ at: i, children: [i, i + 1], name: "e" + i });'],
    { encoding: 'utf8', timeout: 60_000 },
  );
  assert.equal(r.status, 0, r.stderr);
  const times = r.stdout
    .split('\n')
    .filter((l) => / gc=s /.test(l))
    .map((l) => Number(/ background\.scavenge\.parallel=([\d.]+)/.exec(l)?.[1]));
  assert.ok(
    times.some((t) => t > 0),
    `no helper thread in ${times.length} young collections`,
  );
});
