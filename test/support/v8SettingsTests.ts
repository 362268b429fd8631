// What runtime/v8Settings.ts does to the optimizing compilers, seen from inside a child process of a given
// node binary (the probe of optimizingCompiler.ts): declared once, run by the unit tests on the node that
// runs them (Node 20) and by test/integration/runtime/node24.test.ts on Node 24, whose V8 takes other flags.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { ownHoldBack, stepsInChild, writeProbe } from './optimizingCompiler';

const settingsModule = path.resolve(__dirname, '..', '..', 'server', 'src', 'runtime', 'v8Settings.js');

/** Declares the tests, named after `label`, for the node binary `node()` returns once they run. */
export function testCompilerSettings(label: string, node: () => string): void {
  const probe = writeProbe();
  after(() => probe.dispose());
  /** runs `steps` (JavaScript, with `settings` the module and `on()` the probe) in a child; returns what it saw */
  const inChild = (steps: string, nodeOptions: string[] = []): unknown =>
    stepsInChild(node(), probe.preload, settingsModule, steps, nodeOptions);

  for (const kind of ['language server', 'command line']) {
    test(`${label}: applyProcessSettings('${kind}') holds the optimizing compilers back, firstCheckDone lets them work, no unrecognized flag`, () => {
      const seen = inChild(
        `seen.push(on()); settings.applyProcessSettings('${kind}'); seen.push(on()); settings.firstCheckDone(); seen.push(on()); seen.push(on())`,
      );
      // compiling before (so the probe can see it), not after the start settings, again after the first check, and it stays so
      assert.deepEqual(seen, [true, false, true, true]);
    });
  }

  test(`${label}: firstCheckDone acts once: a second call leaves the compilers as it finds them`, () => {
    // how the settings hold the compilers back, here standing for a process's own choice
    const heldBack = ownHoldBack(node()).join(' ');
    const seen = inChild(
      `settings.applyProcessSettings('language server'); settings.firstCheckDone(); require('node:v8').setFlagsFromString('${heldBack}'); settings.firstCheckDone(); seen.push(on())`,
    );
    assert.deepEqual(seen, [false]);
  });

  test(`${label}: firstCheckDone in a process that did not apply the settings keeps its own flags`, () => {
    assert.deepEqual(inChild('settings.firstCheckDone(); seen.push(on())', ownHoldBack(node())), [false]);
    assert.deepEqual(inChild('settings.firstCheckDone(); seen.push(on())', ['--no-opt', '--no-maglev']), [false]);
    assert.deepEqual(inChild('settings.firstCheckDone(); seen.push(on())'), [true]);
  });

  for (const deprecations of [[], ['--pending-deprecation'], ['--throw-deprecation']]) {
    test(`${label}: the settings print no warning and throw nothing (${deprecations.join(' ') || 'no deprecation flag'}); on Node 18 and 20 they load neither node:v8 nor node's streams`, () => {
      // node:v8 brings node's stream modules with it, which cost a CLI run 6 ms: taken through
      // process.binding('v8') where node still hands it out, with that way's deprecation kept quiet
      const script =
        `const before = new Set(process.moduleLoadList); require(${JSON.stringify(settingsModule)}).applyProcessSettings('command line');` +
        'console.log(JSON.stringify(process.moduleLoadList.filter((m) => !before.has(m))));';
      const r = spawnSync(node(), [...deprecations, '-e', script], { encoding: 'utf8', timeout: 60_000 });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stderr, '');
      const loaded = JSON.parse(r.stdout) as string[];
      const major = Number(spawnSync(node(), ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout.split('.')[0]);
      if (major <= 20)
        assert.deepEqual(
          loaded.filter((m) => /^NativeModule (v8|stream)$/.test(m)),
          [],
        );
      else assert.ok(loaded.includes('NativeModule v8'), loaded.join(', '));
    });
  }
}
