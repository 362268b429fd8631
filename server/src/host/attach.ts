// `virsh attach-device` / `detach-device` on a host (issue 4, "Attach"). The device XML goes to a
// private temp file (transport.writeTempFile: mktemp semantics, mode 0600), virsh runs with every
// argument quoted by shellJoin, and the file is removed whatever happens. --config is always
// given (persistent definition, works on a shut-off guest); --live adds the running guest, which
// is virsh's "--persistent" meaning for a running domain (tools/virsh-domain.c cmdAttachDevice).
import type { AttachDeviceResult } from '../../../shared/protocol';
import { DEFAULT_LIBVIRT_URI } from '../../../shared/settings';
import { shellJoin } from './quote';
import { HostError, type Transport } from './transport';

export interface AttachDeviceOptions {
  /** libvirt URI; default qemu:///system */
  uri?: string;
  guest: string;
  deviceXml: string;
  operation: 'attach' | 'detach';
  live: boolean;
  timeoutMs: number;
}

/** The argv virsh gets (the temp file path filled in). `--` ends options, so a guest named '-x' stays a name. */
export function attachArgv(options: Pick<AttachDeviceOptions, 'uri' | 'guest' | 'operation' | 'live'>, file: string): string[] {
  const argv = ['virsh', '-c', options.uri ?? DEFAULT_LIBVIRT_URI, `${options.operation}-device`, '--config'];
  if (options.live) argv.push('--live');
  argv.push('--domain', options.guest, '--file', file);
  return argv;
}

export async function attachDevice(transport: Transport, options: AttachDeviceOptions): Promise<AttachDeviceResult> {
  let file: string | null = null;
  let commandLine = shellJoin(attachArgv(options, '<temp file>'));
  try {
    file = await transport.writeTempFile(options.deviceXml, { timeoutMs: options.timeoutMs });
    commandLine = shellJoin(attachArgv(options, file));
    // LC_ALL=C: libvirt's message is shown to the user and matched by nobody, but C keeps it
    // identical to the documentation and bug reports.
    const result = await transport.exec(`LC_ALL=C ${commandLine}`, { timeoutMs: options.timeoutMs });
    const ok = result.code === 0;
    const message = (ok ? result.stdout : result.stderr || result.stdout).trim()
      || (ok ? `Device ${options.operation === 'attach' ? 'attached' : 'detached'} successfully` : `virsh exited with ${result.code ?? 'a signal'}`);
    return { ok, message, commandLine };
  } catch (e) {
    if (e instanceof HostError && e.kind !== 'command') throw e;
    return { ok: false, message: e instanceof Error ? e.message : String(e), commandLine };
  } finally {
    if (file !== null) {
      // Removal failure must not hide the attach result; the transport never throws for a gone file.
      await transport.removeFile(file, { timeoutMs: options.timeoutMs }).catch(() => undefined);
    }
  }
}
