// Diagnostics for open documents: pushed after a per-document pause in typing (at once for a newly
// opened text), or, when the client pulls (textDocument/diagnostic), only a refresh request. Never both.
import type { Connection, Diagnostic, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';

export interface PublisherOptions {
  /** delay between the last change and validation, per document */
  debounceMs: number;
  /** the client pulls diagnostics; nothing is pushed */
  pull: () => boolean;
  /** the client accepts workspace/diagnostic/refresh */
  refreshSupport: () => boolean;
  compute: (doc: TextDocument) => Promise<Diagnostic[]>;
  log: (what: string, e: unknown) => void;
}

export class DiagnosticsPublisher {
  private readonly pending = new Map<string, NodeJS.Timeout>();
  /** TextDocuments fires onDidOpen, then onDidChangeContent for the opened text */
  private readonly justOpened = new Set<string>();

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly options: PublisherOptions,
  ) {
    documents.onDidOpen((e) => {
      this.justOpened.add(e.document.uri);
    });
    documents.onDidChangeContent((e) => {
      // The opened text is checked at once; edits wait for a pause in typing.
      this.schedule(e.document.uri, this.justOpened.delete(e.document.uri) ? 0 : options.debounceMs);
    });
  }

  /** Checks again the open documents `applies` selects (every one: null), e.g. after their inventory changed. */
  revalidate(applies: ((uri: string) => boolean) | null): void {
    if (this.options.pull()) {
      if (this.options.refreshSupport())
        void this.connection.languages.diagnostics.refresh().catch((e) => this.options.log('diagnostics/refresh', e));
      return;
    }
    for (const doc of this.documents.all()) if (applies === null || applies(doc.uri)) this.schedule(doc.uri, 0);
  }

  /** A closed document: nothing pending for it, and its diagnostics cleared. */
  closed(uri: string): void {
    this.cancel(uri);
    this.justOpened.delete(uri);
    if (!this.options.pull()) void this.connection.sendDiagnostics({ uri, diagnostics: [] }).catch((err) => this.options.log('close', err));
  }

  dispose(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }

  private schedule(uri: string, delay: number): void {
    if (this.options.pull()) return;
    this.cancel(uri);
    this.pending.set(
      uri,
      setTimeout(() => {
        this.pending.delete(uri);
        this.push(uri).catch((e) => this.options.log(`diagnostics ${uri}`, e));
      }, delay),
    );
  }

  private cancel(uri: string): void {
    const timer = this.pending.get(uri);
    if (timer) clearTimeout(timer);
    this.pending.delete(uri);
  }

  private async push(uri: string): Promise<void> {
    const doc = this.documents.get(uri);
    if (!doc) return;
    const version = doc.version;
    const diagnostics = await this.options.compute(doc);
    // A newer edit or a close while we waited for settings: its own run publishes.
    const now = this.documents.get(uri);
    if (!now || now.version !== version) return;
    await this.connection.sendDiagnostics({ uri, version, diagnostics });
  }
}
