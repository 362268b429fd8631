// Bundles loaded with a V8 code cache kept in the user's cache folder. A fresh node process compiles
// every function it runs from source: for `libvirt-hostdev check` of the 15,000-line domain that is a
// tenth of the process's instructions. V8 can save what it compiled (Script#createCachedData) and take
// it back in the next process, which then skips parsing and compiling those functions.
//
// The cache is made once the process has run (after its first check, or at exit), so it holds the
// functions that actually ran (V8 compiles lazily), and only when the file had none or V8 refused it
// (another V8, other flags, another bundle): a run that used its cache writes nothing. V8 checks what
// it is given against its own version and flags and the source's length only, so the code in a cache
// runs: one is read only from a folder and a file this user owns and no one else may write. A refused,
// unreadable or untrusted cache costs only the compile it would have saved.
//
// V8 refuses a cache made under other flags than those of the process that loads it (it compares a
// hash of them). A bundle is therefore loaded here only after runtime/v8Settings has applied the
// process's flags, and its cache is made before those flags change back: by firstCheckDone(), which
// calls saveCompileCaches(), or at exit when the first check never came.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { Script } from 'node:vm';
import { fnv1a } from '../../../shared/fnv1a';

/** where the caches go, or null when caching is off (node's own NODE_DISABLE_COMPILE_CACHE turns it off here too) */
export function compileCacheFolder(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.NODE_DISABLE_COMPILE_CACHE !== undefined && env.NODE_DISABLE_COMPILE_CACHE !== '') return null;
  const xdg = env.XDG_CACHE_HOME;
  // the XDG spec: a relative XDG_CACHE_HOME is invalid and is ignored
  const base = xdg !== undefined && isAbsolute(xdg) ? xdg : join(homeFolder(env), '.cache');
  return join(base, 'libvirt-hostdev', 'v8');
}

/**
 * HOME, as os.homedir() reads it first; the password database only without one (node:os costs a CLI
 * run 0.5 ms, all it would be loaded for).
 */
function homeFolder(env: NodeJS.ProcessEnv): string {
  const home = env.HOME;
  return home !== undefined && home !== '' ? home : (require('node:os') as typeof import('node:os')).homedir();
}

/** what happened to one bundle's cache in this process (the tests read it) */
export interface CacheUse {
  file: string;
  /** the cache file this process read or will write; null when caching is off */
  cacheFile: string | null;
  /** a cache was read and V8 took it */
  used: boolean;
}

interface Loaded {
  exports: unknown;
  use: CacheUse;
}

interface Pending {
  script: Script;
  cacheFile: string;
}

interface Shared {
  loaded: Map<string, Loaded>;
  /** the caches to make, of bundles loaded without one */
  pending: Pending[];
  exitHook: boolean;
}

/**
 * One load per bundle and process, as require() gives, also across bundles: each bundle that loads
 * another has its own copy of this module, and they share this state on the global object.
 */
const shared: Shared = ((globalThis as Record<symbol, unknown>)[Symbol.for('libvirt-hostdev.compileCache')] ??= {
  loaded: new Map(),
  pending: [],
  exitHook: false,
}) as Shared;

/** The exports of the CommonJS bundle `file`, compiled with the cache in `folder` (null: none). */
export function requireBundle(file: string, folder: string | null = compileCacheFolder()): unknown {
  return load(resolve(file), folder).exports;
}

/** How `file` was loaded in this process, or undefined when it was not. */
export function cacheUseOf(file: string): CacheUse | undefined {
  return shared.loaded.get(resolve(file))?.use;
}

function load(file: string, folder: string | null): Loaded {
  const done = shared.loaded.get(file);
  if (done !== undefined) return done;
  const source = readFileSync(file, 'utf8');
  const cacheFile = folder === null ? null : join(folder, cacheName(file, source, statSync(file).mtimeMs));
  const cachedData = cacheFile === null ? undefined : readCache(cacheFile);
  const script = new Script(commonJsFunction(source), { filename: file, cachedData });
  const used = cachedData !== undefined && !script.cachedDataRejected;
  const module = { exports: {} as unknown, id: file, filename: file, loaded: false };
  const entry: Loaded = { exports: undefined, use: { file, cacheFile, used } };
  shared.loaded.set(file, entry);
  if (cacheFile !== null && !used) {
    shared.pending.push({ script, cacheFile });
    if (!shared.exitHook) process.once('exit', saveCompileCaches);
    shared.exitHook = true;
  }
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run.call(module.exports, module.exports, bundleRequire(file), module, file, dirname(file));
  module.loaded = true;
  entry.exports = module.exports;
  return entry;
}

/**
 * The require a bundle gets: node's own modules named node:… (all `check` asks for) from ours,
 * anything else resolved from the bundle's folder by a require made on first use (node:module, which
 * makes one, costs a CLI run 0.7 ms).
 */
function bundleRequire(file: string): (id: string) => unknown {
  let own: ((id: string) => unknown) | undefined;
  return (id) =>
    id.startsWith('node:') ? require(id) : (own ??= (require('node:module') as typeof import('node:module')).createRequire(file))(id);
}

/** The module's source as the function node's CommonJS loader makes of it (the shebang line of an entry bundle commented out). */
const commonJsFunction = (source: string): string =>
  `(function (exports, require, module, __filename, __dirname) { ${source.startsWith('#!') ? `//${source}` : source}\n});`;

/** Makes and writes the caches of the bundles loaded so far without one (each once per process). */
export function saveCompileCaches(): void {
  for (const { script, cacheFile } of shared.pending.splice(0)) writeCache(script, cacheFile);
}

/**
 * `<bundle>-<node version>-<arch>-<key>.v8`, the key made of the bundle's path, length and time of
 * change and of V8's version: a new release replaces the cache of the old one, and two runtimes keep a
 * cache each, also an editor's Electron and the node on the PATH when both call themselves one Node version.
 */
function cacheName(file: string, source: string, mtimeMs: number): string {
  const identity = [file, source.length, mtimeMs, process.versions.v8].join('\0');
  // a name, not a check (V8 compares the source's length only; readCache trusts only this user's files)
  const key = fnv1a(identity, 0x811c9dc5) + fnv1a(identity, 0x050c5d1f);
  return `${cachePrefix(file)}${key}.v8`;
}

const cachePrefix = (file: string): string =>
  `${basename(file, '.js').replace(/[^A-Za-z0-9_.]/g, '_')}-${process.version}-${process.arch}-`;

function readCache(cacheFile: string): Buffer | undefined {
  try {
    return ownedHere(dirname(cacheFile)) && ownedHere(cacheFile) ? readFileSync(cacheFile) : undefined;
  } catch {
    return undefined;
  }
}

/** `path` belongs to this process's user and neither its group nor others may write it (always, where there are no uids) */
function ownedHere(path: string): boolean {
  const uid = process.getuid?.();
  if (uid === undefined) return true;
  const stat = statSync(path, { throwIfNoEntry: false });
  return stat !== undefined && stat.uid === uid && (stat.mode & 0o022) === 0;
}

/**
 * Written to a file of this process, then renamed: a concurrent run reads a whole cache or none. The
 * caches of the same bundle and node under other keys (an older release) are removed. Nothing
 * here may fail the command: a folder that cannot be written only means no cache.
 */
function writeCache(script: Script, cacheFile: string): void {
  const folder = dirname(cacheFile);
  const temporary = `${cacheFile}.${process.pid}.tmp`;
  try {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    if (!ownedHere(folder)) return;
    // 'wx': a name already taken (a link put there) is an error, never followed
    writeFileSync(temporary, script.createCachedData(), { mode: 0o600, flag: 'wx' });
    renameSync(temporary, cacheFile);
    const prefix = basename(cacheFile).replace(/[0-9a-f]+\.v8$/, '');
    for (const name of readdirSync(folder))
      if (name.startsWith(prefix) && name.endsWith('.v8') && name !== basename(cacheFile)) rmSync(join(folder, name), { force: true });
  } catch {
    try {
      rmSync(temporary, { force: true });
    } catch {
      // a folder we cannot even remove from: nothing was written there either
    }
  }
}
