// Owns the LanguageClient (start/stop/restart), the disposables, the status item and the inventory
// status the server pushes. Commands get this object (rust-analyzer's Ctx) and never a raw client.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, State, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import {
  ActiveDocumentNotification,
  AskSecretRequest,
  ConfirmHostKeyRequest,
  GetInventoryRequest,
  InventoryStatusNotification,
  type GetInventoryResult,
  type InventoryStatus,
} from '../../shared/protocol';
import { Commands } from '../../shared/commands';
import { SETTINGS_SECTION, type InitializationOptions } from '../../shared/settings';
import * as config from './config';
import { confirmHostKey, SecretPrompter } from './prompts';
import { inertIcons } from './inertIcons';
import { StatusItem } from './statusItem';
import { SecretTraceFilter } from './traceRedaction';
import { TestAnswers } from './testAnswers';
import { noInventoryYet, notify, showServerMessages } from './notify';
import { asSnapshot, type Snapshot } from './inventoryView';

export type Cmd = (...args: any[]) => unknown;
export type CommandFactory = (ctx: Ctx) => Cmd;

export class Ctx implements vscode.Disposable {
  readonly log: vscode.LogOutputChannel;
  readonly answers = new TestAnswers();
  readonly status: StatusItem;
  private readonly statusEmitter = new vscode.EventEmitter<InventoryStatus | null>();
  /** fires on every InventoryStatusNotification (and null when the server stops) */
  readonly onDidChangeStatus = this.statusEmitter.event;
  inventoryStatus: InventoryStatus | null = null;
  /** the last attach/detach that failed or was refused, as the toast showed it (for the end-to-end suite) */
  lastFailure: string | null = null;
  private client: LanguageClient | undefined;
  private starting: Promise<void> | undefined;
  private clientDisposables: vscode.Disposable[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  /** set by dispose(): nothing may start a server afterwards (the SR-IOV view reloads on the last status event) */
  private disposed = false;

  /**
   * `statusItemId` must be unique in the extension host: VS Code refuses a second language status item
   * with the same id, so a second context (the life-cycle test runs one beside the extension's own) names its own.
   * `logName` too: log channels of one name are one channel, which the first dispose closes for both.
   */
  constructor(
    readonly extension: vscode.ExtensionContext,
    private readonly commands: Record<string, CommandFactory>,
    statusItemId = 'libvirtHostdev.status',
    logName = 'libvirt Hostdev',
  ) {
    this.log = vscode.window.createOutputChannel(logName, { log: true });
    this.status = new StatusItem(statusItemId, Commands.selectHost);
    extension.subscriptions.push(this);
    this.disposables.push(this.log, this.status, this.statusEmitter);
  }

  async start(): Promise<void> {
    for (const [name, factory] of Object.entries(this.commands)) {
      this.disposables.push(vscode.commands.registerCommand(name, factory(this)));
    }
    // Setting changes reach the server through the LanguageClient's didChangeConfiguration feature
    // (the server registers for section libvirtHostdev and pulls per-document settings again).
    // Trust changes what the server may contact and whether attach is allowed: start over.
    this.disposables.push(vscode.workspace.onDidGrantWorkspaceTrust(() => void this.restart()));
    if (config.workspaceHostsBlocked()) {
      // said once, as "restricted", so a blocked host never looks like a network failure
      this.log.warn(
        "Restricted Mode: this workspace's host settings (hosts, activeHost, inventoryFile) are not used; hosts from your user settings are",
      );
      void notify('information', "libvirt Hostdev: this workspace's hosts are not used in Restricted Mode.", 'Manage Workspace Trust').then(
        (choice) => (choice ? vscode.commands.executeCommand('workbench.trust.manage') : undefined),
      );
    }
    await this.ensureClient();
  }

  /** The running client; commands call this and get a clear error while the server is down. */
  async languageClient(): Promise<LanguageClient> {
    await this.ensureClient();
    if (!this.client?.isRunning()) {
      throw new Error('The libvirt Hostdev language server is not running (see Output → libvirt Hostdev).');
    }
    return this.client;
  }

  /** true once dispose() ran: listeners of the last status event must not use the client or the log */
  get isDisposed(): boolean {
    return this.disposed;
  }

  get serverRunning(): boolean {
    return this.client?.isRunning() ?? false;
  }

  /** Starts the client once; concurrent callers wait for the same start. */
  private ensureClient(): Promise<void> {
    if (this.disposed) return Promise.resolve();
    if (this.client && !this.starting) return Promise.resolve();
    this.starting ??= this.startClient().finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  async getInventory(): Promise<GetInventoryResult> {
    return (await this.languageClient()).sendRequest(GetInventoryRequest, {});
  }

  /** The active inventory as the client reads it, or null after `command` said that none has been read yet. */
  async snapshotOrWarn(command: string): Promise<Snapshot | null> {
    const snapshot = asSnapshot((await this.getInventory()).inventory);
    if (!snapshot) noInventoryYet(command);
    return snapshot;
  }

  async restart(): Promise<void> {
    await this.starting;
    await this.stopClient();
    await this.ensureClient();
  }

  private async startClient(): Promise<void> {
    const module = this.extension.asAbsolutePath(path.join('dist', 'server.js'));
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc },
      debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
    };
    await vscode.workspace.fs.createDirectory(this.extension.globalStorageUri);
    const initializationOptions: InitializationOptions = {
      settings: config.readServerSettings(null),
      knownHostsFile: path.join(this.extension.globalStorageUri.fsPath, 'known_hosts'),
      trusted: vscode.workspace.isTrusted,
      // config.ts hands the server only user-level hosts in Restricted Mode
      hostsFromUser: true,
      clientCommands: true,
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        { language: 'xml', scheme: 'file' },
        { language: 'xml', scheme: 'untitled' },
      ],
      outputChannel: this.log,
      // the trace (libvirtHostdev.trace.server) would otherwise show the answers to AskSecret
      traceOutputChannel: redactingTraceChannel(this.log),
      initializationOptions,
      middleware: {
        // a lens title names guests and networks from the host, and VS Code draws `$(name)` in it as an icon
        provideCodeLenses: async (document, token, next) => {
          const lenses = await next(document, token);
          for (const lens of lenses ?? []) if (lens.command) lens.command.title = inertIcons(lens.command.title);
          return lenses;
        },
        workspace: {
          // the section per document, read with that document as scope (the server reads the values)
          configuration: (params) =>
            params.items.map((item) => {
              if (item.section && item.section !== SETTINGS_SECTION) return null;
              return config.readServerSettings(item.scopeUri ? vscode.Uri.parse(item.scopeUri) : null);
            }),
        },
      },
    };
    const client = new LanguageClient(SETTINGS_SECTION, 'libvirt Hostdev', serverOptions, clientOptions);
    const secrets = new SecretPrompter(this.extension.secrets, this.answers);
    this.clientDisposables = [
      client.onNotification(InventoryStatusNotification, (s) => this.setStatus(s)),
      showServerMessages(client, this.log),
      client.onRequest(ConfirmHostKeyRequest, (p) => confirmHostKey(p, this.answers)),
      client.onRequest(AskSecretRequest, (p) => secrets.ask(p)),
      client.onDidChangeState((e) => {
        // stopped without us (it crashed, and for good once the client stops restarting it): what it read
        // is gone with it, and the view must not go on showing it
        if (e.newState === State.Stopped && this.client === client) this.setStatus(null);
        else this.status.update(this.inventoryStatus, client.isRunning());
      }),
    ];
    this.client = client;
    try {
      await client.start();
    } catch (e) {
      this.log.error(`language server failed to start: ${String(e)}`);
      void notify('error', `libvirt Hostdev: the language server failed to start: ${String(e)}`);
    }
    this.status.update(this.inventoryStatus, client.isRunning());
    if (client.isRunning()) {
      // the status and the SR-IOV view follow the host of the focused libvirt document
      const focus = (editor: vscode.TextEditor | undefined): void => {
        const doc = editor?.document;
        const uri = doc && doc.languageId === 'xml' ? client.code2ProtocolConverter.asUri(doc.uri) : null;
        if (client.isRunning())
          void client.sendNotification(ActiveDocumentNotification, { uri }).catch((e) => this.log.warn(`activeDocument: ${String(e)}`));
      };
      this.clientDisposables.push(vscode.window.onDidChangeActiveTextEditor(focus));
      focus(vscode.window.activeTextEditor);
    }
  }

  private async stopClient(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    for (const d of this.clientDisposables.splice(0)) d.dispose();
    if (client?.isRunning()) await client.stop();
    this.setStatus(null);
  }

  private setStatus(s: InventoryStatus | null): void {
    this.inventoryStatus = s;
    // the SR-IOV view's welcome text (package.json viewsWelcome) follows the state; Restricted Mode that
    // hides the workspace's hosts counts as restricted too
    const stopped = this.client !== undefined && !this.client.isRunning();
    const state = s && s.state !== 'none' ? s.state : stopped ? 'stopped' : config.workspaceHostsBlocked() ? 'restricted' : 'none';
    if (!this.disposed) void vscode.commands.executeCommand('setContext', 'libvirtHostdev.inventoryState', state);
    this.status.update(s, this.client?.isRunning() ?? false);
    this.statusEmitter.fire(s);
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    // a start still in flight would leave a running server behind: let it finish, then stop it
    await this.starting?.catch(() => undefined);
    await this.stopClient();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

/** The output channel for the LSP trace: the same channel, with secrets filtered out of trace lines. */
function redactingTraceChannel(log: vscode.LogOutputChannel): vscode.LogOutputChannel {
  const filter = new SecretTraceFilter();
  return new Proxy(log, {
    get(target, property) {
      if (property === 'trace') return (message: string, ...args: unknown[]) => target.trace(filter.filter(message), ...args);
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
