// Completion on half-typed XML. The context (typing an element name, an attribute value, or in an
// element's content) is read by scanning the tag around the cursor, so it works however the tolerant
// parser recovered the rest of the document; the tree supplies the enclosing elements and the device.
import { mdCode } from './markdown';
import { freshMac } from './mac';
import { PCI_FIELDS, formatPciField, parseCanonicalAddress, parsePciNumber, pciAddressElement, type PciField } from './pci';
import { addressKey } from './pci';
import type { InventoryIndex } from './inventoryIndex';
import { deviceOfElement, elementPath, indexOf, quoteOf, takenMacs } from './featureSupport';
import { quotedName } from '../../../shared/quotedName';
import { vfName } from '../../../shared/vfUse';
import type { DeviceModel, DocumentModel } from './modelTypes';
import type { CompletionCandidate, InventoryDevice, ServiceContext, Span } from './types';
import type { XmlElement } from './xml/types';
import { networkCandidates, portgroupCandidates } from './pools';
import { guestOf } from './rules/guests';
import { attrValue as attrValueOf } from './xml/query';
import { DQ, SQ } from './xml/chars';
import { ScannerState, TokenType, createScanner } from './xml/scanner';
import { disableCommentCodes } from './suppressionCompletion';

interface TypedAttr {
  name: string;
  value: string | null;
}

type Context =
  | { kind: 'elementName'; lt: number; span: Span }
  | { kind: 'attrValue'; lt: number; element: string; attr: string; attrs: TypedAttr[]; span: Span }
  | { kind: 'content'; span: Span };

export function complete(model: DocumentModel, offset: number, ctx: ServiceContext = {}): CompletionCandidate[] {
  const text = model.text;
  const codes = disableCommentCodes(text, offset);
  if (codes) return codes;
  const context = readContext(text, offset);
  if (!context) return [];
  const anchor = context.kind === 'content' ? offset : context.lt;
  const parent = enclosingElement(model, anchor, context.kind === 'content' ? null : context.lt);
  const device = deviceOfElement(model, parent);
  if (
    context.kind === 'attrValue' &&
    context.element === 'source' &&
    parent?.name === 'interface' &&
    attrValueOf(parent, 'type') === 'network'
  )
    return poolValues(model, context, parent, ctx);
  if (context.kind === 'attrValue') return attributeValues(model, context, parent, device, ctx);
  if (!parent || !device) return [];
  const inSource = parent === device.source || (parent.name === 'source' && parent.parent === device.element);
  if (inSource) return vfAddresses(model, device, context.span, ctx);
  if (context.kind === 'elementName' && parent === device.element) return childElements(model, device, context.span, ctx);
  return [];
}

// ---------------------------------------------------------------------------
// Context from the tag around the cursor

/** the tokens a start tag is made of after its name */
const IN_TAG = new Set([
  TokenType.Whitespace,
  TokenType.AttributeName,
  TokenType.DelimiterAssign,
  TokenType.AttributeValue,
  TokenType.Unknown,
]);

/**
 * What is being typed at `offset`: read with the parser's own scanner from the last '<' before it, so
 * a half-typed tag is taken apart as the parser takes it (a value whose closing quote is missing ends
 * where the parser ends it; a '>' inside a quoted value does not end the tag). In a start tag: its
 * name, or a quoted value with the tag's other attributes (those after the cursor too); nothing
 * between attributes, in a name, in an end tag or in a comment.
 */
function readContext(text: string, offset: number): Context | null {
  const content: Context = { kind: 'content', span: { start: offset, end: offset } };
  // (lastIndexOf clamps a negative start to 0: at offset 0 nothing is before the cursor)
  const lt = offset > 0 ? text.lastIndexOf('<', offset - 1) : -1;
  if (lt < 0) return content;
  const scanner = createScanner(text, lt);
  const first = scanner.scan();
  if (first !== TokenType.StartTagOpen) {
    // a '<' just typed, before anything a name can start with
    if (offset === lt + 1) return { kind: 'elementName', lt, span: { start: lt, end: offset } };
    // a '<' that starts nothing is text inside a comment, CDATA or a processing instruction (in
    // well-formed XML): content once a '>' has ended that
    if (first === TokenType.Unknown) return text.lastIndexOf('>', offset - 1) > lt ? content : null;
    // an end tag, a comment, a declaration: content once it is over (not at the end of a half-typed one)
    while (scanner.getScannerState() !== ScannerState.WithinContent && scanner.getTokenEnd() < offset) scanner.scan();
    const over = scanner.getScannerState() === ScannerState.WithinContent && scanner.getTokenError() === undefined;
    return over && scanner.getTokenEnd() <= offset ? content : null;
  }
  scanner.scan();
  const nameEnd = scanner.getTokenEnd();
  if (offset <= nameEnd) return { kind: 'elementName', lt, span: { start: lt, end: nameEnd } };
  const attrs: TypedAttr[] = [];
  let typed: { attr: string; span: Span } | null = null;
  /** the attribute whose '=' and value may come next */
  let name: string | null = null;
  for (;;) {
    const token = scanner.scan();
    const start = scanner.getTokenOffset();
    const end = scanner.getTokenEnd();
    if (!IN_TAG.has(token) || scanner.getScannerState() === ScannerState.WithinContent) {
      // the tag is over: after its '>' or '/>' the cursor is in content
      if (typed === null)
        return (token === TokenType.StartTagClose || token === TokenType.StartTagSelfClose) && end <= offset ? content : null;
      break;
    }
    // past the cursor without being in a value: it is between attributes or in a name
    if (typed === null && start >= offset) return null;
    if (token === TokenType.AttributeName) {
      if (name !== null) attrs.push({ name, value: null });
      name = text.slice(start, end);
    } else if (token === TokenType.AttributeValue && name !== null) {
      const quote = text.charCodeAt(start);
      const quoted = quote === SQ || quote === DQ;
      const valueStart = quoted ? start + 1 : start;
      const valueEnd = quoted && end - start >= 2 && text.charCodeAt(end - 1) === quote ? end - 1 : end;
      if (typed === null && quoted && offset >= valueStart && offset <= valueEnd)
        typed = { attr: name, span: { start: valueStart, end: valueEnd } };
      else attrs.push({ name, value: text.slice(valueStart, valueEnd) });
      name = null;
    }
  }
  if (name !== null) attrs.push({ name, value: null });
  return { kind: 'attrValue', lt, element: text.slice(lt + 1, nameEnd), attr: typed.attr, attrs, span: typed.span };
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
  const quote = quoteOf(device.element);
  const own = guestOf(model, device.element);
  return index.vfs
    .map((vf) => {
      const address = parseCanonicalAddress(vf.address)!;
      const insertText = pciAddressElement(address, quote, device.kind === 'interface');
      const busy = index.usage.useOf(vf.address, own).busy;
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

// ---------------------------------------------------------------------------
// Child elements of a device

function childElements(model: DocumentModel, device: DeviceModel, span: Span, ctx: ServiceContext): CompletionCandidate[] {
  const q = quoteOf(device.element);
  const mac = freshMac(takenMacs(model, ctx), ctx.random);
  const snippets: Record<string, [string, string]> = {
    mac: [`<mac address=${q}\${1:${mac}}${q}/>`, 'MAC the PF programs on the VF'],
    source: [`<source>\n\t$0\n</source>`, 'host PCI address of the VF'],
    vlan: [`<vlan>\n\t<tag id=${q}\${1:42}${q}/>\n</vlan>`, 'one VLAN tag (no trunk on a VF)'],
    virtualport: [
      `<virtualport type=${q}802.1Qbh${q}>\n\t<parameters profileid=${q}\${1:profile}${q}/>\n</virtualport>`,
      'only 802.1Qbh works on a VF',
    ],
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
  const present = new Set(device.element.children.filter((c) => c.start !== span.start).map((c) => c.name));
  return names
    .filter((n) => !present.has(n))
    .map((name, i) => ({
      label: name,
      kind: 'element' as const,
      detail: snippets[name][1],
      insertText: snippets[name][0],
      isSnippet: true,
      span,
      sortText: String(i).padStart(2, '0'),
      filterText: `<${name}`,
    }));
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
  c: Extract<Context, { kind: 'attrValue' }>,
  parent: XmlElement | null,
  device: DeviceModel | null,
  ctx: ServiceContext,
): CompletionCandidate[] {
  let key: string | null = null;
  if (c.attr === 'managed' && (c.element === 'interface' || c.element === 'hostdev')) key = 'managed';
  else if (c.element === 'interface' && c.attr === 'type') key = 'interface/type';
  else if (c.element === 'hostdev' && (c.attr === 'type' || c.attr === 'mode')) key = `hostdev/${c.attr}`;
  else if (!device) return [];
  else if (c.element === 'virtualport' && c.attr === 'type') key = 'virtualport/type';
  else if (c.element === 'driver' && c.attr === 'name' && parent === device.element) key = 'driver/name';
  else if (c.element === 'mac' && c.attr === 'address' && device.kind === 'interface') return [freshMacCandidate(model, c.span, ctx)];
  else if (c.element === 'address' && parent === device.source) {
    if (c.attr === 'type') key = 'hostAddress/type';
    else if ((PCI_FIELDS as readonly string[]).includes(c.attr)) return fieldValues(c, device, model, ctx);
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

/** domain/bus/slot/function values present on the host, given the fields already typed in this address. */
function fieldValues(
  c: Extract<Context, { kind: 'attrValue' }>,
  device: DeviceModel,
  model: DocumentModel,
  ctx: ServiceContext,
): CompletionCandidate[] {
  const index = indexOf(ctx);
  if (!index) return [];
  const field = c.attr as PciField;
  const fixed: Partial<Record<PciField, number>> = {};
  for (const a of c.attrs) {
    if (a.name === field || !(PCI_FIELDS as readonly string[]).includes(a.name) || a.value === null) continue;
    const n = parsePciNumber(a.value);
    if (n.ok) fixed[a.name as PciField] = n.value;
  }
  const own = guestOf(model, device.element);
  const groups = new Map<number, InventoryDevice[]>();
  for (const d of index.inventory.devices) {
    if (device.kind === 'interface' && d.kind !== 'vf') continue;
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
      const free = devices.filter((d) => d.kind === 'vf' && index.usage.useOf(d.address, own).free).length;
      const detail =
        devices.length === 1
          ? `${addressKey(devices[0].address)} · ${devices[0].kind === 'vf' ? vfDetail(index, devices[0]) : `${devices[0].kind.toUpperCase()} ${devices[0].netdev ? quotedName(devices[0].netdev) : ''}`.trim()}${index.usage.useOf(devices[0].address, own).free ? '' : ' · in use'}`
          : `${devices.length} devices, ${free} free VF${free === 1 ? '' : 's'}`;
      return { label: text, kind: 'value' as const, detail, insertText: text, span: c.span, sortText: text };
    });
}

/** "enp11s0f0 VF 3 · igbvf" */
function vfDetail(index: InventoryIndex, vf: InventoryDevice): string {
  return `${vfName(vf, vf.pf ? index.byAddress.get(addressKey(vf.pf)) : undefined)} · ${vf.driver ?? 'unbound'}`;
}

/** <source network='…'> and <source portgroup='…'> of an <interface type='network'>: the host's networks. */
function poolValues(
  model: DocumentModel,
  c: Extract<Context, { kind: 'attrValue' }>,
  iface: XmlElement,
  ctx: ServiceContext,
): CompletionCandidate[] {
  const index = indexOf(ctx);
  if (!index) return [];
  if (c.attr === 'network') return networkCandidates(index, guestOf(model, iface), c.span);
  if (c.attr === 'portgroup') return portgroupCandidates(index, c.attrs.find((a) => a.name === 'network')?.value ?? null, c.span);
  return [];
}
