// Custom LSP messages and the settings object shared by the client and the server.
// No imports from vscode or vscode-languageserver: the client imports this file too, and any
// LSP editor can speak these messages as plain JSON-RPC.

/** One host the user can pick. `target` is `local`, `[user@]host[:port]` or an ~/.ssh/config alias. */
export interface HostConfig {
  name: string;
  target: string;
  /** libvirt URI, default qemu:///system */
  connect?: string;
  identityFile?: string;
  /** read sysfs from this directory instead of /sys (support cases, tests) */
  sysfsRoot?: string;
}

/** The settings of section `libvirtHostdev`, normalised. One object per document (vscode-eslint flow). */
export interface ServerSettings {
  /** offline snapshot; wins over hosts when set */
  inventoryFile: string | null;
  hosts: HostConfig[];
  activeHost: string | null;
  /** 0 = manual refresh only */
  refreshIntervalSeconds: number;
  connectTimeoutSeconds: number;
  commandTimeoutSeconds: number;
}

export const DEFAULT_SETTINGS: ServerSettings = {
  inventoryFile: null,
  hosts: [],
  activeHost: null,
  refreshIntervalSeconds: 0,
  connectTimeoutSeconds: 10,
  commandTimeoutSeconds: 30,
};

/** initializationOptions the server understands (all optional). */
export interface InitializationOptions {
  settings?: Partial<ServerSettings>;
  /** file where host keys the user chose to remember are kept (the client passes its global storage) */
  knownHostsFile?: string;
  /** false in an untrusted workspace: hosts from workspace settings are not contacted, attach is refused */
  trusted?: boolean;
}

export type InventoryState = 'none' | 'loading' | 'ok' | 'stale' | 'unreachable';

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
  /** what the last good refresh could not read (no virsh, libvirt refused, no `ip`), one line each; absent when none */
  warnings?: string[];
}

export const InventoryStatusNotification = 'libvirtHostdev/inventoryStatus';
export const RefreshInventoryRequest = 'libvirtHostdev/refreshInventory';
/** returns GetInventoryResult */
export const GetInventoryRequest = 'libvirtHostdev/getInventory';
export const AttachDeviceRequest = 'libvirtHostdev/attachDevice';
/** server → client: unknown host key; returns HostKeyDecision */
export const ConfirmHostKeyRequest = 'libvirtHostdev/confirmHostKey';
/** server → client: passphrase or password; returns AskSecretResult */
export const AskSecretRequest = 'libvirtHostdev/askSecret';

export interface GetInventoryResult {
  status: InventoryStatus;
  /** the snapshot (libvirt-hostdev-inventory/1) or null */
  inventory: unknown | null;
}

export interface AttachDeviceParams {
  /** device XML exactly as it will be sent to virsh */
  deviceXml: string;
  guest: string;
  /** 'attach' or 'detach' */
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

// ---------------------------------------------------------------------------
// Client commands the server puts into CodeLenses (added by the client work; additive).
// The lens command's arguments are `[DeviceCommandArgs]`; spans are UTF-16 offsets like the service's Span.

/** "Attach to guest…" (no guest: the client asks) and "Attach to <name>" */
export const AttachDeviceCommand = 'libvirtHostdev.attachDevice';
/** "Detach from <name>" */
export const DetachDeviceCommand = 'libvirtHostdev.detachDevice';

export interface DeviceCommandArgs {
  /** document URI as the client sent it */
  uri: string;
  /** the device element's span (LensResult.deviceSpan) */
  deviceSpan: { start: number; end: number };
  /** LensResult.guest, for 'attach'/'detach' on the document's own guest */
  guest?: string;
}

/** client → server: the device at `offset` (or the only device when offset is null): service deviceAt().
 *  Returns DeviceAtResult | null (null: no device there). */
export const DeviceAtRequest = 'libvirtHostdev/deviceAt';

export interface DeviceAtParams {
  uri: string;
  offset: number | null;
}

export interface DeviceAtResult {
  xml: string;
  span: { start: number; end: number };
  /** the guest this document defines (/domain/name), when it is a <domain> with a name */
  guest?: string;
}

/** client → server: a full `<interface type='hostdev'>` for one VF with a fresh MAC, unique against the
 *  inventory's guests and (when `uri` is given) the document's MACs. Returns NewInterfaceResult, or null
 *  when `address` is not a canonical DDDD:BB:SS.F. */
export const NewInterfaceRequest = 'libvirtHostdev/newInterface';

export interface NewInterfaceParams {
  /** the document the interface goes into: its MACs are avoided and its inventory is used;
   *  without it, the active inventory and no document */
  uri?: string;
  /** canonical VF address DDDD:BB:SS.F */
  address: string;
  /** indentation of the lines after the first (the insertion line's), default '' */
  indent?: string;
  /** one level of indentation, default two spaces */
  unit?: string;
}

export interface NewInterfaceResult {
  xml: string;
  /** the fresh MAC in the XML */
  mac: string;
}
