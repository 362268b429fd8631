// The words of the attach flow, without the vscode API (unit-tested in plain node): the guests to pick from,
// the "device has errors" question, and the host it runs on.
import type { InventoryStatus } from '../../shared/protocol';
import { isNotShownMessage } from '../../shared/diagnostics';
import { inertIcons } from './inertIcons';
import { hostdevCount, type SnapshotGuest } from './inventoryView';

export interface GuestPickItem {
  guest: string;
  label: string;
  description: string;
  detail: string;
}

/** The guests to pick from, `preselect` (the document's own) first, then by name; a name shown as written. */
export function guestPickItems(guests: readonly SnapshotGuest[], preselect: string | undefined): GuestPickItem[] {
  return [...guests]
    .sort((a, b) => Number(b.name === preselect) - Number(a.name === preselect) || a.name.localeCompare(b.name))
    .map((g) => ({
      guest: g.name,
      label: inertIcons(g.name),
      description: g.state,
      detail: `${hostdevCount(g)} hostdev device${hostdevCount(g) === 1 ? '' : 's'}${g.name === preselect ? ' · this document' : ''}`,
    }));
}

export interface ErrorLine {
  /** 1-based; absent for what the host says of the device in the guest picked */
  line?: number;
  message: string;
  /** absent: an error */
  severity?: 'error' | 'warning';
}

/** The modal's title asks the question once; the body lists the problems (never the title again). */
export function errorsQuestion(verb: 'Attach' | 'Detach', errors: readonly ErrorLine[]): { message: string; detail: string } {
  const n = errors.length;
  // errorsIn's stand-in for errors the server did not send (more problems than the editor gets)
  if (n === 1 && isNotShownMessage(errors[0].message))
    return { message: `This device may have errors the editor was not sent. ${verb} it anyway?`, detail: errors[0].message };
  const warnings = errors.filter((e) => e.severity === 'warning').length;
  const counts = [
    ...(n > warnings ? [`${n - warnings} error${n - warnings === 1 ? '' : 's'}`] : []),
    ...(warnings > 0 ? [`${warnings} warning${warnings === 1 ? '' : 's'}`] : []),
  ];
  return {
    message: `This device has ${counts.join(' and ')}. ${verb} it anyway?`,
    detail: errors.map((e) => (e.line !== undefined ? `Line ${e.line}: ${e.message}` : e.message)).join('\n'),
  };
}

/** A diagnostic's code as text: ours carry a link to the rule's page, so VS Code hands back { value, target }. */
export function codeText(code: string | number | { value: string | number } | undefined): string {
  if (code === undefined) return '';
  return String(typeof code === 'object' ? code.value : code);
}

/**
 * The host a change runs on: the one whose inventory listed the guests to pick from; for a snapshot
 * file's guests (libvirtHostdev.inventoryFile) the active host, which may not be the host the snapshot
 * was taken on, so the flow names it. Null: no host to run virsh on.
 */
export function changeHost(status: Pick<InventoryStatus, 'source' | 'host'>, activeHost: string | null): string | null {
  return status.source === 'host' && status.host ? status.host : activeHost;
}
