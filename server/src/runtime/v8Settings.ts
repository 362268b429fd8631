// The V8 settings a process of ours applies: the language server (main.ts) and the CLI (cli/main.ts)
// call applyProcessSettings() when they start, and firstCheckDone() once they have checked a document.
import { setFlagsFromString } from 'node:v8';

/**
 * V8 11 calls its optimizing compiler TurboFan (`--turbofan`); `--opt`, the name in the V8 of Node 18,
 * is only an alias there, kept "until all infra passes --turbofan". An unknown name is printed to stderr.
 */
const OPTIMIZING_COMPILER = Number(process.versions.v8.split('.')[0]) >= 11 ? 'turbofan' : 'opt';

/** Whether this process turned the optimizing compiler off; on the global object, as each CLI bundle holds its own copy of this module. */
const COMPILER_STATE = Symbol.for('libvirt-hostdev.v8Settings.optimizingCompiler');
type CompilerState = 'off until the first check' | 'on';
const state = globalThis as { [COMPILER_STATE]?: CompilerState };

/** Applies the settings at a process's start, before it parses anything. */
export function applyProcessSettings(): void {
  // The young generation stays at its first size instead of growing to 32 MiB when the first parse of a
  // large document allocates fast: what survives (the tree) is promoted early, and the server keeps
  // ~13 MiB less resident for as long as it runs. Read by V8 each time it sizes the young generation.
  setFlagsFromString('--semi-space-growth-factor=1');
  // Each keystroke makes a new copy of the whole text (half a megabyte for a 15,000-line domain); the
  // copy alive at a young collection moves to the old generation, where only a full collection frees
  // it. V8 lets the old generation grow up to 4x what survived the last full collection before the
  // next one; 1.3x (its own factor when memory is tight) frees those copies every few dozen
  // keystrokes, ~10 MiB less at the peak of a long edit for a few ms of collection. Read by V8 each
  // time it sets the next full collection's limit.
  setFlagsFromString('--heap-growing-percent=30');
  // The first check of a document runs each rule and parser function only a few thousand times: enough
  // for TurboFan to compile (and often deoptimize) them, not enough to pay that back, and on two cores
  // its background compiles compete with the check and the collector. Without it, the first check of the
  // 15,000-line domain against a 1,024-VF inventory in a fresh process takes 121 ms of CPU instead of
  // 236 (wall 105 ms instead of 142), and `libvirt-hostdev check` of that file 320 ms instead of 460.
  // Left off for good it would cost far more: 40 checks in one process took 2.5 s instead of 1 s, so
  // firstCheckDone() turns it back on.
  setFlagsFromString(`--no-${OPTIMIZING_COMPILER}`);
  state[COMPILER_STATE] = 'off until the first check';
}

/**
 * Turns the optimizing compiler back on for the rest of the process, once its first document is checked:
 * from then on the same functions run on every keystroke or file, and optimizing them pays. Does nothing
 * when applyProcessSettings() did not turn it off (a process that embeds our modules keeps its flags) or
 * when it is already back on.
 */
export function firstCheckDone(): void {
  if (state[COMPILER_STATE] !== 'off until the first check') return;
  setFlagsFromString(`--${OPTIMIZING_COMPILER}`);
  state[COMPILER_STATE] = 'on';
}
