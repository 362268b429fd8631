// `libvirt-hostdev readiness`: the guide's steps 1-8 (and the VF pools) against a live host (one
// exec) or a saved snapshot (--inventory), printed like virt-host-validate. Exit 0: no check failed (warnings allowed); 1: a check failed; 2: usage or host error.
import { shellJoin } from '../../../shared/shellQuote';
import { readinessChecks, type NetworkFixCommand } from '../service/readinessChecks';
import { readinessReport } from '../service/readinessReport';
import type { ReadinessCheck } from '../../../shared/readiness';
import { READINESS_COMMAND } from './commandSpecs';
import { fetchLive, hostFailureLine, withTransport } from './hostCommands';
import type { CliIO } from './io';
import { choiceOption, hostOptionsFrom, parseCommand, stringOption, TEXT_OR_JSON, type HostCliOptions } from './options';
import { oneLine, UsageError } from './util';
import { readInventoryFile } from '../inventory/fileProvider';
import type { Inventory } from '../service/index';
import { takenAgo } from '../../../shared/age';

/** `libvirt-hostdev net-start|net-autostart --network NAME` on the host this run read, quoted for a shell. */
function networkFixFor(o: HostCliOptions): NetworkFixCommand {
  const reach = [
    ...['--host', o.host],
    ...(o.connect !== undefined ? ['--connect', o.connect] : []),
    ...(o.identityFile !== undefined ? ['--identity', o.identityFile] : []),
    ...(o.sshConfigFile !== undefined ? ['--ssh-config', o.sshConfigFile] : []),
    ...(o.transport !== undefined ? ['--transport', o.transport] : []),
  ];
  return (verb, network) => shellJoin(['libvirt-hostdev', verb, '--network', network, ...reach]);
}

export async function runReadinessCommand(args: string[], io: CliIO): Promise<number> {
  const { values: v, positionals } = parseCommand(READINESS_COMMAND, args);
  if (positionals.length > 0) throw new UsageError(`readiness takes no FILE ('${positionals[0]}')`);
  const format = choiceOption(v, 'format', TEXT_OR_JSON) ?? 'text';
  const inventoryFile = stringOption(v, 'inventory');
  if (inventoryFile !== undefined && v.host !== undefined) throw new UsageError('--inventory and --host cannot be used together');
  if (inventoryFile !== undefined) return offlineReadiness(inventoryFile, format, io);
  const options = hostOptionsFrom(v, 'readiness', true)!;
  let checks: ReadinessCheck[];
  try {
    checks = await withTransport(options, io, async (t) => {
      const result = await fetchLive(options, t);
      return readinessChecks(result.inventory, result.warnings, networkFixFor(options));
    });
  } catch (e) {
    io.stderr(`libvirt-hostdev: ${hostFailureLine(e)}\n`);
    return 2;
  }
  io.stdout(format === 'json' ? JSON.stringify({ host: options.host, checks }, null, 2) + '\n' : readinessReport(options.host, checks));
  return exitStatus(checks);
}

/** 1 when a check failed (warnings allowed). */
const exitStatus = (checks: readonly ReadinessCheck[]): number => (checks.some((c) => c.status === 'fail') ? 1 : 0);

/**
 * The checks over a snapshot: its host as it names itself, and when it was taken. A snapshot keeps no
 * warnings of its read, so step 6 passes on the VFs it lists; our net-start commands need a host and are
 * left out of the pool fixes (virsh's are there).
 */
async function offlineReadiness(file: string, format: (typeof TEXT_OR_JSON)[number], io: CliIO): Promise<number> {
  let inventory: Inventory;
  try {
    inventory = await readInventoryFile(file);
  } catch (e) {
    io.stderr(`libvirt-hostdev: ${oneLine(e)}\n`);
    return 2;
  }
  const checks = readinessChecks(inventory);
  io.stdout(
    format === 'json'
      ? JSON.stringify({ host: inventory.host, takenAt: inventory.takenAt, checks }, null, 2) + '\n'
      : readinessReport(inventory.host, checks, { readAt: takenAgo(inventory.takenAt) }),
  );
  return exitStatus(checks);
}
