// `virsh net-define` / `net-start` / `net-autostart` on a host, for a network XML document (a VF
// pool). net-define sends the XML with attach's discipline (a private temp file the host removes by
// itself, opened as virsh's stdin, every argument quoted); the other two name the network only.
import type { AttachDeviceResult } from '../../../shared/protocol';
import { quotedName } from '../../../shared/quotedName';
import { DEFAULT_LIBVIRT_URI } from '../../../shared/settings';
import { ATTACH_FILE, runVirshChange } from './attach';
import { shellJoin } from '../../../shared/shellQuote';
import { HostError, type Transport } from './transport';
import { readUuid } from '../../../shared/uuid';

export type NetworkOperation = 'define' | 'start' | 'autostart';

export const NETWORK_OPERATIONS: readonly NetworkOperation[] = ['define', 'start', 'autostart'];

export interface NetworkCommandOptions {
  /** libvirt URI; default qemu:///system */
  uri?: string;
  operation: NetworkOperation;
  /** the network's name (start, autostart) */
  network: string;
  /** the <network> XML (define) */
  networkXml?: string;
  /** net-autostart --disable */
  disable?: boolean;
  timeoutMs: number;
}

/** The argv virsh gets; `file` is where define reads the XML. `--network` keeps a name like '-x' a name. */
export function networkArgv(options: Pick<NetworkCommandOptions, 'uri' | 'operation' | 'network' | 'disable'>, file: string): string[] {
  const argv = ['virsh', '-c', options.uri ?? DEFAULT_LIBVIRT_URI, `net-${options.operation}`];
  if (options.operation === 'define') argv.push('--file', file);
  else argv.push('--network', networkByName(options.network));
  if (options.operation === 'autostart' && options.disable) argv.push('--disable');
  return argv;
}

/**
 * `name` for virsh's --network, which looks a network up by UUID first, then by name: a network named like
 * another network's UUID would be that one. Such a name cannot be given safely, so it is refused
 * (HostError 'config') before anything runs.
 */
export function networkByName(name: string): string {
  if (name.length === 36 && readUuid(name) !== null)
    throw new HostError(
      'config',
      `virsh reads the network name ${quotedName(name)} as a network UUID before it reads it as a name, so it could act on another network: ` +
        `run virsh net-start or net-autostart with this network's own UUID (virsh net-uuid)`,
    );
  return name;
}

const SUCCESS: Record<NetworkOperation, string> = {
  define: 'Network defined',
  start: 'Network started',
  autostart: 'Network marked as autostarted',
};

export async function runNetworkCommand(transport: Transport, options: NetworkCommandOptions): Promise<AttachDeviceResult> {
  const argv = networkArgv(options, ATTACH_FILE);
  if (options.operation === 'define' && typeof options.networkXml !== 'string')
    return { ok: false, message: 'net-define needs the network XML', commandLine: shellJoin(argv) };
  return runVirshChange(transport, argv, {
    ...(options.operation === 'define' ? { xml: options.networkXml } : {}),
    timeoutMs: options.timeoutMs,
    success: `${SUCCESS[options.operation]} (${quotedName(options.network)})`,
  });
}
