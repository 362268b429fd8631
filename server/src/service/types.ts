// Public data types of the pure language service. Everything here is plain data: no vscode,
// no LSP connection, no I/O. Positions are UTF-16 offsets into the exact document text; only
// server/src/lsp/convert.ts (and the CLI) turn them into line/character.
import type { Inventory } from '../../../shared/snapshot';
import type { DiagnosticCode } from './catalog';
import type { ServiceCaches } from './languageService';
import type { QuickFix } from './quickFix';

/** Half-open range [start, end) of UTF-16 offsets into the document text. */
export interface Span {
  start: number;
  end: number;
}

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** Stable diagnostic codes (tests assert on these, never on message text): the rows of catalog.ts. */
export type { DiagnosticCode } from './catalog';

export interface Problem {
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  span: Span;
}

// The inventory snapshot is shared with the client; its types live in shared/snapshot.ts.
export { INVENTORY_FORMAT } from '../../../shared/snapshot';
export type {
  Inventory,
  InventoryDevice,
  InventoryGuest,
  InventoryGuestDevice,
  InventoryNetwork,
  InventoryPortgroup,
  VfAdminSettings,
  HostReadiness,
  VfPersistenceMechanism,
  VfPersistenceSource,
  VfIgnoredReason,
  VfIgnoredSource,
} from '../../../shared/snapshot';

// ---------------------------------------------------------------------------
// Inputs shared by every service entry point.

/** Why the inventory could not be read (the last good one, if any, is still in `inventory`). */
export interface InventoryUnavailable {
  source: 'file' | 'host' | null;
  host: string | null;
  error: string | null;
  /** not contacted because the workspace is not trusted (Restricted Mode) */
  restricted?: boolean;
  /** the host's key was refused (another than the one known: someone may be in the middle; or unknown and not accepted): a warning */
  hostKeyRefused?: boolean;
}

export interface ServiceContext {
  inventory?: Inventory | null;
  /** set when the host or snapshot cannot be read: documents with a device get inventory-unavailable */
  inventoryUnavailable?: InventoryUnavailable | null;
  /** "now", for inventory age in hover; defaults to new Date() */
  now?: Date;
  /** source of randomness for fresh MACs; defaults to Math.random */
  random?: () => number;
  /** set by createLanguageService(): its caches; absent, nothing is kept between calls */
  caches?: ServiceCaches;
  /**
   * Problems of the bytes the text was decoded from, which the text no longer shows (the CLI: a
   * sequence that is not UTF-8, a U+FFFD in the text); sorted and suppressed with the parser's.
   */
  decodingProblems?: readonly Problem[];
}

// ---------------------------------------------------------------------------
// Editor feature results (plain data; lsp/convert.ts maps them to LSP types).

export interface TextEdit {
  span: Span;
  newText: string;
}

export interface HoverResult {
  /** Markdown */
  contents: string;
  span: Span;
}

/** A short note shown in the text at `offset` (after an element): plain text, one line. */
export interface InlayHintResult {
  offset: number;
  label: string;
}

export type CompletionKind = 'snippet' | 'value' | 'element' | 'attribute';

export interface CompletionCandidate {
  label: string;
  kind: CompletionKind;
  detail?: string;
  documentation?: string;
  /** text that replaces `span` */
  insertText: string;
  /** true when insertText uses snippet syntax ($1, ${1:x}) */
  isSnippet?: boolean;
  span: Span;
  /** lexical sort key: free VFs sort before used ones */
  sortText?: string;
  filterText?: string;
}

/** A quick fix as the editor offers it: with the problem it answers. */
export interface CodeActionResult extends QuickFix {
  kind: 'quickfix';
  /** the diagnostic codes this action fixes */
  fixes: DiagnosticCode[];
  /** the span of the diagnostic it answers */
  diagnosticSpan: Span;
  /** it takes the problem off its line (a disable-next-line comment) instead of fixing it */
  suppression?: true;
}

/**
 * attach/detach a device; virsh net-define / net-start / net-autostart a <network> document; virsh define a
 * <domain> document ('guestDefine'); 'none': a label that says why nothing can be done (no command)
 */
export type LensAction = 'attachPick' | 'attach' | 'detach' | 'none' | 'netDefine' | 'netStart' | 'netAutostart' | 'guestDefine';

export interface LensResult {
  span: Span;
  title: string;
  action: LensAction;
  /** the guest for 'attach'/'detach' */
  guest?: string;
  /** the device element's span: what attach sends (the <network> or <domain> root for the define actions) */
  deviceSpan: Span;
}

export interface SymbolResult {
  name: string;
  detail: string;
  kind: 'interface' | 'hostdev';
  span: Span;
  selectionSpan: Span;
}
