// Command factories `(ctx) => Cmd` (rust-analyzer's main.ts command table). Ids match package.json.
import * as vscode from 'vscode';
import { quotedName } from '../../shared/quotedName';
import { inertIcons } from './inertIcons';
import { noInventoryYet, notify, withNotificationProgress } from './notify';
import { Commands, type CommandId } from '../../shared/commands';
import {
  DocumentAddressesRequest,
  NewInterfaceRequest,
  RefreshInventoryRequest,
  type InventoryStatus,
  type NewInterfaceParams,
  type NewInterfaceResult,
} from '../../shared/protocol';
import { deviceOperation, resolveDevice, type DeviceSource } from './attach';
import type { CommandFactory, Ctx } from './ctx';
import { selectHost } from './hostPicker';
import { freePools, freeVfs, poolPickDescription, type Snapshot } from './inventoryView';
import { isVfNode } from './vfTree';
import { checkReadiness } from './readiness';
import { defineActiveGuest, openGuestDefinition } from './guestDefinition';
import { explainCode } from './explainCode';
import type { ReadOnlyDocuments } from './readOnlyDocuments';

/** The server writes the interface XML for a VF, with a MAC unused on the host (and in the document `uri`). */
async function newInterface(ctx: Ctx, params: NewInterfaceParams): Promise<NewInterfaceResult | null> {
  const result = await (await ctx.languageClient()).sendRequest(NewInterfaceRequest, params);
  if (!result)
    void notify(
      'error',
      params.network !== undefined
        ? `No interface for pool ${quotedName(params.network)}`
        : `Not a PCI address (DDDD:BB:SS.F): ${params.address}`,
    );
  return result;
}

/** From the SR-IOV view (a VF node) a device is built for that VF; otherwise the editor's device. */
async function deviceFor(ctx: Ctx, args: unknown): Promise<DeviceSource | undefined> {
  if (!isVfNode(args)) return resolveDevice(ctx, args);
  const created = await newInterface(ctx, { address: args.device.address });
  return created ? { xml: created.xml } : undefined;
}

type InsertTarget = { address: string } | { network: string };

/**
 * The host's VF pools with a free VF ("from pool X": libvirt picks the VF at start) and its free VFs,
 * without those the document already assigns (they would be an instant pci-duplicate).
 */
async function pickTarget(ctx: Ctx, snapshot: Snapshot, document: vscode.TextDocument): Promise<InsertTarget | undefined> {
  const client = await ctx.languageClient();
  const used = new Set(
    await client.sendRequest(DocumentAddressesRequest, { uri: client.code2ProtocolConverter.asUri(document.uri) }).catch((e: unknown) => {
      ctx.log.warn(`documentAddresses: ${String(e)}`);
      return [] as string[];
    }),
  );
  const free = freeVfs(snapshot).filter((d) => !used.has(d.address.toLowerCase()));
  const scripted = ctx.answers.take('vf', 'Insert SR-IOV Interface');
  if (scripted) return scripted.answer.startsWith('pool:') ? { network: scripted.answer.slice(5) } : { address: scripted.answer };
  const pools = freePools(snapshot);
  if (free.length === 0 && pools.length === 0) {
    void notify('warning', `No free VF on ${quotedName(snapshot.host)}${used.size > 0 ? ' that this document does not already use' : ''}.`);
    return undefined;
  }
  const items: (vscode.QuickPickItem & { target: InsertTarget })[] = [
    ...pools.map((p) => ({
      label: inertIcons(`from pool ${quotedName(p.name)}`),
      description: poolPickDescription(p),
      detail: "<interface type='network'>: libvirt hands out a free VF of the pool when the guest starts",
      target: { network: p.name },
    })),
    ...free.map((d) => ({
      label: d.address,
      description: `VF ${d.vfIndex ?? '?'} of ${d.pf ?? '?'}`,
      detail: d.driver ? inertIcons(d.driver) : undefined,
      target: { address: d.address },
    })),
  ];
  return (await vscode.window.showQuickPick(items, { title: 'Insert SR-IOV Interface: a pool or a free VF' }))?.target;
}

async function insertInterface(ctx: Ctx, args: unknown): Promise<boolean> {
  const editor = vscode.window.activeTextEditor;
  // the view's buttons run it whatever the active editor is (Show Inventory's JSON, the readiness report)
  if (editor?.document.languageId !== 'xml') {
    void notify('error', 'Insert SR-IOV Interface: open the domain XML first.');
    return false;
  }
  const snapshot = await ctx.snapshotOrWarn('Insert SR-IOV Interface');
  if (!snapshot) return false;
  const target = isVfNode(args) ? { address: args.device.address } : await pickTarget(ctx, snapshot, editor.document);
  if (!target) return false;
  const unit = editor.options.insertSpaces === false ? '\t' : ' '.repeat(Number(editor.options.tabSize) || 2);
  const client = await ctx.languageClient();
  const uri = client.code2ProtocolConverter.asUri(editor.document.uri);
  const position = editor.selection.active;
  const indent = /^\s*/.exec(editor.document.lineAt(position.line).text)?.[0] ?? '';
  // the server places it on a line of its own among the <devices> children, as for every editor
  const created = await newInterface(ctx, {
    uri,
    ...target,
    indent,
    unit,
    position: { line: position.line, character: position.character },
  });
  if (!created) return false;
  // a document the server does not hold (not synchronised yet) takes the interface at the cursor
  if (!created.edit) return editor.edit((b) => b.insert(position, created.xml));
  const edit = client.protocol2CodeConverter.asTextEdit(created.edit);
  return editor.edit((b) => b.replace(edit.range, edit.newText));
}

/**
 * The user asked for a fresh read: a failure is said where they look, not only in the view's "(stale)" and a
 * diagnostic on line 1 (a host key that changed is one such failure).
 */
async function refreshInventory(ctx: Ctx): Promise<InventoryStatus> {
  const status = await withNotificationProgress('Refreshing the SR-IOV inventory…', async () =>
    (await ctx.languageClient()).sendRequest(RefreshInventoryRequest, {}),
  );
  if ((status.state === 'stale' || status.state === 'unreachable') && status.error) {
    const what = status.source === 'file' ? 'the inventory snapshot' : status.host ? quotedName(status.host) : 'the host';
    ctx.lastFailure = `Could not refresh ${what}: ${status.error}${status.state === 'stale' ? ' (the last good inventory is kept)' : ''}`;
    void notify('error', ctx.lastFailure, 'Show Output').then((choice) => (choice ? ctx.log.show() : undefined));
  }
  return status;
}

export function createCommands(reports: ReadOnlyDocuments): Record<CommandId, CommandFactory> {
  return {
    [Commands.selectHost]: (ctx) => (hostName?: unknown) => selectHost(ctx, hostName),
    [Commands.refreshInventory]: (ctx) => () => refreshInventory(ctx),
    [Commands.attachDevice]: (ctx) => async (args?: unknown) => deviceOperation(ctx, 'attach', await deviceFor(ctx, args)),
    [Commands.detachDevice]: (ctx) => async (args?: unknown) => deviceOperation(ctx, 'detach', await deviceFor(ctx, args)),
    [Commands.insertInterface]: (ctx) => (args?: unknown) => insertInterface(ctx, args),
    [Commands.showInventory]: (ctx) => async () => {
      const { inventory } = await ctx.getInventory();
      if (!inventory) return noInventoryYet('Show Inventory');
      const document = await vscode.workspace.openTextDocument({ language: 'json', content: `${JSON.stringify(inventory, null, 2)}\n` });
      await vscode.window.showTextDocument(document);
    },
    [Commands.checkReadiness]: (ctx) => () => checkReadiness(ctx, reports),
    [Commands.openGuestDefinition]: (ctx) => (args?: unknown) => openGuestDefinition(ctx, args),
    [Commands.defineGuest]: (ctx) => () => defineActiveGuest(ctx),
    [Commands.explainCode]: (ctx) => (args?: unknown) => explainCode(ctx, reports, args),
    [Commands.showOutput]: (ctx) => () => ctx.log.show(),
    [Commands.copyAddress]: () => async (args?: unknown) => {
      if (isVfNode(args)) await vscode.env.clipboard.writeText(args.device.address);
    },
    [Commands.restartServer]: (ctx) => () => ctx.restart(),
    // for scripts and the end-to-end suite: what the status item shows, the raw status, whether the
    // item is shown for the active editor (libvirt documents only) and that document's kind
    [Commands.getStatus]: (ctx) => () => {
      const editor = vscode.window.activeTextEditor;
      return {
        ...ctx.status.current,
        serverRunning: ctx.serverRunning,
        shownForActiveEditor: !!editor && ctx.status.isShownFor(editor.document.uri),
        activeDocumentKind: ctx.status.activeDocumentKind ?? null,
      };
    },
  };
}
