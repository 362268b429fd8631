// Entry of `libvirt-hostdev-language-server --stdio` (also --node-ipc / --socket=N): the transport
// is picked by vscode-languageserver from the command line; everything else is lsp/server.ts.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './lsp/server';

startServer(createConnection(ProposedFeatures.all));
