// Host VF addresses as completion candidates: a full <address …/> per VF, and the domain/bus/slot/
// function values the host has. One list for a guest's <source> (hostdev interface, plain <hostdev>)
// and a VF pool's <forward> in a network document: what differs is passed in (the quote, whether the
// schema has `type='pci'` there, who "this document" is when a VF's use is told).
import { mdCode } from './markdown';
import { PCI_FIELDS, addressKey, formatPciField, parseCanonicalAddress, parsePciNumber, pciAddressElement, type PciField } from './pci';
import type { InventoryIndex } from './inventoryIndex';
import { quotedName } from '../../../shared/quotedName';
import { vfName } from '../../../shared/vfUse';
import type { AttrValueContext } from './completionContext';
import type { DocumentOwner } from './featureSupport';
import type { CompletionCandidate, InventoryDevice, Span } from './types';

export interface AddressLayout {
  quote: '"' | "'";
  /** `type='pci'` in the element (an interface's and a pool's <address>; a plain <hostdev>'s has none) */
  withType: boolean;
}

/** Why a VF is no choice for a device of this document: a guest or pool holds it, or another device here names it. */
function busyFor(index: InventoryIndex, vf: InventoryDevice, owner: DocumentOwner, inDocument: ReadonlySet<string>): string | null {
  const busy = index.usage.useOf(vf.address, owner.guest, owner.network ?? null).busy;
  if (busy) return busy;
  // two devices of one guest on one VF: the second is pci-duplicate (libvirt refuses the guest)
  return inDocument.has(addressKey(vf.address)) ? 'used by another device of this document' : null;
}

/**
 * A full <address …/> per VF of the host, free ones first; `skip` holds canonical addresses to leave out,
 * `inDocument` those other devices of the document name (told, and ranked with the busy ones).
 */
export function vfAddressCandidates(
  index: InventoryIndex,
  span: Span,
  layout: AddressLayout,
  owner: DocumentOwner,
  skip: ReadonlySet<string> = new Set(),
  inDocument: ReadonlySet<string> = new Set(),
): CompletionCandidate[] {
  return index.vfs
    .filter((vf) => !skip.has(addressKey(vf.address)))
    .map((vf) => {
      const address = parseCanonicalAddress(vf.address)!;
      const insertText = pciAddressElement(address, layout.quote, layout.withType);
      const busy = busyFor(index, vf, owner, inDocument);
      return {
        label: addressKey(vf.address),
        kind: 'snippet' as const,
        detail: vfDetail(index, vf) + (busy ? ` · ${busy}` : ''),
        documentation: mdCode(insertText),
        insertText,
        span,
        sortText: `${busy ? '1' : '0'} ${addressKey(vf.address)}`,
        filterText: insertText,
      };
    })
    .filter((c) => parseCanonicalAddress(c.label));
}

/**
 * domain/bus/slot/function values present on the host (VFs only when `vfsOnly`), given the fields already typed
 * in this address; a VF `inDocument` (another device of the document names it) is not counted free.
 */
export function pciFieldCandidates(
  c: AttrValueContext,
  index: InventoryIndex,
  vfsOnly: boolean,
  owner: DocumentOwner,
  inDocument: ReadonlySet<string> = new Set(),
): CompletionCandidate[] {
  const field = c.attr as PciField;
  const fixed: Partial<Record<PciField, number>> = {};
  for (const a of c.attrs) {
    if (a.name === field || !(PCI_FIELDS as readonly string[]).includes(a.name) || a.value === null) continue;
    const n = parsePciNumber(a.value);
    if (n.ok) fixed[a.name as PciField] = n.value;
  }
  const isFree = (d: InventoryDevice) => busyFor(index, d, owner, inDocument) === null;
  const groups = new Map<number, InventoryDevice[]>();
  for (const d of index.inventory.devices) {
    if (vfsOnly && d.kind !== 'vf') continue;
    const address = parseCanonicalAddress(d.address);
    if (!address) continue;
    if (PCI_FIELDS.some((f) => f !== field && fixed[f] !== undefined && fixed[f] !== address[f])) continue;
    const list = groups.get(address[field]) ?? [];
    list.push(d);
    groups.set(address[field], list);
  }
  return [...groups.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([value, devices]) => {
      const text = formatPciField(field, value);
      const free = devices.filter((d) => d.kind === 'vf' && isFree(d)).length;
      const detail =
        devices.length === 1
          ? `${addressKey(devices[0].address)} · ${devices[0].kind === 'vf' ? vfDetail(index, devices[0]) : `${devices[0].kind.toUpperCase()} ${devices[0].netdev ? quotedName(devices[0].netdev) : ''}`.trim()}${isFree(devices[0]) ? '' : ' · in use'}`
          : `${devices.length} devices, ${free} free VF${free === 1 ? '' : 's'}`;
      return { label: text, kind: 'value' as const, detail, insertText: text, span: c.span, sortText: text };
    });
}

/** "enp11s0f0 VF 3 · igbvf" */
function vfDetail(index: InventoryIndex, vf: InventoryDevice): string {
  return `${vfName(vf, vf.pf ? index.byAddress.get(addressKey(vf.pf)) : undefined)} · ${vf.driver ?? 'unbound'}`;
}
