// The V8 settings a process of ours applies: the language server (main.ts) and the CLI (cli/main.ts)
// call applyProcessSettings() when they start, and firstCheckDone() once they have checked a document.
import { setFlagsFromString } from 'node:v8';

/** The language server runs for hours with documents open; the CLI runs one command and exits. */
export type ProcessKind = 'language server' | 'command line';

/**
 * How much bytecode a function runs between two looks of V8's tiering manager, which compiles it with
 * TurboFan after a few looks: V8 11's default (Node 20) and, until the first check is done, 32 times
 * that. Only V8 11 is held back: that is where it was measured, and V8 12 and later (Node 22, 24, the
 * Electron of recent VS Code) have no --interrupt-budget (they count invocations), so setting it there
 * only prints "unrecognized flag" to the server's stderr.
 */
const HOLD_BACK_COMPILER = Number(process.versions.v8.split('.')[0]) === 11;
const DEFAULT_INTERRUPT_BUDGET = 66 * 1024;
const FIRST_CHECK_INTERRUPT_BUDGET = 32 * DEFAULT_INTERRUPT_BUDGET;
/** V8's own factor (its default since long before Node 18) */
const DEFAULT_SEMI_SPACE_GROWTH = 2;
/** On the global object: each CLI bundle holds its own copy of this module, and one bundle starts what another finishes. */
const SETTINGS = Symbol.for('libvirt-hostdev.v8Settings');
const onGlobal = globalThis as { [SETTINGS]?: { kind: ProcessKind; firstCheckDone: boolean } };

/** Applies the settings at a process's start, before it parses anything. */
export function applyProcessSettings(kind: ProcessKind): void {
  // The young generation stays at its first size instead of growing to 32 MiB when the first parse of a
  // large document allocates fast: what survives (the tree) is promoted early instead of being copied
  // again and again, which saves the first check of the 15,000-line domain about 50 ms of CPU, and the
  // server keeps ~13 MiB less resident for as long as it runs. A CLI run lets it grow again after its
  // first check (firstCheckDone): kept small, it made twenty large files in one `check` cost 30% more
  // CPU. Read by V8 each time it sizes the young generation.
  setFlagsFromString('--semi-space-growth-factor=1');
  if (kind === 'language server') {
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
  // its background compiles compete with the check and the collector. Until the first check is done,
  // TurboFan looks at a function only after 32 times the usual work: the first check of the 15,000-line
  // domain against a 1,024-VF inventory in a fresh process then takes 105-120 ms of CPU instead of
  // 235-275 (wall 105-110 ms instead of 140-170), and `libvirt-hostdev check` of that file a quarter
  // less, as with TurboFan off (`--no-opt`); but a loop that really runs long, as over the 20 million
  // characters of an oversized document, is still compiled (TurboFan off made that document cost the
  // server twice the CPU). Held back for good it would cost far more (40 checks in one process: 2.5 s
  // instead of 1 s; twenty large files: 70% longer), so firstCheckDone() gives V8 its own budget back.
  if (HOLD_BACK_COMPILER) setFlagsFromString(`--interrupt-budget=${FIRST_CHECK_INTERRUPT_BUDGET}`);
  onGlobal[SETTINGS] = { kind, firstCheckDone: false };
}

/**
 * Once the first document is checked, the same functions run again on every keystroke or file, and
 * optimizing them pays: the optimizing compiler works as V8 has it for the rest of the process, and in a
 * CLI run the young generation may grow again, for the files after the first. Does nothing when
 * applyProcessSettings() was not called (a process that embeds our modules keeps its own flags) or
 * after the first call.
 */
export function firstCheckDone(): void {
  const applied = onGlobal[SETTINGS];
  if (!applied || applied.firstCheckDone) return;
  applied.firstCheckDone = true;
  if (HOLD_BACK_COMPILER) setFlagsFromString(`--interrupt-budget=${DEFAULT_INTERRUPT_BUDGET}`);
  if (applied.kind === 'command line') setFlagsFromString(`--semi-space-growth-factor=${DEFAULT_SEMI_SPACE_GROWTH}`);
}
