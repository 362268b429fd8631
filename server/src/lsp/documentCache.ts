// One parse per open document version (VS Code's languageModelCache.ts), shared by diagnostics,
// hover, completion, code actions, CodeLens and symbols; and the problems of that version for its
// inventory, so code actions answer from the very validation the diagnostics came from.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { LanguageService, ParsedDocument, Problem, ServiceContext } from '../service/index';

interface Entry {
  version: number;
  document: ParsedDocument;
  validated: { inventory: unknown; unavailable: string | null; problems: Problem[] } | null;
}

export class DocumentCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly service: LanguageService) {}

  private entry(doc: TextDocument): Entry {
    let entry = this.entries.get(doc.uri);
    if (!entry || entry.version !== doc.version) {
      // drop the old tree before building the new one: the collector need not carry it meanwhile
      this.entries.delete(doc.uri);
      entry = { version: doc.version, document: this.service.parseDocument(doc.getText()), validated: null };
      this.entries.set(doc.uri, entry);
    }
    return entry;
  }

  parsed(doc: TextDocument): ParsedDocument {
    return this.entry(doc).document;
  }

  /** The problems of this version against `context`'s inventory, validated once. */
  problems(doc: TextDocument, context: ServiceContext): Problem[] {
    const entry = this.entry(doc);
    const inventory = context.inventory ?? null;
    const unavailable = context.inventoryUnavailable ? JSON.stringify(context.inventoryUnavailable) : null;
    const last = entry.validated;
    if (last && last.inventory === inventory && last.unavailable === unavailable) return last.problems;
    const problems = this.service.validate(entry.document, context);
    entry.validated = { inventory, unavailable, problems };
    return problems;
  }

  delete(uri: string): void {
    this.entries.delete(uri);
  }
}
