// What the host says about sending one device to one guest: the inventory checks (is the address on
// the host, is it a VF, does another guest or a network hold it) with the TARGET guest as the
// document's own guest, whatever file the device came from. Used before attach/detach changes a host.
import { validate } from './validate';
import type { Problem, ServiceContext } from './types';

/** Codes whose answer comes from the host's inventory, not from the text. */
export const INVENTORY_CODES: ReadonlySet<string> = new Set([
  'pci-unknown',
  'pci-not-vf',
  'vf-in-use',
  'vf-in-network',
  'iommu-group',
  'vf-driver',
]);

function escapeXmlText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The inventory problems of `deviceXml` (one device element) if it went into `guest`; spans are
 * offsets into `deviceXml`. The device is checked inside a domain named `guest`, so the guest's own
 * use of the VF (detach, or re-attach after an edit) is not a conflict.
 */
export function checkDeviceForGuest(deviceXml: string, guest: string, context: ServiceContext): Problem[] {
  const prefix = `<domain type='kvm'><name>${escapeXmlText(guest)}</name><devices>`;
  const wrapped = `${prefix}${deviceXml}</devices></domain>`;
  return validate(wrapped, context)
    .filter((p) => INVENTORY_CODES.has(p.code) && p.span.start >= prefix.length && p.span.end <= prefix.length + deviceXml.length)
    .map((p) => ({ ...p, span: { start: p.span.start - prefix.length, end: p.span.end - prefix.length } }));
}
