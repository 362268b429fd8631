// The settings section both sides read: the client from VS Code's configuration, the server from
// workspace/configuration or initializationOptions. Imports nothing, so every layer may use it.

/** The configuration section; setting keys and command ids share this prefix. */
export const SETTINGS_SECTION = 'libvirtHostdev';

/** The libvirt URI when a host names none. */
export const DEFAULT_LIBVIRT_URI = 'qemu:///system';

/** One host the user can pick. `target` is `local`, `[user@]host[:port]` or an ~/.ssh/config alias. */
export interface HostConfig {
  name: string;
  target: string;
  /** libvirt URI, default qemu:///system */
  connect?: string;
  identityFile?: string;
  /** read sysfs from this directory instead of /sys (support cases, tests) */
  sysfsRoot?: string;
  /** a copied host (sys/, etc/, proc/cmdline) read instead of the host's own files, as the CLI's --host-root */
  hostRoot?: string;
  /** how SSH targets are reached: the built-in client (default) or the system `ssh` program */
  transport?: HostTransport;
}

export type HostTransport = 'builtin' | 'openssh';

/** Every key of a host entry; package.json's schema allows no other, and the server warns about any other. */
export const HOST_CONFIG_KEYS: readonly (keyof HostConfig)[] = [
  'name',
  'target',
  'connect',
  'identityFile',
  'sysfsRoot',
  'hostRoot',
  'transport',
];

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
  /** globs of XML files to check whatever their root element (by default only libvirt roots are checked) */
  files: string[];
  /** entries of `hosts` left out, by name, with what is wrong (the server's reading; clients leave it out) */
  unusableHosts?: { name: string; problem: string }[];
}

export const DEFAULT_SETTINGS: ServerSettings = {
  inventoryFile: null,
  hosts: [],
  activeHost: null,
  refreshIntervalSeconds: 0,
  connectTimeoutSeconds: 10,
  commandTimeoutSeconds: 30,
  files: [],
};

/**
 * The range of each number setting (past the maximum the maximum is used). Node's timers take at most
 * 2^31-1 ms and fire after 1 ms beyond that, so a huge timeout or interval would act as a tiny one; a
 * refresh interval under a few seconds would run the host's inventory without pause (0 = manual).
 */
export const SETTING_RANGES = {
  refreshIntervalSeconds: { min: 5, max: 86_400 },
  connectTimeoutSeconds: { min: 1, max: 3_600 },
  commandTimeoutSeconds: { min: 1, max: 3_600 },
} as const;

/**
 * The section as the user wrote it, values of any type: what a client sends (VS Code's client as its
 * configuration holds it) and the server reads with normalizeSettings (settingsReading.ts).
 */
export type SettingsSection = { [K in keyof ServerSettings]?: unknown };

/** initializationOptions the server understands (all optional). */
export interface InitializationOptions {
  settings?: SettingsSection;
  /** file where host keys the user chose to remember are kept (the client passes its global storage) */
  knownHostsFile?: string;
  /** false in an untrusted workspace: hosts from workspace settings are not contacted, attach is refused */
  trusted?: boolean;
  /**
   * true: the hosts in the settings are the user's own (VS Code in Restricted Mode sends only user-level
   * settings, as its trust model treats them as the user's), so they are contacted even when `trusted`
   * is false. Attach stays refused.
   */
  hostsFromUser?: boolean;
  /** true: the client runs the CodeLens commands itself (Commands); otherwise lenses carry ServerCommands */
  clientCommands?: boolean;
}

/** The entry of `hosts` that `activeHost` names; undefined when none is active or no entry has its name. */
export function activeHostConfig(settings: Pick<ServerSettings, 'hosts' | 'activeHost'>): HostConfig | undefined {
  return settings.activeHost === null ? undefined : settings.hosts.find((h) => h.name === settings.activeHost);
}
