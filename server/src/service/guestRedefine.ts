// A <domain> document defined on the host as it stands (virsh define): which guest it defines, and what
// the host's persistent definition of that guest holds that the document does not. virsh define replaces
// the whole persistent definition and says nothing of what it drops: a VF attached with `attach-device
// --config` since the file was written is gone at the guest's next start.
import { isGuestActive } from '../../../shared/vfUse';
import { documentAddresses } from './featureSupport';
import { quotedName } from './rules/common';
import type { DocumentModel } from './modelTypes';
import type { ServiceContext } from './types';

/**
 * For a document that is one <domain> and nothing else (what virsh define reads): its <name> as libvirt
 * reads it (null when it has none); null for any other document (a snippet, a network, two domains).
 */
export function guestDocumentName(model: DocumentModel): { name: string | null } | null {
  if (model.domain === null || model.xml.roots.length !== 1) return null;
  return { name: model.guestName?.value ?? null };
}

/** A device of the host's persistent definition, as a message names it: `<interface> 0000:0b:10.2`. */
export interface LeftOutDevice {
  element: 'interface' | 'hostdev';
  address: string;
}

/**
 * The host devices (VFs, PCI devices) in the inventory's persistent definition of `guest` that the
 * document names nowhere, in the order the host lists them. None without an inventory or such a guest.
 */
export function devicesLeftOut(model: DocumentModel, guest: string, ctx: ServiceContext): LeftOutDevice[] {
  const known = ctx.inventory?.guests.find((g) => g.name === guest);
  if (!known) return [];
  const named = documentAddresses(model);
  return known.devices.filter((d) => d.config && !named.has(d.address)).map((d) => ({ element: d.element, address: d.address }));
}

/** The question before `guest` is redefined on `host` from a document that lacks `dropped`. */
export function leftOutMessage(guest: string, host: string, dropped: readonly LeftOutDevice[]): string {
  const shown = dropped.slice(0, 3).map((d) => `<${d.element}> ${d.address}`);
  const more = dropped.length > shown.length ? ` and ${dropped.length - shown.length} more` : '';
  const count = dropped.length === 1 ? 'a device' : `${dropped.length} devices`;
  return (
    `The definition of ${quotedName(guest)} on ${quotedName(host)} holds ${count} this document does not: ${shown.join(', ')}${more}. ` +
    `Redefined from this document, the guest no longer has ${dropped.length === 1 ? 'it' : 'them'} at its next start.`
  );
}

/**
 * Said after a define of `guest` when the inventory has it active (running, paused): libvirt keeps a running
 * guest's live definition, and the new one applies when the guest is next started. Null otherwise.
 */
export function activeGuestNote(guest: string, ctx: ServiceContext): string | null {
  const known = ctx.inventory?.guests.find((g) => g.name === guest);
  if (!known || !isGuestActive(known)) return null;
  return `${quotedName(guest)} is ${known.state}: it runs on with the definition it started with; the new one applies when it is shut down and started again.`;
}
