// The command modules, loaded when a command runs. esbuild.mjs builds each into a file of its own
// (dist/cli/check.js, dist/cli/host.js) and makes these require() calls load those files, so that
// `--help`, `--version` and an offline `check` never read the SSH stack. Nothing imports these modules
// statically: a static import would pull a command into the bundle of its importer.
/* eslint-disable @typescript-eslint/no-require-imports */

/** `check` (its own bundle: the language service, the input and output formats). */
export const loadCheckCommand = (): typeof import('./check') => require('./check');

/** The commands that may reach a host, and `check --host`'s inventory (one bundle with ssh2). */
export const loadHostCommands = (): typeof import('./hostCli') => require('./hostCli');
