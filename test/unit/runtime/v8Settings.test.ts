// The V8 settings of our processes: the optimizing compiler holds back from applyProcessSettings() until
// firstCheckDone(), then works as V8 has it (seen from inside a child process: test/support/optimizingCompiler.ts);
// the young generation stays at its first size (in a CLI run until the first check).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { PROBE_NODE_OPTIONS, writeProbe } from '../../support/optimizingCompiler';

const settingsModule = path.resolve(__dirname, '..', '..', '..', 'server', 'src', 'runtime', 'v8Settings.js');
const probe = writeProbe();
after(() => probe.dispose());

/** Runs `steps` (JavaScript, with `settings` the module and `on()` the probe) in a child; returns what it printed. */
function inChild(steps: string, nodeOptions: string[] = []): unknown {
  const script =
    `const settings = require(${JSON.stringify(settingsModule)});` +
    `const on = globalThis[Symbol.for('test.optimizingCompilerOn')]; const seen = [];` +
    `${steps}; console.log(JSON.stringify(seen));`;
  const r = spawnSync(process.execPath, [...PROBE_NODE_OPTIONS, ...nodeOptions, '--require', probe.preload, '-e', script], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(r.status, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /unrecognized flag/);
  return JSON.parse(r.stdout);
}

for (const kind of ['language server', 'command line']) {
  test(`applyProcessSettings('${kind}') holds the optimizing compiler back; firstCheckDone lets it work`, () => {
    const seen = inChild(
      `seen.push(on()); settings.applyProcessSettings('${kind}'); seen.push(on()); settings.firstCheckDone(); seen.push(on()); seen.push(on())`,
    );
    // compiling before (so the probe can see it), not after the start settings, again after the first check, and it stays so
    assert.deepEqual(seen, [true, false, true, true]);
  });
}

// 32 times V8's budget: how the settings hold TurboFan back, here standing for a process's own choice
const HELD_BACK = `--interrupt-budget=${32 * 66 * 1024}`;

test('firstCheckDone acts once: a second call leaves the compiler as it finds it', () => {
  const seen = inChild(
    `settings.applyProcessSettings('language server'); settings.firstCheckDone(); require('node:v8').setFlagsFromString('${HELD_BACK}'); settings.firstCheckDone(); seen.push(on())`,
  );
  assert.deepEqual(seen, [false]);
});

test('firstCheckDone in a process that did not apply the settings keeps its own flags', () => {
  assert.deepEqual(inChild('settings.firstCheckDone(); seen.push(on())', [HELD_BACK]), [false]);
  assert.deepEqual(inChild('settings.firstCheckDone(); seen.push(on())', ['--no-opt']), [false]);
  assert.deepEqual(inChild('settings.firstCheckDone(); seen.push(on())'), [true]);
});

test('the young generation keeps its first size in the language server, and in a CLI run until the first check', () => {
  // what a parse does to the young generation: many small objects that survive it (as a document's tree does)
  const small = (kind: string): unknown =>
    inChild(
      "const young = () => require('node:v8').getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size / 1048576;" +
        'const parse = () => { const tree = []; for (let i = 0; i < 300000; i++) tree.push({ at: i, children: [i, i + 1], name: "e" + i }); return tree.length; };' +
        `settings.applyProcessSettings('${kind}'); parse(); seen.push(young() <= 4); settings.firstCheckDone(); parse(); parse(); seen.push(young() <= 4)`,
    );
  assert.deepEqual(small('language server'), [true, true]);
  assert.deepEqual(small('command line'), [true, false]);
});
