// The pure language service's entry points (vscode-html-languageservice style). An editor or any
// caller that checks more than once keeps one createLanguageService() and hands its parsed documents
// to the features; the text functions below parse on the spot and keep nothing, for one-off calls.
import { createLanguageService, type ParsedDocument } from './languageService';
import type { InterfaceLayout } from './newInterface';
import type {
  CodeActionResult,
  CompletionCandidate,
  HoverResult,
  InlayHintResult,
  LensResult,
  Problem,
  ServiceContext,
  Span,
  SymbolResult,
} from './types';

export { createLanguageService, type LanguageService, type ParsedDocument, type TextChange } from './languageService';
export { validate, validateWithSuppressions } from './validate';
export { DISABLE_NEXT_LINE, nearestCode, type SuppressedProblem } from './suppressions';
export { LineTable, type LinePosition } from './xml/lines';
export { checkDeviceForGuest, INVENTORY_CODES } from './attachCheck';
export { freeVf } from './newInterface';
export { activeGuestNote, leftOutMessage, type LeftOutDevice } from './guestRedefine';
export { readinessChecks } from './readinessChecks';
export { readinessReport } from './readinessReport';
export { buildDocumentModel, documentSizeProblem, MAX_DOCUMENT_CHARS } from './model';
export { RULES, DIAGNOSTIC_CODES, isDiagnosticCode, type RuleInfo } from './catalog';
export type { InventoryIndex } from './inventoryIndex';
export { applyEdits } from './featureSupport';
export * from './types';
export type { InterfaceLayout } from './newInterface';

/** One-off calls: a fresh service per call, nothing kept. */
function once(text: string): { service: ReturnType<typeof createLanguageService>; document: ParsedDocument } {
  const service = createLanguageService();
  return { service, document: service.parseDocument(text) };
}

export function hover(text: string, offset: number, context: ServiceContext = {}): HoverResult | null {
  const { service, document } = once(text);
  return service.hover(document, offset, context);
}

/** Every span returned lies inside the document, whatever offset the caller passes (past the end, negative, NaN). */
export function complete(text: string, offset: number, context: ServiceContext = {}): CompletionCandidate[] {
  const { service, document } = once(text);
  return service.complete(document, offset, context);
}

export function codeActions(text: string, range: Span, problems: Problem[], context: ServiceContext = {}): CodeActionResult[] {
  const { service, document } = once(text);
  return service.codeActions(document, range, problems, context);
}

export function inlayHints(text: string, range: Span, context: ServiceContext = {}): InlayHintResult[] {
  const { service, document } = once(text);
  return service.inlayHints(document, range, context);
}

export function codeLenses(text: string, context: ServiceContext = {}): LensResult[] {
  const { service, document } = once(text);
  return service.codeLenses(document, context);
}

export function documentSymbols(text: string): SymbolResult[] {
  const { service, document } = once(text);
  return service.documentSymbols(document);
}

export function deviceAt(text: string, offset: number | null): { xml: string; span: Span; guest?: string } | null {
  const { service, document } = once(text);
  return service.deviceAt(document, offset);
}

/** The canonical host PCI addresses the document's devices name. */
export function hostAddresses(text: string): string[] {
  const { service, document } = once(text);
  return service.hostAddresses(document);
}

export function newInterfaceXml(
  text: string | null,
  address: string | { network: string },
  context: ServiceContext = {},
  layout: InterfaceLayout = {},
  vlan?: number,
): { xml: string; mac: string } | null {
  const service = createLanguageService();
  return service.newInterfaceXml(text === null ? null : service.parseDocument(text), address, context, layout, vlan);
}

/** For a <network> document (virsh net-define): its <name> (null when it has none); null for any other document. */
export function networkDocumentName(text: string): { name: string | null } | null {
  const { service, document } = once(text);
  return service.networkDocumentName(document);
}
