// Entry of `libvirt-hostdev-language-server --stdio` (also --node-ipc / --socket=N): the transport
// is picked by vscode-languageserver from the command line; everything else is lsp/server.ts.
import { setFlagsFromString } from 'node:v8';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './lsp/server';

// The young generation stays at its first size instead of growing to 32 MiB when the first parse of a
// large document allocates fast: what survives (the tree) is promoted early, and the server keeps
// ~13 MiB less resident for as long as it runs. Read by V8 each time it sizes the young generation.
setFlagsFromString('--semi-space-growth-factor=1');
// Each keystroke makes a new copy of the whole text (half a megabyte for a 15,000-line domain); the
// copy alive at a young collection moves to the old generation, where only a full collection frees
// it. V8 lets the old generation grow up to 4x what survived the last full collection before the
// next one; 1.3x (its own factor when memory is tight) frees those copies every few dozen
// keystrokes, ~10 MiB less at the peak of a long edit for a few ms of collection. Read by V8 each
// time it sets the next full collection's limit.
setFlagsFromString('--heap-growing-percent=30');

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
