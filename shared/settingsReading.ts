// Settings of section `libvirtHostdev` as the user wrote them → one normalised ServerSettings (vscode-eslint's
// `from()` idea): whatever arrives (null, partial, wrong types) becomes a complete, typed object, and what
// cannot be used as written is said in a note. The server reads every section with it; the client reads
// its host list with readHosts, so both agree on which hosts exist and why one is left out.
import { quotedName } from './quotedName';
import { DEFAULT_SETTINGS, HOST_CONFIG_KEYS, SETTING_RANGES, type HostConfig, type ServerSettings } from './settings';

export function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A value as the user wrote it, short enough for one log line (one nested deeper than JSON.stringify goes: by kind). */
export function shown(v: unknown): string {
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
export function optionalString(v: unknown, where: string, notes: string[], ignored = 'ignored'): string | null {
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

/** At most this many hosts in libvirtHostdev.hosts: each is read, checked and offered in the host picker. */
const MAX_HOSTS = 1000;

export function readHosts(v: unknown, notes: string[] = []): Pick<ServerSettings, 'hosts' | 'unusableHosts'> {
  if (v === undefined || v === null) return { hosts: [] };
  if (!Array.isArray(v)) {
    notes.push(`libvirtHostdev.hosts: ${shown(v)} is not a list of hosts ([{ "name", "target" }]): ignored`);
    return { hosts: [] };
  }
  const hosts: HostConfig[] = [];
  const unusableHosts: { name: string; problem: string }[] = [];
  if (v.length > MAX_HOSTS) notes.push(`libvirtHostdev.hosts: ${v.length} hosts, only the first ${MAX_HOSTS} are read`);
  v.slice(0, MAX_HOSTS).forEach((entry, i) => {
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

export function readFiles(v: unknown, notes: string[] = []): string[] {
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

/** An entry of a raw host list that names `name` (as readHost reads the name: trimmed). */
function names(entry: unknown, name: string): boolean {
  return isObj(entry) && typeof entry.name === 'string' && entry.name.trim() === name;
}

/**
 * The raw host list `list` (as in the settings file) with `host` in place of the entry named `replaces`
 * (an edit) or of one named like `host`, else added at the end. Every other entry stays as written, an
 * unusable one too (no target yet, a typo in a key): the user is still writing it.
 */
export function hostListWith(list: unknown, host: HostConfig, replaces?: string): unknown[] {
  const entries = Array.isArray(list) ? list : [];
  const at = entries.findIndex((e) => names(e, replaces ?? host.name));
  const result: unknown[] = [];
  entries.forEach((entry, i) => {
    if (i === at) result.push(host);
    else if (!names(entry, host.name) && !(replaces !== undefined && names(entry, replaces))) result.push(entry);
  });
  if (at < 0) result.push(host);
  return result;
}

/** The raw host list `list` without the entries named `name`; every other entry stays as written. */
export function hostListWithout(list: unknown, name: string): unknown[] {
  return (Array.isArray(list) ? list : []).filter((entry) => !names(entry, name));
}
