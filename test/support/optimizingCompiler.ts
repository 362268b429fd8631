// Whether V8's optimizing compilers (TurboFan, and Maglev where V8 has it) compile hot functions at a given
// moment in another process, seen from inside it: a preload runs a fresh function hot and reads its optimization
// status. Compiles are made synchronous (no background thread), so the answer depends on the flags alone, never
// on timing. Read the same way on V8 11 to 13 (Node 20 to 24).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** node options the probed process needs: natives syntax for the status, optimization on the main thread */
export const PROBE_NODE_OPTIONS = ['--allow-natives-syntax', '--no-concurrent-recompilation', '--no-concurrent-osr'];

const PROBE = `
// V8's OptimizationStatus bit "optimized" (src/runtime/runtime-test.cc), set for Maglev's code and TurboFan's
const OPTIMIZED = 1 << 4;
let probes = 0;
/**
 * true when a function called 400 times ends up optimized: with V8's own settings it is by 200 calls on
 * Node 20 (TurboFan) and 24 (Maglev), by 400 on Node 22; held back as our processes hold it until their
 * first check, it is not yet at 600 calls on Node 24, 1,500 on Node 22, 3,000 on Node 20; with the
 * optimizing compilers off, never
 */
function optimizes() {
  // a new function each time: one optimized or marked never-optimize before tells nothing about now
  const f = new Function('text', 'k', '/* probe ' + probes++ + ' */ let s = 0; for (let i = 0; i < text.length; i++) s += text.charCodeAt(i) * k; return s;');
  for (let i = 0; i < 400; i++) f('probe text', i);
  return (%GetOptimizationStatus(f) & OPTIMIZED) !== 0;
}
const report = (at) => process.stderr.write('\\nOPTIMIZING COMPILER ' + at + ': ' + (optimizes() ? 'on' : 'off') + '\\n');
globalThis[Symbol.for('test.optimizingCompilerOn')] = optimizes;

// the first opening of the file PROBE_OPEN names (fs.openSync: how the CLI opens what it checks) reports
if (process.env.PROBE_OPEN !== undefined) {
  const fs = require('node:fs');
  const openSync = fs.openSync;
  let opened = false;
  fs.openSync = (file, ...rest) => {
    if (!opened && file === process.env.PROBE_OPEN) report('at the opening of ' + require('node:path').basename(file));
    opened ||= file === process.env.PROBE_OPEN;
    return openSync(file, ...rest);
  };
}

// the first write to stdout, and the first one that carries diagnostics (an LSP server's), report
let firstWrite = true;
let firstDiagnostics = true;
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = (chunk, ...rest) => {
  if (firstWrite) report('at the first write to stdout');
  firstWrite = false;
  if (firstDiagnostics && String(chunk).includes('"textDocument/publishDiagnostics"')) {
    firstDiagnostics = false;
    report('at the first publishDiagnostics');
  }
  return write(chunk, ...rest);
};

process.on('exit', () => report('at exit'));
`;

/** Writes the preload into a new temporary directory; returns its path and a function that removes it. */
export function writeProbe(): { preload: string; dispose(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-optimizing-compiler-'));
  const preload = path.join(dir, 'probe.js');
  fs.writeFileSync(preload, PROBE);
  return { preload, dispose: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** What the probe reported in `stderr`, in order: the moment → 'on' | 'off'. */
export function probeReports(stderr: string): [string, 'on' | 'off'][] {
  return [...stderr.matchAll(/^OPTIMIZING COMPILER (.*): (on|off)$/gm)].map((m) => [m[1], m[2] as 'on' | 'off']);
}

/**
 * Runs `steps` (JavaScript: `settings` is the module at `settingsModule`, `on()` the probe, `seen` an array)
 * in a child process of `node` with the probe preloaded; returns `seen`. Fails when the child fails or
 * prints "unrecognized flag" (a flag its V8 does not know).
 */
export function stepsInChild(node: string, preload: string, settingsModule: string, steps: string, nodeOptions: string[] = []): unknown {
  const script =
    `const settings = require(${JSON.stringify(settingsModule)});` +
    `const on = globalThis[Symbol.for('test.optimizingCompilerOn')]; const seen = [];` +
    `${steps}; console.log(JSON.stringify(seen));`;
  const r = spawnSync(node, [...PROBE_NODE_OPTIONS, ...nodeOptions, '--require', preload, '-e', script], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(r.status, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /unrecognized flag/);
  return JSON.parse(r.stdout);
}

/**
 * V8 flags with which a process holds the optimizing compilers back on its own (as ours do until their first
 * check), for the V8 of `node`: V8 11 counts bytecode run between looks, V8 12 and later count invocations.
 */
export function ownHoldBack(node: string): string[] {
  const v8Major = Number(spawnSync(node, ['-p', 'process.versions.v8'], { encoding: 'utf8' }).stdout.split('.')[0]);
  return v8Major === 11
    ? [`--interrupt-budget=${32 * 66 * 1024}`]
    : ['--invocation-count-for-maglev=6400', '--invocation-count-for-turbofan=15000'];
}
