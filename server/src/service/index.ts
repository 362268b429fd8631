// Facade of the pure language service (vscode-html-languageservice style): one function per feature.
// STUB entries are filled in by the editor-features work.
import type {
  CodeActionResult, CompletionCandidate, HoverResult, LensResult, Problem, ServiceContext, Span, SymbolResult,
} from './types';

export { validate } from './validate';
export { buildDocumentModel } from './model';
export * from './types';

export function hover(text: string, offset: number, context: ServiceContext = {}): HoverResult | null {
  void text; void offset; void context;
  return null;
}

export function complete(text: string, offset: number, context: ServiceContext = {}): CompletionCandidate[] {
  void text; void offset; void context;
  return [];
}

/** Quick fixes for the given diagnostics (those the client sends back with the request). */
export function codeActions(text: string, range: Span, problems: Problem[], context: ServiceContext = {}): CodeActionResult[] {
  void text; void range; void problems; void context;
  return [];
}

export function codeLenses(text: string, context: ServiceContext = {}): LensResult[] {
  void text; void context;
  return [];
}

export function documentSymbols(text: string): SymbolResult[] {
  void text;
  return [];
}

/** The device (hostdev interface or <hostdev>) that contains `offset`, or the only device: what attach sends. */
export function deviceAt(text: string, offset: number | null): { xml: string; span: Span } | null {
  void text; void offset;
  return null;
}
