// What the client can do, read once from its initialize request, what the server announces in return,
// and what it asks the client to refresh when the inventory changes. (How settings reach the server is
// documentSettings.ts's to read.)
import {
  type ClientCapabilities,
  CodeLensRefreshRequest,
  type Connection,
  InlayHintRefreshRequest,
  MarkupKind,
  type ServerCapabilities,
  TextDocumentSyncKind,
} from 'vscode-languageserver/node';
import { ServerCommands } from '../../../shared/commands';
import { DIAGNOSTIC_SOURCE } from '../../../shared/diagnostics';

/** How the client shows hovers, and what its completion takes. */
export interface ClientPresentation {
  hover: MarkupKind;
  completion: CompletionSupport;
}

export interface CompletionSupport {
  documentation: MarkupKind;
  /** it takes snippets ($1, ${1:x}); a client that says it takes none gets plain text, on one line */
  snippets: boolean;
  /**
   * it filters an item by the text its textEdit replaces (clients with insertReplaceSupport: VS Code,
   * nvim-cmp, Helix). Others (Neovim's own omnifunc, eglot) filter by the word at the cursor, and an
   * item that replaces from a '<' gets a label that starts with what it replaces
   */
  filtersByRange: boolean;
}

/** a client that has not said (before initialize, and the service's tests): Markdown, snippets, filtering as VS Code does */
export const MARKDOWN_CLIENT: ClientPresentation = {
  hover: MarkupKind.Markdown,
  completion: { documentation: MarkupKind.Markdown, snippets: true, filtersByRange: true },
};

function clientPresentation(caps: ClientCapabilities): ClientPresentation {
  // a client that names no formats (LSP before 3.0 had no way to) is taken to show Markdown
  const shown = (formats: MarkupKind[] | undefined): MarkupKind =>
    formats === undefined || formats.length === 0 || formats.includes(MarkupKind.Markdown) ? MarkupKind.Markdown : MarkupKind.PlainText;
  const item = caps.textDocument?.completion?.completionItem;
  return {
    hover: shown(caps.textDocument?.hover?.contentFormat),
    completion: {
      documentation: shown(item?.documentationFormat),
      snippets: item?.snippetSupport === true,
      filtersByRange: item?.insertReplaceSupport === true,
    },
  };
}

export interface ClientFeatures {
  /** textDocument/diagnostic: the client pulls diagnostics */
  pullDiagnostics: boolean;
  /** workspace/diagnostic/refresh */
  diagnosticRefresh: boolean;
  /** workspace/codeLens/refresh */
  codeLensRefresh: boolean;
  /** workspace/inlayHint/refresh */
  inlayHintRefresh: boolean;
  /** workspace/applyEdit */
  applyEdit: boolean;
  /** workspace/didChangeWatchedFiles registered by the server: the client watches files for it */
  watchedFiles: boolean;
  presentation: ClientPresentation;
}

/** a client that has not said (before initialize): the features every client has */
export const BASIC_CLIENT: ClientFeatures = {
  pullDiagnostics: false,
  diagnosticRefresh: false,
  codeLensRefresh: false,
  inlayHintRefresh: false,
  applyEdit: false,
  watchedFiles: false,
  presentation: MARKDOWN_CLIENT,
};

export function clientFeatures(caps: ClientCapabilities): ClientFeatures {
  return {
    pullDiagnostics: !!caps.textDocument?.diagnostic,
    diagnosticRefresh: !!caps.workspace?.diagnostics?.refreshSupport,
    codeLensRefresh: !!caps.workspace?.codeLens?.refreshSupport,
    inlayHintRefresh: !!caps.workspace?.inlayHint?.refreshSupport,
    applyEdit: !!caps.workspace?.applyEdit,
    watchedFiles: !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration,
    presentation: clientPresentation(caps),
  };
}

/** what the server announces to a client with `client`'s features */
export function serverCapabilities(client: ClientFeatures): ServerCapabilities {
  return {
    textDocumentSync: TextDocumentSyncKind.Incremental,
    hoverProvider: true,
    completionProvider: { triggerCharacters: ['<', ' ', "'", '"', ':'] },
    codeActionProvider: { codeActionKinds: ['quickfix'] },
    codeLensProvider: { resolveProvider: false },
    documentSymbolProvider: true,
    inlayHintProvider: true,
    executeCommandProvider: { commands: Object.values(ServerCommands), workDoneProgress: true },
    ...(client.pullDiagnostics
      ? { diagnosticProvider: { identifier: DIAGNOSTIC_SOURCE, interFileDependencies: false, workspaceDiagnostics: false } }
      : {}),
  };
}

/**
 * Asks the client to ask again for what the inventory decides besides diagnostics: the lenses (which
 * guests exist, which devices they hold; a client that asked before the inventory arrived would keep
 * offering "Attach to X") and the inlay hints (what the host has at each address). Only where it can be asked.
 */
export function refreshInventoryFeatures(connection: Connection, client: ClientFeatures, log: (what: string, e: unknown) => void): void {
  if (client.codeLensRefresh) void connection.sendRequest(CodeLensRefreshRequest.type).catch((e) => log('codeLens/refresh', e));
  if (client.inlayHintRefresh) void connection.sendRequest(InlayHintRefreshRequest.type).catch((e) => log('inlayHint/refresh', e));
}
