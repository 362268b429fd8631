// One line per LSP method (yaml-language-server's languageHandlers idea): find the document,
// return empty if there is none, call the language service on its cached parse, convert. An
// exception in the service is logged and answered with the empty result: the server stays up
// whatever the input.
import {
  ErrorCodes,
  ResponseError,
  type CodeAction,
  type CodeLens,
  type CompletionList,
  type Connection,
  type DocumentSymbol,
  type Hover,
  type InlayHint,
  type TextDocuments,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  AttachCheckRequest,
  DeviceAtRequest,
  DocumentAddressesRequest,
  ExplainCodeRequest,
  NewInterfaceRequest,
  type AttachCheckParams,
  type AttachCheckResult,
  type DeviceAtParams,
  type DeviceAtResult,
  type ExplainCodeParams,
  type NewInterfaceParams,
  type NewInterfaceResult,
} from '../../../shared/protocol';
import type { DocumentKind } from '../../../shared/documents';
import { checkDeviceForGuest, type LanguageService, type Problem, type ServiceContext, type Span } from '../service/index';
import {
  isPosition,
  isRange,
  rangeToSpan,
  SentDiagnostics,
  toCodeAction,
  toCodeLens,
  toDocumentationAction,
  toDocumentSymbol,
  toHover,
  toInlayHint,
  toProblem,
} from './convert';
import { type ClientPresentation, MARKDOWN_CLIENT } from './clientFeatures';
import { toCompletionItem } from './completionItems';
import type { DocumentCache } from './documentCache';
import { interfaceInsertion } from './interfaceInsertion';

/** The service context of document `uri`; null: the active inventory (requests without a document). */
type ContextFor = (uri: string | null) => Promise<ServiceContext>;
type Log = (what: string, e: unknown) => void;
type KindOf = (doc: TextDocument) => Promise<DocumentKind>;

export interface HandlerDeps {
  service: LanguageService;
  cache: DocumentCache;
  /** a document's problems as the diagnostics show them (the project's config applied) */
  problems: (doc: TextDocument, context: ServiceContext) => Problem[];
  contextFor: ContextFor;
  kindOf: KindOf;
  log: Log;
  /** lenses carry the server's executeCommand ids (a client without commands of its own) */
  serverLenses?: () => boolean;
  /** changes may run on a host; else (Restricted Mode) no lens offers one, as every one would be refused */
  changesAllowed?: () => boolean;
  /** the settings of document `uri` name an active host that changes go to (server-run lenses need one: no picker asks) */
  hostFor?: (uri: string) => Promise<boolean>;
  /** how the client shows hovers and completion documentation (read at initialize) */
  presentation?: () => ClientPresentation;
  /** a diagnostic code explained under the config of document `uri` (null: unknown code) */
  explain?: (code: string, uri: string | null) => string | null;
}

export function registerHandlers(connection: Connection, documents: TextDocuments<TextDocument>, deps: HandlerDeps): void {
  const { service, cache, contextFor, kindOf, log } = deps;
  const serverLenses = deps.serverLenses ?? (() => false);
  const changesAllowed = deps.changesAllowed ?? (() => true);
  const hostFor = deps.hostFor ?? (() => Promise.resolve(true));
  const presentation = deps.presentation ?? (() => MARKDOWN_CLIENT);
  /**
   * Runs `body` on the open document `uri` with its service context; `empty` when closed, on failure,
   * or when the document is not one of libvirt's (`alsoEmpty`: a file with no element yet counts).
   */
  function withDocument<T>(
    method: string,
    uri: string,
    empty: T,
    body: (doc: TextDocument, context: ServiceContext) => T,
    alsoEmpty = false,
  ): Promise<T> {
    const doc = documents.get(uri);
    if (!doc) return Promise.resolve(empty);
    return kindOf(doc)
      .then(async (kind) => {
        if (kind !== 'libvirt' && !(alsoEmpty && kind === 'empty')) return empty;
        const context = await contextFor(uri);
        const now = documents.get(uri);
        return now ? body(now, context) : empty;
      })
      .catch((e: unknown) => {
        log(`${method} ${uri}`, e);
        return empty;
      });
  }

  connection.onHover(
    (p) =>
      invalidParams(p, 'position') ??
      withDocument<Hover | null>('hover', p.textDocument.uri, null, (doc, ctx) =>
        toHover(doc, service.hover(cache.parsed(doc), doc.offsetAt(p.position), ctx), presentation().hover),
      ),
  );

  connection.languages.inlayHint.on(
    (p) =>
      invalidParams(p, 'range') ??
      withDocument<InlayHint[]>('inlayHint', p.textDocument.uri, [], (doc, ctx) =>
        service.inlayHints(cache.parsed(doc), rangeToSpan(doc, p.range), ctx).map((h) => toInlayHint(doc, h)),
      ),
  );

  connection.onCompletion(
    (p) =>
      invalidParams(p, 'position') ??
      withDocument<CompletionList>(
        'completion',
        p.textDocument.uri,
        { isIncomplete: false, items: [] },
        (doc, ctx) => ({
          isIncomplete: false,
          items: service
            .complete(cache.parsed(doc), doc.offsetAt(p.position), ctx)
            .map((c) => toCompletionItem(doc, c, presentation().completion)),
        }),
        true,
      ),
  );

  connection.onCodeAction((p) => {
    const invalid = invalidParams(p, 'range');
    if (invalid) return invalid;
    // a client that sends no context (or diagnostics that are not a list) is answered from the document's own problems
    const diagnostics = Array.isArray(p.context?.diagnostics) ? p.context.diagnostics.filter(isDiagnosticLike) : [];
    return withDocument<CodeAction[]>('codeAction', p.textDocument.uri, [], (doc, ctx) => {
      const range = rangeToSpan(doc, p.range);
      const sent = new SentDiagnostics(doc, diagnostics);
      const problems = problemsAt(sent, range, deps.problems(doc, ctx));
      const fixes = service.codeActions(cache.parsed(doc), range, problems, ctx).map((a) => toCodeAction(doc, a, sent));
      // after the fixes, one per code there: what it means, and how to turn it off
      const documentation = [...new Set(problems.map((p) => p.code))].map((code) => toDocumentationAction(doc.uri, code, serverLenses()));
      return [...fixes, ...documentation];
    });
  });

  connection.onCodeLens(async (p) => {
    const invalid = invalidParams(p);
    if (invalid) return invalid;
    // a lens the server runs changes the active host; without one (a snapshot alone) it could only be refused
    const actions = changesAllowed() && (!serverLenses() || (await hostFor(p.textDocument.uri)));
    return withDocument<CodeLens[]>('codeLens', p.textDocument.uri, [], (doc, ctx) =>
      service
        .codeLenses(cache.parsed(doc), ctx)
        .filter((l) => l.action === 'none' || actions)
        .map((l) => toCodeLens(doc, l, serverLenses())),
    );
  });

  connection.onDocumentSymbol(
    (p) =>
      invalidParams(p) ??
      withDocument<DocumentSymbol[]>('documentSymbol', p.textDocument.uri, [], (doc) =>
        service.documentSymbols(cache.parsed(doc)).map((s) => toDocumentSymbol(doc, s)),
      ),
  );

  connection.onRequest(DeviceAtRequest, (p: DeviceAtParams) =>
    withDocument<DeviceAtResult | null>('deviceAt', p.uri, null, (doc) =>
      service.deviceAt(cache.parsed(doc), typeof p.offset === 'number' ? p.offset : null),
    ),
  );

  connection.onRequest(ExplainCodeRequest, (p: ExplainCodeParams | null) => {
    if (typeof p?.code !== 'string') return null;
    try {
      const text = deps.explain?.(p.code, typeof p.uri === 'string' ? p.uri : null) ?? null;
      return text === null ? null : { text };
    } catch (e) {
      log('explainCode', e);
      return null;
    }
  });

  connection.onRequest(DocumentAddressesRequest, (p: { uri?: unknown }) =>
    withDocument<string[]>('documentAddresses', typeof p?.uri === 'string' ? p.uri : '', [], (doc) =>
      service.hostAddresses(cache.parsed(doc)),
    ),
  );

  connection.onRequest(AttachCheckRequest, async (p: AttachCheckParams): Promise<AttachCheckResult> => {
    try {
      if (typeof p?.deviceXml !== 'string' || typeof p.guest !== 'string') return { problems: [] };
      const context = await contextFor(typeof p.uri === 'string' ? p.uri : null);
      const problems = checkDeviceForGuest(p.deviceXml, p.guest, context).flatMap((q) =>
        q.severity === 'error' || q.severity === 'warning' ? [{ severity: q.severity, message: q.message }] : [],
      );
      return { problems: [...problems.filter((q) => q.severity === 'error'), ...problems.filter((q) => q.severity === 'warning')] };
    } catch (e) {
      log(`attachCheck ${p?.uri ?? ''}`, e);
      return { problems: [] };
    }
  });

  connection.onRequest(NewInterfaceRequest, async (p: NewInterfaceParams): Promise<NewInterfaceResult | null> => {
    try {
      const uri = typeof p?.uri === 'string' ? p.uri : null;
      const context = await contextFor(uri);
      const doc = uri ? documents.get(uri) : undefined;
      const layout = { indent: typeof p.indent === 'string' ? p.indent : undefined, unit: typeof p.unit === 'string' ? p.unit : undefined };
      const target = typeof p.network === 'string' ? { network: p.network } : typeof p.address === 'string' ? p.address : '';
      const parsed = doc ? cache.parsed(doc) : null;
      if (doc && parsed && isPosition(p.position))
        return interfaceInsertion(
          service,
          doc,
          parsed,
          p.position,
          (indent) => service.newInterfaceXml(parsed, target, context, { ...layout, indent }),
          layout.unit,
        );
      return service.newInterfaceXml(parsed, target, context, layout);
    } catch (e) {
      log(`newInterface ${p?.uri ?? ''}`, e);
      return null;
    }
  });
}

/** A diagnostic the client sent back, with a range to compare (others cannot name a problem of ours). */
function isDiagnosticLike(d: unknown): d is Parameters<typeof toProblem>[1] {
  return typeof d === 'object' && d !== null && isRange((d as { range?: unknown }).range);
}

/**
 * The InvalidParams error (-32602) for params without a textDocument uri, or without a valid `field`
 * (position or range); null when they are usable. Answered without a log line: the client's bug, not ours.
 */
function invalidParams(p: unknown, field?: 'position' | 'range'): ResponseError<void> | null {
  const params = p as { textDocument?: { uri?: unknown }; position?: unknown; range?: unknown } | null;
  if (typeof params?.textDocument?.uri !== 'string')
    return new ResponseError(ErrorCodes.InvalidParams, 'textDocument.uri must be a string');
  if (field === 'position' && !isPosition(params.position))
    return new ResponseError(ErrorCodes.InvalidParams, 'position must be { line, character } with numbers');
  if (field === 'range' && !isRange(params.range))
    return new ResponseError(ErrorCodes.InvalidParams, 'range must be { start, end } positions with numbers');
  return null;
}

/**
 * The problems a code action answers: those of the current text the client sent back (same code, same
 * span: a list published before the latest edits points at text that has moved, and a fix built on it
 * would rewrite whatever is there now); when none of those is left (clients that do not echo
 * diagnostics, a stale list), the ones the current text has in the range.
 */
function problemsAt(sent: SentDiagnostics, range: Span, current: Problem[]): Problem[] {
  const still = sent.size > 0 ? current.filter((c) => sent.has(c)) : [];
  if (still.length > 0) return still;
  return current.filter((p) => p.span.start <= range.end && range.start <= p.span.end);
}
