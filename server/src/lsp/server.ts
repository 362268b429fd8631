// The language server's wiring: capabilities, open documents, their settings (documentSettings.ts),
// the inventory sources, and diagnostics (pushed with a per-URI debounce, or pulled when the client
// supports textDocument/diagnostic; never both).
import {
  DocumentDiagnosticReportKind,
  TextDocuments,
  type Connection,
  type Diagnostic,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  ActiveDocumentNotification,
  AttachDeviceRequest,
  GetInventoryRequest,
  GuestDefinitionRequest,
  InventoryStatusNotification,
  RefreshInventoryRequest,
  type AttachDeviceParams,
  type GetInventoryResult,
  type GuestDefinitionParams,
  type InventoryStatus,
} from '../../../shared/protocol';
import { quotedName } from '../../../shared/quotedName';
import { documentKind, type DocumentKind } from '../../../shared/documents';
import { createLanguageService, type Inventory, type Problem, type ServiceContext } from '../service/index';
import { DocumentCache } from './documentCache';
import { readinessOf, registerReadiness } from './readinessRequest';
import { openedDocument, pathOf, wellFormedChanges } from './convert';
import { budgetedDiagnostics } from './diagnosticBudget';
import { BASIC_CLIENT, clientFeatures, refreshInventoryFeatures, serverCapabilities } from './clientFeatures';
import { DiagnosticsPublisher } from './diagnosticsPublisher';
import { progressWhile } from './progress';
import { InventoryReadings } from './inventoryReadings';
import { registerHandlers } from './handlers';
import { registerExecuteCommands } from './executeCommands';
import { serverVersion } from './version';
import { createHostServices, type HostServices } from './hosts';
import { hostChanges } from './hostChanges';
import { documentContext, InventorySources, NO_INVENTORY_STATUS, type HostProviderFactory, type InventorySource } from './inventorySources';
import { DocumentSettings } from './documentSettings';
import { activeHostConfig } from '../../../shared/settings';
import { registerHostSetup } from './hostSetup';
import { clientLog } from './clientLog';
import { ProjectPolicies } from './projectPolicies';
import { firstCheckDone } from '../runtime/v8Settings';

export interface ServerOptions {
  /** delay between the last change and validation, per document */
  debounceMs?: number;
  /** live-host inventories; default: SSH/local through the host layer, prompts sent to the client */
  createHostProvider?: HostProviderFactory;
}

export function startServer(connection: Connection, options: ServerOptions = {}): { dispose(): void } {
  const debounceMs = options.debounceMs ?? 200;
  // every didChange is also noted by the parse cache: where the text changed decides what is parsed again
  // what a client sends is checked first: a null text or a change without numbers is left out
  const documents = new TextDocuments<TextDocument>({
    create: openedDocument,
    update: (doc, rawChanges, version) => {
      const changes = wellFormedChanges(rawChanges);
      const next = Number.isInteger(version) ? version : doc.version + 1;
      cache.noteChanges(doc, changes, next);
      return TextDocument.update(doc, changes, next);
    },
  });
  const service = createLanguageService();
  const cache = new DocumentCache(service);
  /** which inventory source each open document was last checked against */
  const documentSource = new Map<string, string>();
  const readings = new InventoryReadings();
  let client = BASIC_CLIENT;
  let sources: InventorySources | null = null;
  /** hosts may be contacted: a trusted workspace, or the client sends only the user's own hosts */
  let contactAllowed = true;
  /** changes may run on a host (attach, define, net commands): a trusted workspace */
  let changesAllowed = true;
  let hosts: HostServices | null = null;
  let lastStatusSent = '';
  let activeSourceKey: string | null = null;
  /** the focused editor's document, once the client says which (ActiveDocumentNotification) */
  let focus: { uri: string | null } | null = null;
  let clientCommands = false;
  /** host sources whose first read was shown as $/progress */
  const announced = new WeakSet<InventorySource>();

  /**
   * Set at shutdown. Host reads and checks still running may end after it, when the connection is
   * closed and a send on it throws at once: nothing is sent from then on.
   */
  let stopped = false;
  const output = clientLog(connection, () => stopped);
  const log = (what: string, e: unknown): void => output.error(`${what}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  const documentSettings = new DocumentSettings(connection, output, log, isOpen);
  const policies = new ProjectPolicies(connection, documents, {
    output,
    log,
    stopped: () => stopped,
    watchedFiles: () => client.watchedFiles,
    revalidate: () => revalidate(null),
  });
  /** a document's problems as the editor shows them: the project's config applied */
  const problemsOf = (doc: TextDocument, context: ServiceContext): Problem[] => policies.apply(doc.uri, cache.problems(doc, context));

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const caps = params.capabilities;
    client = clientFeatures(caps);
    const init = documentSettings.initialize(caps, params.initializationOptions);
    clientCommands = init.clientCommands;
    contactAllowed = init.trusted || init.hostsFromUser;
    changesAllowed = init.trusted;
    hosts = createHostServices(connection, output, { knownHostsFile: init.knownHostsFile, trusted: init.trusted, contactAllowed });
    sources = new InventorySources({
      workspaceRoot: params.workspaceFolders?.[0]?.uri ?? params.rootUri ?? params.rootPath ?? null,
      trusted: contactAllowed,
      log: output.warn,
      createHostProvider: options.createHostProvider ?? hosts.createHostProvider,
      onDidChange: (source) => onInventoryChanged(source),
    });
    return {
      capabilities: serverCapabilities(client),
      serverInfo: { name: 'libvirt-hostdev-language-server', version: serverVersion() },
    };
  });

  connection.onInitialized(() => {
    documentSettings.watch();
    policies.watch();
    // Start reading the window's inventory now (in the background), so the status bar has it
    // before the first document opens.
    void sourceFor(null)
      .then((source) => {
        if (source && !activeSourceKey) activeSourceKey = source.key;
        sendStatus();
      })
      .catch((e) => log('initialized', e));
  });

  async function sourceFor(uri: string | null): Promise<InventorySource | null> {
    const settings = await documentSettings.get(uri);
    const source = sources?.forSettings(settings) ?? null;
    if (source && !announced.has(source)) {
      announced.add(source);
      const status = source.provider.current().status;
      if (status.source === 'host')
        void progressWhile(connection, `reading ${status.host ? quotedName(status.host) : 'the host'}`, source.firstRead);
    }
    // only an open document's: one closed while its settings were asked for has been forgotten
    if (uri && isOpen(uri)) {
      if (source) documentSource.set(uri, source.key);
      else documentSource.delete(uri);
    }
    return source;
  }

  /** the document `uri` is open (a document closed and opened again is another TextDocument) */
  function isOpen(uri: string, doc?: TextDocument): boolean {
    const open = documents.get(uri);
    return open !== undefined && (doc === undefined || open === doc);
  }

  /** Inventory and status for a document. Waits only for a local snapshot file's first read. */
  async function inventoryFor(
    uri: string | null,
  ): Promise<{ inventory: Inventory | null; status: InventoryStatus; source: InventorySource | null }> {
    const source = await sourceFor(uri);
    if (!source) return { inventory: null, status: NO_INVENTORY_STATUS, source };
    await source.firstLoad.catch(() => undefined);
    return { ...source.provider.current(), source };
  }

  /** A document's context; null: the active source's (what GetInventoryRequest without a uri shows). */
  async function contextFor(uri: string | null): Promise<ServiceContext> {
    if (uri) return documentContext(await inventoryFor(uri));
    const source = await requestSource(null);
    if (source) await source.firstLoad.catch(() => undefined);
    return { inventory: source ? source.provider.current().inventory : null };
  }

  /** libvirt documents are checked; other XML (pom.xml, .csproj) is left to the user's XML tools. */
  async function kindOf(doc: TextDocument): Promise<DocumentKind> {
    const settings = await documentSettings.get(doc.uri);
    return documentKind(doc.getText(), pathOf(doc.uri), settings.files);
  }

  async function computeDiagnostics(doc: TextDocument): Promise<Diagnostic[]> {
    // closed while its settings or its inventory were awaited: nothing more is kept for it
    if ((await kindOf(doc)) !== 'libvirt' || !isOpen(doc.uri, doc)) return [];
    const current = await inventoryFor(doc.uri);
    if (!isOpen(doc.uri, doc)) return [];
    readings.note(doc.uri, current);
    const source = current.source;
    // the status follows the focused document when the client says which, else the last one checked
    if (source && (focus === null || focus.uri === doc.uri)) showSource(source.key);
    try {
      return budgetedDiagnostics(doc, problemsOf(doc, documentContext(current)));
    } catch (e) {
      log(`validate ${doc.uri}`, e);
      return [];
    } finally {
      firstCheckDone();
    }
  }

  /** Checks again the documents `source` applies to (all of them: null), e.g. after it changed. */
  function revalidate(source: InventorySource | null): void {
    publisher.revalidate(
      source === null ? null : (uri) => documentSource.get(uri) === source.key && readings.changed(uri, source.provider.current()),
    );
  }

  function onInventoryChanged(source: InventorySource): void {
    if (stopped) return;
    if (source.key === activeSourceKey || activeSourceKey === null) {
      activeSourceKey = source.key;
      sendStatus();
    }
    revalidate(source);
    refreshInventoryFeatures(connection, client, log);
  }

  function currentStatus(source: InventorySource | null): InventoryStatus {
    return source ? source.provider.current().status : NO_INVENTORY_STATUS;
  }

  function activeSource(): InventorySource | null {
    return activeSourceKey ? (sources?.get(activeSourceKey) ?? null) : null;
  }

  /** the status and the SR-IOV view show `key`'s source from now on */
  function showSource(key: string): void {
    if (key === activeSourceKey) return;
    activeSourceKey = key;
    sendStatus();
  }

  function sendStatus(): void {
    if (stopped) return;
    const status = currentStatus(activeSource());
    const text = JSON.stringify(status);
    if (text === lastStatusSent) return;
    lastStatusSent = text;
    void connection.sendNotification(InventoryStatusNotification, status).catch((e) => log('status', e));
  }

  /** The source a request without a document refers to: the active one, else the window's settings. */
  async function requestSource(params: unknown): Promise<InventorySource | null> {
    const uri = typeof (params as { uri?: unknown } | null)?.uri === 'string' ? (params as { uri: string }).uri : null;
    if (uri) return sourceFor(uri);
    const active = activeSource();
    if (active) return active;
    const source = await sourceFor(null);
    if (source) activeSourceKey = source.key;
    return source;
  }

  const publisher = new DiagnosticsPublisher(connection, documents, {
    debounceMs,
    pull: () => client.pullDiagnostics,
    refreshSupport: () => client.diagnosticRefresh,
    compute: computeDiagnostics,
    log,
  });
  documents.onDidClose((e) => {
    const uri = e.document.uri;
    publisher.closed(uri);
    documentSettings.forget(uri);
    documentSource.delete(uri);
    readings.forget(uri);
    cache.delete(uri);
    sources?.retain(new Set([...documentSource.values(), ...(activeSourceKey ? [activeSourceKey] : [])]));
  });

  connection.onDidChangeConfiguration((change) => {
    documentSettings.changed(change.settings);
    // Re-resolve every document's source, then drop the sources nobody uses.
    void (async () => {
      const used = new Set<string>();
      for (const doc of documents.all()) {
        const source = await sourceFor(doc.uri);
        if (source && isOpen(doc.uri)) used.add(source.key);
      }
      const primary = await sourceFor(null);
      if (primary) used.add(primary.key);
      const focused = focus?.uri ? documentSource.get(focus.uri) : undefined;
      if (focused) activeSourceKey = focused;
      else if (!activeSourceKey || !used.has(activeSourceKey)) activeSourceKey = primary?.key ?? [...used][0] ?? null;
      sources?.retain(used);
      sendStatus();
      revalidate(null);
    })().catch((e) => log('configuration', e));
  });

  connection.onNotification(ActiveDocumentNotification, (params: unknown) => {
    const uri = (params as { uri?: unknown } | null)?.uri;
    focus = { uri: typeof uri === 'string' ? uri : null };
    // a document not checked yet takes over when it is (computeDiagnostics)
    const key = focus.uri === null ? undefined : documentSource.get(focus.uri);
    if (key !== undefined) showSource(key);
  });

  // Only clients that announced pull support (and so got diagnosticProvider) send this.
  connection.languages.diagnostics.on(async (params) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
    try {
      return { kind: DocumentDiagnosticReportKind.Full, items: await computeDiagnostics(doc) };
    } catch (e) {
      log('textDocument/diagnostic', e);
      return { kind: DocumentDiagnosticReportKind.Full, items: [] };
    }
  });

  connection.onRequest(GetInventoryRequest, async (params: unknown): Promise<GetInventoryResult> => {
    const source = await requestSource(params);
    if (source) await source.firstLoad.catch(() => undefined);
    const current = source ? source.provider.current() : { inventory: null, status: NO_INVENTORY_STATUS };
    return { status: current.status, inventory: current.inventory };
  });

  connection.onRequest(RefreshInventoryRequest, async (params: unknown): Promise<InventoryStatus> => {
    const uri = typeof (params as { uri?: unknown } | null)?.uri === 'string' ? (params as { uri: string }).uri : null;
    return refreshSource(uri);
  });

  const changes = hostChanges({
    hosts: () => hosts,
    settings: (uri) => documentSettings.get(uri),
    sourcesOf: (host) => sources?.forHost(host) ?? [],
    log,
    output,
  });

  // the VS Code client's request: the client logs the attach itself
  connection.onRequest(AttachDeviceRequest, (params: AttachDeviceParams) =>
    changes.attach(params ?? ({} as AttachDeviceParams), null, false),
  );
  connection.onRequest(GuestDefinitionRequest, async (params: GuestDefinitionParams) =>
    hosts
      ? hosts.guestDefinition(params ?? ({} as GuestDefinitionParams), await documentSettings.get(null))
      : { ok: false as const, message: 'The server is not initialized.' },
  );

  async function refreshSource(uri: string | null): Promise<InventoryStatus> {
    const source = await requestSource(uri ? { uri } : null);
    if (!source) return NO_INVENTORY_STATUS;
    await source.provider.refresh().catch((e) => log('refresh', e));
    return source.provider.current().status;
  }

  registerHandlers(connection, documents, {
    service,
    cache,
    problems: problemsOf,
    contextFor,
    kindOf,
    log,
    serverLenses: () => !clientCommands,
    changesAllowed: () => changesAllowed,
    hostFor: async (uri) => activeHostConfig(await documentSettings.get(uri)) !== undefined,
    presentation: () => client.presentation,
    explain: (code, uri) => policies.explain(code, uri),
  });
  // the readiness request and the readiness server command answer from the same source lookup
  const readinessDeps = { requestSource, log };
  registerReadiness(connection, readinessDeps);
  registerHostSetup(connection, {
    output,
    get createHostProvider() {
      return options.createHostProvider ?? hosts?.createHostProvider;
    },
    get contactAllowed() {
      return contactAllowed;
    },
    settings: () => documentSettings.get(null),
  });
  registerExecuteCommands(connection, {
    documents,
    service,
    cache,
    problems: problemsOf,
    contextFor,
    log,
    canApplyEdit: () => client.applyEdit,
    refresh: refreshSource,
    explain: (code, uri) => policies.explain(code, uri),
    readiness: (uri) => readinessOf(readinessDeps, { ...(uri !== null ? { uri } : {}), refresh: true }),
    attach: (params, uri) => changes.attach(params, uri, true),
    network: changes.network,
    defineGuest: changes.defineGuest,
    changeRefusal: changes.refusal,
  });

  const dispose = (): void => {
    stopped = true;
    publisher.dispose();
    sources?.dispose();
    hosts?.dispose();
  };
  connection.onShutdown(dispose);
  documents.listen(connection);
  connection.listen();
  return { dispose };
}
