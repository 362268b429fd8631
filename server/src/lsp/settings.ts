// How the server finds the settings a client sends: the section in a change notification or in
// initializationOptions, unknown keys, initializationOptions' own flags. Reading a section's values is
// shared/settingsReading.ts (the client reads its host list with it too).
import { DEFAULT_SETTINGS, SETTINGS_SECTION } from '../../../shared/settings';
import { isObj, optionalString, shown } from '../../../shared/settingsReading';
import { didYouMeanNote, nearestWord } from '../../../shared/nearestWord';

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
  const named = unknown.map((k) => {
    const near = nearestWord(k, KNOWN_KEYS);
    return `libvirtHostdev.${k}${didYouMeanNote(near === null ? null : `libvirtHostdev.${near}`)}`;
  });
  return `${where}: unknown setting${unknown.length > 1 ? 's' : ''} ${named.join(', ')} (ignored)`;
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
