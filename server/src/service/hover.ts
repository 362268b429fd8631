// Hover: what a host address, a MAC, a <vlan> or a <virtualport> means to libvirt and to the host;
// in a network document, a VF pool's <pf dev> and <address> (networkHover.ts).
import { nameList, quotedName } from '../../../shared/quotedName';
import { isLocallyAdministered, isMulticast, isZero, parseMac } from './mac';
import { deviceOfElement, elementPath, inNetworkDocument, indexOf } from './featureSupport';
import { attr, attrValue, attributeEnd, childElements } from './xml/query';
import type { DocumentModel } from './modelTypes';
import type { HoverResult, ServiceContext, Span } from './types';
import type { XmlElement } from './xml/types';
import { mdCode, mdText } from './markdown';
import { isNetworkSource, poolHover } from './pools';
import { guestOf } from './rules/guests';
import { hostAddressHover, inventoryFooter } from './deviceHover';
import { networkElementHover } from './networkHover';

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
    if (inNetworkDocument(model, element)) return networkElementHover(element, model, ctx, span);
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
        ? `Also used by guest ${nameList(others.map((g) => `**${mdText(quotedName(g))}**`))} on ${host}`
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
