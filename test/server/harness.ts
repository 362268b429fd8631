// Drives the real language server in-process over a PassThrough stream pair (the
// typescript-language-server idea): the server side is exactly what main.ts builds, minus stdio.
import { PassThrough } from 'node:stream';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  createMessageConnection,
  StreamMessageReader as RpcReader,
  StreamMessageWriter as RpcWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import { createConnection, ProposedFeatures, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver/node';
import type { Diagnostic, InitializeResult } from 'vscode-languageserver/node';
import { startServer } from '../../server/src/lsp/server';
import type { HostProviderFactory } from '../../server/src/lsp/inventorySources';
import type { InventoryStatus } from '../../shared/protocol';
import { Waiters, within } from '../support/waiters';

export { WAIT_BOUND_MS } from '../support/waiters';

export const repoRoot = path.resolve(__dirname, '..', '..', '..');
export const examplesDir = path.join(repoRoot, 'examples');
export const exampleInventory = path.join(examplesDir, '82576-inventory.json');

export function example(name: string): string {
  return fs.readFileSync(path.join(examplesDir, name), 'utf8');
}

export interface PublishedDiagnostics {
  uri: string;
  version?: number;
  diagnostics: Diagnostic[];
}

export interface ConfigurationItem {
  scopeUri?: string;
  section?: string;
}

export interface TestServerOptions {
  /** announce textDocument.diagnostic (pull) */
  pull?: boolean;
  /** answer workspace/configuration with this (announces the configuration capability); a promise holds the answer back */
  configuration?: (item: ConfigurationItem) => unknown;
  initializationOptions?: unknown;
  /** announce window.workDoneProgress (the server may then create $/progress tokens) */
  workDoneProgress?: boolean;
  /** the answer to window/showMessageRequest (default: none, as a client that closed the question) */
  answerMessage?: (p: { message: string; actions?: { title: string }[] }) => { title: string } | null;
  workspaceFolder?: string;
  debounceMs?: number;
  /** the answer to workspace/applyEdit (default: applied); false: workspace.applyEdit is not announced */
  applyEdit?: false | (() => unknown);
  /** live-host inventories instead of the host layer's */
  createHostProvider?: HostProviderFactory;
  /** the formats the client shows hovers and completion documentation in (default: none named) */
  markupFormats?: string[];
  /** announce workspace.didChangeWatchedFiles.dynamicRegistration (the client watches files for the server) */
  watchedFiles?: boolean;
  /** textDocument.completion.completionItem (default: VS Code's snippetSupport and insertReplaceSupport) */
  completionItem?: Record<string, unknown>;
}

export class TestClient {
  readonly diagnostics = new Waiters<PublishedDiagnostics>(
    'publishDiagnostics',
    (p) => `${p.uri} v${p.version ?? '?'} [${p.diagnostics.map((d) => String(d.code)).join(', ')}]`,
  );
  readonly statuses = new Waiters<InventoryStatus>(
    'inventoryStatus',
    (s) => `${s.host ?? '(no host)'} ${s.state}${s.error ? `: ${s.error}` : ''}`,
  );
  readonly configurationRequests: ConfigurationItem[] = [];
  readonly logErrors: string[] = [];
  readonly logWarnings: string[] = [];
  /** $/progress notifications (token and value) */
  readonly progress = new Waiters<{ token: string | number; value: { kind: string; title?: string; message?: string } }>('$/progress');
  /** window/showMessage and window/showMessageRequest (`question`: true), in order */
  readonly messages = new Waiters<{ type: number; message: string; question?: true }>('window/showMessage(Request)', (m) => m.message);
  /** workspace/applyEdit requests */
  readonly appliedEdits: { label?: string; edit: { changes?: Record<string, { range: unknown; newText: string }[]> } }[] = [];
  /** workspace/diagnostic/refresh requests, as a running count */
  readonly refreshes = new Waiters<number>('workspace/diagnostic/refresh', String);
  /** client/registerCapability registrations, one entry each */
  readonly registrations = new Waiters<{ method: string; registerOptions?: unknown }>('client/registerCapability', (r) => r.method);
  /** workspace/codeLens/refresh requests, as a running count */
  readonly lensRefreshes = new Waiters<number>('workspace/codeLens/refresh', String);
  /** workspace/inlayHint/refresh requests, as a running count */
  readonly hintRefreshes = new Waiters<number>('workspace/inlayHint/refresh', String);
  initializeResult!: InitializeResult;
  private readonly versions = new Map<string, number>();

  constructor(
    readonly connection: MessageConnection,
    private readonly disposeServer: () => void,
  ) {}

  open(uri: string, text: string): void {
    this.versions.set(uri, 1);
    void this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'xml', version: 1, text } });
  }

  /** replaces the whole text; returns the new version */
  change(uri: string, text: string): number {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    void this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    return version;
  }

  close(uri: string): void {
    void this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  /** the next publish for `uri` (after those already seen); with `predicate`, the next one `what` describes */
  nextDiagnostics(uri: string): Promise<PublishedDiagnostics>;
  nextDiagnostics(uri: string, what: string, predicate: (p: PublishedDiagnostics) => boolean): Promise<PublishedDiagnostics>;
  nextDiagnostics(
    uri: string,
    what = 'a publish',
    predicate: (p: PublishedDiagnostics) => boolean = () => true,
  ): Promise<PublishedDiagnostics> {
    return this.diagnostics.wait(
      `${what} for ${uri}, newer than those seen`,
      (p) => p.uri === uri && predicate(p),
      this.diagnostics.all.length,
    );
  }

  /** any publish for `uri` so far or later; with `predicate`, one that `what` describes */
  diagnosticsFor(uri: string): Promise<PublishedDiagnostics>;
  diagnosticsFor(uri: string, what: string, predicate: (p: PublishedDiagnostics) => boolean): Promise<PublishedDiagnostics>;
  diagnosticsFor(
    uri: string,
    what = 'a publish',
    predicate: (p: PublishedDiagnostics) => boolean = () => true,
  ): Promise<PublishedDiagnostics> {
    return this.diagnostics.wait(`${what} for ${uri}`, (p) => p.uri === uri && predicate(p));
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return within(this.connection.sendRequest(method, params) as Promise<R>, `the answer to ${method}`);
  }

  async shutdown(): Promise<void> {
    await within(this.connection.sendRequest('shutdown'), 'the answer to shutdown');
    this.connection.dispose();
    this.disposeServer();
  }
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestClient> {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const serverConnection = createConnection(ProposedFeatures.all, new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
  const server = startServer(serverConnection, {
    debounceMs: options.debounceMs ?? 200,
    ...(options.createHostProvider ? { createHostProvider: options.createHostProvider } : {}),
  });
  const connection = createMessageConnection(new RpcReader(toClient), new RpcWriter(toServer));
  const client = new TestClient(connection, () => {
    server.dispose();
    serverConnection.dispose();
  });

  connection.onNotification('textDocument/publishDiagnostics', (p: PublishedDiagnostics) => client.diagnostics.push(p));
  connection.onNotification('libvirtHostdev/inventoryStatus', (s: InventoryStatus) => client.statuses.push(s));
  connection.onNotification('window/logMessage', (m: { type: number; message: string }) => {
    if (m.type === 1) client.logErrors.push(m.message);
    if (m.type === 2) client.logWarnings.push(m.message);
  });
  connection.onRequest('workspace/configuration', (p: { items: ConfigurationItem[] }) => {
    client.configurationRequests.push(...p.items);
    return Promise.all(p.items.map(async (item) => (await options.configuration?.(item)) ?? null));
  });
  connection.onRequest('client/registerCapability', (p: { registrations: { method: string; registerOptions?: unknown }[] }) => {
    for (const r of p.registrations) client.registrations.push(r);
    return null;
  });
  connection.onRequest('window/workDoneProgress/create', () => null);
  // vscode-jsonrpc routes $/progress by token; tokens nobody registered arrive here.
  connection.onUnhandledProgress((p) => client.progress.push(p as TestClient['progress']['all'][number]));
  connection.onNotification('window/showMessage', (m: { type: number; message: string }) => client.messages.push(m));
  connection.onRequest('window/showMessageRequest', (m: { type: number; message: string; actions?: { title: string }[] }) => {
    client.messages.push({ ...m, question: true });
    return options.answerMessage?.(m) ?? null;
  });
  connection.onRequest('workspace/applyEdit', (p: TestClient['appliedEdits'][number]) => {
    client.appliedEdits.push(p);
    return options.applyEdit ? options.applyEdit() : { applied: true };
  });
  connection.onRequest('workspace/diagnostic/refresh', () => {
    client.refreshes.push(client.refreshes.all.length + 1);
    return null;
  });
  connection.onRequest('workspace/codeLens/refresh', () => {
    client.lensRefreshes.push(client.lensRefreshes.all.length + 1);
    return null;
  });
  connection.onRequest('workspace/inlayHint/refresh', () => {
    client.hintRefreshes.push(client.hintRefreshes.all.length + 1);
    return null;
  });
  connection.listen();

  const folder = options.workspaceFolder;
  client.initializeResult = (await within(
    connection.sendRequest('initialize', {
      processId: null,
      rootUri: folder ? `file://${folder}` : null,
      workspaceFolders: folder ? [{ uri: `file://${folder}`, name: 'ws' }] : null,
      initializationOptions: options.initializationOptions,
      capabilities: {
        ...(options.workDoneProgress ? { window: { workDoneProgress: true } } : {}),
        workspace: {
          applyEdit: options.applyEdit !== false,
          configuration: options.configuration !== undefined,
          didChangeConfiguration: { dynamicRegistration: options.configuration !== undefined },
          ...(options.watchedFiles ? { didChangeWatchedFiles: { dynamicRegistration: true } } : {}),
          diagnostics: { refreshSupport: true },
          codeLens: { refreshSupport: true },
          inlayHint: { refreshSupport: true },
        },
        textDocument: {
          synchronization: { dynamicRegistration: false },
          publishDiagnostics: { relatedInformation: false, versionSupport: true },
          ...(options.pull ? { diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false } } : {}),
          ...(options.markupFormats ? { hover: { contentFormat: options.markupFormats } } : {}),
          completion: {
            completionItem: {
              ...(options.completionItem ?? { snippetSupport: true, insertReplaceSupport: true }),
              ...(options.markupFormats ? { documentationFormat: options.markupFormats } : {}),
            },
          },
        },
      },
    }),
    'the answer to initialize',
  )) as InitializeResult;
  await connection.sendNotification('initialized', {});
  return client;
}

/** Runs `body` against a fresh server and shuts the server down whatever `body` does. */
export async function withTestServer(options: TestServerOptions, body: (client: TestClient) => Promise<void>): Promise<void> {
  const client = await startTestServer(options);
  try {
    await body(client);
  } finally {
    await client.shutdown();
  }
}

/** `text` with the `|` marker removed, and the marker's UTF-16 offset. */
export function marked(text: string): { text: string; offset: number } {
  const offset = text.indexOf('|');
  if (offset < 0) throw new Error('no | marker');
  return { text: text.slice(0, offset) + text.slice(offset + 1), offset };
}

/** line/character of a UTF-16 offset (tests build their expectations independently of the server). */
export function positionOf(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

export function codes(p: PublishedDiagnostics | { items: Diagnostic[] }): string[] {
  const list = 'items' in p ? p.items : p.diagnostics;
  return list.map((d) => String(d.code));
}
