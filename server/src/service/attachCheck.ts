// What the host says about sending one device to one guest: the inventory checks (is the address on
// the host, is it a VF, does another guest or a network hold it) with the TARGET guest as the
// document's own guest, whatever file the device came from, and whether that guest already has the
// device's VF or MAC. Used before attach changes a host.
import { validate } from './validate';
import { buildDocumentModel } from './model';
import { readAddress } from './address';
import { addressKey } from './pci';
import { normalizeMac } from './mac';
import { attrValue, walk } from './xml/query';
import { quotedName, rejects } from './rules/common';
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
  const problems = validate(wrapped, context).filter((p) => INVENTORY_CODES.has(p.code) && inDevice(p.span));
  const target = context.inventory?.guests.find((g) => g.name === guest);
  if (target) problems.push(...alreadyInGuest(wrapped, target).filter((p) => inDevice(p.span)));
  return problems.map((p) => ({ ...p, span: { start: p.span.start - prefix.length, end: p.span.end - prefix.length } }));
}

/** The guest's own devices that the one in `wrapped` would repeat: its host address, its MAC. */
function alreadyInGuest(wrapped: string, guest: InventoryGuest): Problem[] {
  const model = buildDocumentModel(wrapped);
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
  }
  const macs = new Set(guest.macs ?? guest.devices.flatMap((d) => (d.mac ? [d.mac] : [])));
  walk(model.xml, (e) => {
    if (e.name !== 'mac') return;
    const mac = normalizeMac(attrValue(e, 'address') ?? '');
    if (!mac || !macs.has(mac)) return;
    problems.push({
      code: 'mac-duplicate',
      severity: 'warning',
      span: { start: e.start, end: e.end },
      message:
        `${quotedName(guest.name)} already has an interface with MAC ${mac} — libvirt accepts a second one, but both ends of the link ` +
        `see the same MAC and detach by MAC fails; libvirt: "multiple devices matching MAC address ${mac} found"`,
    });
  });
  return problems;
}
