// One line per LSP method (yaml-language-server's languageHandlers idea): find the document,
// return empty if there is none, call the pure service, convert. An exception in the service is
// logged and answered with the empty result: the server stays up whatever the input.
import type { CodeAction, CodeLens, CompletionList, Connection, DocumentSymbol, Hover, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { DeviceAtRequest, DocumentAddressesRequest, NewInterfaceRequest, type DeviceAtParams, type DeviceAtResult, type NewInterfaceParams, type NewInterfaceResult } from '../../../shared/protocol';
import type { DocumentKind } from '../../../shared/documents';
import * as service from '../service/index';
import type { Problem, ServiceContext, Span } from '../service/index';
import { rangeToSpan, toCodeAction, toCodeLens, toCompletionItem, toDocumentSymbol, toHover, toProblem } from './convert';

/** The service context of document `uri`; null: the active inventory (requests without a document). */
type ContextFor = (uri: string | null) => Promise<ServiceContext>;
type Log = (what: string, e: unknown) => void;
type KindOf = (doc: TextDocument) => Promise<DocumentKind>;

/** `serverLenses()`: lenses carry the server's executeCommand ids (a client without commands of its own). */
export function registerHandlers(connection: Connection, documents: TextDocuments<TextDocument>, contextFor: ContextFor, kindOf: KindOf, log: Log, serverLenses: () => boolean = () => false): void {
  const memo: ValidationMemo = { last: null };
  /**
   * Runs `body` on the open document `uri` with its service context; `empty` when closed, on failure,
   * or when the document is not one of libvirt's (`alsoEmpty`: a file with no element yet counts).
   */
  function withDocument<T>(method: string, uri: string, empty: T, body: (doc: TextDocument, context: ServiceContext) => T, alsoEmpty = false): Promise<T> {
    const doc = documents.get(uri);
    if (!doc) return Promise.resolve(empty);
    return kindOf(doc).then(async (kind) => {
      if (kind !== 'libvirt' && !(alsoEmpty && kind === 'empty')) return empty;
      const context = await contextFor(uri);
      const now = documents.get(uri);
      return now ? body(now, context) : empty;
    }).catch((e: unknown) => {
      log(`${method} ${uri}`, e);
      return empty;
    });
  }

  connection.onHover((p) => withDocument<Hover | null>('hover', p.textDocument.uri, null,
    (doc, ctx) => toHover(doc, service.hover(doc.getText(), doc.offsetAt(p.position), ctx))));

  connection.onCompletion((p) => withDocument<CompletionList>('completion', p.textDocument.uri, { isIncomplete: false, items: [] },
    (doc, ctx) => ({ isIncomplete: false, items: service.complete(doc.getText(), doc.offsetAt(p.position), ctx).map((c) => toCompletionItem(doc, c)) }), true));

  connection.onCodeAction((p) => withDocument<CodeAction[]>('codeAction', p.textDocument.uri, [],
    (doc, ctx) => service.codeActions(doc.getText(), rangeToSpan(doc, p.range), problemsAt(memo, doc, p.context.diagnostics, rangeToSpan(doc, p.range), ctx), ctx).map((a) => toCodeAction(doc, a, p.context.diagnostics))));

  connection.onCodeLens((p) => withDocument<CodeLens[]>('codeLens', p.textDocument.uri, [],
    (doc, ctx) => service.codeLenses(doc.getText(), ctx).map((l) => toCodeLens(doc, l, serverLenses()))));

  connection.onDocumentSymbol((p) => withDocument<DocumentSymbol[]>('documentSymbol', p.textDocument.uri, [],
    (doc) => service.documentSymbols(doc.getText()).map((s) => toDocumentSymbol(doc, s))));

  connection.onRequest(DeviceAtRequest, (p: DeviceAtParams) => withDocument<DeviceAtResult | null>('deviceAt', p.uri, null,
    (doc) => service.deviceAt(doc.getText(), typeof p.offset === 'number' ? p.offset : null)));

  connection.onRequest(DocumentAddressesRequest, (p: { uri?: unknown }) => withDocument<string[]>('documentAddresses', typeof p?.uri === 'string' ? p.uri : '', [],
    (doc) => service.hostAddresses(doc.getText())));

  connection.onRequest(NewInterfaceRequest, (p: NewInterfaceParams) => newInterface(p ?? ({} as NewInterfaceParams), documents, contextFor).catch((e: unknown) => {
    log(`newInterface ${p?.uri ?? ''}`, e);
    return null;
  }));
}

/** With a uri: that document's text (when open) and inventory; without: the active inventory, no text. */
async function newInterface(p: NewInterfaceParams, documents: TextDocuments<TextDocument>, contextFor: ContextFor): Promise<NewInterfaceResult | null> {
  const uri = typeof p.uri === 'string' ? p.uri : null;
  const context = await contextFor(uri);
  const text = uri ? documents.get(uri)?.getText() ?? null : null;
  const layout = { indent: typeof p.indent === 'string' ? p.indent : undefined, unit: typeof p.unit === 'string' ? p.unit : undefined };
  return service.newInterfaceXml(text, typeof p.address === 'string' ? p.address : '', context, layout);
}

/**
 * The problems a code action answers: ours among those the client sent back that the current text
 * still has (same code, same span: a list published before the latest edits points at text that
 * has moved, and a fix built on it would rewrite whatever is there now); when none of those is
 * left (clients that do not echo diagnostics, a stale list), the ones the current text has in the range.
 */
function problemsAt(memo: ValidationMemo, doc: TextDocument, diagnostics: Parameters<typeof toProblem>[1][], range: Span, context: ServiceContext): Problem[] {
  const sent = diagnostics.map((d) => toProblem(doc, d)).filter((p): p is Problem => p !== null);
  const current = currentProblems(memo, doc, context);
  const still = sent.filter((s) => current.some((c) => c.code === s.code && c.span.start === s.span.start && c.span.end === s.span.end));
  if (still.length > 0) return still;
  return current.filter((p) => p.span.start <= range.end && range.start <= p.span.end);
}

/** The last validation of one server, reused while the document and its inventory stay the same (code actions come on every cursor move). */
interface ValidationMemo { last: { uri: string; version: number; inventory: unknown; problems: Problem[] } | null }

function currentProblems(memo: ValidationMemo, doc: TextDocument, context: ServiceContext): Problem[] {
  const inventory = context.inventory ?? null;
  const last = memo.last;
  if (last && last.uri === doc.uri && last.version === doc.version && last.inventory === inventory) return last.problems;
  const problems = service.validate(doc.getText(), context);
  memo.last = { uri: doc.uri, version: doc.version, inventory, problems };
  return problems;
}
