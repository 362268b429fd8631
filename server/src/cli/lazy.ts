// The command modules, loaded when a command runs, and the glob matcher. esbuild.mjs builds each into a
// file of its own (dist/cli/check.js, dist/cli/rules.js, dist/cli/host.js, dist/cli/glob.js, dist/cli/completion.js), which these load, so that
// `--help`, `--version` and an offline `check` never read the SSH stack. Nothing imports these modules
// statically: a static import would pull a module into the bundle of its importer. A bundle is compiled
// with V8's code cache (runtime/compileCache.ts).
/* eslint-disable @typescript-eslint/no-require-imports */
import { join } from 'node:path';
import { requireBundle } from '../runtime/compileCache';

/**
 * Set by esbuild.mjs in each CLI bundle: the folder of the command bundles relative to that bundle's
 * own. Not defined where the sources run unbundled (the tests), which load the modules with require().
 */
declare const COMMAND_BUNDLES: string | undefined;

const fromBundle = <T>(file: string, unbundled: () => T): T =>
  typeof COMMAND_BUNDLES === 'string' ? (requireBundle(join(__dirname, COMMAND_BUNDLES, file)) as T) : unbundled();

/** `check` (its own bundle: the language service, the input and output formats). */
export const loadCheckCommand = (): typeof import('./check') => fromBundle('check.js', () => require('./check'));

/** `rules` (its own bundle: the rule catalog and the README's words on each code, which `check` does not read). */
export const loadRulesCommand = (): typeof import('./rulesCommand') => fromBundle('rules.js', () => require('./rulesCommand'));

/** Shell completion (its own bundle: the rule catalog's codes and the ssh config reader). */
export const loadCompletion = (): typeof import('./completion') => fromBundle('completion.js', () => require('./completion'));

/** picomatch, for an argument of `check` that is not an existing path (its own bundle). */
export const loadGlobMatcher = (): typeof import('./globMatcher') => fromBundle('glob.js', () => require('./globMatcher'));

/** Set once the host commands are loaded, by whichever bundle loads them (each has its own copy of this module). */
const HOST_COMMANDS_LOADED = Symbol.for('libvirt-hostdev.cli.hostCommandsLoaded');

/** The commands that may reach a host, and `check --host`'s inventory (one bundle with ssh2). */
export const loadHostCommands = (): typeof import('./hostCli') => {
  (globalThis as Record<symbol, unknown>)[HOST_COMMANDS_LOADED] = true;
  return fromBundle('host.js', () => require('./hostCli'));
};

/** True when this process loaded the host commands: a connection or a process on a host may still be closing. */
export const hostCommandsLoaded = (): boolean => (globalThis as Record<symbol, unknown>)[HOST_COMMANDS_LOADED] === true;
