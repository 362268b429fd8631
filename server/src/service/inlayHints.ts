// Inlay hints: after each host address, what the host has there, in a few plain words ("'enp59s0f0'
// VF 3 · free", "· in use by 'web01' (running)", "PF 'enp59s0f0': not a VF", "not on host
// 'kvm1'"); after the <source> of an <interface type='network'> on a VF pool, how many of its VFs are
// free; in a VF pool's <network> document, after its <pf dev> the PF's address and free VFs. A whole
// domain's VFs read at a glance, where the hover tells one at a time and in full. Only with an
// inventory, and only in the range the editor asks for.
import { inertLabel } from '../../../shared/inertControls';
import { quotedName } from '../../../shared/quotedName';
import { isHostdevPool, poolVfsText, vfName } from '../../../shared/vfUse';
import { readAddress } from './address';
import { documentOwner, indexOf, pfVfs, type DocumentOwner } from './featureSupport';
import type { InventoryIndex } from './inventoryIndex';
import type { DocumentModel } from './modelTypes';
import { addressKey } from './pci';
import { guestNamer, type GuestNamer } from './rules/guests';
import { deviceByNetdev } from './rules/networkHost';
import { listsAllNetworks, networkInterfaces } from './rules/networkPool';
import type { InlayHintResult, ServiceContext, Span } from './types';
import { attrValue, childElements, firstChild } from './xml/query';
import type { XmlElement } from './xml/types';

/** a request's answer at most: an editor asks for what it shows, a few dozen lines */
const HINTS_PER_REQUEST = 2000;
/** a label's length at most: a guest or interface name from the host may be long */
const LABEL_LENGTH = 80;

export function inlayHints(model: DocumentModel, range: Span, ctx: ServiceContext = {}): InlayHintResult[] {
  const index = indexOf(ctx);
  if (!index) return [];
  const hints: InlayHintResult[] = [];
  /** the hint after `element`, labelled by `label` (asked only for an element in the range) */
  const add = (element: XmlElement | null, label: (element: XmlElement) => string | null): void => {
    if (!element || hints.length >= HINTS_PER_REQUEST || element.end < range.start || element.end > range.end) return;
    const text = label(element);
    if (text !== null) hints.push({ offset: element.end, label: inertLabel(text, LABEL_LENGTH) });
  };
  // each guest's name read once for all the hints in its <domain>
  const guestOf = guestNamer(model);
  // a hostdev interface and a pool take VFs only; a plain <hostdev> takes any PCI device, a whole card too
  const vfAddress = (element: XmlElement) => hostAddressLabel(element, model, index, true, guestOf);
  for (const device of model.devices)
    add(device.hostAddress, device.kind === 'interface' ? vfAddress : (element) => hostAddressLabel(element, model, index, false, guestOf));
  const forward = model.network ? firstChild(model.network, 'forward') : null;
  if (forward) {
    for (const address of childElements(forward, 'address')) add(address, vfAddress);
    for (const pf of childElements(forward, 'pf')) add(pf, (element) => pfLabel(element, model, index));
  }
  for (const { source } of networkInterfaces(model)) add(source, (element) => poolLabel(element, index, guestOf));
  return hints.sort((a, b) => a.offset - b.offset);
}

/**
 * What the host has at a guest's <source> address or a pool's <address>, and whether it is free; null when
 * the address cannot be read. `vfOnly`: the element takes a VF only (a PF or another device is the problem to say).
 */
function hostAddressLabel(
  element: XmlElement,
  model: DocumentModel,
  index: InventoryIndex,
  vfOnly: boolean,
  guestOf: GuestNamer,
): string | null {
  const canonical = readAddress(element).canonical;
  if (!canonical) return null;
  const device = index.byAddress.get(canonical);
  if (!device) return `not on host ${quotedName(index.inventory.host)}`;
  const pfName = `PF ${device.netdev ? quotedName(device.netdev) : canonical}`;
  if (vfOnly && device.kind === 'pf') return `${pfName}: not a VF`;
  if (vfOnly && device.kind !== 'vf') return 'no SR-IOV: not a VF';
  const pf = device.pf ? index.byAddress.get(addressKey(device.pf)) : undefined;
  const what =
    device.kind === 'vf'
      ? vfName(device, pf)
      : device.kind === 'pf'
        ? `${pfName} (the whole card)`
        : `PCI device, driver ${device.driver ?? 'none'}`;
  return `${what} · ${useState(canonical, documentOwner(model, element, guestOf), index)}`;
}

/** free, held by the document's own guest, or why not free in the words the rules and hover use */
function useState(canonical: string, owner: DocumentOwner, index: InventoryIndex): string {
  const use = index.usage.useOf(canonical, owner.guest, owner.network ?? null);
  if (!use.free) return use.busy ?? 'not free';
  const own = owner.guest !== null && index.usage.usersOf(canonical).some((u) => u.guest.name === owner.guest);
  return own ? 'held by this guest' : 'free';
}

/** A pool's <pf dev>: the PF's address and how many of its VFs are free for the pool, or that the host has no such PF. */
function pfLabel(element: XmlElement, model: DocumentModel, index: InventoryIndex): string | null {
  const dev = attrValue(element, 'dev');
  if (!dev) return null;
  const device = deviceByNetdev(index, dev);
  if (!device) return `no interface ${quotedName(dev)} on host ${quotedName(index.inventory.host)}`;
  if (device.kind !== 'pf') return `${device.address}: not a PF`;
  const { vfs, free } = pfVfs(index, device.address, documentOwner(model, element));
  return `PF ${device.address} · ${free}/${vfs.length} VFs free`;
}

/** An <interface type='network'>'s network: a VF pool's free VFs, or a name the host does not have. */
function poolLabel(source: XmlElement, index: InventoryIndex, guestOf: GuestNamer): string | null {
  const name = attrValue(source, 'network');
  if (name === null) return null;
  const network = index.inventory.networks.find((n) => n.name === name);
  if (!network)
    return listsAllNetworks(index.inventory) ? `no network ${quotedName(name)} on host ${quotedName(index.inventory.host)}` : null;
  if (!isHostdevPool(network)) return null;
  if (!network.active) return 'VF pool · inactive';
  return `VF pool · ${poolVfsText(index.usage.poolVfs(network, guestOf(source)))}`;
}
