// Completion on half-typed XML. The context (typing an element name, an attribute value, or in an
// element's content) is read by scanning the tag around the cursor, so it works however the tolerant
// parser recovered the rest of the document; the tree supplies the enclosing elements and the device.
import { freshMac } from './mac';
import { PCI_FIELDS } from './pci';
import {
  deviceOfElement,
  documentAddresses,
  elementPath,
  inNetworkDocument,
  indexOf,
  lineIndent,
  quoteOf,
  takenMacs,
} from './featureSupport';
import { quotedName } from '../../../shared/quotedName';
import type { DeviceModel, DocumentModel } from './modelTypes';
import type { CompletionCandidate, ServiceContext, Span } from './types';
import type { XmlElement } from './xml/types';
import { networkCandidates, portgroupCandidates } from './pools';
import { guestOf } from './rules/guests';
import { attrValue as attrValueOf, decodeXmlText } from './xml/query';
import { disableCommentCodes } from './suppressionCompletion';
import { readContext, type AttrValueContext } from './completionContext';
import { pciFieldCandidates, vfAddressCandidates } from './vfAddressCompletion';
import { completeInNetwork } from './networkCompletion';
import { elementCandidates, virtualportSnippet, vlanSnippet } from './elementSnippets';
import { newInterfaceCandidates } from './interfaceCompletion';

export function complete(model: DocumentModel, offset: number, ctx: ServiceContext = {}): CompletionCandidate[] {
  const text = model.text;
  const codes = disableCommentCodes(text, offset);
  if (codes) return codes;
  const context = readContext(text, offset);
  if (!context) return [];
  const anchor = context.kind === 'content' ? offset : context.lt;
  const parent = enclosingElement(model, anchor, context.kind === 'content' ? null : context.lt);
  if (parent && model.network && inNetworkDocument(model, parent)) {
    const items = completeInNetwork(model, context, parent, ctx);
    if (items) return items;
  }
  const device = deviceOfElement(model, parent);
  if (
    context.kind === 'attrValue' &&
    context.element === 'source' &&
    parent?.name === 'interface' &&
    attrValueOf(parent, 'type') === 'network'
  )
    return poolValues(model, context, parent, ctx);
  if (context.kind === 'attrValue') return attributeValues(model, context, parent, device, ctx);
  const ownLine = context.kind === 'content' && lineIndent(text, offset) !== null;
  if (parent?.name === 'devices' && (context.kind === 'elementName' || ownLine)) return newInterfaceCandidates(model, context.span, ctx);
  if (!parent || !device) return [];
  const inSource = parent === device.source || (parent.name === 'source' && parent.parent === device.element);
  if (inSource) return vfAddresses(model, device, context.span, ctx);
  if (parent !== device.element) return [];
  if (context.kind === 'elementName') return childElements(model, device, context.span, ctx);
  // asked on a line of its own inside the device (Ctrl+Space before typing '<'): the same elements, at the cursor
  if (ownLine) return childElements(model, device, context.span, ctx);
  return [];
}

/** The innermost element whose content holds `offset`, ignoring the partial element opened at `self`. */
function enclosingElement(model: DocumentModel, offset: number, self: number | null): XmlElement | null {
  const path = elementPath(model.xml.roots, offset).filter((e) => e.start !== self && e.startTagEnd <= offset);
  return path.length ? path[path.length - 1] : null;
}

// ---------------------------------------------------------------------------
// VF addresses inside <source>

function vfAddresses(model: DocumentModel, device: DeviceModel, span: Span, ctx: ServiceContext): CompletionCandidate[] {
  const index = indexOf(ctx);
  if (!index) return [];
  const layout = { quote: quoteOf(device.element), withType: device.kind === 'interface' };
  return vfAddressCandidates(index, span, layout, { guest: guestOf(model, device.element) }, undefined, documentAddresses(model, device));
}

// ---------------------------------------------------------------------------
// Child elements of a device

function childElements(model: DocumentModel, device: DeviceModel, span: Span, ctx: ServiceContext): CompletionCandidate[] {
  const q = quoteOf(device.element);
  const mac = freshMac(takenMacs(model, ctx), ctx.random);
  const snippets: Record<string, [string, string]> = {
    mac: [`<mac address=${q}\${1:${mac}}${q}/>`, 'MAC the PF programs on the VF'],
    source: [`<source>\n\t$0\n</source>`, 'host PCI address of the VF'],
    vlan: [vlanSnippet(q), 'one VLAN tag (no trunk on a VF)'],
    virtualport: [virtualportSnippet(q), 'only 802.1Qbh works on a VF'],
    driver: [`<driver name=${q}vfio${q}/>`, 'assignment backend (QEMU: vfio)'],
    address: [
      `<address type=${q}pci${q} domain=${q}0x0000${q} bus=${q}\${1:0x00}${q} slot=${q}\${2:0x00}${q} function=${q}\${3:0x0}${q}/>`,
      'guest-side PCI slot',
    ],
    alias: [`<alias name=${q}ua-\${1:name}${q}/>`, 'user alias (ua- prefix)'],
    boot: [`<boot order=${q}\${1:1}${q}/>`, 'boot from this device'],
    rom: [`<rom bar=${q}\${1|on,off|}${q}/>`, 'option ROM'],
    teaming: [`<teaming type=${q}transient${q} persistent=${q}\${1:ua-backup0}${q}/>`, 'failover pair with a virtio interface'],
  };
  const names =
    device.kind === 'interface'
      ? ['mac', 'source', 'vlan', 'virtualport', 'driver', 'address', 'alias', 'boot', 'rom', 'teaming']
      : ['source', 'driver', 'address', 'alias', 'boot', 'rom', 'teaming'];
  const table = names.map((name) => ({ name, insertText: snippets[name][0], detail: snippets[name][1] }));
  return elementCandidates(table, device.element, span);
}

// ---------------------------------------------------------------------------
// Attribute values

const VALUES: Record<string, Array<[string, string]>> = {
  'interface/type': [
    ['hostdev', 'SR-IOV VF passed through'],
    ['network', ''],
    ['bridge', ''],
    ['direct', 'macvtap'],
    ['ethernet', ''],
    ['user', ''],
    ['vhostuser', ''],
    ['vdpa', ''],
  ],
  'hostdev/mode': [['subsystem', '']],
  'hostdev/type': [['pci', '']],
  managed: [
    ['yes', 'libvirt detaches the VF from its host driver and binds vfio-pci'],
    ['no', 'default: you run virsh nodedev-detach first'],
  ],
  'virtualport/type': [
    ['802.1Qbh', 'the only type that works on a VF'],
    ['802.1Qbg', 'not supported on hostdev (fails at start)'],
    ['openvswitch', 'not supported on hostdev (fails at start)'],
    ['midonet', 'not supported on hostdev (fails at start)'],
  ],
  'driver/name': [
    ['vfio', 'VFIO (the only backend QEMU supports)'],
    ['kvm', 'legacy: QEMU refuses it'],
    ['xen', 'Xen only'],
  ],
  'hostAddress/type': [['pci', '']],
  'guestAddress/type': [
    ['pci', ''],
    ['unassigned', 'hidden from the guest'],
  ],
};

function attributeValues(
  model: DocumentModel,
  c: AttrValueContext,
  parent: XmlElement | null,
  device: DeviceModel | null,
  ctx: ServiceContext,
): CompletionCandidate[] {
  let key: string | null = null;
  // (a <forward> is a network document's VF pool: libvirt manages its VFs as a hostdev interface's)
  if (c.attr === 'managed' && (c.element === 'interface' || c.element === 'hostdev' || c.element === 'forward')) key = 'managed';
  else if (c.element === 'interface' && c.attr === 'type') key = 'interface/type';
  else if (c.element === 'hostdev' && (c.attr === 'type' || c.attr === 'mode')) key = `hostdev/${c.attr}`;
  else if (!device) return [];
  else if (c.element === 'virtualport' && c.attr === 'type') key = 'virtualport/type';
  else if (c.element === 'driver' && c.attr === 'name' && parent === device.element) key = 'driver/name';
  else if (c.element === 'mac' && c.attr === 'address' && device.kind === 'interface') return [freshMacCandidate(model, c.span, ctx)];
  else if (c.element === 'address' && parent === device.source) {
    if (c.attr === 'type') key = 'hostAddress/type';
    else if ((PCI_FIELDS as readonly string[]).includes(c.attr)) {
      const index = indexOf(ctx);
      return index
        ? pciFieldCandidates(
            c,
            index,
            device.kind === 'interface',
            { guest: guestOf(model, device.element) },
            documentAddresses(model, device),
          )
        : [];
    }
  } else if (c.element === 'address' && parent === device.element && c.attr === 'type') key = 'guestAddress/type';
  if (!key) return [];
  return VALUES[key].map(([value, detail], i) => ({
    label: value,
    kind: 'value' as const,
    detail: detail || undefined,
    insertText: value,
    span: c.span,
    sortText: String(i).padStart(2, '0'),
  }));
}

function freshMacCandidate(model: DocumentModel, span: Span, ctx: ServiceContext): CompletionCandidate {
  const mac = freshMac(takenMacs(model, ctx), ctx.random);
  const where = ctx.inventory ? `any guest on ${quotedName(ctx.inventory.host)} or` : '';
  return {
    label: mac,
    kind: 'value',
    detail: `fresh MAC, not used by ${where} this document`.replace(/\s+/g, ' '),
    insertText: mac,
    span,
    sortText: '00',
  };
}

/** <source network='…'> and <source portgroup='…'> of an <interface type='network'>: the host's networks. */
function poolValues(model: DocumentModel, c: AttrValueContext, iface: XmlElement, ctx: ServiceContext): CompletionCandidate[] {
  const index = indexOf(ctx);
  if (!index) return [];
  if (c.attr === 'network') return networkCandidates(index, guestOf(model, iface), c.span);
  if (c.attr === 'portgroup') {
    // the network's name as libvirt reads it (r&amp;d is r&d)
    const network = c.attrs.find((a) => a.name === 'network')?.value;
    return portgroupCandidates(index, network != null ? decodeXmlText(network) : null, c.span);
  }
  return [];
}
