// "libvirt: Check Host Readiness": the SR-IOV guide's host checks (steps 1-8) as the server reports
// them for the active host, read again first, shown as a read-only document: the report
// `libvirt-hostdev readiness` prints, with the fixes it names (modprobe.d lines, udev rules, virsh
// commands) ready to copy. A virtual document: closing it asks nothing, running the command again
// replaces it.
import * as vscode from 'vscode';
import { Commands } from '../../shared/commands';
import { quotedName } from '../../shared/quotedName';
import { ReadinessRequest, type ReadinessResult } from '../../shared/protocol';
import type { Ctx } from './ctx';
import { notify } from './notify';

export const READINESS_SCHEME = 'libvirt-hostdev-readiness';

/** The reports shown so far, one document per host (its text replaced by the next run). */
export class ReadinessDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  /** The document of `host`'s report, now holding `text`. */
  put(host: string, text: string): vscode.Uri {
    // a tab title, not a path: a configured name may hold anything
    const uri = vscode.Uri.from({ scheme: READINESS_SCHEME, path: `/Readiness of ${host.replace(/[^\w.@:-]/g, '_')}` });
    this.texts.set(uri.toString(), text);
    this.changed.fire(uri);
    return uri;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** Reads the active host again, then shows its report; without an inventory, says why. Resolves to what the server answered. */
export async function checkReadiness(ctx: Ctx, documents: ReadinessDocuments): Promise<ReadinessResult> {
  const host = ctx.inventoryStatus?.host;
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Reading ${host ? quotedName(host) : 'the host'} for the readiness checks…` },
    async () => (await ctx.languageClient()).sendRequest(ReadinessRequest, { refresh: true }),
  );
  if (result.host === null || result.checks.length === 0) {
    const choice = await notify('warning', `No readiness report: ${result.error ?? 'no inventory'}.`, 'Select Host');
    if (choice) await vscode.commands.executeCommand(Commands.selectHost);
    return result;
  }
  const document = await vscode.workspace.openTextDocument(documents.put(result.host, result.text));
  await vscode.window.showTextDocument(document, { preview: false });
  return result;
}
