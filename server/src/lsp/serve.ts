// The language server over the transport its command line names: dist/lsp/serve.js, which the entry
// (main.ts, dist/server.js) loads with V8's code cache once it has applied the process's V8 settings.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';

export function serve(): void {
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
