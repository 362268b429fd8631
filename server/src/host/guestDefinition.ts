// A guest's persistent definition as libvirt keeps it (`virsh dumpxml --inactive`): what its next start
// reads. `attach --print-diff` shows it before and after; the editor's Open Guest Definition opens it, and
// its Define lens sends a <domain> document back (`virsh define`). The guest's name is one argument of
// virsh, quoted for the host's shell; a definition travels as attach's device XML does.
import type { AttachDeviceResult } from '../../../shared/protocol';
import { shellJoin } from '../../../shared/shellQuote';
import { ATTACH_FILE, domainByName, runVirshChange } from './attach';
import type { Transport } from './transport';
import { libvirtReason } from '../../../shared/virshOutput';

export interface GuestDefinitionOptions {
  /** libvirt's URI on the host */
  uri: string;
  guest: string;
  timeoutMs: number;
}

/** The definition's XML; throws with virsh's own words when there is none (no such guest, libvirt down). */
export async function readGuestDefinition(t: Transport, options: GuestDefinitionOptions): Promise<string> {
  const result = await t.exec(
    `LC_ALL=C ${shellJoin(['virsh', '-c', options.uri, 'dumpxml', '--inactive', '--domain', domainByName(options.guest)])}`,
    {
      timeoutMs: options.timeoutMs,
    },
  );
  if (result.code !== 0)
    throw new Error(
      `${shellJoin(['virsh', 'dumpxml', '--inactive', '--domain', options.guest])}: ${(result.stderr || result.stdout).trim() || `exit ${result.code}`}`,
    );
  return result.stdout;
}

export interface DefineGuestOptions {
  /** libvirt's URI on the host */
  uri: string;
  /** the whole <domain> document */
  domainXml: string;
  timeoutMs: number;
}

/**
 * The argv virsh gets. --validate: libvirt checks the document against its schema first, so an element
 * misspelt anywhere in the domain is refused with the schema's words instead of silently dropped.
 */
export function defineArgv(uri: string, file: string): string[] {
  return ['virsh', '-c', uri, 'define', '--validate', '--file', file];
}

/** virsh define of `domainXml`: libvirt's answer ("Domain 'web01' defined from /dev/stdin"), or its refusal in its words. */
export async function defineGuest(t: Transport, options: DefineGuestOptions): Promise<AttachDeviceResult> {
  const result = await runVirshChange(t, defineArgv(options.uri, ATTACH_FILE), {
    xml: options.domainXml,
    timeoutMs: options.timeoutMs,
    success: 'Domain defined',
  });
  return result.ok ? result : { ...result, message: defineRefusal(result.message) };
}

/**
 * libvirt's reason for refusing a define, and the way out of the refusal a document without the guest's
 * <uuid> meets: libvirt knows a guest by its UUID, generates one for a document that has none, and then
 * refuses the name as taken ("domain 'web02' already exists with uuid …").
 */
export function defineRefusal(output: string): string {
  const reason = libvirtReason(output);
  const taken = /domain '(.*)' already exists with uuid ([0-9a-fA-F-]{36})/.exec(reason);
  if (!taken) return reason;
  return (
    `${reason}. To redefine that guest, give the document its UUID: <uuid>${taken[2]}</uuid> ` +
    `(a document without one, or with another, is a new guest of a name that is taken)`
  );
}
