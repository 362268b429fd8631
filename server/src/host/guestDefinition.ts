// A guest's persistent definition as libvirt keeps it (`virsh dumpxml --inactive`): what its next start
// reads. `attach --print-diff` shows it before and after; the editor's Open Guest Definition opens it. The
// guest's name is one argument of virsh, quoted for the host's shell.
import { shellJoin } from '../../../shared/shellQuote';
import type { Transport } from './transport';

export interface GuestDefinitionOptions {
  /** libvirt's URI on the host */
  uri: string;
  guest: string;
  timeoutMs: number;
}

/** The definition's XML; throws with virsh's own words when there is none (no such guest, libvirt down). */
export async function readGuestDefinition(t: Transport, options: GuestDefinitionOptions): Promise<string> {
  const result = await t.exec(`LC_ALL=C ${shellJoin(['virsh', '-c', options.uri, 'dumpxml', '--inactive', '--domain', options.guest])}`, {
    timeoutMs: options.timeoutMs,
  });
  if (result.code !== 0)
    throw new Error(
      `${shellJoin(['virsh', 'dumpxml', '--inactive', '--domain', options.guest])}: ${(result.stderr || result.stdout).trim() || `exit ${result.code}`}`,
    );
  return result.stdout;
}
