// Entry point of the VS Code extension: everything lives in Ctx (client, status, prompts) and the
// command table; this file only wires them together.
import * as vscode from 'vscode';
import type { GetInventoryResult } from '../../shared/protocol';
import { createCommands } from './commands';
import { Ctx } from './ctx';
import type { TestAnswers } from './testAnswers';
import { VfTreeProvider } from './vfTree';
import { notify } from './notify';
import { REPORT_SCHEME, ReadOnlyDocuments } from './readOnlyDocuments';

/** What activate() returns. `testing` exists only when VS Code runs extension tests (ExtensionMode.Test). */
export interface ExtensionApi {
  testing?: {
    /** scripted answers for modal prompts and quick picks (see client/src/testAnswers.ts) */
    answers: TestAnswers;
    /** the SR-IOV view's data, for asserting what the tree shows */
    vfTree: VfTreeProvider;
    /** the server's current inventory (GetInventoryRequest) */
    inventory: () => Promise<GetInventoryResult>;
    /** stops the language server through its client, as a crash the client gives up restarting does */
    stopServer: () => Promise<void>;
    /** the last attach or detach that failed or was refused, as its toast said it (null: none yet) */
    lastFailure: () => string | null;
  };
}

let ctx: Ctx | undefined;

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const reports = new ReadOnlyDocuments();
  ctx = new Ctx(context, createCommands(reports));
  const tree = new VfTreeProvider(ctx);
  context.subscriptions.push(
    tree,
    vscode.window.registerTreeDataProvider('libvirtHostdev.vfs', tree),
    reports,
    vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, reports),
  );
  // not awaited: commands are registered at once; the server may take a moment (or fail, see Output)
  const started = ctx;
  void started.start().then(
    () => tree.reload(),
    (e: unknown) => {
      // e.g. the global storage folder cannot be created: say so instead of an unhandled rejection
      started.log.error(`start failed: ${String(e)}`);
      void notify('error', `libvirt Hostdev could not start: ${String(e)}`);
    },
  );
  return context.extensionMode === vscode.ExtensionMode.Test
    ? {
        testing: {
          answers: ctx.answers,
          vfTree: tree,
          inventory: () => ctx!.getInventory(),
          stopServer: async () => (await ctx!.languageClient()).stop(),
          lastFailure: () => ctx!.lastFailure,
        },
      }
    : {};
}

export async function deactivate(): Promise<void> {
  await ctx?.dispose();
  ctx = undefined;
}
