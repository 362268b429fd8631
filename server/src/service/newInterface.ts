// The XML that "Insert SR-IOV Interface" writes and the SR-IOV view attaches: a full
// <interface type='hostdev' managed='yes'> for one VF, with a MAC no guest of the host and no device
// of the document uses (libvirt would otherwise program a duplicate MAC on the VF through the PF:
// virDomainNetDefParseXML accepts it, the guests then clash on the wire).
import { quotedName } from '../../../shared/quotedName';
import { pfLabel } from '../../../shared/vfUse';
import { freshMac } from './mac';
import type { DocumentModel } from './modelTypes';
import { addressKey, compareAddresses, parseCanonicalAddress, pciAddressElement } from './pci';
import { takenMacs } from './featureSupport';
import { buildIndex, type InventoryIndex } from './inventoryIndex';
import type { Inventory, InventoryDevice, ServiceContext } from './types';
import { poolInterfaceXml } from './pools';

export interface InterfaceLayout {
  /** indentation of every line after the first (the insertion line's own), default '' */
  indent?: string;
  /** one level of indentation, default two spaces */
  unit?: string;
}

/**
 * `model` is the document the interface goes into (its MACs are avoided), or null when there is none.
 * `target` is a VF's canonical DDDD:BB:SS.F (an <interface type='hostdev'>) or a pool
 * (an <interface type='network'> that takes a VF of it at start). Null when the address is not canonical.
 */
export function newInterfaceXml(
  model: DocumentModel | null,
  target: string | { network: string },
  ctx: ServiceContext,
  layout: InterfaceLayout = {},
  vlan?: number,
): { xml: string; mac: string } | null {
  if (typeof target === 'object') {
    if (target.network === '') return null;
    const mac = freshMac(takenMacs(model, ctx), ctx.random);
    return { xml: poolInterfaceXml(target.network, mac, layout), mac };
  }
  const pci = parseCanonicalAddress(target);
  if (!pci) return null;
  const mac = freshMac(takenMacs(model, ctx), ctx.random);
  const indent = layout.indent ?? '';
  const unit = layout.unit ?? '  ';
  const xml = [
    "<interface type='hostdev' managed='yes'>",
    `${unit}<mac address='${mac}'/>`,
    `${unit}<source>`,
    `${unit}${unit}${pciAddressElement(pci)}`,
    `${unit}</source>`,
    ...(vlan === undefined ? [] : [`${unit}<vlan>`, `${unit}${unit}<tag id='${vlan}'/>`, `${unit}</vlan>`]),
    '</interface>',
  ].join(`\n${indent}`);
  return { xml, mac };
}

/**
 * The PF `name` names: its netdev (enp11s0f0) or its PCI address, whole or without the domain
 * (0000:0b:00.0, 0b:00.0); `{ error }` lists the host's PFs when none is named so.
 */
export function pfNamed(inventory: Inventory, name: string): { pf: InventoryDevice } | { error: string } {
  const pfs = inventory.devices.filter((d) => d.kind === 'pf');
  const wanted = name.toLowerCase();
  const pf = pfs.find((d) => d.netdev === name || d.address.toLowerCase() === wanted || d.address.toLowerCase().endsWith(`:${wanted}`));
  if (pf) return { pf };
  const names = pfs.map((d) => (d.netdev ? quotedName(d.netdev) : d.address)).join(', ');
  return { error: `no PF named ${quotedName(name)} on ${quotedName(inventory.host)} (PFs: ${names || 'none'})` };
}

/**
 * The first free VF (lowest address) of the host, or of the PF named `pf` (its netdev, e.g.
 * enp11s0f0, or its PCI address). A VF is free when no guest uses it and no active network pools it.
 * `{ error }` says why there is none.
 */
/** `index`: the snapshot's index when the caller keeps one (the language service does). */
export function freeVf(
  inventory: Inventory,
  pf?: string,
  index: InventoryIndex = buildIndex(inventory),
  /** canonical addresses not to take (those other devices of a document name) */
  skip: ReadonlySet<string> = new Set(),
): { vf: InventoryDevice; pf: InventoryDevice | null } | { error: string; unknownPf?: true } {
  const pfs = inventory.devices.filter((d) => d.kind === 'pf');
  let candidates: readonly InventoryDevice[] = index.vfs;
  let match: InventoryDevice | undefined;
  if (pf !== undefined) {
    const named = pfNamed(inventory, pf);
    if ('error' in named) return { error: named.error, unknownPf: true };
    match = named.pf;
    candidates = index.vfsByPf.get(addressKey(match.address)) ?? [];
    if (candidates.length === 0) return { error: `${pfLabel(match)} has no VF enabled (sriov_numvfs is ${match.numVfs ?? 0})` };
  }
  if (candidates.length === 0) {
    const host = quotedName(inventory.host);
    if (pfs.length === 0) return { error: `no VF on ${host}: it has no SR-IOV device (no PF)` };
    return {
      error: `no VF on ${host}: none of its PFs (${pfs.map((d) => d.address).join(', ')}) has VFs enabled (sriov_numvfs is 0)`,
    };
  }
  const free = [...candidates]
    .sort((a, b) => compareAddresses(a.address, b.address))
    .find((d) => index.usage.useOf(d.address).free && !skip.has(addressKey(d.address)));
  if (!free)
    return {
      error: `every VF${match ? ` of ${pfLabel(match)}` : ''} on ${quotedName(inventory.host)} is used by a guest or an active network`,
    };
  return { vf: free, pf: free.pf ? (index.byAddress.get(addressKey(free.pf)) ?? null) : null };
}
