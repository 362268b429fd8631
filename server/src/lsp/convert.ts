// Service (UTF-16 offsets, plain data) ⇄ LSP (line/character). The only place in the server that
// knows about positions; every conversion goes through TextDocument.positionAt/offsetAt.
import {
  CodeAction,
  CodeActionKind,
  type CodeLens,
  Diagnostic,
  DiagnosticSeverity,
  DocumentSymbol,
  Hover,
  type InlayHint,
  type MarkupContent,
  MarkupKind,
  SymbolKind,
  type Position,
  type Range,
} from 'vscode-languageserver/node';
import { TextDocument, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { Commands, ServerCommands, type DeviceCommandArgs, type GuestCommandArgs, type NetworkCommandArgs } from '../../../shared/commands';
import type { ExplainCodeParams } from '../../../shared/protocol';
import { RULE_DOCS, ruleHref } from '../../../shared/ruleDocs';
import { DIAGNOSTIC_SOURCE } from '../../../shared/diagnostics';
import { markdownAsPlainText } from '../service/markdown';
import type {
  CodeActionResult,
  DiagnosticCode,
  HoverResult,
  InlayHintResult,
  LensResult,
  Problem,
  Severity,
  Span,
  SymbolResult,
} from '../service/index';
import { fileURLToPath } from 'node:url';

export function spanToRange(doc: TextDocument, span: Span): Range {
  return { start: doc.positionAt(span.start), end: doc.positionAt(span.end) };
}

export function rangeToSpan(doc: TextDocument, range: Range): Span {
  return { start: doc.offsetAt(range.start), end: doc.offsetAt(range.end) };
}

const toLspSeverity: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

const fromLspSeverity: Record<number, Severity> = {
  [DiagnosticSeverity.Error]: 'error',
  [DiagnosticSeverity.Warning]: 'warning',
  [DiagnosticSeverity.Information]: 'information',
  [DiagnosticSeverity.Hint]: 'hint',
};

export function toDiagnostic(doc: TextDocument, p: Problem): Diagnostic {
  const d = Diagnostic.create(spanToRange(doc, p.span), p.message, toLspSeverity[p.severity], p.code, DIAGNOSTIC_SOURCE);
  return withRuleLink(d);
}

/** codeDescription.href: the code's section of the rules page (editors make the code a link), when there is a page. */
export function withRuleLink(d: Diagnostic): Diagnostic {
  const href = typeof d.code === 'string' && RULE_DOCS[d.code] ? ruleHref(d.code) : undefined;
  if (href !== undefined) d.codeDescription = { href };
  return d;
}

/** A diagnostic the client sends back with a code-action request, as the service's Problem; null if not ours. */
export function toProblem(doc: TextDocument, d: Diagnostic): Problem | null {
  if (d.source !== DIAGNOSTIC_SOURCE || typeof d.code !== 'string') return null;
  return {
    code: d.code as DiagnosticCode,
    severity: fromLspSeverity[d.severity ?? DiagnosticSeverity.Error] ?? 'error',
    message: typeof d.message === 'string' ? d.message : (d.message?.value ?? ''),
    span: rangeToSpan(doc, d.range),
  };
}

/** the service's Markdown in the kind the client shows (Emacs's eglot without markdown-mode: plain text) */
export function markup(kind: MarkupKind, markdown: string): MarkupContent {
  return kind === MarkupKind.Markdown ? { kind, value: markdown } : { kind: MarkupKind.PlainText, value: markdownAsPlainText(markdown) };
}

export function toHover(doc: TextDocument, h: HoverResult | null, kind: MarkupKind = MarkupKind.Markdown): Hover | null {
  if (!h) return null;
  return { contents: markup(kind, h.contents), range: spanToRange(doc, h.span) };
}

/** plain text after the element it follows, a space apart */
export function toInlayHint(doc: TextDocument, h: InlayHintResult): InlayHint {
  return { position: doc.positionAt(h.offset), label: h.label, paddingLeft: true };
}

/**
 * The diagnostics of ours a client sent back with a code-action request, one per code and range: a
 * client may send one a thousand times, and a fix is linked to it once, not to every copy.
 */
export class SentDiagnostics {
  private readonly byKey = new Map<string, { diagnostic: Diagnostic; problem: Problem }>();

  constructor(doc: TextDocument, diagnostics: readonly Diagnostic[]) {
    for (const diagnostic of diagnostics) {
      const problem = toProblem(doc, diagnostic);
      if (!problem) continue;
      const key = sentKey(problem.code, problem.span);
      if (!this.byKey.has(key)) this.byKey.set(key, { diagnostic, problem });
    }
  }

  get size(): number {
    return this.byKey.size;
  }

  /** Whether a diagnostic of `problem`'s code and span was sent. */
  has(problem: Problem): boolean {
    return this.byKey.has(sentKey(problem.code, problem.span));
  }

  /** The diagnostic sent for `code` at `span`. */
  find(code: DiagnosticCode, span: Span): Diagnostic | undefined {
    return this.byKey.get(sentKey(code, span))?.diagnostic;
  }
}

function sentKey(code: string, span: Span): string {
  return `${code} ${span.start} ${span.end}`;
}

/** A quick fix, linked to the diagnostic the client sent for the problem it answers (same span, code among `fixes`). */
export function toCodeAction(doc: TextDocument, a: CodeActionResult, sent: SentDiagnostics): CodeAction {
  const action = CodeAction.create(a.title, CodeActionKind.QuickFix);
  action.edit = { changes: { [doc.uri]: a.edits.map((e) => ({ range: spanToRange(doc, e.span), newText: e.newText })) } };
  const answered: Diagnostic[] = [];
  for (const code of a.fixes) {
    const d = sent.find(code, a.diagnosticSpan);
    if (d) answered.push(d);
  }
  if (answered.length > 0) action.diagnostics = answered;
  if (a.isPreferred) action.isPreferred = true;
  return action;
}

/**
 * "Show documentation for CODE" (ESLint's action of that name): the code explained under the document's
 * project config, by the client in a read-only document, or by the server as a message (`serverCommands`).
 */
export function toDocumentationAction(uri: string, code: string, serverCommands: boolean): CodeAction {
  const args: ExplainCodeParams = { code, uri };
  const title = `Show documentation for ${code}`;
  return CodeAction.create(
    title,
    { title, command: serverCommands ? ServerCommands.explainCode : Commands.explainCode, arguments: [args] },
    CodeActionKind.QuickFix,
  );
}

/** `serverCommands`: the client has no commands of its own; the lens runs through workspace/executeCommand. */
export function toCodeLens(doc: TextDocument, l: LensResult, serverCommands = false): CodeLens {
  const args: DeviceCommandArgs = { uri: doc.uri, deviceSpan: { start: l.deviceSpan.start, end: l.deviceSpan.end } };
  if (l.guest !== undefined) args.guest = l.guest;
  // an empty command id: VS Code shows the title as a plain label
  if (l.action === 'none') return { range: spanToRange(doc, l.span), command: { title: l.title, command: '' } };
  // network and guest definitions always run on the server (VS Code forwards executeCommandProvider ids to it)
  if (l.action === 'netDefine' || l.action === 'netStart' || l.action === 'netAutostart') {
    const operation = l.action === 'netDefine' ? 'define' : l.action === 'netStart' ? 'start' : 'autostart';
    const networkArgs: NetworkCommandArgs = { uri: doc.uri, operation };
    return { range: spanToRange(doc, l.span), command: { title: l.title, command: ServerCommands.network, arguments: [networkArgs] } };
  }
  if (l.action === 'guestDefine') {
    const guestArgs: GuestCommandArgs = { uri: doc.uri };
    return { range: spanToRange(doc, l.span), command: { title: l.title, command: ServerCommands.defineGuest, arguments: [guestArgs] } };
  }
  const ids = serverCommands ? ServerCommands : Commands;
  const command = l.action === 'detach' ? ids.detachDevice : ids.attachDevice;
  return { range: spanToRange(doc, l.span), command: { title: l.title, command, arguments: [args] } };
}

export function toDocumentSymbol(doc: TextDocument, s: SymbolResult): DocumentSymbol {
  const range = spanToRange(doc, s.span);
  // LSP requires selectionRange ⊆ range; clamp rather than send something a client rejects.
  const inside = s.selectionSpan.start >= s.span.start && s.selectionSpan.end <= s.span.end;
  const selectionRange = inside ? spanToRange(doc, s.selectionSpan) : range;
  return DocumentSymbol.create(
    s.name || '(device)',
    s.detail,
    s.kind === 'interface' ? SymbolKind.Interface : SymbolKind.Object,
    range,
    selectionRange,
  );
}

/** A Position as LSP has it: two numbers (TextDocument clamps ones outside the document). */
export function isPosition(v: unknown): v is Position {
  const p = v as Partial<Position> | null;
  return typeof p === 'object' && p !== null && Number.isFinite(p.line) && Number.isFinite(p.character);
}

/** A Range of two such positions. */
export function isRange(v: unknown): v is Range {
  const r = v as Partial<Range> | null;
  return typeof r === 'object' && r !== null && isPosition(r.start) && isPosition(r.end);
}

/**
 * A document as a client opened it, whatever the client sent: a text that is not a string is empty
 * and a version that is not a whole number is 0 (a null text left every later request failing).
 */
export function openedDocument(uri: string, languageId: string, version: unknown, text: unknown): TextDocument {
  return TextDocument.create(uri, languageId, Number.isInteger(version) ? (version as number) : 0, typeof text === 'string' ? text : '');
}

/** The changes of a didChange a document can take: text as a string, a range (when given) of numbers. */
export function wellFormedChanges(changes: readonly unknown[]): TextDocumentContentChangeEvent[] {
  return (Array.isArray(changes) ? changes : []).filter((c): c is TextDocumentContentChangeEvent => {
    if (typeof c !== 'object' || c === null || typeof (c as { text?: unknown }).text !== 'string') return false;
    const range = (c as { range?: unknown }).range;
    return range === undefined || isRange(range);
  });
}

/** The file path of a file: URI (for the user's globs); the URI itself otherwise (untitled:, …). */
export function pathOf(uri: string): string {
  if (!uri.startsWith('file:')) return uri;
  try {
    return fileURLToPath(uri);
  } catch {
    return uri;
  }
}
