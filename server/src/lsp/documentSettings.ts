// The settings each document is checked with (the vscode-eslint way): asked of the client once per
// document (workspace/configuration) and cached until the configuration changes or the document
// closes. A client that cannot be asked gives one set for all: initializationOptions, then what
// workspace/didChangeConfiguration sends.
import { DidChangeConfigurationNotification, type ClientCapabilities, type Connection } from 'vscode-languageserver/node';
import { SETTINGS_SECTION, type ServerSettings } from '../../../shared/settings';
import type { LeveledLog } from '../inventory/hostProvider';
import {
  initializationFlags,
  initializationSettings,
  mergeSettings,
  sectionFromChange,
  unknownSettingsWarning,
  type InitializationFlags,
} from './settings';
import { normalizeSettings } from '../../../shared/settingsReading';
import { tell } from './userMessages';

const MAX_REMEMBERED_WARNINGS = 256;

export class DocumentSettings {
  private readonly perDocument = new Map<string, Promise<ServerSettings>>();
  private askClient = false;
  private dynamicRegistration = false;
  /** the section sent in initializationOptions: the defaults under what the client answers */
  private initial: unknown = undefined;
  private global: ServerSettings = normalizeSettings(undefined);
  /** warnings already logged: every document's configuration answer repeats the same keys */
  private readonly warned = new Set<string>();
  /**
   * the warnings are also shown (window/showMessage): an editor without our client keeps the log where a
   * user does not look (Neovim's lsp.log; eglot drops it), and a misspelt setting only makes the checks quieter.
   * VS Code marks an unknown setting in settings.json itself
   */
  private showWarnings = false;

  constructor(
    private readonly connection: Connection,
    private readonly output: LeveledLog,
    private readonly log: (what: string, e: unknown) => void,
    /** whether a document is open: only an open document's settings are kept (its close forgets them) */
    private readonly isOpen: (uri: string) => boolean,
  ) {}

  /** At initialize: what the client can do, and the settings in its initializationOptions; returns its other options. */
  initialize(capabilities: ClientCapabilities, initializationOptions: unknown): InitializationFlags {
    this.askClient = !!capabilities.workspace?.configuration;
    this.dynamicRegistration = !!capabilities.workspace?.didChangeConfiguration?.dynamicRegistration;
    const notes: string[] = [];
    const { where, section } = initializationSettings(initializationOptions, notes);
    const flags = initializationFlags(initializationOptions, notes);
    this.showWarnings = !flags.clientCommands;
    this.initial = section;
    for (const note of notes) this.warnOnce(note);
    this.warnUnknown(where, this.initial);
    this.global = this.normalize(this.initial);
    return flags;
  }

  /** At initialized: ask to be told of changes to our section, where the client registers dynamically. */
  watch(): void {
    if (!this.askClient || !this.dynamicRegistration) return;
    void this.connection.client
      .register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION })
      .catch((e) => this.log('register', e));
  }

  /** The settings of one document (null: the window's). */
  get(uri: string | null): Promise<ServerSettings> {
    if (!this.askClient) return Promise.resolve(this.global);
    const key = uri ?? '';
    let result = this.perDocument.get(key);
    if (!result) {
      result = this.connection.workspace
        .getConfiguration(uri ? { scopeUri: uri, section: SETTINGS_SECTION } : { section: SETTINGS_SECTION })
        .then(
          (value: unknown) => {
            this.warnUnknown('workspace/configuration', value);
            return this.normalize(mergeSettings(this.initial, value));
          },
          (e: unknown) => {
            this.log('workspace/configuration', e);
            return this.global;
          },
        );
      if (uri === null || this.isOpen(uri)) this.perDocument.set(key, result);
    }
    return result;
  }

  /** workspace/didChangeConfiguration: ask again, or take what it sends from a client that cannot be asked. */
  changed(sent: unknown): void {
    if (this.askClient) {
      this.perDocument.clear();
      return;
    }
    const section = sectionFromChange(sent);
    this.warnUnknown('workspace/didChangeConfiguration', section);
    this.global = this.normalize(mergeSettings(this.initial, section));
  }

  forget(uri: string): void {
    this.perDocument.delete(uri);
  }

  /** The settings of a section, with a warning for each value that cannot be used as written. */
  private normalize(section: unknown): ServerSettings {
    const notes: string[] = [];
    const settings = normalizeSettings(section, notes);
    for (const note of notes) this.warnOnce(note);
    return settings;
  }

  private warnUnknown(where: string, section: unknown): void {
    this.warnOnce(unknownSettingsWarning(where, section));
  }

  /** Logs (and shows) `warning` unless it was logged before (a bounded memory: past it, warnings repeat rather than grow it). */
  private warnOnce(warning: string | null): void {
    if (!warning || this.warned.has(warning)) return;
    if (this.warned.size < MAX_REMEMBERED_WARNINGS) this.warned.add(warning);
    this.output.warn(warning);
    if (this.showWarnings) tell(this.connection, 'warning', `libvirt-hostdev settings: ${warning}`);
  }
}
