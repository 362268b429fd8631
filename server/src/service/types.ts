// Public data types of the pure language service. Everything here is plain data: no vscode,
// no LSP connection, no I/O. Positions are UTF-16 offsets into the exact document text; only
// server/src/lsp/convert.ts (and the CLI) turn them into line/character.
import type { Inventory } from '../../../shared/snapshot';

/** Half-open range [start, end) of UTF-16 offsets into the document text. */
export interface Span {
  start: number;
  end: number;
}

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** Stable diagnostic codes. Tests assert on these, never on message text. */
export type DiagnosticCode =
  | 'xml-syntax'
  | 'document-size'
  | 'source-missing'
  | 'source-address-type'
  | 'pci-number'
  | 'pci-range'
  | 'pci-octal'
  | 'pci-decimal'
  | 'pci-zero'
  | 'pci-duplicate'
  | 'mac-syntax'
  | 'mac-multicast'
  | 'mac-zero'
  | 'mac-missing'
  | 'mac-duplicate'
  | 'vlan-tag'
  | 'vlan-trunk'
  | 'vlan-native-mode'
  | 'vlan-virtualport'
  | 'virtualport-type'
  | 'virtualport-parameters'
  | 'driver-name'
  | 'element-unsupported'
  | 'element-ignored'
  | 'managed-value'
  | 'guest-address-type'
  | 'address-multifunction'
  | 'teaming'
  | 'rom'
  | 'boot-order-duplicate'
  | 'alias-duplicate'
  | 'guest-address-duplicate'
  | 'zpci'
  | 'boot-order'
  | 'acpi-index'
  | 'device-type'
  | 'default-namespace'
  // with an inventory
  | 'pci-unknown'
  | 'pci-not-vf'
  | 'vf-in-use'
  | 'vf-in-network'
  | 'iommu-group'
  | 'vf-driver'
  | 'host-iommu'
  | 'vf-not-persistent'
  | 'network-unknown'
  | 'network-inactive'
  | 'network-pool-exhausted'
  | 'network-portgroup'
  // about the inventory itself (host unreachable etc.), published by the LSP layer
  | 'inventory-unavailable';

export interface Problem {
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  span: Span;
}

// The inventory snapshot is shared with the client; its types live in shared/snapshot.ts.
export { INVENTORY_FORMAT } from '../../../shared/snapshot';
export type { Inventory, InventoryDevice, InventoryGuest, InventoryGuestDevice, InventoryNetwork, VfAdminSettings, HostReadiness, VfPersistenceMechanism, VfPersistenceSource } from '../../../shared/snapshot';

// ---------------------------------------------------------------------------
// Inputs shared by every service entry point.

export interface ServiceContext {
  inventory?: Inventory | null;
  /** "now", for inventory age in hover; defaults to new Date() */
  now?: Date;
  /** source of randomness for fresh MACs; defaults to Math.random */
  random?: () => number;
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

export interface CodeActionResult {
  title: string;
  kind: 'quickfix';
  /** the diagnostic codes this action fixes */
  fixes: DiagnosticCode[];
  /** the span of the diagnostic it answers */
  diagnosticSpan: Span;
  edits: TextEdit[];
  isPreferred?: boolean;
}

/** 'none': a label that says why nothing can be done (no command) */
export type LensAction = 'attachPick' | 'attach' | 'detach' | 'none';

export interface LensResult {
  span: Span;
  title: string;
  action: LensAction;
  /** the guest for 'attach'/'detach' */
  guest?: string;
  /** the device element's span: what attach sends */
  deviceSpan: Span;
}

export interface SymbolResult {
  name: string;
  detail: string;
  kind: 'interface' | 'hostdev';
  span: Span;
  selectionSpan: Span;
}
