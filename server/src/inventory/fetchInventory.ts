// One refresh = one exec: the script goes to `sh -s` on stdin (no quoting of the script for the
// remote login shell, which may not be POSIX), its output is parsed here.
import { CommandTimeout, HostError, type Transport } from '../host/transport';
import { parseInventoryOutput, type InventoryResult } from './parseOutput';
import { DEFAULT_LIBVIRT_URI } from '../../../shared/settings';
import { buildInventoryScript, scriptStepAt } from './script';
import { libvirtConnectAdvice } from './libvirtConnectAdvice';

export interface FetchInventoryOptions {
  /** host name written into the snapshot */
  host: string;
  uri?: string;
  sysfsRoot?: string;
  /** a copied host holding sys/, etc/, proc/cmdline (sysfsRoot, when given, still wins for /sys) */
  hostRoot?: string;
  timeoutMs: number;
  now?: () => Date;
}

export const INVENTORY_COMMAND = 'sh -s';

export async function fetchInventory(transport: Transport, options: FetchInventoryOptions): Promise<InventoryResult> {
  const uri = options.uri ?? DEFAULT_LIBVIRT_URI;
  const { script, boundary, sysfsRoot, hostRoot } = buildInventoryScript({ uri, sysfsRoot: options.sysfsRoot, hostRoot: options.hostRoot });
  const takenAt = (options.now ?? (() => new Date()))().toISOString();
  let result;
  try {
    result = await transport.exec(INVENTORY_COMMAND, { stdin: script, timeoutMs: options.timeoutMs });
  } catch (e) {
    if (e instanceof CommandTimeout) throw new HostError('timeout', `${e.message} ${scriptStepAt(e.stdoutSoFar, boundary)}`);
    throw e;
  }
  const parsed = parseInventoryOutput(result.stdout, { boundary, host: options.host, takenAt, sysfsRoot, hostRoot, uri });
  if (!parsed.complete) {
    const why =
      result.code === null
        ? `the command was cut off (timeout or dropped connection) ${scriptStepAt(result.stdout, boundary)}`
        : `sh exited with ${result.code}`;
    const stderr = result.stderr
      .trim()
      .split('\n')
      .filter((l) => l.trim() !== '')
      .slice(-1)[0];
    throw new HostError(
      result.code === null ? 'timeout' : 'command',
      `inventory of ${transport.description} is incomplete: ${why}${stderr ? ` (${stderr.trim()})` : ''}`,
    );
  }
  if (parsed.libvirtFailure !== null) {
    const advice = libvirtConnectAdvice(parsed.libvirtFailure, uri, transport.description);
    throw new HostError(
      'command',
      `libvirt on ${transport.description} cannot be reached: virsh -c ${uri}: ${parsed.libvirtFailure}${advice === null ? '' : `. ${advice}`}`,
    );
  }
  return parsed;
}
