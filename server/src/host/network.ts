// `virsh net-define` / `net-start` / `net-autostart` on a host, for a network XML document (a VF
// pool). net-define sends the XML with attach's discipline (a private temp file the host removes by
// itself, opened as virsh's stdin, every argument quoted); the other two name the network only.
import type { AttachDeviceResult } from '../../../shared/protocol';
import { quotedName } from '../../../shared/quotedName';
import { DEFAULT_LIBVIRT_URI } from '../../../shared/settings';
import { ATTACH_FILE, runVirshChange } from './attach';
import { shellJoin } from '../../../shared/shellQuote';
import type { Transport } from './transport';

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
  else argv.push('--network', options.network);
  if (options.operation === 'autostart' && options.disable) argv.push('--disable');
  return argv;
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
