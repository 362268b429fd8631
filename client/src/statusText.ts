// What the status bar item says for an inventory status. No vscode import: unit-tested in plain node.
import { inertIcons } from './inertIcons';
import { inertLinks } from '../../shared/inertLinks';
import type { InventoryStatus } from '../../shared/protocol';
import { quotedName } from '../../shared/quotedName';
import { takenAgo } from '../../shared/age';

export interface StatusView {
  text: string;
  /**
   * The language status item's detail, where VS Code shows `$(name)` as an icon and `[label](command:…)`
   * as a link that runs the command: host names, libvirt's errors and the readiness lines (guest and
   * network names from the host) are made inert.
   */
  tooltip: string;
  status: InventoryStatus | null;
  /** true: something is blocked by workspace trust; the item's action is "Manage Workspace Trust" */
  restricted?: boolean;
}

/**
 * `workspaceHostsBlocked`: Restricted Mode hides the host settings this workspace makes (VS Code's
 * trust model); then the item says "restricted" — never "unreachable" — and offers to manage trust.
 */
export function describeStatus(
  s: InventoryStatus | null,
  serverRunning: boolean,
  workspaceHostsBlocked = false,
  now = new Date(),
): StatusView {
  const view = statusView(s, serverRunning, workspaceHostsBlocked, now);
  return { ...view, tooltip: inertLinks(inertIcons(view.tooltip)) };
}

function statusView(s: InventoryStatus | null, serverRunning: boolean, workspaceHostsBlocked: boolean, now: Date): StatusView {
  if (!serverRunning)
    return { text: '$(circle-slash) libvirt: server stopped', tooltip: 'The libvirt Hostdev language server is not running', status: s };
  if (!s || s.state === 'none') {
    if (workspaceHostsBlocked) {
      return {
        text: '$(shield) libvirt: restricted',
        restricted: true,
        status: s,
        tooltip:
          "Restricted Mode: this workspace's host settings are not used. Trust the workspace to use them, or add a host of your own.",
      };
    }
    return { text: '$(plug) libvirt: no host', tooltip: 'No inventory: click to select a host or an inventory file', status: s };
  }
  const host = s.host ?? (s.source === 'file' ? 'snapshot' : 'host');
  const label = inertIcons(host);
  // in the tooltip's sentences a name is quoted as libvirt quotes names
  const named = s.host ? quotedName(s.host) : host;
  const vfs = `${s.freeVfs}/${s.totalVfs} VFs free`;
  const age = s.takenAt ? `inventory ${takenAgo(s.takenAt, now)}` : 'no inventory yet';
  switch (s.state) {
    case 'loading':
      return { text: `$(sync~spin) ${label}`, tooltip: `Loading the inventory of ${named}…`, status: s };
    case 'ok': {
      const missing = s.warnings?.length ? `\nPartial inventory:\n- ${s.warnings.join('\n- ')}` : '';
      const ready = s.readiness?.length ? `\nHost readiness:\n- ${s.readiness.join('\n- ')}` : '';
      // the first readiness line is the IOMMU: "No IOMMU" blocks every assignment
      const blocked = s.readiness?.[0]?.startsWith('No IOMMU') ? ' $(error)' : '';
      return {
        text: `$(server) ${label} ${vfs}${blocked || (missing ? ' $(warning)' : '')}`,
        tooltip: `${named} (${s.source ?? 'host'}): ${vfs}, ${age}${missing}${ready}`,
        status: s,
      };
    }
    case 'stale':
      return {
        text: `$(warning) ${label} ${vfs} (stale)`,
        tooltip: `${named}: last refresh failed, showing the last good inventory (${age})${s.error ? `: ${s.error}` : ''}${notes(s)}`,
        status: s,
      };
    case 'unreachable':
      return {
        text: `$(error) ${label} unreachable`,
        tooltip: `${named} is unreachable${s.error ? `: ${s.error}` : ''}${notes(s)}`,
        status: s,
      };
    case 'restricted':
      return {
        text: `$(shield) ${label} restricted`,
        restricted: true,
        status: s,
        tooltip: `${named} is not used in Restricted Mode${s.error ? `: ${s.error}` : ''}. Trust the workspace to use it.`,
      };
  }
}

/** Warnings kept with a failed refresh (e.g. ssh config directives the client does not honour: often the reason). */
function notes(s: InventoryStatus): string {
  return s.warnings?.length ? `\n- ${s.warnings.join('\n- ')}` : '';
}

/** Most of a row the language status popup gives the detail beside the item's command link. */
const ROW_CHARS = 90;

/**
 * The language status popup shows the detail on one row with the command link after it: a long detail
 * pushes the link out of sight. The tooltip's first line, cut, and how many notes follow (the SR-IOV
 * view's Check Host Readiness and Get Status have them all).
 */
export function oneRow(tooltip: string): string {
  const [first, ...rest] = tooltip.split('\n');
  const notes = rest.filter((l) => l.startsWith('- ')).length;
  const line = first.length > ROW_CHARS ? `${first.slice(0, ROW_CHARS - 1)}…` : first;
  return notes > 0 ? `${line} (${notes} note${notes === 1 ? '' : 's'}: Check Host Readiness)` : line;
}
