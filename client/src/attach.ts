// Attach/detach flow. The client only chooses WHAT (device XML) and WHERE (guest, flags); the server
// runs the attach on the host (one exec: the XML in a temp file the host removes itself, virsh with every argument quoted).
// The document is never modified.
import * as vscode from 'vscode';
import { quotedName } from '../../shared/quotedName';
import { notify, askModal, noInventoryYet, withNotificationProgress } from './notify';
import type { DeviceCommandArgs } from '../../shared/commands';
import {
  AttachCheckRequest,
  AttachDeviceRequest,
  DeviceAtRequest,
  type AttachDeviceParams,
  type AttachDeviceResult,
  type DeviceAtResult,
} from '../../shared/protocol';
import { DIAGNOSTIC_SOURCE, isNotShownMessage } from '../../shared/diagnostics';
import type { Ctx } from './ctx';
import { changeHost, codeText, errorsQuestion, guestPickItems, type ErrorLine, type GuestPickItem } from './attachText';
import { libvirtReason } from '../../shared/virshOutput';
import * as config from './config';
import { asSnapshot, type Snapshot } from './inventoryView';

/** What to send, and where it came from (for the diagnostics check). */
export interface DeviceSource {
  xml: string;
  document?: vscode.TextDocument;
  range?: vscode.Range;
  /** the guest the lens named, or the document's own domain */
  guest?: string;
  /** true when the lens named the guest: no pick */
  guestFixed?: boolean;
}

function isDeviceArgs(a: unknown): a is DeviceCommandArgs {
  const o = a as DeviceCommandArgs | undefined;
  return !!o && typeof o.uri === 'string' && typeof o.deviceSpan?.start === 'number' && typeof o.deviceSpan?.end === 'number';
}

/** The server's deviceAt: the device at `offset` (or the document's only device) and the document's
 *  guest. Null when there is none, or when the server cannot answer (logged). */
async function deviceAt(ctx: Ctx, document: vscode.TextDocument, offset: number | null): Promise<DeviceAtResult | null> {
  try {
    const client = await ctx.languageClient();
    return await client.sendRequest(DeviceAtRequest, { uri: client.code2ProtocolConverter.asUri(document.uri), offset });
  } catch (e) {
    ctx.log.warn(`deviceAt: ${String(e)}`);
    return null;
  }
}

function fromSpan(document: vscode.TextDocument, span: { start: number; end: number }, guest: string | undefined): DeviceSource {
  const range = new vscode.Range(document.positionAt(span.start), document.positionAt(span.end));
  return { xml: document.getText(range), document, range, guest };
}

/** Lens args, else the selection, else the device at the cursor (or the document's only device): the server's deviceAt. */
export async function resolveDevice(ctx: Ctx, args: unknown): Promise<DeviceSource | undefined> {
  if (isDeviceArgs(args)) {
    const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(args.uri));
    if (args.guest) return { ...fromSpan(document, args.deviceSpan, args.guest), guestFixed: true };
    // "Attach to guest…": the pick offers the document's own guest first
    return fromSpan(document, args.deviceSpan, (await deviceAt(ctx, document, args.deviceSpan.start))?.guest);
  }
  const editor = vscode.window.activeTextEditor;
  if (!editor) return undefined;
  const document = editor.document;
  if (!editor.selection.isEmpty) {
    // the selected text as it is; deviceAt at its first non-blank character names the document's guest
    const xml = document.getText(editor.selection);
    const offset = document.offsetAt(editor.selection.start) + (xml.length - xml.trimStart().length);
    return { xml, document, range: editor.selection, guest: (await deviceAt(ctx, document, offset))?.guest };
  }
  const found = await deviceAt(ctx, document, document.offsetAt(editor.selection.active));
  return found ? fromSpan(document, found.span, found.guest) : undefined;
}

/**
 * Our error diagnostics inside the device's range (all of them when the range is unknown). When the
 * document has more problems than the server sends the editor, the device's errors may be among those
 * not shown: the line that says so stands for them.
 */
function errorsIn(source: DeviceSource): vscode.Diagnostic[] {
  if (!source.document) return [];
  const ours = vscode.languages.getDiagnostics(source.document.uri).filter((d) => d.source === DIAGNOSTIC_SOURCE);
  const errors = ours.filter(
    (d) => d.severity === vscode.DiagnosticSeverity.Error && (!source.range || !!source.range.intersection(d.range)),
  );
  if (errors.length > 0) return errors;
  const notShown = ours.find((d) => isNotShownMessage(d.message));
  return notShown ? [notShown] : [];
}

/** What the server's inventory says against the device in `guest` (attachCheck); none when it cannot answer (logged). */
async function guestProblems(ctx: Ctx, source: DeviceSource, guest: string): Promise<ErrorLine[]> {
  try {
    const client = await ctx.languageClient();
    const uri = source.document ? client.code2ProtocolConverter.asUri(source.document.uri) : undefined;
    return (await client.sendRequest(AttachCheckRequest, { uri, deviceXml: source.xml, guest })).problems;
  } catch (e) {
    ctx.log.warn(`attachCheck: ${String(e)}`);
    return [];
  }
}

async function confirmDespiteErrors(ctx: Ctx, errors: readonly ErrorLine[]): Promise<boolean> {
  const { message, detail } = errorsQuestion('Attach', errors);
  const scripted = ctx.answers.take('attachAnyway', message, detail);
  if (scripted) return scripted.answer;
  // The safe choice comes first: the first button is the dialog's default (Enter). It is not marked
  // isCloseAffordance, which would move it to the cancel slot and make "Attach Anyway" the default.
  const dont: vscode.MessageItem = { title: "Don't Attach" };
  const anyway: vscode.MessageItem = { title: 'Attach Anyway' };
  return (await askModal('warning', message, detail, dont, anyway)) === anyway;
}

/** A guest of `snapshot` picked by the user (`preselect` first and chosen), or the scripted answer; undefined: none. */
export async function pickGuest(ctx: Ctx, snapshot: Snapshot, preselect: string | undefined, title: string): Promise<string | undefined> {
  const scripted = ctx.answers.take('guest', title);
  if (scripted) return scripted.answer ?? undefined;
  const items = guestPickItems(snapshot.guests, preselect);
  const pick = vscode.window.createQuickPick<GuestPickItem>();
  pick.title = title;
  pick.placeholder = 'Guest (libvirt domain)';
  pick.items = items;
  // an empty activeItems would leave no row focused, and Enter would close the picker with nothing chosen
  const preselected = items.filter((i) => i.guest === preselect);
  if (preselected.length > 0) pick.activeItems = preselected;
  pick.show();
  const chosen = await new Promise<string | undefined>((resolve) => {
    pick.onDidAccept(() => resolve(pick.selectedItems[0]?.guest ?? pick.activeItems[0]?.guest));
    pick.onDidHide(() => resolve(undefined));
  });
  pick.dispose();
  return chosen;
}

async function pickLive(ctx: Ctx, guest: string, operation: string): Promise<boolean | undefined> {
  const title = `${quotedName(guest)} is running: ${operation} how?`;
  const scripted = ctx.answers.take('live', title);
  if (scripted) return scripted.answer;
  const items = [
    { label: '--config', description: 'persistent definition only; takes effect at the next boot', live: false },
    { label: '--config --live', description: 'persistent definition and the running guest', live: true },
  ];
  return (await vscode.window.showQuickPick(items, { title }))?.live;
}

/** The whole flow; returns libvirt's result, or undefined when cancelled or refused. */
export async function deviceOperation(
  ctx: Ctx,
  operation: AttachDeviceParams['operation'],
  source: DeviceSource | undefined,
): Promise<AttachDeviceResult | undefined> {
  const verb = operation === 'attach' ? 'Attach' : 'Detach';
  if (!vscode.workspace.isTrusted) {
    ctx.lastFailure = `${verb} is disabled in Restricted Mode: trust this workspace to run virsh on a host.`;
    void notify('error', ctx.lastFailure);
    return undefined;
  }
  if (!source) {
    void notify('error', `${verb}: put the cursor in an <interface type='hostdev'> or <hostdev> element, or select the device XML.`);
    return undefined;
  }
  // the host and its guests first: no question about the device while nothing could be done with it
  const { inventory, status } = await ctx.getInventory();
  const snapshot = asSnapshot(inventory);
  if (!snapshot) {
    noInventoryYet(verb, 'so no guests to choose from');
    return undefined;
  }
  const host = changeHost(status, config.activeHost(source.document?.uri));
  if (host === null) {
    void notify('error', `${verb}: no host to run virsh on: the guests come from an inventory snapshot file. Select a host first.`);
    return undefined;
  }
  const guest = source.guestFixed
    ? source.guest
    : await pickGuest(ctx, snapshot, source.guest, `${verb} device ${operation === 'attach' ? 'to' : 'from'} guest`);
  if (!guest) return undefined;
  if (operation === 'attach') {
    // the document's errors, and what the host says of the device in the guest picked: the editor's
    // diagnostics were made for the document's own guest (another guest may already have the VF)
    const inDocument = errorsIn(source);
    const problems: ErrorLine[] = [
      ...inDocument.map((d) => ({ line: d.range.start.line + 1, message: d.message })),
      ...(await guestProblems(ctx, source, guest)),
    ];
    if (problems.length > 0 && !(await confirmDespiteErrors(ctx, problems))) {
      const codes = inDocument.map((d) => codeText(d.code));
      ctx.log.info(`${operation} refused: the device has problems${codes.length ? ` (${codes.join(', ')})` : ''} in ${quotedName(guest)}`);
      return undefined;
    }
  }
  const state = snapshot.guests.find((g) => g.name === guest)?.state;
  const live = state === 'running' ? await pickLive(ctx, guest, operation) : false;
  if (live === undefined) return undefined;
  const params: AttachDeviceParams = { deviceXml: source.xml, guest, operation, live, host };
  const client = await ctx.languageClient();
  const result = await withNotificationProgress(
    `${verb}ing device ${operation === 'attach' ? 'to' : 'from'} ${quotedName(guest)} on ${quotedName(host)}…`,
    async () => {
      const r = await client.sendRequest(AttachDeviceRequest, params);
      if (r.ok) ctx.log.info(`${r.commandLine} → ok: ${r.message.trim()}`);
      else ctx.log.error(`${r.commandLine} → failed: ${r.message.trim()}`);
      return r;
    },
  );
  if (result.ok) {
    void notify('information', `${quotedName(guest)} on ${quotedName(host)}: ${result.message.trim() || `${verb}ed.`}`);
  } else {
    // libvirt's reason first: a narrow toast must still show it
    const reason = libvirtReason(result.message) || 'no message from virsh';
    ctx.lastFailure = `${reason} (${verb.toLowerCase()} ${operation === 'attach' ? 'to' : 'from'} ${quotedName(guest)} on ${quotedName(host)} failed)`;
    void notify('error', ctx.lastFailure, 'Show Output').then((choice) => (choice ? ctx.log.show() : undefined));
  }
  return result;
}
