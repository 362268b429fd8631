// One parse per open document version (VS Code's languageModelCache.ts), shared by diagnostics,
// hover, completion, code actions, CodeLens and symbols; and the problems of that version for its
// inventory, so code actions answer from the very validation the diagnostics came from. A new version
// is not parsed from scratch: the edits the client sent since the cached version say where the text
// changed, and the service parses again only the device they fall in.
import type { Range, TextDocument, TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import type { LanguageService, ParsedDocument, Problem, ServiceContext, TextChange } from '../service/index';

interface Entry {
  version: number;
  document: ParsedDocument;
  validated: { inventory: unknown; unavailable: string | null; problems: Problem[] } | null;
}

/** The edits since the cached version as one change, up to version `upTo`; null: not known, compare the texts. */
interface Pending {
  upTo: number;
  change: TextChange | null;
}

export class DocumentCache {
  private readonly entries = new Map<string, Entry>();
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly service: LanguageService) {}

  /** Called with a didChange before it is applied to `doc` (TextDocuments' update hook). */
  noteChanges(doc: TextDocument, changes: readonly TextDocumentContentChangeEvent[], version: number): void {
    const entry = this.entries.get(doc.uri);
    if (!entry) return;
    const one = changes.length === 1 ? changes[0] : null;
    let change: TextChange | null = null;
    const range = one && 'range' in one ? (one.range as Range) : null;
    if (one && range) {
      const start = doc.offsetAt(range.start);
      change = { start, oldEnd: Math.max(start, doc.offsetAt(range.end)), newEnd: start + one.text.length };
    }
    const before = this.pending.get(doc.uri);
    if (entry.version === doc.version) this.pending.set(doc.uri, { upTo: version, change });
    else if (before && before.upTo === doc.version && before.change && change)
      this.pending.set(doc.uri, { upTo: version, change: composeChanges(before.change, change) });
    else this.pending.set(doc.uri, { upTo: version, change: null });
  }

  private entry(doc: TextDocument): Entry {
    let entry = this.entries.get(doc.uri);
    if (!entry || entry.version !== doc.version) {
      const pending = this.pending.get(doc.uri);
      this.pending.delete(doc.uri);
      const change = pending && pending.upTo === doc.version ? (pending.change ?? undefined) : undefined;
      // the previous parse moves into the new one (or, parsed whole, is dropped before the new tree is built)
      const previous = entry?.document ?? null;
      this.entries.delete(doc.uri);
      const document = previous ? this.service.updateDocument(previous, doc.getText(), change) : this.service.parseDocument(doc.getText());
      entry = { version: doc.version, document, validated: null };
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
    this.pending.delete(uri);
  }
}

/** `first` then `second` (whose offsets are in the text after `first`) as one change of the original text. */
export function composeChanges(first: TextChange, second: TextChange): TextChange {
  // the changed stretch in the middle text, then mapped back (before `first`) and forward (after `second`)
  const end = Math.max(first.newEnd, second.oldEnd);
  return {
    start: Math.min(first.start, second.start),
    oldEnd: end - (first.newEnd - first.oldEnd),
    newEnd: end + (second.newEnd - second.oldEnd),
  };
}
