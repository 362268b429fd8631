// `libvirt-hostdev vfs (--host H | --inventory FILE) [--pf NAME] [--free]`: the host's PFs and VFs as a
// table per PF (service/vfListing.ts), or the same as JSON for scripts.
import { takenAgo } from '../../../shared/age';
import { inertLine } from '../../../shared/inertControls';
import { quotedName } from '../../../shared/quotedName';
import { pfLabel } from '../../../shared/vfUse';
import { plural } from '../../../shared/plural';
import { vfListing, type ListedVf, type VfListing } from '../service/vfListing';
import { VFS_COMMAND } from './commandSpecs';
import { hostOrSnapshot } from './hostCommands';
import type { CliIO } from './io';
import { choiceOption, parseCommand, stringOption, TEXT_OR_JSON } from './options';
import { UsageError } from './util';

export async function runVfsCommand(args: string[], io: CliIO): Promise<number> {
  const { values: v, positionals } = parseCommand(VFS_COMMAND, args);
  if (positionals.length > 0) throw new UsageError(`vfs takes no FILE ('${positionals[0]}')`);
  const format = choiceOption(v, 'format', TEXT_OR_JSON) ?? 'text';
  const source = hostOrSnapshot(v, 'vfs');
  const inventory = await source.read(io);
  if (inventory === null) return 2;
  const listing = vfListing(inventory, { pf: stringOption(v, 'pf'), freeOnly: v.free === true });
  if ('error' in listing) {
    io.stderr(`libvirt-hostdev: ${inertLine(listing.error)}\n`);
    return 2;
  }
  io.stdout(format === 'json' ? `${JSON.stringify(listing, null, 2)}\n` : listingText(listing, source.fromSnapshot));
  if (listing.empty === null) return 0;
  io.stderr(`libvirt-hostdev: ${inertLine(listing.empty)}\n`);
  return 1;
}

const HEADER = ['VF', 'ADDRESS', 'DRIVER', 'MAC', 'VLAN', 'USE'];

/** One table row per VF: what the PF programs on it ('-' where nothing), then who uses it. Host strings made inert. */
function row(vf: ListedVf): string[] {
  return [
    String(vf.vfIndex ?? '?'),
    vf.address,
    vf.driver ?? 'unbound',
    vf.admin?.mac ?? '-',
    vf.admin?.vlan !== undefined ? String(vf.admin.vlan) : '-',
    vf.busy ?? 'free',
  ].map(inertLine);
}

/**
 * Each PF, a table of its VFs under it (the columns aligned across the PFs), and the count of free VFs.
 * `fromSnapshot`: says when the snapshot was taken.
 */
function listingText(listing: VfListing, fromSnapshot: boolean): string {
  const rows = listing.pfs.map((pf) => pf.vfs.map(row));
  const widths = HEADER.map((h, i) => Math.max(h.length, ...rows.flat().map((r) => r[i].length)));
  const line = (cells: string[]): string => `  ${cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ')}`;
  const out = [
    `VFs of ${inertLine(quotedName(listing.host))}${fromSnapshot ? ` (inventory ${inertLine(takenAgo(listing.takenAt))})` : ''}:`,
  ];
  listing.pfs.forEach((pf, i) => {
    const details = pf.driver ? [pf.driver] : [];
    const enabled =
      pf.numVfs !== null
        ? `${pf.numVfs} of ${pf.totalVfs === null ? '? VFs' : plural(pf.totalVfs, 'VF')} enabled`
        : plural(pf.vfs.length, 'VF');
    out.push(`${inertLine(pfLabel(pf, details))}: ${enabled}, ${pf.freeVfs} free`);
    if (rows[i].length > 0) out.push(line(HEADER), ...rows[i].map(line));
  });
  out.push(`${listing.freeVfs} of ${plural(listing.totalVfs, 'VF')} free`);
  return `${out.join('\n')}\n`;
}
