// The command modules, loaded when a command runs, and the glob matcher. esbuild.mjs builds each into a
// file of its own (dist/cli/check.js, dist/cli/host.js, dist/cli/glob.js) and makes these require()
// calls load those files, so that `--help`, `--version` and an offline `check` never read the SSH
// stack. Nothing imports these modules statically: a static import would pull a module into the bundle
// of its importer.
/* eslint-disable @typescript-eslint/no-require-imports */

/** `check` (its own bundle: the language service, the input and output formats). */
export const loadCheckCommand = (): typeof import('./check') => require('./check');

/** picomatch, for an argument of `check` that is not an existing path (its own bundle). */
export const loadGlobMatcher = (): typeof import('./globMatcher') => require('./globMatcher');

/** Set once the host commands are loaded, by whichever bundle loads them (each has its own copy of this module). */
const HOST_COMMANDS_LOADED = Symbol.for('libvirt-hostdev.cli.hostCommandsLoaded');

/** The commands that may reach a host, and `check --host`'s inventory (one bundle with ssh2). */
export const loadHostCommands = (): typeof import('./hostCli') => {
  (globalThis as Record<symbol, unknown>)[HOST_COMMANDS_LOADED] = true;
  return require('./hostCli');
};

/** True when this process loaded the host commands: a connection or a process on a host may still be closing. */
export const hostCommandsLoaded = (): boolean => (globalThis as Record<symbol, unknown>)[HOST_COMMANDS_LOADED] === true;
