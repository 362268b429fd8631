// "Check Host Readiness" (libvirtHostdev/readiness): the SR-IOV guide's steps 1-8 over the inventory the
// server holds for a document's source or the active one, read again first when asked. The inventory
// script already gathers what the checks read, so nothing else runs on the host for them.
import type { Connection } from 'vscode-languageserver/node';
import { ReadinessRequest, type ReadinessParams, type ReadinessResult } from '../../../shared/protocol';
import { takenAgo } from '../../../shared/age';
import { readinessChecks, readinessReport } from '../service/index';
import { NO_SOURCE_CONFIGURED, type InventorySource } from './inventorySources';

export interface ReadinessDeps {
  /** the source a request names (its `uri`), else the active one */
  requestSource(params: unknown): Promise<InventorySource | null>;
  log(what: string, e: unknown): void;
}

const NO_SOURCE: ReadinessResult = {
  host: null,
  takenAt: null,
  checks: [],
  text: '',
  error: NO_SOURCE_CONFIGURED,
};

/** The readiness of the source `params` names (or the active one), read again first when it asks. */
export async function readinessOf(deps: ReadinessDeps, params: ReadinessParams | null): Promise<ReadinessResult> {
  const source = await deps.requestSource(params);
  if (!source) return NO_SOURCE;
  if (params?.refresh === true) await source.provider.refresh().catch((e) => deps.log('readiness refresh', e));
  else await source.firstLoad.catch(() => undefined);
  const { inventory, status } = source.provider.current();
  if (!inventory)
    return { host: status.host, takenAt: null, checks: [], text: '', error: status.error ?? 'the inventory has not been read yet' };
  const host = status.host ?? inventory.host;
  // the inventory's own warnings decide step 6 (virsh could not list the guests), as in the CLI
  const checks = readinessChecks(inventory, status.warnings ?? []);
  // a failed refresh leaves the last good inventory: the report says how old it is and why it is not newer
  const stale = status.state === 'stale' && status.error !== null ? status.error : null;
  const readAt = `${takenAgo(inventory.takenAt)}${stale !== null ? `; reading it again failed: ${stale}` : ''}`;
  return { host, takenAt: inventory.takenAt, checks, text: readinessReport(host, checks, { readAt, statusFirst: true }), error: stale };
}

export function registerReadiness(connection: Connection, deps: ReadinessDeps): void {
  connection.onRequest(ReadinessRequest, (params: ReadinessParams | null) => readinessOf(deps, params));
}
