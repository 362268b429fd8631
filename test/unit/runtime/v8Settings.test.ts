// The V8 settings of our processes: the optimizing compilers hold back from applyProcessSettings() until
// firstCheckDone(), then work as V8 has them (test/support/v8SettingsTests.ts, here on the node running the
// tests; on Node 24 in test/integration/runtime/node24.test.ts); the young generation stays at its first size
// in the language server and grows to its largest at its first growth in a CLI run.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
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

test('the young generation keeps its first size in the language server, and grows to its largest at once in a CLI run', () => {
  // what a parse does to the young generation: many small objects that survive it (as a document's tree does)
  const youngSizes = (kind: string): unknown =>
    inChild(
      "const young = () => require('node:v8').getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size / 1048576;" +
        'const parse = () => { const tree = []; for (let i = 0; i < 300000; i++) tree.push({ at: i, children: [i, i + 1], name: "e" + i }); return tree.length; };' +
        `settings.applyProcessSettings('${kind}'); parse(); seen.push(young()); settings.firstCheckDone(); parse(); parse(); seen.push(young())`,
    );
  const [serverFirst, serverAfter] = youngSizes('language server') as number[];
  assert.ok(serverFirst <= 4 && serverAfter <= 4, `language server: ${serverFirst}, then ${serverAfter} MiB`);
  // V8's largest young generation: 16 MiB on 64-bit Node 20; a step of V8's own factor would stop at 2 MiB
  const [cliFirst] = youngSizes('command line') as number[];
  assert.ok(cliFirst >= 8, `command line: ${cliFirst} MiB after the first parse`);
});
