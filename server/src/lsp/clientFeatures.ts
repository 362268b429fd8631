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

/** How the client shows hovers and completion documentation: Markdown, unless it lists formats without it. */
export interface ClientMarkup {
  hover: MarkupKind;
  documentation: MarkupKind;
}

export const MARKDOWN_CLIENT: ClientMarkup = { hover: MarkupKind.Markdown, documentation: MarkupKind.Markdown };

function clientMarkup(caps: ClientCapabilities): ClientMarkup {
  // a client that names no formats (LSP before 3.0 had no way to) is taken to show Markdown
  const shown = (formats: MarkupKind[] | undefined): MarkupKind =>
    formats === undefined || formats.length === 0 || formats.includes(MarkupKind.Markdown) ? MarkupKind.Markdown : MarkupKind.PlainText;
  return {
    hover: shown(caps.textDocument?.hover?.contentFormat),
    documentation: shown(caps.textDocument?.completion?.completionItem?.documentationFormat),
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
  markup: ClientMarkup;
}

/** a client that has not said (before initialize): the features every client has */
export const BASIC_CLIENT: ClientFeatures = {
  pullDiagnostics: false,
  diagnosticRefresh: false,
  codeLensRefresh: false,
  inlayHintRefresh: false,
  applyEdit: false,
  watchedFiles: false,
  markup: MARKDOWN_CLIENT,
};

export function clientFeatures(caps: ClientCapabilities): ClientFeatures {
  return {
    pullDiagnostics: !!caps.textDocument?.diagnostic,
    diagnosticRefresh: !!caps.workspace?.diagnostics?.refreshSupport,
    codeLensRefresh: !!caps.workspace?.codeLens?.refreshSupport,
    inlayHintRefresh: !!caps.workspace?.inlayHint?.refreshSupport,
    applyEdit: !!caps.workspace?.applyEdit,
    watchedFiles: !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration,
    markup: clientMarkup(caps),
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
