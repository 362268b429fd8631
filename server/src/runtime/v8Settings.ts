// The V8 settings a process of ours applies: the language server (main.ts) and the CLI (cli/main.ts)
// call applyProcessSettings() when they start, and firstCheckDone() once they have checked a document
// (`check` just before it reads its second: a run of one file never needs it).
import { saveCompileCaches } from './compileCache';

/** The language server runs for hours with documents open; the CLI runs one command and exits. */
export type ProcessKind = 'language server' | 'command line';

/** A V8 flag that decides when the optimizing compilers take a function: V8's default, and our value until the first check. */
interface TieringFlag {
  name: string;
  defaultValue: number;
  firstCheckValue: number;
}

const V8_MAJOR = Number(process.versions.v8.split('.')[0]);
/**
 * The flags that hold the optimizing compilers back, per V8: V8 12 changed how it decides to optimize a
 * function, and a flag a V8 does not know only prints "unrecognized flag" to stderr (the extension's log).
 * - V8 11 (Node 20): TurboFan takes a function after a few looks of the tiering manager, one every
 *   --interrupt-budget bytes of bytecode run. Held back: 32 times that budget.
 * - V8 12 to 14 (Node 22, 24, 26; the Electron of recent VS Code): Maglev (the middle tier; Node 22 runs
 *   without it) takes a function once it has run --invocation-count-for-maglev times its own bytecode's
 *   length (each turn of a loop counts too), TurboFan after --invocation-count-for-turbofan times more.
 *   Held back: 16 times Maglev's count and 5 times TurboFan's. V8 keeps count times length (up to 61,440
 *   bytes) in a 32-bit budget, which stays below 2^30 with these.
 * - Later V8s: left as they are until they are seen.
 */
const TIERING_FLAGS: readonly TieringFlag[] =
  V8_MAJOR === 11
    ? [{ name: '--interrupt-budget', defaultValue: 66 * 1024, firstCheckValue: 32 * 66 * 1024 }]
    : V8_MAJOR >= 12 && V8_MAJOR <= 14
      ? [
          { name: '--invocation-count-for-maglev', defaultValue: 400, firstCheckValue: 16 * 400 },
          { name: '--invocation-count-for-turbofan', defaultValue: 3000, firstCheckValue: 5 * 3000 },
        ]
      : [];
/**
 * The CLI's first check on V8 11 also has Sparkplug (the baseline compiler, between the interpreter and
 * the optimizing compilers) compile each function as soon as it is due, instead of in batches of about
 * --baseline-batch-compilation-threshold bytes of code during which the due functions keep running in
 * the interpreter: 2.5% fewer instructions for the first check of the 15,000-line domain. Only until
 * the first check: left at 0, a thousand small domains in one run cost 4% more.
 */
const CLI_FIRST_CHECK_FLAGS: readonly TieringFlag[] =
  V8_MAJOR === 11 ? [{ name: '--baseline-batch-compilation-threshold', defaultValue: 4096, firstCheckValue: 0 }] : [];
/**
 * V8's flag setter. node:v8 loads node's stream modules on its way in (for heap snapshots, which we never
 * take): 6 ms of CPU, about a twentieth of `libvirt-hostdev check` of the 15,000-line domain. Node 18 and
 * 20 also hand out the same function through process.binding('v8'); that way in is deprecated, and its
 * warning is kept off the user's terminal (process.noDeprecation is read when the warning is made). Node 24
 * refuses it ("No such module: v8"), and node:v8 is loaded then.
 */
const setFlagsFromString: (flags: string) => void = (() => {
  const quiet = process.noDeprecation;
  process.noDeprecation = true;
  try {
    const binding = (process as unknown as { binding(name: string): { setFlagsFromString?: unknown } }).binding('v8');
    if (typeof binding.setFlagsFromString === 'function') return binding.setFlagsFromString as (flags: string) => void;
  } catch {
    // refused: node:v8 below
  } finally {
    process.noDeprecation = quiet;
  }
  return (require('node:v8') as typeof import('node:v8')).setFlagsFromString;
})();
/** V8's own factor (its default since long before Node 18), which a CLI run takes back after its first check */
const DEFAULT_SEMI_SPACE_GROWTH = 2;
/** On the global object: each CLI bundle holds its own copy of this module, and one bundle starts what another finishes. */
const SETTINGS = Symbol.for('libvirt-hostdev.v8Settings');
const onGlobal = globalThis as { [SETTINGS]?: { kind: ProcessKind; firstCheckDone: boolean } };

/** Applies the settings at a process's start, before it parses anything. */
export function applyProcessSettings(kind: ProcessKind): void {
  // The young generation stays at its first size (1 MiB) through the first check instead of growing when
  // the first parse of a large document allocates fast: what survives (the tree) is promoted early
  // instead of being copied again and again, and the pages a larger young generation would take are
  // never touched, which is what costs most where a page's first touch is dear (10-20 µs in a VM). The
  // language server's first check of the 15,000-line domain saves about 50 ms of CPU, and it keeps ~13
  // MiB less resident for as long as it runs. `libvirt-hostdev check` of that file (against a 1,024-VF
  // snapshot) makes ~500 fewer page faults than grown to 16 MiB at once, and costs 1.25 times the CPU of
  // virt-xml-validate instead of 1.41, though it runs 5% more instructions (medians of 15 rounds); the
  // 1,070 domains of libvirt's qemuxml2argvdata in one run cost a fifth less, twenty such large files
  // 5-15% more (their trees no longer die young). Read by V8 each time it sizes the young generation.
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
  // A young collection of 1 MiB is too small to share: split over the cores, each costs more CPU in
  // handing out and waiting for work than the other core saves, and more time as well when that core is
  // busy (a language server beside VS Code). On one thread the server's first check of the 15,000-line
  // domain took 56-59 ms instead of 58-59 on an idle machine (CPU 57 instead of 69; medians of 21) and
  // 63-65 instead of 83-86 with two other processes at work; `check` of that file cost 5% less CPU. A CLI
  // run keeps it after its first check, when its young generation grows: twenty such files in one run
  // cost no more (Node 24's V8 gains nothing either way). Read by V8 at each young collection.
  setFlagsFromString('--no-parallel-scavenge');
  // The first check of a document runs each rule and parser function only a few thousand times: enough
  // for the optimizing compilers to compile (and often deoptimize) them, not enough to pay that back, and
  // on two cores their background compiles compete with the check and the collector. Until the first
  // check is done, they take a function only after many times the usual work (TIERING_FLAGS): the first
  // check of the 15,000-line domain against a 1,024-VF inventory in a fresh process then takes 105-120 ms
  // of CPU instead of 235-275 on Node 20, 140-180 instead of 230-310 on Node 24 (Maglev compiles a dozen
  // functions instead of a hundred), and `libvirt-hostdev check` of that file a quarter less; but a loop
  // that really runs long, as over the 20 million characters of an oversized document, is still compiled
  // (with the compilers off that document cost the server twice the CPU). Held back for good it would cost
  // far more (40 checks in one process: 2.5 s instead of 1 s; twenty large files: 70% longer), so
  // firstCheckDone() gives V8 its defaults back. On V8 12 and later a function keeps the budget it was
  // given until it has used it up, so the next checks pay part of the gain back: on Node 24 the next ten
  // checks of that document cost 15-20% more, 150 keystrokes in it 5-10% more, all of them together
  // about what they cost with V8's defaults.
  for (const flag of TIERING_FLAGS) setFlagsFromString(`${flag.name}=${flag.firstCheckValue}`);
  if (kind === 'command line') for (const flag of CLI_FIRST_CHECK_FLAGS) setFlagsFromString(`${flag.name}=${flag.firstCheckValue}`);
  onGlobal[SETTINGS] = { kind, firstCheckDone: false };
}

/**
 * Once the first document is checked, the same functions run again on every keystroke or file, and
 * optimizing them pays: the optimizing compilers work as V8 has them for the rest of the process, and in a
 * CLI run the young generation grows by V8's own factor for the files after the first. Does nothing when
 * applyProcessSettings() was not called (a process that embeds our modules keeps its own flags) or
 * after the first call.
 */
export function firstCheckDone(): void {
  const applied = onGlobal[SETTINGS];
  if (!applied || applied.firstCheckDone) return;
  applied.firstCheckDone = true;
  // made under the flags the bundles were loaded with, or the next process would refuse them
  saveCompileCaches();
  for (const flag of TIERING_FLAGS) setFlagsFromString(`${flag.name}=${flag.defaultValue}`);
  if (applied.kind === 'command line') {
    for (const flag of CLI_FIRST_CHECK_FLAGS) setFlagsFromString(`${flag.name}=${flag.defaultValue}`);
    setFlagsFromString(`--semi-space-growth-factor=${DEFAULT_SEMI_SPACE_GROWTH}`);
  }
}
