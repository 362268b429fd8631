// Hover: what a host address, a MAC, a <vlan> or a <virtualport> means to libvirt and to the host.
import { quotedName } from '../../../shared/quotedName';
import { formatAge } from '../../../shared/age';
import { isLocallyAdministered, isMulticast, isZero, parseMac } from './mac';
import { readAddress, type AddressField } from './address';
import { addressKey, formatPciField } from './pci';
import type { InventoryIndex } from './inventoryIndex';
import { iommuMissing, iommuSummary, persistenceOf, persistencePhrase } from './readiness';
import { deviceOfElement, elementPath, indexOf } from './featureSupport';
import type { GuestUse, VfUse } from '../../../shared/vfUse';
import { attr, attrValue, attributeEnd, childElements } from './xml/query';
import type { DocumentModel } from './modelTypes';
import type { HoverResult, Inventory, InventoryDevice, ServiceContext, Span } from './types';
import type { XmlElement } from './xml/types';
import { mdCode, mdText } from './markdown';
import { isNetworkSource, poolHover } from './pools';
import { guestOf } from './rules/guests';

export function hover(model: DocumentModel, offset: number, ctx: ServiceContext = {}): HoverResult | null {
  const path = elementPath(model.xml.roots, offset);
  // The innermost element whose start tag (name or an attribute) is under the cursor.
  for (let i = path.length - 1; i >= 0; i--) {
    const element = path[i];
    const span = startTagTarget(element, offset);
    if (!span) continue;
    if (isNetworkSource(element)) {
      const index = indexOf(ctx);
      const name = attrValue(element, 'network');
      if (!index || name === null) return null;
      return {
        contents: `${poolHover(name, index, guestOf(model, element))}\n\n---\n${inventoryFooter(index.inventory, ctx)}`,
        span,
      };
    }
    const device = deviceOfElement(model, element);
    if (!device) return null;
    if (device.hostAddress === element) return { contents: hostAddressHover(element, model, ctx), span };
    if (element.name === 'mac' && device.mac === element) {
      const result = macHover(element, model, ctx, span);
      // virDomainHostdevDefParseXML never reads it: whatever the MAC says, the VF does not get it
      if (device.kind === 'hostdev')
        result.contents +=
          "\n\n**libvirt drops <mac> inside <hostdev>**: the VF keeps its own MAC. Use `<interface type='hostdev'>` to set it.";
      return result;
    }
    if (device.kind === 'interface') {
      const vlan = element.name === 'vlan' ? element : element.name === 'tag' && element.parent?.name === 'vlan' ? element.parent : null;
      if (vlan) return { contents: vlanHover(vlan), span };
      const vport =
        element.name === 'virtualport'
          ? element
          : element.name === 'parameters' && element.parent?.name === 'virtualport'
            ? element.parent
            : null;
      if (vport) return { contents: virtualportHover(vport), span };
    }
    return null;
  }
  return null;
}

/** The span to highlight when `offset` is on the element's name or one of its attributes. */
function startTagTarget(element: XmlElement, offset: number): Span | null {
  if (element.nameSpan.start <= offset && offset <= element.nameSpan.end) return element.nameSpan;
  for (const a of element.attributes) {
    if (a.nameSpan.start > offset || offset > attributeEnd(a)) continue;
    // the value when the cursor is on it, else the whole attribute: the range must hold the cursor
    const value = a.valueSpan;
    return value && value.start <= offset && offset <= value.end ? value : { start: a.nameSpan.start, end: attributeEnd(a) };
  }
  return null;
}

// ---------------------------------------------------------------------------
// Host address

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

function hostAddressHover(element: XmlElement, model: DocumentModel, ctx: ServiceContext): string {
  const reading = readAddress(element);
  const lines: string[] = [];
  lines.push(reading.canonical ? `**Host PCI address** \`${reading.canonical}\`` : '**Host PCI address** (not readable as written)');
  lines.push('', ...reading.fields.map(describeField));
  const index = indexOf(ctx);
  if (index && reading.canonical) {
    // One paragraph per fact: Markdown would run consecutive lines together.
    for (const line of inventoryLines(index, reading.canonical, guestOf(model, element))) lines.push('', line);
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

function productLine(device: InventoryDevice): string {
  const vendor = VENDORS[device.vendor.toLowerCase()];
  const key = `${device.vendor.replace(/^0x/i, '')}:${device.product.replace(/^0x/i, '')}`.toLowerCase();
  const name = [vendor, device.name ?? PRODUCTS[key]].filter(Boolean).join(' ') || 'PCI device';
  const ids = mdCode(`${device.vendor.replace(/^0x/, '')}:${device.product.replace(/^0x/, '')}`);
  const parts = [`${mdText(name)} (${ids})`, `driver ${device.driver ? mdCode(device.driver) : 'none (unbound)'}`];
  if (device.numaNode !== null && device.numaNode >= 0) parts.push(`NUMA node ${device.numaNode}`);
  return parts.join(' · ');
}

function inventoryLines(index: InventoryIndex, canonical: string, ownGuest: string | null): string[] {
  const host = mdText(quotedName(index.inventory.host));
  const device = index.byAddress.get(canonical);
  if (!device)
    return [`**Not on host ${host}**: no PCI device \`${canonical}\` there (the guest fails to start: *Device ${canonical} not found*).`];
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
        "A physical function, not a VF: `<interface type='hostdev'>` needs a VF; a plain `<hostdev>` may take the whole card.",
    );
  } else {
    lines.push("**PCI device without SR-IOV**: use a plain `<hostdev>`; `<interface type='hostdev'>` works on VFs only.");
  }
  lines.push(productLine(device));
  if (device.iommuGroup !== null) {
    const others = (index.iommuGroups.get(device.iommuGroup) ?? []).filter((d) => d !== device).map((d) => mdCode(d.address));
    lines.push(`IOMMU group ${device.iommuGroup}: ${others.length ? `shared with ${others.join(', ')}` : 'this device only'}`);
  }
  if (device.kind === 'vf' && device.vf) lines.push(`PF reports for VF ${device.vfIndex ?? '?'}: ${adminSettings(device)}`);
  lines.push(...readinessLines(index.inventory, device));
  lines.push(usersLine(index.usage.usersOf(canonical), index.usage.useOf(canonical, ownGuest)));
  for (const network of index.usage.networksOf(canonical)) {
    lines.push(`In network pool ${mdCode(network.name)} (${network.active ? 'active' : 'inactive'})`);
  }
  return lines;
}

/** The host's IOMMU when it blocks assignment, and where the VFs of this device's PF come from at boot. */
function readinessLines(inventory: Inventory, device: InventoryDevice): string[] {
  const readiness = inventory.readiness;
  if (!readiness) return [];
  const lines: string[] = [];
  if (iommuMissing(inventory)) lines.push(`**${mdText(iommuSummary(readiness))}**`);
  const pf = device.kind === 'pf' ? device.address : device.kind === 'vf' ? device.pf : undefined;
  const phrase = pf ? persistencePhrase(persistenceOf(readiness, pf)) : null;
  // the phrase quotes host files (modprobe lines, udev rules): shown as text, never as markup
  if (phrase) lines.push(phrase.startsWith('VFs created at runtime') ? `**${phrase}**` : mdText(phrase));
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
function usersLine(uses: readonly GuestUse[], use: VfUse): string {
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

export { formatAge };

// ---------------------------------------------------------------------------
// MAC, VLAN, virtualport

function macHover(element: XmlElement, model: DocumentModel, ctx: ServiceContext, span: Span): HoverResult {
  const raw = attrValue(element, 'address');
  if (raw === null) return { contents: '**MAC**: no `address` yet; without one libvirt generates `52:54:00:xx:xx:xx` at attach.', span };
  const parsed = parseMac(raw);
  if (!parsed.ok) {
    return {
      contents: `**MAC** ${mdCode(raw)}: libvirt cannot parse this (\`virMacAddrParse\`): six octets of 1–2 hex digits separated by \`:\`.`,
      span,
    };
  }
  const lines = [`**MAC** \`${parsed.normalized}\`${parsed.normalized !== raw ? ` (normalised from ${mdCode(raw)})` : ''}`, ''];
  const bits: string[] = [];
  if (isZero(parsed.octets)) bits.push('all zero (libvirt 9.0 keeps it; newer libvirt generates a new one)');
  else if (isMulticast(parsed.octets)) bits.push('**multicast**: libvirt rejects it (*expected unicast mac address*)');
  else bits.push('unicast');
  if (!isZero(parsed.octets)) {
    bits.push(isLocallyAdministered(parsed.octets) ? 'locally administered' : 'universally administered (vendor OUI)');
  }
  if (parsed.octets[0] === 0x52 && parsed.octets[1] === 0x54 && parsed.octets[2] === 0) bits.push("libvirt/QEMU's default prefix 52:54:00");
  lines.push(bits.join(' · '));
  const index = indexOf(ctx);
  if (index) {
    const own = guestOf(model, element);
    const others = (index.guestMacs.get(parsed.normalized) ?? []).filter((g) => g !== own);
    const host = mdText(quotedName(index.inventory.host));
    lines.push(
      '',
      others.length
        ? `Also used by guest ${others.map((g) => `**${mdText(quotedName(g))}**`).join(', ')} on ${host}`
        : `No other guest on ${host} uses it`,
    );
  }
  return { contents: lines.join('\n'), span };
}

function vlanHover(vlan: XmlElement): string {
  const tags = childElements(vlan, 'tag').map((t) => mdCode(attrValue(t, 'id') ?? '?'));
  // virNetDevVlanParse compares with STRCASEEQ
  const trunk = attr(vlan, 'trunk')?.value?.toLowerCase() === 'yes';
  return [
    '**VLAN on an SR-IOV VF**',
    '',
    'libvirt programs the tag on the VF through its PF when the guest starts (`virNetDevSetNetConfig`). For a VF:',
    "- exactly one `<tag id='0..4095'/>` (0 clears it); more than one tag or `trunk='yes'` fails at start: *vlan trunking is not supported by SR-IOV network devices*",
    '- `nativeMode` is ignored (only the first tag is programmed)',
    '- not together with `<virtualport>`: *direct setting of the vlan tag is not allowed for hostdev devices using … mode*',
    '',
    `Here: ${tags.length ? `tag${tags.length > 1 ? 's' : ''} ${tags.join(', ')}` : 'no tag'}${trunk ? ", trunk='yes'" : ''}`,
  ].join('\n');
}

function virtualportHover(vport: XmlElement): string {
  const type = attrValue(vport, 'type');
  return [
    '**virtualport on an SR-IOV VF**',
    '',
    "- only `type='802.1Qbh'` works on a hostdev interface, with `<parameters profileid='…'/>` (at most 39 characters, no other parameter)",
    '- other types are accepted at define/`--config` but the guest fails to start: *virtualport type … is currently not supported on interfaces of type hostdev* (`virHostdevNetConfigVirtPortProfile`)',
    '- not together with `<vlan>`',
    '',
    `Here: ${type ? `type ${mdCode(type)}` : 'no type'}`,
  ].join('\n');
}
