// Settings of section `libvirtHostdev` → one normalised ServerSettings (vscode-eslint's `from()`
// idea): whatever the client sends (null, partial, wrong types) becomes a complete, typed object.
import { DEFAULT_SETTINGS, SETTING_RANGES, type HostConfig, type ServerSettings } from '../../../shared/settings';

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function nonEmptyString(v: unknown): string | null {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : null;
}

/**
 * A number setting within SETTING_RANGES: the default when absent or not a number, or a timeout
 * below its minimum; a refresh interval of 0 stays "manual" and a short one waits the minimum; past
 * the maximum, the maximum.
 */
function seconds(v: unknown, key: keyof typeof SETTING_RANGES): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) return DEFAULT_SETTINGS[key];
  const { min, max } = SETTING_RANGES[key];
  if (v < min) return key === 'refreshIntervalSeconds' ? (v === 0 ? 0 : min) : DEFAULT_SETTINGS[key];
  return Math.min(v, max);
}

export function normalizeHost(v: unknown): HostConfig | null {
  if (!isObj(v)) return null;
  const name = nonEmptyString(v.name);
  const target = nonEmptyString(v.target);
  if (!name || !target) return null;
  const h: HostConfig = { name, target };
  const connect = nonEmptyString(v.connect);
  if (connect) h.connect = connect;
  const identityFile = nonEmptyString(v.identityFile);
  if (identityFile) h.identityFile = identityFile;
  const sysfsRoot = nonEmptyString(v.sysfsRoot);
  if (sysfsRoot) h.sysfsRoot = sysfsRoot;
  const hostRoot = nonEmptyString(v.hostRoot);
  if (hostRoot) h.hostRoot = hostRoot;
  if (v.transport === 'openssh' || v.transport === 'builtin') h.transport = v.transport;
  return h;
}

export function normalizeSettings(raw: unknown): ServerSettings {
  if (!isObj(raw)) return { ...DEFAULT_SETTINGS, hosts: [], files: [] };
  return {
    inventoryFile: nonEmptyString(raw.inventoryFile),
    hosts: Array.isArray(raw.hosts) ? raw.hosts.map(normalizeHost).filter((h): h is HostConfig => h !== null) : [],
    activeHost: nonEmptyString(raw.activeHost),
    refreshIntervalSeconds: seconds(raw.refreshIntervalSeconds, 'refreshIntervalSeconds'),
    connectTimeoutSeconds: seconds(raw.connectTimeoutSeconds, 'connectTimeoutSeconds'),
    commandTimeoutSeconds: seconds(raw.commandTimeoutSeconds, 'commandTimeoutSeconds'),
    files: Array.isArray(raw.files) ? raw.files.filter((g): g is string => typeof g === 'string' && g.trim() !== '').slice(0, 100) : [],
  };
}

/**
 * Settings sent with workspace/didChangeConfiguration by clients without the configuration
 * capability: either the section itself or an object that contains it under `libvirtHostdev`.
 */
export function sectionFromChange(settings: unknown): unknown {
  return isObj(settings) && isObj(settings.libvirtHostdev) ? settings.libvirtHostdev : settings;
}

const KNOWN_KEYS = new Set(Object.keys(DEFAULT_SETTINGS));

/** Keys of the section this server does not know (a typo, or a setting of another version), to warn about. */
export function unknownSettingKeys(section: unknown): string[] {
  return isObj(section) ? Object.keys(section).filter((k) => !KNOWN_KEYS.has(k)) : [];
}

/** The warning for the unknown keys of a section the client sent in `where`; null when all are known. */
export function unknownSettingsWarning(where: string, section: unknown): string | null {
  const unknown = unknownSettingKeys(section);
  if (unknown.length === 0) return null;
  return `${where}: unknown setting${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `libvirtHostdev.${k}`).join(', ')} (ignored)`;
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
