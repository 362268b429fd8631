// Facade of the pure language service (vscode-html-languageservice style): one function per feature,
// each implemented in its own file.
import type {
  CodeActionResult, CompletionCandidate, HoverResult, LensResult, Problem, ServiceContext, Span, SymbolResult,
} from './types';
import { hover as hoverImpl } from './hover';
import { complete as completeImpl } from './completion';
import { codeActions as codeActionsImpl } from './codeActions';
import { codeLenses as codeLensesImpl } from './codeLens';
import { deviceAt as deviceAtImpl, documentSymbols as documentSymbolsImpl } from './symbols';
import { newInterfaceXml as newInterfaceImpl, type InterfaceLayout } from './newInterface';
import { documentAddresses } from './featureSupport';
import { buildDocumentModel as buildModel } from './model';

export { validate, validateWithSuppressions } from './validate';
export { DISABLE_NEXT_LINE, type SuppressedProblem } from './suppressions';
export { checkDeviceForGuest, INVENTORY_CODES } from './attachCheck';
export { freeVf } from './newInterface';
export { buildDocumentModel, MAX_DOCUMENT_CHARS } from './model';
export { indexInventory } from './inventoryIndex';
export type { InventoryIndex } from './inventoryIndex';
export { applyEdits } from './featureSupport';
export * from './types';
export type { InterfaceLayout } from './newInterface';

export function hover(text: string, offset: number, context: ServiceContext = {}): HoverResult | null {
  return hoverImpl(text, clampOffset(text, offset), context);
}

/** Every span returned lies inside the document, whatever offset the caller passes (past the end, negative, NaN). */
export function complete(text: string, offset: number, context: ServiceContext = {}): CompletionCandidate[] {
  return completeImpl(text, clampOffset(text, offset), context);
}

function clampOffset(text: string, offset: number): number {
  return Number.isFinite(offset) ? Math.max(0, Math.min(Math.trunc(offset), text.length)) : text.length;
}

/** Quick fixes for the given diagnostics (those the client sends back with the request). */
export function codeActions(text: string, range: Span, problems: Problem[], context: ServiceContext = {}): CodeActionResult[] {
  return codeActionsImpl(text, range, problems, context);
}

export function codeLenses(text: string, context: ServiceContext = {}): LensResult[] {
  return codeLensesImpl(text, context);
}

export function documentSymbols(text: string): SymbolResult[] {
  return documentSymbolsImpl(text);
}

/** The device (hostdev interface or <hostdev>) that contains `offset`, or the only device: what attach
 *  sends, with the document's guest name when it is a <domain>. */
export function deviceAt(text: string, offset: number | null): { xml: string; span: Span; guest?: string } | null {
  return deviceAtImpl(text, offset);
}

/** The canonical host PCI addresses the document's devices name. */
export function hostAddresses(text: string): string[] {
  return [...documentAddresses(buildModel(text))];
}

/** A full hostdev interface for the VF `address` with a MAC unused by the inventory's guests and `text`;
 *  null when `address` is not canonical. */
export function newInterfaceXml(text: string | null, address: string, context: ServiceContext = {}, layout: InterfaceLayout = {}, vlan?: number): { xml: string; mac: string } | null {
  return newInterfaceImpl(text, address, context, layout, vlan);
}
