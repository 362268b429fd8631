// Whether V8's optimizing compiler (TurboFan) compiles hot functions at a given moment in another process,
// seen from inside it: a preload runs a fresh function hot and reads its optimization status. Compiles are made
// synchronous (no background thread), so the answer depends on the flag alone, never on timing.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** node options the probed process needs: natives syntax for the status, optimization on the main thread */
export const PROBE_NODE_OPTIONS = ['--allow-natives-syntax', '--no-concurrent-recompilation', '--no-concurrent-osr'];

const PROBE = `
// V8's OptimizationStatus bit "TurboFanned" (src/runtime/runtime-test.cc)
const TURBOFANNED = 1 << 6;
let probes = 0;
/**
 * true when a function called 1,500 times ends up compiled by TurboFan: with V8's own budget it is after
 * 300 calls already; held back (32 times the budget) it takes some 7,000, and with TurboFan off never
 */
function optimizes() {
  // a new function each time: one optimized or marked never-optimize before tells nothing about now
  const f = new Function('text', 'k', '/* probe ' + probes++ + ' */ let s = 0; for (let i = 0; i < text.length; i++) s += text.charCodeAt(i) * k; return s;');
  for (let i = 0; i < 1500; i++) f('probe text', i);
  return (%GetOptimizationStatus(f) & TURBOFANNED) !== 0;
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
