// Entry of `libvirt-hostdev-language-server --stdio` (also --node-ipc / --socket=N): the transport
// is picked by vscode-languageserver from the command line (lsp/commandLine.ts answers --help,
// --version and a command line without one); everything else is lsp/serve.ts and lsp/server.ts.
//
// Built, the server is this entry (dist/server.js) and one bundle with the rest (dist/lsp/serve.js),
// loaded with V8's code cache (runtime/compileCache.ts): an editor starts a server for each window, and
// without the cache each start compiles again every function the first check of a document runs.
/* eslint-disable @typescript-eslint/no-require-imports */
import { join } from 'node:path';
import { launchFromArgs } from './lsp/commandLine';
import { serverVersion } from './lsp/version';
import { requireBundle } from './runtime/compileCache';
import { applyProcessSettings } from './runtime/v8Settings';

/**
 * Set by esbuild.mjs in the entry's bundle: where the server's bundle is, relative to the entry's
 * folder. Not defined where the sources run unbundled (the tests), which load lsp/serve.ts with require().
 */
declare const SERVER_BUNDLE: string | undefined;

const launch = launchFromArgs(process.argv.slice(2), serverVersion(), process.send !== undefined);
if (launch.serve) {
  // before anything is parsed or compiled: the heap's sizing, and the optimizing compiler held back until
  // the first check (runtime/v8Settings.ts); V8 takes a code cache only under the flags it was made with
  applyProcessSettings('language server');
  const server: typeof import('./lsp/serve') =
    typeof SERVER_BUNDLE === 'string'
      ? (requireBundle(join(__dirname, SERVER_BUNDLE)) as typeof import('./lsp/serve'))
      : require('./lsp/serve');
  server.serve();
} else {
  process[launch.stream].write(`${launch.text}\n`);
  process.exitCode = launch.exitCode;
}
