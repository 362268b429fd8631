// Entry of `libvirt-hostdev-language-server --stdio` (also --node-ipc / --socket=N): the transport
// is picked by vscode-languageserver from the command line (lsp/commandLine.ts answers --help,
// --version and a command line without one); everything else is lsp/server.ts.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './lsp/server';
import { launchFromArgs } from './lsp/commandLine';
import { serverVersion } from './lsp/version';
import { applyProcessSettings } from './runtime/v8Settings';

const launch = launchFromArgs(process.argv.slice(2), serverVersion());
if (launch.serve) serve();
else {
  process[launch.stream].write(`${launch.text}\n`);
  process.exitCode = launch.exitCode;
}

function serve(): void {
  // before anything is parsed: the heap's sizing, and the optimizing compiler held back until the first check (runtime/v8Settings.ts)
  applyProcessSettings('language server');
  const connection = createConnection(ProposedFeatures.all);
  // Last line of defence: a bug in one feature must not take the editor's checks down with it.
  // (Node would otherwise exit on an unhandled rejection.) Logged to the client, never to stdout.
  process.on('unhandledRejection', (reason) => {
    connection.console.error(`unhandled rejection: ${reason instanceof Error ? reason.stack : String(reason)}`);
  });
  process.on('uncaughtException', (error) => {
    connection.console.error(`uncaught exception: ${error.stack ?? error.message}`);
  });
  startServer(connection);
}
