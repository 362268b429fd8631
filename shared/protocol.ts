// The custom JSON-RPC messages between the client and the server, typed once (vscode-eslint's
// $shared/customMessages.ts): `client.sendRequest(GetInventoryRequest, …)` and
// `connection.onRequest(GetInventoryRequest, …)` agree on params and result. Any LSP editor can
// speak them as plain JSON-RPC under the method names below.
import { NotificationType, RequestType, type Position, type TextEdit } from 'vscode-languageserver-protocol';
import type { Inventory } from './snapshot';
import type { ReadinessCheck } from './readiness';

/** 'restricted': the workspace is not trusted and the configured source may not be used (not a network failure) */
/** How a host failed: unreachable, refused the login, showed another host key, timed out, a command failed, or the config is wrong. */
export type HostFailureKind = 'unreachable' | 'auth' | 'host-key' | 'timeout' | 'command' | 'config';

export type InventoryState = 'none' | 'loading' | 'ok' | 'stale' | 'unreachable' | 'restricted';

export interface InventoryStatus {
  state: InventoryState;
  /** host name as configured (or the snapshot's host) */
  host: string | null;
  source: 'file' | 'host' | null;
  takenAt: string | null;
  freeVfs: number;
  totalVfs: number;
  /** why the host is unreachable or the snapshot unreadable */
  error: string | null;
  /** what kind of failure `error` is, when the host said: a refused login ('auth') and a host key that does not match ('host-key') need the user */
  errorKind?: HostFailureKind;
  /** what the last good refresh could not read (no virsh, libvirt refused, no `ip`), one line each; absent when none */
  warnings?: string[];
  /** host readiness, one line each: the IOMMU, vfio-pci, PFs whose VFs do not survive a reboot, VF pools with a problem; absent when none */
  readiness?: string[];
}

/** Requests about "the inventory" name a document (its settings choose the source) or none (the active source). */
export interface InventoryParams {
  uri?: string;
}

export interface GetInventoryResult {
  status: InventoryStatus;
  /** the snapshot, or null */
  inventory: Inventory | null;
}

export interface AttachDeviceParams {
  /** device XML exactly as it will be sent to virsh */
  deviceXml: string;
  guest: string;
  operation: 'attach' | 'detach';
  /** add --live to --config (running guest) */
  live: boolean;
  /** host name from settings; default the active host */
  host?: string;
}

export interface AttachDeviceResult {
  ok: boolean;
  /** libvirt's own message (stdout on success, stderr on failure) */
  message: string;
  /** the command line as run, for the output channel */
  commandLine: string;
}

export interface GuestDefinitionParams {
  guest: string;
  /** host name from settings; default the active host */
  host?: string;
}

/** A guest's persistent definition on a host (`virsh dumpxml --inactive`), or why it could not be read. */
export type GuestDefinitionResult = { ok: true; xml: string } | { ok: false; message: string };

export interface ConfirmHostKeyParams {
  host: string;
  port: number;
  keyType: string;
  /** SHA256:base64 fingerprint as ssh-keygen -l prints it */
  fingerprint: string;
  /**
   * Key types known_hosts already holds for this host, when the server showed a key of another
   * type (ssh(1): "but keys of different type are already known for this host"): worth a second
   * look before accepting. Absent when the host is not known at all.
   */
  otherKnownTypes?: string[];
}

export type HostKeyDecision = 'once' | 'remember' | 'cancel';

export interface AskSecretParams {
  kind: 'passphrase' | 'password';
  prompt: string;
  /**
   * Stable identity of the secret (`passphrase:<key file>`, `password:<user@host:port>`), under which a
   * client may remember it. Absent: never remember it (keyboard-interactive answers may be one-time codes).
   */
  key?: string;
  /** true: the answer given for `key` a moment ago was wrong (do not answer from storage again) */
  retry?: boolean;
}

export interface AskSecretResult {
  value: string | null;
}

export interface DeviceAtParams {
  uri: string;
  /** UTF-16 offset; null: the only device of the document */
  offset: number | null;
}

export interface DeviceAtResult {
  xml: string;
  span: { start: number; end: number };
  /** the guest this document defines (/domain/name), when it is a <domain> with a name */
  guest?: string;
}

export interface NewInterfaceParams {
  /** the document the interface goes into: its MACs are avoided and its inventory is used;
   *  without it, the active inventory and no document */
  uri?: string;
  /** canonical VF address DDDD:BB:SS.F: an <interface type='hostdev'> for that VF */
  address?: string;
  /** instead of `address`: an <interface type='network'> on this pool (libvirt picks the VF at start) */
  network?: string;
  /** indentation of the lines after the first (the insertion line's), default '' */
  indent?: string;
  /** one level of indentation, default two spaces */
  unit?: string;
  /**
   * the cursor in the open document `uri`: the result then holds `edit`, which puts the interface on a
   * line of its own among the <devices> children, indented as they are (`indent` is then not read)
   */
  position?: Position;
}

export interface NewInterfaceResult {
  xml: string;
  /** the fresh MAC in the XML */
  mac: string;
  /** with `position`: the edit that inserts the interface there */
  edit?: TextEdit;
}

/** server → client: the inventory status of the active source changed (status bar, SR-IOV view). */
export const InventoryStatusNotification = new NotificationType<InventoryStatus>('libvirtHostdev/inventoryStatus');

export interface ActiveDocumentParams {
  /** the document of the focused editor; null: none of the client's documents has the focus */
  uri: string | null;
}

/**
 * client → server: the focused editor changed. The active source (the status and the SR-IOV view) is
 * then the focused libvirt document's, not the one of the last document checked; a client that never
 * sends this gets the latter.
 */
export const ActiveDocumentNotification = new NotificationType<ActiveDocumentParams>('libvirtHostdev/activeDocument');

/** client → server: read the host (or snapshot file) again; answers the new status. */
export const RefreshInventoryRequest = new RequestType<InventoryParams, InventoryStatus, void>('libvirtHostdev/refreshInventory');

export const GetInventoryRequest = new RequestType<InventoryParams, GetInventoryResult, void>('libvirtHostdev/getInventory');

export interface ReadinessParams extends InventoryParams {
  /** read the host (or the snapshot file) again first, as the Refresh command does */
  refresh?: boolean;
}

export interface ReadinessResult {
  /** the host the checks read (null: no inventory, and no checks) */
  host: string | null;
  /** when that inventory was read (ISO time) */
  takenAt: string | null;
  checks: ReadinessCheck[];
  /** the report as `libvirt-hostdev readiness` words it, each status before its check, with a line saying when the host was read; '' without an inventory */
  text: string;
  /** why there is no fresh inventory (the host unreachable, the snapshot unreadable), when there is none */
  error: string | null;
}

/** "No readiness report: REASON": what the editor and the server command say of an answer without checks. */
export function noReadinessReport(result: ReadinessResult): string {
  return `No readiness report: ${result.error ?? 'no inventory'}`;
}

export interface ExplainCodeParams {
  /** a diagnostic code (pci-octal) */
  code: string;
  /** the document whose project config sets the severity shown (none: the defaults) */
  uri?: string;
}

/**
 * client → server: a diagnostic code explained as `libvirt-hostdev rules CODE` prints it (what it reports,
 * the libvirt functions it follows, a quick fix or not, how to turn it off); null for an unknown code.
 */
export const ExplainCodeRequest = new RequestType<ExplainCodeParams, { text: string } | null, void>('libvirtHostdev/explainCode');

/** client → server: the SR-IOV guide's host checks (steps 1-8) over the inventory of a document's source, or the active one. */
export const ReadinessRequest = new RequestType<ReadinessParams, ReadinessResult, void>('libvirtHostdev/readiness');

/** client → server: `virsh attach-device`/`detach-device --config [--live]` on the host. */
export const AttachDeviceRequest = new RequestType<AttachDeviceParams, AttachDeviceResult, void>('libvirtHostdev/attachDevice');

export interface AttachCheckParams {
  /** the document the device comes from: its settings choose the inventory */
  uri?: string;
  /** device XML exactly as it will be sent to virsh */
  deviceXml: string;
  guest: string;
}

export interface AttachCheckResult {
  /** what the inventory says against this device in this guest, errors first */
  problems: { severity: 'error' | 'warning'; message: string }[];
}

/**
 * client → server: before an attach, the device checked as a device of the guest picked (another guest holding
 * its VF, the guest already having its VF or MAC): the document's diagnostics were made for its own guest.
 */
export const AttachCheckRequest = new RequestType<AttachCheckParams, AttachCheckResult, void>('libvirtHostdev/attachCheck');

/** client → server: a guest's persistent definition on the active host (or the one named), as its next start reads it. */
export const GuestDefinitionRequest = new RequestType<GuestDefinitionParams, GuestDefinitionResult, void>('libvirtHostdev/guestDefinition');

/** server → client: unknown host key. A client that does not answer refuses the key. */
export const ConfirmHostKeyRequest = new RequestType<ConfirmHostKeyParams, HostKeyDecision, void>('libvirtHostdev/confirmHostKey');

/** server → client: passphrase or password. */
export const AskSecretRequest = new RequestType<AskSecretParams, AskSecretResult, void>('libvirtHostdev/askSecret');

/** client → server: the device at `offset` (or the only device) and the document's guest; null: no device there. */
export const DeviceAtRequest = new RequestType<DeviceAtParams, DeviceAtResult | null, void>('libvirtHostdev/deviceAt');

/** client → server: a full `<interface type='hostdev'>` for one VF with a fresh MAC, unique against the
 *  inventory's guests and (when `uri` is given) the document's MACs; null when `address` is not canonical. */
export const NewInterfaceRequest = new RequestType<NewInterfaceParams, NewInterfaceResult | null, void>('libvirtHostdev/newInterface');

export interface TestHostParams {
  /** the host as it would be saved (not yet in the settings) */
  host: { name: string; target: string; connect?: string; identityFile?: string; sysfsRoot?: string };
}

export interface TestHostResult {
  ok: boolean;
  /** "13/14 VFs free, 3 guests" on success; the reason (unreachable, authentication, host key) otherwise */
  message: string;
  /** on failure, its kind when the host said (Add host offers another key only for a refused login) */
  kind?: HostFailureKind;
}

/** client → server: connect to a host and read its inventory once, before it is saved (Add host). */
export const TestHostRequest = new RequestType<TestHostParams, TestHostResult, void>('libvirtHostdev/testHost');

/** client → server: the concrete Host aliases of the user's ~/.ssh/config (Include followed). */
export const SshHostAliasesRequest = new RequestType<Record<string, never>, string[], void>('libvirtHostdev/sshHostAliases');

export interface DocumentAddressesParams {
  uri: string;
}

/** client → server: the canonical host PCI addresses the document already assigns (Insert Interface leaves them out). */
export const DocumentAddressesRequest = new RequestType<DocumentAddressesParams, string[], void>('libvirtHostdev/documentAddresses');
