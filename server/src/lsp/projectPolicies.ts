// The project's config file (.libvirt-hostdev.json) in the editor: the codes it disables and the
// severities it sets apply to a document's diagnostics, its quick fixes and the errors attach and
// define ask a second yes for, as `libvirt-hostdev check` applies them to its report, so the editor
// shows what a CI gate on the same files fails on. A document that is not a file (untitled) has no
// config. A bad config file is named once (until a watched config changes) and the documents under it
// are checked without it, as if it were not there: the editor keeps working where `check` exits 2.
import { DidChangeWatchedFilesNotification, type Connection, type TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { isDiagnosticCode, type Problem } from '../service/index';
import { CONFIG_FILE_NAME, ConfigError, ConfigFinder, type ProjectConfig } from '../project/projectConfig';
import { ruleExplanation, ruleReport } from '../project/ruleExplanation';
import { policyOf, SERVICE_CODES } from '../project/projectPolicy';
import type { LeveledLog } from '../inventory/hostProvider';
import { pathOf } from './convert';
import { tell } from './userMessages';

/** what a client watches for the server (workspace/didChangeWatchedFiles) */
const CONFIG_FILE_GLOB = `**/${CONFIG_FILE_NAME}`;

export interface PolicyDeps {
  output: LeveledLog;
  log: (what: string, e: unknown) => void;
  /** the connection is closing: nothing is sent */
  stopped: () => boolean;
  /** the client watches files the server registers (read at initialize) */
  watchedFiles: () => boolean;
  /** checks every open document again */
  revalidate: () => void;
}

export class ProjectPolicies {
  private finder = new ConfigFinder(SERVICE_CODES);
  /** the bad config files' errors already shown since the configs were last read */
  private readonly shown = new Set<string>();

  constructor(
    private readonly connection: Connection,
    documents: TextDocuments<TextDocument>,
    private readonly deps: PolicyDeps,
  ) {
    // A changed config applies at once where the client watches files for the server (in VS Code, the
    // files of the workspace's folders); elsewhere (other clients, a config above the folders) from the
    // next document opened, which reads the configs again.
    connection.onDidChangeWatchedFiles((params) => {
      if (!params.changes.some((c) => c.uri.endsWith(`/${CONFIG_FILE_NAME}`))) return;
      this.changed();
      deps.revalidate();
    });
    documents.onDidOpen(() => {
      this.finder = new ConfigFinder(SERVICE_CODES);
    });
  }

  /** Asks the client to watch the config files (once initialized). */
  watch(): void {
    if (!this.deps.watchedFiles()) return;
    void this.connection.client
      .register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: CONFIG_FILE_GLOB }] })
      .catch((e) => this.deps.log('watch config files', e));
  }

  /** The problems of document `uri` as its project's config has them: severities overridden, disabled codes left out. */
  apply(uri: string, problems: Problem[]): Problem[] {
    return policyOf(this.configOf(uri))(problems);
  }

  /** `code` explained under the config of document `uri` (or none); null for a code the service does not have. */
  explain(code: string, uri: string | null): string | null {
    if (!isDiagnosticCode(code)) return null;
    return ruleExplanation(ruleReport(code, uri === null ? null : this.configOf(uri)));
  }

  /**
   * The config of document `uri`: none for a document that is not a file, nor under a bad config, which
   * is named (once) and left out, as if it were not there.
   */
  private configOf(uri: string): ProjectConfig | null {
    if (!uri.startsWith('file:')) return null;
    try {
      return this.finder.forFile(pathOf(uri));
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      this.badConfig(e.message);
      return null;
    }
  }

  /** A config file changed, appeared or went away: each is read again when next needed, and named again if bad. */
  private changed(): void {
    this.finder = new ConfigFinder(SERVICE_CODES);
    this.shown.clear();
  }

  private badConfig(message: string): void {
    if (this.shown.has(message)) return;
    this.shown.add(message);
    this.deps.output.warn(message);
    if (!this.deps.stopped())
      tell(this.connection, 'warning', `libvirt-hostdev: ${message}. Documents under it are checked without it until it is fixed.`);
  }
}
