// What a host PCI address is on the host, for hover: how each number was read, then the device the
// inventory has there (VF of which PF, product, IOMMU group, what the PF reports for it, readiness,
// who uses it, pools that list it) and the inventory's host and age. A guest's <source> address and
// a VF pool's <address> share it.
import { quotedName } from '../../../shared/quotedName';
import { formatAge } from '../../../shared/age';
import { readAddress, type AddressField } from './address';
import { addressKey, formatPciField } from './pci';
import type { InventoryIndex } from './inventoryIndex';
import { iommuMissing, iommuSummary, persistencePhrase } from './readiness';
import { documentOwner, indexOf, type DocumentOwner } from './featureSupport';
import type { GuestUse, VfUse } from '../../../shared/vfUse';
import type { DocumentModel } from './modelTypes';
import type { Inventory, InventoryDevice, ServiceContext } from './types';
import type { XmlElement } from './xml/types';
import { mdCode, mdText } from './markdown';

function describeField(f: AddressField): string {
  if (!f.attr) return `- \`${f.field}\` absent → 0`;
  const raw = f.attr.value ?? '';
  const written = mdCode(`${f.field}='${raw}'`);
  if (!f.parsed || !f.parsed.ok) return `- ${written}: not a number libvirt reads (C \`strtoul\` base 0; hex needs \`0x\`)`;
  const value = f.parsed.value;
  const hex = `\`${formatPciField(f.field, value)}\``;
  switch (f.parsed.base) {
    case 'hex':
      return `- ${written} hex = ${value}`;
    case 'decimal':
      return `- ${written} decimal ${value} = ${hex}`;
    case 'octal':
      return `- ${written} **octal** (leading zero) = ${value} = ${hex}`;
  }
}

/** A guest's <source> address or a VF pool's <address>: the canonical address, each number's reading, the host's device there. */
export function hostAddressHover(element: XmlElement, model: DocumentModel, ctx: ServiceContext): string {
  const reading = readAddress(element);
  const lines: string[] = [];
  lines.push(reading.canonical ? `**Host PCI address** \`${reading.canonical}\`` : '**Host PCI address** (not readable as written)');
  lines.push('', ...reading.fields.map(describeField));
  const index = indexOf(ctx);
  if (index && reading.canonical) {
    // One paragraph per fact: Markdown would run consecutive lines together.
    for (const line of inventoryLines(index, reading.canonical, documentOwner(model, element))) lines.push('', line);
    lines.push('', '---', inventoryFooter(index.inventory, ctx));
  }
  return lines.join('\n');
}

const VENDORS: Record<string, string> = {
  '0x8086': 'Intel',
  '0x15b3': 'Mellanox',
  '0x14e4': 'Broadcom',
  '0x1077': 'QLogic',
  '0x19a2': 'Emulex',
  '0x1924': 'Solarflare',
  '0x10ec': 'Realtek',
  '0x1137': 'Cisco',
  '0x177d': 'Cavium',
  '0x1d0f': 'Amazon',
  '0x8088': 'Wangxun',
  '0x1af4': 'Red Hat (virtio)',
  '0x19e5': 'Huawei',
  '0x1dd8': 'Pensando',
};

/**
 * Names of common SR-IOV NICs (from pci.ids), for hosts without lspci: sysfs has only the ids.
 * A name from the inventory (lspci) wins.
 */
const PRODUCTS: Record<string, string> = {
  '8086:10c9': '82576 Gigabit Network Connection',
  '8086:10ca': '82576 Virtual Function',
  '8086:10fb': '82599ES 10-Gigabit SFI/SFP+',
  '8086:10ed': '82599 Virtual Function',
  '8086:1521': 'I350 Gigabit Network Connection',
  '8086:1520': 'I350 Virtual Function',
  '8086:1572': 'Ethernet Controller X710 for 10GbE SFP+',
  '8086:1583': 'Ethernet Controller XL710 for 40GbE QSFP+',
  '8086:154c': 'Ethernet Virtual Function 700 Series',
  '8086:1592': 'Ethernet Controller E810-C for QSFP',
  '8086:1889': 'Ethernet Adaptive Virtual Function',
  '15b3:1015': 'MT27710 Family [ConnectX-4 Lx]',
  '15b3:1016': 'MT27710 Family [ConnectX-4 Lx Virtual Function]',
  '15b3:1017': 'MT27800 Family [ConnectX-5]',
  '15b3:1018': 'MT27800 Family [ConnectX-5 Virtual Function]',
  '15b3:101d': 'MT2892 Family [ConnectX-6 Dx]',
  '15b3:101e': 'ConnectX Family mlx5Gen Virtual Function',
};

export function productLine(device: InventoryDevice): string {
  const vendor = VENDORS[device.vendor.toLowerCase()];
  const key = `${device.vendor.replace(/^0x/i, '')}:${device.product.replace(/^0x/i, '')}`.toLowerCase();
  const name = [vendor, device.name ?? PRODUCTS[key]].filter(Boolean).join(' ') || 'PCI device';
  const ids = mdCode(`${device.vendor.replace(/^0x/, '')}:${device.product.replace(/^0x/, '')}`);
  const parts = [`${mdText(name)} (${ids})`, `driver ${device.driver ? mdCode(device.driver) : 'none (unbound)'}`];
  if (device.numaNode !== null && device.numaNode >= 0) parts.push(`NUMA node ${device.numaNode}`);
  return parts.join(' · ');
}

/** In a pool, net-define refuses an address that is no VF (networkValidate, the network-vf rule). */
function notAVfInPool(canonical: string, network: string | null): string {
  return `net-define refuses it: *device '/sys/bus/pci/devices/${canonical}' in network ${mdText(quotedName(network ?? ''))} is not an SR-IOV Virtual Function*`;
}

function inventoryLines(index: InventoryIndex, canonical: string, owner: DocumentOwner): string[] {
  const host = mdText(quotedName(index.inventory.host));
  const device = index.byAddress.get(canonical);
  const pool = owner.network !== undefined;
  if (!device)
    return [
      `**Not on host ${host}**: no PCI device \`${canonical}\` there (${pool ? notAVfInPool(canonical, owner.network ?? null) : `the guest fails to start: *Device ${canonical} not found*`}).`,
    ];
  const lines: string[] = [];
  if (device.kind === 'vf') {
    const pf = device.pf ? index.byAddress.get(addressKey(device.pf)) : undefined;
    const pfInfo = pf
      ? ` (${[pf.netdev ? quotedName(pf.netdev) : null, pf.driver]
          .filter(Boolean)
          .map((s) => mdText(s!))
          .join(', ')})`
      : '';
    lines.push(`**VF ${device.vfIndex ?? '?'}** of PF ${mdCode(device.pf ?? '?')}${pfInfo}`);
  } else if (device.kind === 'pf') {
    lines.push(
      `**PF** ${device.netdev ? mdText(quotedName(device.netdev)) : ''}: ${device.numVfs ?? 0} of ${device.totalVfs ?? 0} VFs enabled. ` +
        (pool
          ? `A physical function, not a VF: a pool lists VFs only (${notAVfInPool(canonical, owner.network ?? null)}); \`<pf dev>\` takes all of a PF's VFs.`
          : "A physical function, not a VF: `<interface type='hostdev'>` needs a VF; a plain `<hostdev>` may take the whole card."),
    );
  } else {
    lines.push(
      pool
        ? `**PCI device without SR-IOV**: a pool lists VFs only (${notAVfInPool(canonical, owner.network ?? null)}).`
        : "**PCI device without SR-IOV**: use a plain `<hostdev>`; `<interface type='hostdev'>` works on VFs only.",
    );
  }
  lines.push(productLine(device));
  if (device.iommuGroup !== null) {
    const others = (index.iommuGroups.get(device.iommuGroup) ?? []).filter((d) => d !== device).map((d) => mdCode(d.address));
    lines.push(`IOMMU group ${device.iommuGroup}: ${others.length ? `shared with ${others.join(', ')}` : 'this device only'}`);
  }
  if (device.kind === 'vf' && device.vf) lines.push(`PF reports for VF ${device.vfIndex ?? '?'}: ${adminSettings(device)}`);
  lines.push(...readinessLines(index.inventory, device));
  lines.push(usersLine(index.usage.usersOf(canonical), index.usage.useOf(canonical, owner.guest, owner.network ?? null)));
  for (const network of index.usage.networksOf(canonical)) {
    const own = network.name === owner.network ? '; this network, as the host defines it' : '';
    lines.push(`In network pool ${mdCode(network.name)} (${network.active ? 'active' : 'inactive'}${own})`);
  }
  return lines;
}

/** The host's IOMMU when it blocks assignment, and where the VFs of this device's PF come from at boot. */
export function readinessLines(inventory: Inventory, device: InventoryDevice): string[] {
  const readiness = inventory.readiness;
  if (!readiness) return [];
  const lines: string[] = [];
  if (iommuMissing(inventory)) lines.push(`**${mdText(iommuSummary(readiness))}**`);
  const pf = device.kind === 'pf' ? device.address : device.kind === 'vf' ? device.pf : undefined;
  const pfDevice = pf ? inventory.devices.find((d) => d.kind === 'pf' && d.address === pf) : undefined;
  const phrase = pf ? persistencePhrase(readiness, pf, pfDevice?.numVfs, pfDevice && { pf: pfDevice, inventory }) : null;
  if (phrase) {
    const shown = phrase.quotesHost ? mdText(phrase.text) : phrase.text;
    lines.push(phrase.concern ? `**${shown}**` : shown);
  }
  return lines;
}

function adminSettings(device: InventoryDevice): string {
  const vf = device.vf ?? {};
  const parts: string[] = [];
  if (vf.mac !== undefined) parts.push(`MAC ${mdCode(vf.mac)}`);
  parts.push(vf.vlan ? `VLAN ${vf.vlan}` : 'no VLAN');
  if (vf.spoofchk !== undefined) parts.push(`spoofchk ${vf.spoofchk ? 'on' : 'off'}`);
  if (vf.trust !== undefined) parts.push(`trust ${vf.trust ? 'on' : 'off'}`);
  return parts.join(', ');
}

/** Every guest that holds the address (the document's own marked), or whether it is free. */
export function usersLine(uses: readonly GuestUse[], use: VfUse): string {
  if (uses.length === 0) return use.free ? 'Free: no guest uses it' : `Not free: ${mdText(use.busy ?? '')}`;
  const described = uses.map((u) => {
    const where = [u.device.live ? 'live' : '', u.device.config ? 'persistent' : ''].filter(Boolean).join(' + ');
    const own = use.guests.includes(u) ? '' : ', this document';
    return `**${mdText(quotedName(u.guest.name))}** (${mdText(u.guest.state)}; ${where || 'defined'}${own})`;
  });
  return `Used by ${described.join(', ')}`;
}

/** "Inventory of 'kvm1', taken 5 min ago". */
export function inventoryFooter(inventory: Inventory, ctx: ServiceContext): string {
  const taken = Date.parse(inventory.takenAt);
  if (Number.isNaN(taken)) return `_Inventory of ${mdText(quotedName(inventory.host))}, taken ${mdText(inventory.takenAt)}_`;
  return `_Inventory of ${mdText(quotedName(inventory.host))}, taken ${formatAge((ctx.now ?? new Date()).getTime() - taken)}_`;
}
