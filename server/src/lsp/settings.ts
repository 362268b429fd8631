// Settings of section `libvirtHostdev` → one normalised ServerSettings (vscode-eslint's `from()`
// idea): whatever the client sends (null, partial, wrong types) becomes a complete, typed object.
import { quotedName } from '../../../shared/quotedName';
import {
  DEFAULT_SETTINGS,
  HOST_CONFIG_KEYS,
  SETTINGS_SECTION,
  SETTING_RANGES,
  type HostConfig,
  type ServerSettings,
} from '../../../shared/settings';

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A value as the user wrote it, short enough for one log line (one nested deeper than JSON.stringify goes: by kind). */
function shown(v: unknown): string {
  let s: string;
  try {
    s = typeof v === 'number' ? String(v) : (JSON.stringify(v) ?? String(v));
  } catch {
    s = Array.isArray(v) ? '(a list)' : '(an object)';
  }
  return s.length > 60 ? `${s.slice(0, 59)}…` : s;
}

/**
 * A string setting: trimmed, null when absent or blank (a cleared setting). Another type is noted in
 * `notes` as `where …` and read as absent.
 */
function optionalString(v: unknown, where: string, notes: string[], ignored = 'ignored'): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') {
    notes.push(`${where}: ${shown(v)} is not a string: ${ignored}`);
    return null;
  }
  return v.trim() === '' ? null : v.trim();
}

/**
 * A number setting clamped to SETTING_RANGES, every change of what the user wrote noted: the default when
 * absent or not a number; below the minimum the minimum (a refresh interval of 0 stays "manual", and a
 * negative one is manual too), above the maximum the maximum.
 */
function seconds(v: unknown, key: keyof typeof SETTING_RANGES, notes: string[]): number {
  const name = `libvirtHostdev.${key}`;
  const fallback = DEFAULT_SETTINGS[key];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    notes.push(`${name}: ${shown(v)} is not a number: the default ${fallback} is used`);
    return fallback;
  }
  const manual = key === 'refreshIntervalSeconds';
  if (manual && v === 0) return 0;
  const { min, max } = SETTING_RANGES[key];
  if (v < min) {
    const used = manual && v < 0 ? 0 : min;
    notes.push(`${name}: ${shown(v)} is below the minimum ${min}${manual ? ' (0 = manual)' : ''}: ${used} is used`);
    return used;
  }
  if (v > max) {
    notes.push(`${name}: ${shown(v)} is above the maximum ${max}: ${max} is used`);
    return max;
  }
  return v;
}

/** A host entry that cannot be used, with its name when it has one. */
interface UnusableHost {
  name: string | null;
  problem: string;
}

const TARGET_FORMS = 'local, [user@]host[:port] or an ~/.ssh/config alias';

function readHost(v: unknown, where: string, notes: string[]): HostConfig | UnusableHost {
  if (!isObj(v)) return { name: null, problem: `is ${shown(v)}, not a host ({ "name", "target", … })` };
  // any other key is a typo (`identity_file`) that would be dropped unseen
  const unknown = Object.keys(v).filter((k) => !(HOST_CONFIG_KEYS as readonly string[]).includes(k));
  if (unknown.length > 0)
    notes.push(
      `${where}${typeof v.name === 'string' && v.name.trim() ? ` (${quotedName(v.name.trim())})` : ''}: unknown key${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (ignored; a host has ${HOST_CONFIG_KEYS.join(', ')})`,
    );
  const name = optionalString(v.name, `${where}.name`, notes);
  if (!name) return { name: null, problem: 'has no name' };
  const entry = `${where} (${quotedName(name)})`;
  const target = optionalString(v.target, `${entry}.target`, notes);
  if (!target) return { name, problem: `has no target (${TARGET_FORMS})` };
  const h: HostConfig = { name, target };
  for (const key of ['connect', 'identityFile', 'sysfsRoot', 'hostRoot'] as const) {
    const value = optionalString(v[key], `${entry}.${key}`, notes);
    if (value) h[key] = value;
  }
  if (v.transport === 'openssh' || v.transport === 'builtin') h.transport = v.transport;
  else if (v.transport !== undefined && v.transport !== null)
    notes.push(`${entry}.transport: ${shown(v.transport)} is not "builtin" or "openssh": the built-in client is used`);
  return h;
}

function isUsable(h: HostConfig | UnusableHost): h is HostConfig {
  return !('problem' in h);
}

/** One host (a settings entry, or one sent with a custom request); null when it lacks a name or a target. */
export function normalizeHost(v: unknown): HostConfig | null {
  const h = readHost(v, 'host', []);
  return isUsable(h) ? h : null;
}

function readHosts(v: unknown, notes: string[]): Pick<ServerSettings, 'hosts' | 'unusableHosts'> {
  if (v === undefined || v === null) return { hosts: [] };
  if (!Array.isArray(v)) {
    notes.push(`libvirtHostdev.hosts: ${shown(v)} is not a list of hosts ([{ "name", "target" }]): ignored`);
    return { hosts: [] };
  }
  const hosts: HostConfig[] = [];
  const unusableHosts: { name: string; problem: string }[] = [];
  v.forEach((entry, i) => {
    const h = readHost(entry, `libvirtHostdev.hosts[${i}]`, notes);
    if (isUsable(h)) {
      hosts.push(h);
      return;
    }
    notes.push(`libvirtHostdev.hosts[${i}]${h.name ? ` (${quotedName(h.name)})` : ''} ${h.problem}: left out`);
    if (h.name) unusableHosts.push({ name: h.name, problem: h.problem });
  });
  return unusableHosts.length ? { hosts, unusableHosts } : { hosts };
}

/** At most this many globs in libvirtHostdev.files: each is matched against every document's path. */
const MAX_FILE_GLOBS = 100;

function readFiles(v: unknown, notes: string[]): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) {
    notes.push(`libvirtHostdev.files: ${shown(v)} is not a list of globs (["**/templates/*.xml"]): ignored`);
    return [];
  }
  const globs: string[] = [];
  v.forEach((g, i) => {
    if (typeof g === 'string' && g.trim() !== '') globs.push(g);
    else notes.push(`libvirtHostdev.files[${i}]: ${shown(g)} is not a glob: left out`);
  });
  if (globs.length > MAX_FILE_GLOBS) notes.push(`libvirtHostdev.files: ${globs.length} globs, only the first ${MAX_FILE_GLOBS} are used`);
  return globs.slice(0, MAX_FILE_GLOBS);
}

/**
 * The settings of a section as the client sent it. What cannot be used as written (a wrong type, a
 * number out of range, a host without a target) is noted in `notes`, one line each, saying what is
 * used instead.
 */
export function normalizeSettings(raw: unknown, notes: string[] = []): ServerSettings {
  if (!isObj(raw)) return { ...DEFAULT_SETTINGS, hosts: [], files: [] };
  return {
    inventoryFile: optionalString(raw.inventoryFile, 'libvirtHostdev.inventoryFile', notes),
    ...readHosts(raw.hosts, notes),
    activeHost: optionalString(raw.activeHost, 'libvirtHostdev.activeHost', notes),
    refreshIntervalSeconds: seconds(raw.refreshIntervalSeconds, 'refreshIntervalSeconds', notes),
    connectTimeoutSeconds: seconds(raw.connectTimeoutSeconds, 'connectTimeoutSeconds', notes),
    commandTimeoutSeconds: seconds(raw.commandTimeoutSeconds, 'commandTimeoutSeconds', notes),
    files: readFiles(raw.files, notes),
  };
}

/** Why no host called `name` can be used: not listed, or listed with what is wrong with its entry. */
export function missingHostReason(settings: ServerSettings, name: string): string {
  const unusable = settings.unusableHosts?.find((h) => h.name === name);
  return unusable
    ? `${quotedName(name)} is in libvirtHostdev.hosts but ${unusable.problem}`
    : `${quotedName(name)} is not in libvirtHostdev.hosts`;
}

/**
 * Settings sent with workspace/didChangeConfiguration by clients without the configuration
 * capability: either the section itself or an object that contains it under `libvirtHostdev`.
 */
export function sectionFromChange(settings: unknown): unknown {
  // (a section of the wrong type stays what it is, to be warned about as such)
  return isObj(settings) && settings[SETTINGS_SECTION] !== undefined ? settings[SETTINGS_SECTION] : settings;
}

const KNOWN_KEYS = new Set(Object.keys(DEFAULT_SETTINGS));

/** Keys of the section this server does not know (a typo, or a setting of another version), to warn about. */
export function unknownSettingKeys(section: unknown): string[] {
  return isObj(section) ? Object.keys(section).filter((k) => !KNOWN_KEYS.has(k)) : [];
}

/**
 * The warning for a section the client sent in `where` that is not an object of settings, or for its
 * unknown keys; null when all are known.
 */
export function unknownSettingsWarning(where: string, section: unknown): string | null {
  if (section !== undefined && section !== null && !isObj(section))
    return `${where}: ${shown(section)} is not an object of settings ({ "hosts", "activeHost", … }): ignored`;
  const unknown = unknownSettingKeys(section);
  if (unknown.length === 0) return null;
  return `${where}: unknown setting${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `libvirtHostdev.${k}`).join(', ')} (ignored)`;
}

/** initializationOptions' own values (shared/settings.ts InitializationOptions), read. */
export interface InitializationFlags {
  knownHostsFile?: string;
  trusted: boolean;
  hostsFromUser: boolean;
  clientCommands: boolean;
}

/**
 * initializationOptions' own values; one of another type (`trusted: "false"`, as a Lua or JSON config
 * may write it) is noted and read as absent: trusted unless `trusted` is false, the rest off.
 */
export function initializationFlags(init: unknown, notes: string[]): InitializationFlags {
  const options = isObj(init) ? init : {};
  const flag = (key: 'trusted' | 'hostsFromUser' | 'clientCommands', absent: boolean): boolean => {
    const v = options[key];
    if (typeof v === 'boolean') return v;
    if (v !== undefined && v !== null) notes.push(`initializationOptions.${key}: ${shown(v)} is not true or false: ${absent} is used`);
    return absent;
  };
  const knownHostsFile = optionalString(options.knownHostsFile, 'initializationOptions.knownHostsFile', notes);
  return {
    ...(knownHostsFile ? { knownHostsFile } : {}),
    trusted: flag('trusted', true),
    hostsFromUser: flag('hostsFromUser', false),
    clientCommands: flag('clientCommands', false),
  };
}

/** The keys of initializationOptions (shared/settings.ts InitializationOptions) and the section's own name. */
const INITIALIZATION_KEYS = new Set(['settings', 'knownHostsFile', 'trusted', 'hostsFromUser', 'clientCommands', SETTINGS_SECTION]);

/**
 * The settings in initializationOptions and where they were found: under `settings` (flat or keyed by
 * section), or keyed by section at the top (Helix sends its `config` as is). Other keys are noted.
 */
export function initializationSettings(init: unknown, notes: string[]): { where: string; section: unknown } {
  if (!isObj(init)) {
    if (init !== undefined && init !== null)
      notes.push(`initializationOptions: ${shown(init)} is not an object ({ "settings", "knownHostsFile", … }): ignored`);
    return { where: 'initializationOptions', section: undefined };
  }
  const unknown = Object.keys(init).filter((k) => !INITIALIZATION_KEYS.has(k));
  if (unknown.length > 0)
    notes.push(
      `initializationOptions: unknown option${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (ignored; settings go under "settings" or "${SETTINGS_SECTION}")`,
    );
  if (init.settings !== undefined) {
    if (init[SETTINGS_SECTION] !== undefined)
      notes.push(`initializationOptions: both "settings" and "${SETTINGS_SECTION}"; "${SETTINGS_SECTION}" is ignored`);
    return { where: 'initializationOptions.settings', section: sectionFromChange(init.settings) };
  }
  return { where: `initializationOptions.${SETTINGS_SECTION}`, section: init[SETTINGS_SECTION] };
}

/**
 * initializationOptions.settings fill in what the client's configuration does not mention; a key
 * it does send wins, null included (the user cleared inventoryFile after the server started).
 */
export function mergeSettings(defaults: unknown, value: unknown): unknown {
  if (!isObj(value)) return defaults;
  if (!isObj(defaults)) return value;
  const merged: Record<string, unknown> = { ...defaults };
  for (const [k, v] of Object.entries(value)) if (v !== undefined) merged[k] = v;
  return merged;
}
