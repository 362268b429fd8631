// "libvirt: Check Host Readiness": the SR-IOV guide's host checks (steps 1-8) as the server reports
// them for the active host, read again first, shown as a read-only document: the report
// `libvirt-hostdev readiness` prints, with the fixes it names (modprobe.d lines, udev rules, virsh
// commands) ready to copy.
import * as vscode from 'vscode';
import { Commands } from '../../shared/commands';
import { quotedName } from '../../shared/quotedName';
import { noReadinessReport, ReadinessRequest, type ReadinessResult } from '../../shared/protocol';
import type { Ctx } from './ctx';
import { notify, withNotificationProgress } from './notify';
import type { ReadOnlyDocuments } from './readOnlyDocuments';

/** Reads the active host again, then shows its report; without an inventory, says why. Resolves to what the server answered. */
export async function checkReadiness(ctx: Ctx, documents: ReadOnlyDocuments): Promise<ReadinessResult> {
  const host = ctx.inventoryStatus?.host;
  const result = await withNotificationProgress(`Reading ${host ? quotedName(host) : 'the host'} for the readiness checks…`, async () =>
    (await ctx.languageClient()).sendRequest(ReadinessRequest, { refresh: true }),
  );
  if (result.host === null || result.checks.length === 0) {
    const choice = await notify('warning', `${noReadinessReport(result)}.`, 'Select Host');
    if (choice) await vscode.commands.executeCommand(Commands.selectHost);
    return result;
  }
  await documents.show(`Readiness of ${result.host}`, result.text);
  return result;
}
