// The V8 settings a process of ours applies: the language server (main.ts) and the CLI (cli/main.ts)
// call applyProcessSettings() when they start, and firstCheckDone() once they have checked a document.
import { setFlagsFromString } from 'node:v8';

/** The language server runs for hours with documents open; the CLI runs one command and exits. */
export type ProcessKind = 'language server' | 'command line';

/**
 * V8 11 calls its optimizing compiler TurboFan (`--turbofan`); `--opt`, its name in Node 18's V8, is an
 * alias there that V8 means to drop. A name V8 does not know is printed to stderr.
 */
const OPTIMIZING_COMPILER = Number(process.versions.v8.split('.')[0]) >= 11 ? 'turbofan' : 'opt';
/** On the global object: each CLI bundle holds its own copy of this module, and one bundle starts what another finishes. */
const COMPILER = Symbol.for('libvirt-hostdev.v8Settings.optimizingCompiler');
const onGlobal = globalThis as { [COMPILER]?: 'off until the first check' | 'on' };

/** Applies the settings at a process's start, before it parses anything. */
export function applyProcessSettings(kind: ProcessKind): void {
  if (kind === 'language server') {
    // The young generation stays at its first size instead of growing to 32 MiB when the first parse of
    // a large document allocates fast: what survives (the tree) is promoted early, and the server keeps
    // ~13 MiB less resident for as long as it runs. Read by V8 each time it sizes the young generation.
    // (Not in the CLI: there it made twenty large files in one `check` cost 20% more CPU, one file no less.)
    setFlagsFromString('--semi-space-growth-factor=1');
    // Each keystroke makes a new copy of the whole text (half a megabyte for a 15,000-line domain); the
    // copy alive at a young collection moves to the old generation, where only a full collection frees
    // it. V8 lets the old generation grow up to 4x what survived the last full collection before the
    // next one; 1.3x (its own factor when memory is tight) frees those copies every few dozen
    // keystrokes, ~10 MiB less at the peak of a long edit for a few ms of collection. Read by V8 each
    // time it sets the next full collection's limit.
    setFlagsFromString('--heap-growing-percent=30');
  }
  // The first check of a document runs each rule and parser function only a few thousand times: enough
  // for TurboFan to compile (and often deoptimize) them, not enough to pay that back, and on two cores
  // its background compiles compete with the check and the collector. Without it, the first check of the
  // 15,000-line domain against a 1,024-VF inventory in a fresh process takes 121 ms of CPU instead of
  // 236 (wall 105 ms instead of 142), and `libvirt-hostdev check` of that file 350 ms instead of 500.
  // Left off for good it would cost far more (40 checks in one process: 2.5 s instead of 1 s; twenty
  // large files: 70% longer), so firstCheckDone() turns it back on.
  setFlagsFromString(`--no-${OPTIMIZING_COMPILER}`);
  onGlobal[COMPILER] = 'off until the first check';
}

/**
 * Once the first document is checked, the same functions run again on every keystroke or file, and
 * optimizing them pays: the optimizing compiler is on for the rest of the process. Does nothing when
 * applyProcessSettings() was not called (a process that embeds our modules keeps its own flags) or
 * after the first call.
 */
export function firstCheckDone(): void {
  if (onGlobal[COMPILER] !== 'off until the first check') return;
  onGlobal[COMPILER] = 'on';
  setFlagsFromString(`--${OPTIMIZING_COMPILER}`);
}
