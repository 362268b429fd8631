// The host commands as workspace/executeCommand (ServerCommands), for editors that have no client of
// ours: a CodeLens or code action in Neovim, Helix, Zed or Emacs runs attach/detach/refresh/insert
// here. Questions go through standard window/showMessageRequest, results through window/showMessage,
// host work is reported as $/progress (the client's workDoneToken, else one the server creates).
import {
  ExecuteCommandRequest,
  type Connection,
  type ExecuteCommandParams,
  type ApplyWorkspaceEditResult,
  type MessageActionItem,
  type Position,
  type TextDocuments,
  type TextEdit,
  type WorkDoneProgressReporter,
  type WorkDoneProgressServerReporter,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { ServerCommands, type DeviceCommandArgs, type GuestCommandArgs, type NetworkCommandArgs } from '../../../shared/commands';
import {
  noReadinessReport,
  type AttachDeviceParams,
  type AttachDeviceResult,
  type InventoryStatus,
  type ReadinessResult,
} from '../../../shared/protocol';
import { quotedName } from '../../../shared/quotedName';
import { isHostdevPool } from '../../../shared/vfUse';
import { ask, tell } from './userMessages';
import {
  activeGuestNote,
  checkDeviceForGuest,
  leftOutMessage,
  type LanguageService,
  type ParsedDocument,
  type Problem,
  type ServiceContext,
} from '../service/index';
import type { DocumentCache } from './documentCache';
import { interfaceInsertion } from './interfaceInsertion';
import { NO_SOURCE_CONFIGURED } from './inventorySources';
import { ATTACH_OFF, GUEST_CHANGES_OFF, NETWORK_CHANGES_OFF } from './hosts';

export interface CommandDeps {
  documents: TextDocuments<TextDocument>;
  /** the server's language service and its parse of each open document (nothing is parsed again here) */
  service: LanguageService;
  cache: DocumentCache;
  /** a document's problems as its diagnostics show them (the project's config applied): what a second yes is asked for */
  problems(doc: TextDocument, context: ServiceContext): Problem[];
  contextFor(uri: string | null): Promise<ServiceContext>;
  attach(params: AttachDeviceParams, uri: string | null): Promise<AttachDeviceResult>;
  /** virsh net-define / net-start / net-autostart on the document's host, then the inventory read again */
  network(params: NetworkRunParams, uri: string | null): Promise<AttachDeviceResult>;
  /** virsh define of a <domain> document on the document's host, then the inventory read again */
  defineGuest(params: { domainXml: string }, uri: string | null): Promise<AttachDeviceResult>;
  /** why a change for document `uri` would not run (no host, an untrusted workspace), or null: checked before anything is asked */
  changeRefusal(uri: string | null, untrusted: string): Promise<string | null>;
  /** reads the host again; resolves with the new status */
  refresh(uri: string | null): Promise<InventoryStatus>;
  /** a diagnostic code explained under the config of document `uri` (null: unknown code) */
  explain(code: string, uri: string | null): string | null;
  /** the host read again, then its readiness checks (readinessRequest.ts) */
  readiness(uri: string | null): Promise<ReadinessResult>;
  /** the client announced workspace.applyEdit: the insert commands can change the document */
  canApplyEdit(): boolean;
  log(what: string, e: unknown): void;
}

/** One network command for the host: the <network> XML (define) and the network's name. */
export interface NetworkRunParams {
  operation: NetworkCommandArgs['operation'];
  network: string;
  networkXml: string;
}

/** What a command answers the client (also shown with window/showMessage). */
export interface CommandResult {
  ok: boolean;
  message: string;
  commandLine?: string;
}

type Reporter = Pick<WorkDoneProgressReporter, 'begin' | 'report' | 'done'>;

const MAX_GUEST_CHOICES = 20;

const NO_APPLY_EDIT =
  'This editor does not take edits from the language server (it did not announce workspace.applyEdit): nothing was inserted';

export function registerExecuteCommands(connection: Connection, deps: CommandDeps): void {
  /** The client's own progress token when it sent one, else a server-created one (when it supports them). */
  async function progressFor(params: ExecuteCommandParams): Promise<Reporter & { close(): void }> {
    if (params.workDoneToken !== undefined) {
      const given: WorkDoneProgressReporter = connection.window.attachWorkDoneProgress(params.workDoneToken);
      return Object.assign(given, { close: () => given.done() });
    }
    const created: WorkDoneProgressServerReporter = await connection.window.createWorkDoneProgress().catch(() => null as never);
    if (!created) return { begin: () => undefined, report: () => undefined, done: () => undefined, close: () => undefined };
    return Object.assign(created, { close: () => created.done() });
  }

  const show = (r: CommandResult): CommandResult => {
    tell(connection, r.ok ? 'information' : 'error', r.message);
    return r;
  };

  // onRequest rather than onExecuteCommand: the latter takes workDoneToken out of params before we can tell
  // a client's token from none.
  connection.onRequest(ExecuteCommandRequest.type, async (params: ExecuteCommandParams) => {
    const arg = (params.arguments?.[0] ?? {}) as Record<string, unknown>;
    // the document whose host (refresh, readiness) or project config (explainCode) a command is about; null: the active one
    const documentUri = typeof arg.uri === 'string' ? arg.uri : null;
    const progress = await progressFor(params);
    try {
      switch (params.command) {
        case ServerCommands.attachDevice:
        case ServerCommands.detachDevice:
          return await attachOrDetach(
            params.command === ServerCommands.detachDevice ? 'detach' : 'attach',
            arg as unknown as DeviceCommandArgs & { live?: boolean },
            progress,
          );
        case ServerCommands.refreshInventory: {
          progress.begin('libvirt-hostdev', undefined, 'reading the host inventory');
          const status = await deps.refresh(documentUri);
          if (status.source === null)
            return show({
              ok: false,
              message: `No inventory to refresh: ${NO_SOURCE_CONFIGURED} (libvirtHostdev.hosts and activeHost, or inventoryFile)`,
            });
          const ok = status.state === 'ok' || status.state === 'none';
          return show({
            ok,
            message: ok
              ? `${status.host ? quotedName(status.host) : 'Inventory'}: ${status.freeVfs}/${status.totalVfs} VFs free`
              : `${status.host ? quotedName(status.host) : 'Inventory'}: ${status.error ?? status.state}`,
          });
        }
        case ServerCommands.explainCode: {
          // `{code}`, or the code alone as a script or :lsp-workspace-command sends it
          const given = params.arguments?.[0];
          const code = typeof given === 'string' ? given : typeof arg.code === 'string' ? arg.code : '';
          if (code === '') return show({ ok: false, message: `${params.command} needs the code to explain: [{ "code": "vf-in-use" }]` });
          const text = deps.explain(code, documentUri);
          return show(text === null ? { ok: false, message: `unknown diagnostic code '${code}'` } : { ok: true, message: text.trimEnd() });
        }
        case ServerCommands.readiness: {
          progress.begin('libvirt-hostdev', undefined, 'reading the host for the readiness checks');
          const result = await deps.readiness(documentUri);
          return show(
            result.checks.length > 0 ? { ok: true, message: result.text.trimEnd() } : { ok: false, message: noReadinessReport(result) },
          );
        }
        case ServerCommands.insertInterface:
          return await insertInterface(arg, progress);
        case ServerCommands.network:
          return await networkCommand(arg as unknown as NetworkCommandArgs, progress);
        case ServerCommands.defineGuest:
          return await defineGuest(arg as unknown as GuestCommandArgs, progress);
        default:
          return show({ ok: false, message: `Unknown command ${params.command}` });
      }
    } catch (e) {
      deps.log(params.command, e);
      return show({ ok: false, message: e instanceof Error ? e.message : String(e) });
    } finally {
      progress.close();
    }
  });

  async function attachOrDetach(
    operation: 'attach' | 'detach',
    arg: DeviceCommandArgs & { live?: boolean },
    progress: Reporter,
  ): Promise<CommandResult> {
    const doc = typeof arg.uri === 'string' ? deps.documents.get(arg.uri) : undefined;
    const start = arg.deviceSpan?.start;
    if (!doc || typeof start !== 'number')
      return show({ ok: false, message: `${operation}: the document is not open or the device is missing` });
    const device = deps.service.deviceAt(deps.cache.parsed(doc), start);
    if (!device) return show({ ok: false, message: `${operation}: no device at that place any more` });
    // no host to run virsh on (an inventory snapshot file alone, none selected): said before any question
    const refusal = await deps.changeRefusal(doc.uri, ATTACH_OFF);
    if (refusal !== null) return show({ ok: false, message: refusal });
    // the device's text and its problems are read once: an edit while a question is open moves them
    const version = doc.version;
    const unchanged = (): boolean => deps.documents.get(doc.uri) === doc && doc.version === version;
    const changed = (): CommandResult =>
      show({ ok: false, message: `${operation}: the document changed while the command waited; run it again` });
    let guest = typeof arg.guest === 'string' && arg.guest !== '' ? arg.guest : undefined;
    progress.begin('libvirt-hostdev', undefined, 'reading the host inventory');
    const context = await deps.contextFor(doc.uri);
    if (guest === undefined) {
      const names = (context.inventory?.guests ?? []).map((g) => g.name).slice(0, MAX_GUEST_CHOICES);
      if (names.length === 0)
        return show({
          ok: false,
          message: `${operation}: no guest known on the host; put the domain's <name> in the document or refresh the inventory`,
        });
      const picked = await ask(
        connection,
        'information',
        `${operation === 'attach' ? 'Attach' : 'Detach'} the device ${operation === 'attach' ? 'to' : 'from'} which guest?`,
        ...names.map((title): MessageActionItem => ({ title })),
      );
      if (!picked) return { ok: false, message: 'cancelled' };
      guest = picked.title;
    }
    if (!unchanged()) return changed();
    // As in the editor: a device with errors, or one the host disagrees with, needs a second yes.
    const inDevice = (p: Problem): boolean => p.span.start >= device.span.start && p.span.end <= device.span.end;
    const errors = deps.problems(doc, context).filter((p) => p.severity === 'error' && inDevice(p));
    if (operation === 'attach') errors.push(...checkDeviceForGuest(device.xml, guest, context).filter((p) => p.severity === 'error'));
    if (errors.length > 0) {
      const go = { title: operation === 'attach' ? 'Attach anyway' : 'Detach anyway' };
      const answer = await ask(connection, 'warning', `The device has ${errors.length} error(s): ${errors[0].message}`, go, {
        title: 'Cancel',
      });
      if (answer?.title !== go.title) return { ok: false, message: 'cancelled' };
      if (!unchanged()) return changed();
    }
    progress.report(`${operation === 'attach' ? 'attaching to' : 'detaching from'} ${quotedName(guest)}`);
    const result = await deps.attach({ deviceXml: device.xml, guest, operation, live: arg.live === true }, doc.uri);
    return show({ ok: result.ok, message: result.message, commandLine: result.commandLine });
  }

  async function networkCommand(arg: NetworkCommandArgs, progress: Reporter): Promise<CommandResult> {
    const doc = typeof arg.uri === 'string' ? deps.documents.get(arg.uri) : undefined;
    const operation = arg.operation;
    if (!doc || (operation !== 'define' && operation !== 'start' && operation !== 'autostart'))
      return show({ ok: false, message: 'network: needs { uri, operation: define|start|autostart } of an open document' });
    const text = doc.getText();
    const named = deps.service.networkDocumentName(deps.cache.parsed(doc));
    if (!named?.name) return show({ ok: false, message: `net-${operation}: the document is not a <network> with a <name>` });
    const refusal = await deps.changeRefusal(doc.uri, NETWORK_CHANGES_OFF);
    if (refusal !== null) return show({ ok: false, message: refusal });
    progress.begin('libvirt-hostdev', undefined, 'reading the host inventory');
    const context = await deps.contextFor(doc.uri);
    if (operation === 'define') {
      // as attach: a document with errors (the host's verdict included) needs a second yes
      if (!(await goOnDespiteErrors('The network', deps.problems(doc, context)))) return { ok: false, message: 'cancelled' };
    }
    progress.report(`net-${operation} ${quotedName(named.name)}`);
    const result = await deps.network({ operation, network: named.name, networkXml: text }, doc.uri);
    return show({ ok: result.ok, message: result.message, commandLine: result.commandLine });
  }

  /**
   * virsh define of a <domain> document. A second yes for a document with errors, and for one that lacks
   * host devices the host's definition of the guest holds (read again first: a VF attached a minute ago
   * counts), which virsh define would drop without a word.
   */
  async function defineGuest(arg: GuestCommandArgs, progress: Reporter): Promise<CommandResult> {
    const doc = typeof arg.uri === 'string' ? deps.documents.get(arg.uri) : undefined;
    if (!doc) return show({ ok: false, message: 'defineGuest: needs { uri } of an open document' });
    const guest = deps.service.guestDocumentName(deps.cache.parsed(doc))?.name;
    if (!guest) return show({ ok: false, message: 'define: the document is not one <domain> with a <name>' });
    const refusal = await deps.changeRefusal(doc.uri, GUEST_CHANGES_OFF);
    if (refusal !== null) return show({ ok: false, message: refusal });
    progress.begin('libvirt-hostdev', undefined, 'reading the host inventory');
    await deps.refresh(doc.uri);
    const context = await deps.contextFor(doc.uri);
    if (!(await goOnDespiteErrors('The domain', deps.problems(doc, context)))) return { ok: false, message: 'cancelled' };
    // the document as it is now: it may have changed while the host was read
    const dropped = deps.service.devicesLeftOut(deps.cache.parsed(doc), guest, context);
    if (dropped.length > 0) {
      const go = { title: 'Redefine anyway' };
      const answer = await ask(connection, 'warning', leftOutMessage(guest, context.inventory!.host, dropped), go, { title: 'Cancel' });
      if (answer?.title !== go.title) return { ok: false, message: 'cancelled' };
    }
    progress.report(`define ${quotedName(guest)}`);
    const result = await deps.defineGuest({ domainXml: doc.getText() }, doc.uri);
    const note = result.ok ? activeGuestNote(guest, context) : null;
    return show({ ok: result.ok, message: note ? `${result.message}. ${note}` : result.message, commandLine: result.commandLine });
  }

  /** Before a define: true when `problems` hold no error, or the user says "Define anyway" to them (`what` has them). */
  async function goOnDespiteErrors(what: string, problems: readonly Problem[]): Promise<boolean> {
    const errors = problems.filter((p) => p.severity === 'error');
    if (errors.length === 0) return true;
    const go = { title: 'Define anyway' };
    const answer = await ask(connection, 'warning', `${what} has ${errors.length} error(s): ${errors[0].message}`, go, { title: 'Cancel' });
    return answer?.title === go.title;
  }

  /** an <interface type='network'> on the pool `network` (libvirt picks the VF at start) */
  async function insertPoolInterface(
    doc: TextDocument,
    position: { line: number; character: number },
    network: string,
    context: ServiceContext,
  ): Promise<CommandResult & { mac?: string }> {
    const pool = context.inventory?.networks.find((n) => n.name === network);
    if (!pool || !isHostdevPool(pool))
      return show({
        ok: false,
        message: `No VF pool ${quotedName(network)} on ${context.inventory ? quotedName(context.inventory.host) : 'the host'}`,
      });
    const made = insertion(doc, position, (parsed, indent) => deps.service.newInterfaceXml(parsed, { network }, context, { indent }));
    if (!made) return show({ ok: false, message: `No interface for pool ${quotedName(network)}` });
    const refused = await applyInsertion('Insert SR-IOV interface from a pool', doc.uri, made);
    if (refused) return show({ ok: false, message: refused });
    return { ok: true, message: `Inserted an interface on pool ${quotedName(network)} with MAC ${made.mac}`, mac: made.mac };
  }

  /** A new interface for a cursor at `position` (interfaceInsertion), built by `make`. */
  function insertion(
    doc: TextDocument,
    position: Position,
    make: (parsed: ParsedDocument, indent: string) => { xml: string; mac: string } | null,
  ): { edit: TextEdit; mac: string } | null {
    const parsed = deps.cache.parsed(doc);
    return interfaceInsertion(deps.service, doc, parsed, position, (indent) => make(parsed, indent));
  }

  /** Applies an insertion through the client: null when it did, else why not, in a sentence. */
  async function applyInsertion(label: string, uri: string, made: { edit: TextEdit }): Promise<string | null> {
    let answer: ApplyWorkspaceEditResult | null;
    try {
      answer = await connection.workspace.applyEdit({ label, edit: { changes: { [uri]: [made.edit] } } });
    } catch (e) {
      return `The editor did not apply the edit: ${e instanceof Error ? e.message : String(e)}`;
    }
    // a client may answer null (no ApplyWorkspaceEditResult) though it announced the capability
    if (!answer?.applied) return `The editor did not apply the edit${answer?.failureReason ? `: ${answer.failureReason}` : ''}`;
    return null;
  }

  async function insertInterface(
    arg: Record<string, unknown>,
    progress: Reporter,
  ): Promise<CommandResult & { address?: string; mac?: string }> {
    const doc = typeof arg.uri === 'string' ? deps.documents.get(arg.uri) : undefined;
    const position = arg.position as { line?: unknown; character?: unknown } | undefined;
    if (!doc || typeof position?.line !== 'number' || typeof position.character !== 'number')
      return show({ ok: false, message: 'insertInterface needs { uri, position } of an open document' });
    if (!deps.canApplyEdit()) return show({ ok: false, message: NO_APPLY_EDIT });
    progress.begin('libvirt-hostdev', undefined, 'reading the host inventory');
    const context = await deps.contextFor(doc.uri);
    if (!context.inventory) return show({ ok: false, message: 'No inventory: select a host or an inventory file first' });
    if (typeof arg.network === 'string')
      return insertPoolInterface(doc, position as { line: number; character: number }, arg.network, context);
    const pick = deps.service.freeVf(context.inventory, typeof arg.pf === 'string' ? arg.pf : undefined);
    if ('error' in pick) return show({ ok: false, message: pick.error });
    const made = insertion(doc, position as Position, (parsed, indent) =>
      deps.service.newInterfaceXml(parsed, pick.vf.address, context, { indent }),
    );
    if (!made) return show({ ok: false, message: `Unreadable VF address ${pick.vf.address}` });
    const refused = await applyInsertion('Insert SR-IOV interface', doc.uri, made);
    if (refused) return show({ ok: false, message: refused });
    return { ok: true, message: `Inserted VF ${pick.vf.address} with MAC ${made.mac}`, address: pick.vf.address, mac: made.mac };
  }
}
