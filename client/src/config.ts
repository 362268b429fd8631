// The ONLY caller of workspace.getConfiguration (rust-analyzer's config.ts idea): typed getters,
// the per-document settings section the server pulls (vscode-eslint flow), and workspace-trust filtering.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { SETTINGS_SECTION, type HostConfig, type SettingsSection } from '../../shared/settings';
import { hostListWith, hostListWithout, optionalString, readFiles, readHosts } from '../../shared/settingsReading';
import { readBoundedFileSync } from '../../shared/boundedFile';

/** Settings an untrusted workspace may not set: they make us contact a host or read a file it names
 *  (the same list as capabilities.untrustedWorkspaces.restrictedConfigurations in package.json). */
export const RESTRICTED_KEYS = ['hosts', 'activeHost', 'inventoryFile'] as const;
type RestrictedKey = (typeof RESTRICTED_KEYS)[number];

/** Without a scope, null: "any resource". Our settings are resource-scoped, and VS Code logs a warning
 *  for every read of one without a scope (undefined), several per inventory refresh. */
function section(scope?: vscode.ConfigurationScope | null): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(SETTINGS_SECTION, scope ?? null);
}

/**
 * Value of a restricted key. In Restricted Mode only the user's own (global) value counts: a cloned
 * repository must not be able to point us at a host or make us read a file of its choosing.
 * `.get<T>(key)!` would hide a missing default, so every getter states its fallback.
 */
function restricted<T>(key: RestrictedKey, fallback: T, scope?: vscode.ConfigurationScope | null): T {
  const cfg = section(scope);
  if (vscode.workspace.isTrusted) return cfg.get<T>(key) ?? fallback;
  const inspected = cfg.inspect<T>(key);
  return inspected?.globalValue ?? inspected?.defaultValue ?? fallback;
}

/** The usable hosts, read as the server reads them (an entry without a name or target is left out). */
export function hosts(scope?: vscode.ConfigurationScope | null): HostConfig[] {
  return readHosts(restricted<unknown>('hosts', [], scope)).hosts;
}

/** The active host's name as the server reads it (trimmed; blank or not a string: none). */
export function activeHost(scope?: vscode.ConfigurationScope | null): string | null {
  return optionalString(restricted<unknown>('activeHost', null, scope), 'libvirtHostdev.activeHost', []);
}

/** The snapshot file as the server reads it (trimmed; blank or not a string: none). */
export function inventoryFile(scope?: vscode.ConfigurationScope | null): string | null {
  return optionalString(restricted<unknown>('inventoryFile', null, scope), 'libvirtHostdev.inventoryFile', []);
}

/** User globs of XML files to check whatever their root element (libvirtHostdev.files). */
export function files(scope?: vscode.ConfigurationScope | null): string[] {
  return readFiles(section(scope).get<unknown>('files'));
}

/**
 * The section as the user wrote it, each restricted key as Restricted Mode allows it: what the server
 * receives for `workspace/configuration`. The server reads it (shared/settingsReading.ts) and says in
 * its log what cannot be used as written (a host without a target, a timeout that is no number).
 */
export function readServerSettings(scope?: vscode.ConfigurationScope | null): SettingsSection {
  const cfg = section(scope);
  return {
    inventoryFile: restricted<unknown>('inventoryFile', null, scope),
    hosts: restricted<unknown>('hosts', [], scope),
    activeHost: restricted<unknown>('activeHost', null, scope),
    refreshIntervalSeconds: cfg.get<unknown>('refreshIntervalSeconds'),
    connectTimeoutSeconds: cfg.get<unknown>('connectTimeoutSeconds'),
    commandTimeoutSeconds: cfg.get<unknown>('commandTimeoutSeconds'),
    files: cfg.get<unknown>('files'),
  };
}

/** Where a key's effective value comes from, so a write lands on the same level (workspace or user). */
export function targetOf(key: RestrictedKey): vscode.ConfigurationTarget {
  const inspected = section().inspect(key);
  if (vscode.workspace.isTrusted && inspected?.workspaceValue !== undefined) return vscode.ConfigurationTarget.Workspace;
  return vscode.ConfigurationTarget.Global;
}

/** True in Restricted Mode when this workspace sets hosts, activeHost or inventoryFile: they are not used. */
export function workspaceHostsBlocked(): boolean {
  if (vscode.workspace.isTrusted) return false;
  const cfg = section();
  const inspected = RESTRICTED_KEYS.some((key) => {
    const i = cfg.inspect(key);
    return i?.workspaceValue !== undefined || i?.workspaceFolderValue !== undefined;
  });
  // VS Code hides restricted settings of an untrusted workspace from inspect() too: read the files
  return (
    inspected ||
    workspaceSettingsFiles().some((file) => {
      try {
        // a repository's settings file may be a FIFO or huge: its first MiB, never blocking
        const text = readBoundedFileSync(file, 1024 * 1024, { prefix: true }).toString('utf8');
        return /"libvirtHostdev\.(hosts|activeHost|inventoryFile)"/.test(text);
      } catch {
        return false;
      }
    })
  );
}

function workspaceSettingsFiles(): string[] {
  const files = (vscode.workspace.workspaceFolders ?? [])
    .filter((f) => f.uri.scheme === 'file')
    .map((f) => path.join(f.uri.fsPath, '.vscode', 'settings.json'));
  const workspaceFile = vscode.workspace.workspaceFile;
  if (workspaceFile?.scheme === 'file') files.push(workspaceFile.fsPath);
  return files;
}

/** Hosts defined in workspace settings (trusted workspaces only); used to write activeHost next to them. */
export function hostDefinedInWorkspace(name: string): boolean {
  if (!vscode.workspace.isTrusted) return false;
  return readHosts(section().inspect('hosts')?.workspaceValue).hosts.some((h) => h.name === name);
}

export async function setActiveHost(name: string | null): Promise<void> {
  const target = name && hostDefinedInWorkspace(name) ? vscode.ConfigurationTarget.Workspace : targetOf('activeHost');
  await section().update('activeHost', name, target);
  // A snapshot file wins over hosts; choosing a host means the user wants the live host now.
  const file = section().inspect<string | null>('inventoryFile');
  if (file?.globalValue) await section().update('inventoryFile', null, vscode.ConfigurationTarget.Global);
  if (vscode.workspace.isTrusted && file?.workspaceValue) {
    await section().update('inventoryFile', null, vscode.ConfigurationTarget.Workspace);
  }
}

export async function setInventoryFile(file: string): Promise<void> {
  await section().update('inventoryFile', file, targetOf('inventoryFile'));
}

/** Hosts of the user's own settings (the ones Add/Edit/Remove host change). */
export function userHosts(): HostConfig[] {
  return readHosts(section().inspect('hosts')?.globalValue).hosts;
}

/**
 * Puts a host in the user's settings (never in a workspace: a repository should not get our hosts),
 * in place of the host named `replaces` (an edit) or of one with the same name.
 */
export async function addUserHost(host: HostConfig, replaces?: string): Promise<void> {
  const list = hostListWith(section().inspect('hosts')?.globalValue, host, replaces);
  await section().update('hosts', list, vscode.ConfigurationTarget.Global);
  if (replaces && replaces !== host.name && activeHost() === replaces) await setActiveHost(host.name);
}

export async function removeUserHost(name: string): Promise<void> {
  await section().update('hosts', hostListWithout(section().inspect('hosts')?.globalValue, name), vscode.ConfigurationTarget.Global);
  if (activeHost() === name) await setActiveHost(null);
}
