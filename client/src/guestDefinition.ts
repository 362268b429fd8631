// "libvirt: Open Guest Definition from Host…": a guest's persistent definition on the active host, as its
// next start will read it (`virsh dumpxml --inactive`), opened as an unsaved XML document that the
// language server checks like any other: after a reboot or a change of sriov_numvfs, what will fail
// shows where it is. Its Define lens (the server's) sends it back with `virsh define`; saved, it is the file
// `virsh dumpxml web01 > web01.xml` would have made. "libvirt: Define Guest on Host" runs that lens from the
// palette, for the active document.
import * as vscode from 'vscode';
import { ServerCommands, type GuestCommandArgs } from '../../shared/commands';
import { GuestDefinitionRequest } from '../../shared/protocol';
import { quotedName } from '../../shared/quotedName';
import { pickGuest } from './attach';
import type { Ctx } from './ctx';
import { asSnapshot, guestsHolding } from './inventoryView';
import { changeHost } from './attachText';
import * as config from './config';
import { isVfNode } from './vfTree';
import { noInventoryYet, notify, withNotificationProgress } from './notify';

const TITLE = 'Open guest definition from host';

/**
 * Opens the definition of the guest `args` names, of the guest that holds the SR-IOV view's VF `args` (picked
 * when several do), or of one picked from the host's persistent guests; resolves to the document opened.
 */
export async function openGuestDefinition(ctx: Ctx, args?: unknown): Promise<vscode.TextDocument | undefined> {
  let guest = typeof args === 'string' && args !== '' ? args : undefined;
  const { inventory, status } = await ctx.getInventory();
  // read where the guests listed come from (the view and the picker show the active inventory)
  const host = changeHost(status, config.activeHost(vscode.window.activeTextEditor?.document.uri));
  if (guest === undefined) {
    const snapshot = isVfNode(args) ? args.snapshot : asSnapshot(inventory);
    if (!snapshot) return void noInventoryYet('Open Guest Definition');
    const holders = isVfNode(args) ? new Set(guestsHolding(snapshot, args.device.address)) : null;
    // a transient guest has no persistent definition to read
    const guests = snapshot.guests.filter((g) => g.persistent && (holders === null || holders.has(g.name)));
    if (holders !== null && guests.length === 0 && isVfNode(args))
      return void notify('warning', `No guest's persistent definition holds ${args.device.address}.`);
    guest = guests.length === 1 && holders !== null ? guests[0].name : await pickGuest(ctx, { ...snapshot, guests }, undefined, TITLE);
    if (guest === undefined) return undefined;
  }
  const name = guest;
  const result = await withNotificationProgress(`Reading the definition of ${quotedName(name)}…`, async () =>
    (await ctx.languageClient()).sendRequest(GuestDefinitionRequest, { guest: name, ...(host !== null ? { host } : {}) }),
  );
  if (!result.ok) return void notify('error', `The definition of ${quotedName(name)} could not be read: ${result.message}`);
  const document = await vscode.workspace.openTextDocument(untitledFor(name));
  // an untitled name closed without saving a moment ago opens with that edit's backup: what opens is the host's
  if (document.getText() !== result.xml) {
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, new vscode.Range(0, 0, document.lineCount, 0), result.xml);
    await vscode.workspace.applyEdit(edit);
  }
  // XML whatever files.associations makes of *.xml: the server checks it, Save keeps the name
  const xml = document.languageId === 'xml' ? document : await vscode.languages.setTextDocumentLanguage(document, 'xml');
  await vscode.window.showTextDocument(xml, { preview: false });
  return xml;
}

/**
 * An unsaved document titled as `virsh dumpxml NAME > NAME.xml` would name the file (Save offers that
 * name), NAME-2.xml and so on when one of that name is open: an open one may hold the user's edits.
 */
function untitledFor(guest: string): vscode.Uri {
  // a guest's name may hold what no file name can (libvirt refuses only '/')
  const base = guest.replace(/[\\/:*?"<>|\x00-\x1f]/g, '_');
  const open = new Set(vscode.workspace.textDocuments.map((d) => d.uri.toString()));
  for (let n = 1; ; n++) {
    const uri = vscode.Uri.from({ scheme: 'untitled', path: n === 1 ? `${base}.xml` : `${base}-${n}.xml` });
    if (!open.has(uri.toString())) return uri;
  }
}

/**
 * `virsh define` of the active document, as its Define lens runs it: the server's command, which asks its
 * questions itself (errors, devices the host's definition holds and the document lacks) and says why
 * when the document is not one <domain> with a <name>. Resolves to the server's answer.
 */
export async function defineActiveGuest(ctx: Ctx): Promise<unknown> {
  const document = vscode.window.activeTextEditor?.document;
  if (document?.languageId !== 'xml') return void notify('error', 'Define Guest on Host: open the domain XML first.');
  const args: GuestCommandArgs = { uri: (await ctx.languageClient()).code2ProtocolConverter.asUri(document.uri) };
  return vscode.commands.executeCommand(ServerCommands.defineGuest, args);
}
