// `libvirt-hostdev new-interface --host H [--pf NAME] [--vlan N]`: a ready <interface type='hostdev'>
// for a free VF of the host with a MAC no guest uses (the editor's "Insert SR-IOV Interface").
import { freeVf, newInterfaceXml } from '../service/index';
import { NEW_INTERFACE_COMMAND } from './commandSpecs';
import { hostOrSnapshot } from './hostCommands';
import { cannotRead, type CliIO } from './io';
import { parseCommand, stringOption } from './options';
import { UsageError } from './util';
import { decodeText } from './sourceBytes';
import { MAX_SOURCE_BYTES } from './inputs';
import { readBoundedFileSync } from '../../../shared/boundedFile';
import { pfLabel } from '../../../shared/vfUse';
import { inertLine } from '../../../shared/inertControls';

export async function runNewInterfaceCommand(args: string[], io: CliIO): Promise<number> {
  const { values: v, positionals } = parseCommand(NEW_INTERFACE_COMMAND, args);
  if (positionals.length > 0) throw new UsageError(`new-interface takes no FILE ('${positionals[0]}')`);
  const source = hostOrSnapshot(v, 'new-interface');
  const rawVlan = stringOption(v, 'vlan');
  if (rawVlan !== undefined && !(/^\d{1,4}$/.test(rawVlan) && Number(rawVlan) <= 4095))
    throw new UsageError(`--vlan must be a VLAN id 0-4095, not '${rawVlan}'`);
  const avoid = stringOption(v, 'avoid-macs-of');
  let avoidText: string | null = null;
  if (avoid !== undefined) {
    try {
      avoidText = decodeText(readBoundedFileSync(avoid, MAX_SOURCE_BYTES)).text;
    } catch (e) {
      io.stderr(`libvirt-hostdev: ${cannotRead(avoid, e)}\n`);
      return 2;
    }
  }
  const inventory = await source.read(io);
  if (inventory === null) return 2;
  const pick = freeVf(inventory, stringOption(v, 'pf'));
  if ('error' in pick) {
    io.stderr(`libvirt-hostdev: ${inertLine(pick.error)}\n`);
    // a --pf the host does not have is a wrong argument, as vfs --pf says it is
    return pick.unknownPf ? 2 : 1;
  }
  const made = newInterfaceXml(avoidText, pick.vf.address, { inventory }, {}, rawVlan === undefined ? undefined : Number(rawVlan));
  if (!made) {
    io.stderr(`libvirt-hostdev: the inventory's address ${pick.vf.address} is not a PCI address\n`);
    return 2;
  }
  io.stdout(`${made.xml}\n`);
  // the host's names (its PF's netdev) reach a terminal: no control character of theirs acts on it
  const pf = pick.pf ? inertLine(pfLabel(pick.pf)) : 'its PF';
  io.stderr(
    `libvirt-hostdev: VF ${pick.vf.address}${pick.vf.vfIndex !== undefined && pick.vf.vfIndex !== null ? ` (VF ${pick.vf.vfIndex} of ${pf})` : ''}, MAC ${made.mac}\n`,
  );
  return 0;
}
