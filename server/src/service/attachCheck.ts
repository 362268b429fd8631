// What the host says about sending one device to one guest: the inventory checks (is the address on
// the host, is it a VF, does another guest or a network hold it) with the TARGET guest as the
// document's own guest, whatever file the device came from, and whether that guest already has the
// device's VF or MAC. Used before attach changes a host.
import { validateDocument } from './validate';
import { buildDocumentModel } from './model';
import { readAddress } from './address';
import { addressKey } from './pci';
import { normalizeMac } from './mac';
import { attrValue } from './xml/query';
import { quotedName, rejects } from './rules/common';
import type { DocumentModel } from './modelTypes';
import type { InventoryGuest, Problem, ServiceContext, Span } from './types';

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
 * The inventory problems of `deviceXml` (one device element) if it were attached to `guest`; spans are
 * offsets into `deviceXml`. The device is checked inside a domain named `guest`, so other guests' use of
 * its VF is a conflict as vf-in-use tells it; the guest's own use is one too: a second device on a VF it
 * already has (pci-duplicate), or a second interface with its MAC (mac-duplicate).
 */
export function checkDeviceForGuest(deviceXml: string, guest: string, context: ServiceContext): Problem[] {
  const prefix = `<domain type='kvm'><name>${escapeXmlText(guest)}</name><devices>`;
  const wrapped = `${prefix}${deviceXml}</devices></domain>`;
  const inDevice = (span: Span) => span.start >= prefix.length && span.end <= prefix.length + deviceXml.length;
  const model = buildDocumentModel(wrapped);
  const problems = validateDocument(model, context).filter((p) => INVENTORY_CODES.has(p.code) && inDevice(p.span));
  const target = context.inventory?.guests.find((g) => g.name === guest);
  if (target) problems.push(...alreadyInGuest(model, target).filter((p) => inDevice(p.span)));
  return problems.map((p) => ({ ...p, span: { start: p.span.start - prefix.length, end: p.span.end - prefix.length } }));
}

/** What of the guest's own the device in `model` would repeat: its host address, its MAC. */
function alreadyInGuest(model: DocumentModel, guest: InventoryGuest): Problem[] {
  const macs = new Set(guest.macs ?? guest.devices.flatMap((d) => (d.mac ? [d.mac] : [])));
  const problems: Problem[] = [];
  for (const device of model.devices) {
    const address = device.hostAddress ? readAddress(device.hostAddress).canonical : null;
    const held = address ? guest.devices.find((d) => addressKey(d.address) === address) : undefined;
    if (device.hostAddress && address && held) {
      const where =
        held.config && held.live ? 'in its persistent definition and live' : held.config ? 'in its persistent definition' : 'live';
      problems.push({
        code: 'pci-duplicate',
        severity: 'error',
        span: { start: device.hostAddress.start, end: device.hostAddress.end },
        message: rejects(
          `${quotedName(guest.name)} already has host PCI address ${address} (${where}): attaching it again puts it in the guest twice`,
          'XML error: Hostdev already exists in the domain configuration',
          "attach-device --config of an <interface> does not check this, and the guest then fails to start. Detach its device first, or edit the guest's definition.",
        ),
      });
    }
    const mac = device.mac ? normalizeMac(attrValue(device.mac, 'address') ?? '') : null;
    if (device.mac && mac && macs.has(mac))
      problems.push({
        code: 'mac-duplicate',
        severity: 'warning',
        span: { start: device.mac.start, end: device.mac.end },
        message:
          `${quotedName(guest.name)} already has an interface with MAC ${mac} — libvirt accepts a second one, but both ends of the link ` +
          `see the same MAC and detach by MAC fails; libvirt: "multiple devices matching MAC address ${mac} found"`,
      });
  }
  return problems;
}
