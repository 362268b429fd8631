// The language service object (vscode-html-languageservice's getLanguageService()): it owns the
// caches that make repeated work cheap — shared strings of the parser, parsed PCI numbers, one
// inventory index per snapshot — and every feature takes a parsed document, so a caller that keeps
// one parse per document version (the LSP layer) parses once for diagnostics, hover, completion and
// code actions. Nothing here lives at module level: two services share nothing.
import { AddressCache } from './address';
import { DeviceResults } from './deviceResults';
import { documentAddresses } from './featureSupport';
import { codeActions } from './codeActions';
import { codeLenses } from './codeLens';
import { devicesLeftOut, guestDocumentName, type LeftOutDevice } from './guestRedefine';
import { complete } from './completion';
import { hover } from './hover';
import { inlayHints } from './inlayHints';
import { buildIndex, type InventoryIndex } from './inventoryIndex';
import { buildDocumentModel } from './model';
import { changeBetween, reparseEdited, type TextChange } from './incremental';
import type { DocumentModel } from './modelTypes';
import { freeVf, newInterfaceXml, type InterfaceLayout } from './newInterface';
import { interfacePlacement, type InterfacePlacement } from './interfacePlacement';
import { deviceAt, documentSymbols } from './symbols';
import type {
  CodeActionResult,
  CompletionCandidate,
  HoverResult,
  InlayHintResult,
  Inventory,
  LensResult,
  Problem,
  ServiceContext,
  Span,
  SymbolResult,
} from './types';
import { validateDocument } from './validate';
import { networkDefinitionOf } from './rules/networkDefinition';
import { StringTable } from './xml/strings';

/** A document as parsed by the service: hand it back to any feature. */
export type ParsedDocument = DocumentModel;
export type { TextChange } from './incremental';

/** What one service keeps between calls. */
export class ServiceCaches {
  readonly strings = new StringTable();
  readonly addresses = new AddressCache();
  readonly devices = new DeviceResults(this.addresses);
  private readonly indexes = new WeakMap<Inventory, InventoryIndex>();

  /**
   * Forgets what is kept per device and element. Called on every whole parse: a WeakMap drops the
   * entries of dead keys only at a full collection, so re-parsing a large document again and again would
   * grow the tables (and the collector's work) by thousands of entries each time. Other open documents
   * only compute their results once more.
   */
  forgetDocuments(): void {
    this.devices.forget();
    this.addresses.forgetReadings();
  }

  /** The index of a snapshot, built once per snapshot object (inventories are immutable plain data). */
  index(inventory: Inventory): InventoryIndex {
    let index = this.indexes.get(inventory);
    if (!index) this.indexes.set(inventory, (index = buildIndex(inventory)));
    return index;
  }
}

export interface LanguageService {
  parseDocument(text: string): ParsedDocument;
  /**
   * The document after an edit, parsing again only the device the edit falls in (the whole text
   * when the edit could read differently alone). `change` says where the edit is (offsets in the old
   * and new text); without it the texts are compared. `previous` is consumed: its tree moves to the
   * result, so it must not be used afterwards.
   */
  updateDocument(previous: ParsedDocument, text: string, change?: TextChange): ParsedDocument;
  validate(document: ParsedDocument, context?: ServiceContext): Problem[];
  hover(document: ParsedDocument, offset: number, context?: ServiceContext): HoverResult | null;
  complete(document: ParsedDocument, offset: number, context?: ServiceContext): CompletionCandidate[];
  /** quick fixes for the given problems (those the client sends back, or the document's own) */
  codeActions(document: ParsedDocument, range: Span, problems: Problem[], context?: ServiceContext): CodeActionResult[];
  codeLenses(document: ParsedDocument, context?: ServiceContext): LensResult[];
  /** what the inventory's host has at each host address (and each VF pool an interface names) whose element ends in `range` */
  inlayHints(document: ParsedDocument, range: Span, context?: ServiceContext): InlayHintResult[];
  documentSymbols(document: ParsedDocument): SymbolResult[];
  /** the first free VF of the snapshot (of PF `pf`, a netdev or an address, when given), with the snapshot's kept index */
  freeVf(inventory: Inventory, pf?: string): ReturnType<typeof freeVf>;
  /** For a <network> document (virsh net-define): its <name> (null when it has none); null for any other document. */
  networkDocumentName(document: ParsedDocument): { name: string | null } | null;
  /** For a document that is one <domain> (virsh define): its <name> (null when it has none); null for any other document. */
  guestDocumentName(document: ParsedDocument): { name: string | null } | null;
  /** the host devices of the inventory's persistent definition of `guest` that the document does not name (what virsh define would drop) */
  devicesLeftOut(document: ParsedDocument, guest: string, context?: ServiceContext): LeftOutDevice[];
  /** the canonical host PCI addresses the document's devices name */
  hostAddresses(document: ParsedDocument): string[];
  /** the device that contains `offset`, or the only device: what attach sends, with the document's guest */
  deviceAt(document: ParsedDocument, offset: number | null): { xml: string; span: Span; guest?: string } | null;
  /** a hostdev interface for the VF `address` (or a network interface on a pool) with a MAC unused by the inventory's guests and the document */
  newInterfaceXml(
    document: ParsedDocument | null,
    address: string | { network: string },
    context?: ServiceContext,
    layout?: InterfaceLayout,
    vlan?: number,
  ): { xml: string; mac: string } | null;
  /** where an interface inserted at `offset` goes: a line of its own among the <devices> children, indented as they are */
  interfacePlacement(document: ParsedDocument, offset: number, unit?: string): InterfacePlacement;
}

export function createLanguageService(): LanguageService {
  const caches = new ServiceCaches();
  const withCaches = (context: ServiceContext = {}): ServiceContext => ({ ...context, caches });
  const parseWhole = (text: string): ParsedDocument => {
    caches.forgetDocuments();
    return buildDocumentModel(text, caches.strings);
  };
  return {
    parseDocument: (text) => parseWhole(text),
    updateDocument: (previous, text, change) => {
      const edit = change && fits(change, previous.text, text) ? change : changeBetween(previous.text, text);
      if (!edit) return previous;
      return reparseEdited(previous, text, edit, caches.strings) ?? parseWhole(text);
    },
    validate: (document, context) => validateDocument(document, withCaches(context)),
    hover: (document, offset, context) => hover(document, clampOffset(document.text, offset), withCaches(context)),
    complete: (document, offset, context) => complete(document, clampOffset(document.text, offset), withCaches(context)),
    codeActions: (document, range, problems, context) => codeActions(document, range, problems, withCaches(context)),
    codeLenses: (document, context) => codeLenses(document, withCaches(context)),
    inlayHints: (document, range, context) => inlayHints(document, range, withCaches(context)),
    documentSymbols: (document) => documentSymbols(document),
    hostAddresses: (document) => [...documentAddresses(document)],
    deviceAt: (document, offset) => deviceAt(document, offset),
    freeVf: (inventory, pf) => freeVf(inventory, pf, caches.index(inventory)),
    networkDocumentName: (document) => {
      const definition = networkDefinitionOf(document);
      return definition ? { name: definition.name } : null;
    },
    guestDocumentName: (document) => guestDocumentName(document),
    devicesLeftOut: (document, guest, context) => devicesLeftOut(document, guest, withCaches(context)),
    newInterfaceXml: (document, address, context, layout, vlan) => newInterfaceXml(document, address, withCaches(context), layout, vlan),
    interfacePlacement: (document, offset, unit) => interfacePlacement(document, clampOffset(document.text, offset), unit),
  };
}

/** `change` can describe the edit from `before` to `after` (in bounds, lengths agree, the text around it equal). */
function fits(change: TextChange, before: string, after: string): boolean {
  const { start, oldEnd, newEnd } = change;
  if (!(start >= 0 && start <= oldEnd && oldEnd <= before.length && start <= newEnd && newEnd <= after.length)) return false;
  if (before.length - oldEnd !== after.length - newEnd) return false;
  const near = 64;
  return (
    before.substring(Math.max(0, start - near), start) === after.substring(Math.max(0, start - near), start) &&
    before.substring(oldEnd, oldEnd + near) === after.substring(newEnd, newEnd + near)
  );
}

/** An offset inside the text whatever a client sent (past the end, negative, not a number). */
function clampOffset(text: string, offset: number): number {
  return Number.isFinite(offset) ? Math.max(0, Math.min(Math.trunc(offset), text.length)) : text.length;
}
