// Builds the DocumentModel: the libvirt devices that carry a host PCI address, found anywhere in
// the tree (a whole <domain>, a bare device snippet, several devices). Mirrors how libvirt's
// virDomainNetDefParseXML / virDomainHostdevDefParseXML pick their children: the host address is
// <source><address>, the guest-side address is an <address> directly under the device.
import type { DeviceModel, DocumentModel } from './modelTypes';
import type { Problem, Span } from './types';
import { parseXml } from './xml/parser';
import type { StringTable } from './xml/strings';
import { attrValue, decodeXmlText, firstChild, inNamespace, textSpanOf, walk } from './xml/query';
import type { XmlElement } from './xml/types';

/**
 * The largest document checked, in characters. libvirt's RPC refuses a bigger XML ("Unable to
 * encode message payload" from virsh define over qemu:///session, measured between 3.9 and 4.1 MiB),
 * and parsing tens of megabytes would block the server for seconds and take gigabytes. Above it the
 * document gets one problem and no tree, so every feature answers at once.
 */
export const MAX_DOCUMENT_CHARS = 4 * 1024 * 1024;

/** The model of `text`; `strings` is the language service's string table (xml/strings.ts). */
export function buildDocumentModel(text: string, strings?: StringTable): DocumentModel {
  return computeModel(text, strings);
}

/**
 * which device an element is, if any. `namespaced`: whether it is in a namespace (inNamespace), when
 * the caller already knows it (a walk down the tree does, without a walk up from every element).
 */
export function deviceKindOf(el: XmlElement, namespaced?: boolean): DeviceModel['kind'] | null {
  if (el.name !== 'interface' && el.name !== 'hostdev') return null;
  if (namespaced ?? inNamespace(el)) return null;
  if (el.name === 'interface') return attrValue(el, 'type') === 'hostdev' ? 'interface' : null;
  if (el.name === 'hostdev') {
    // virDomainHostdevDefParseXML: mode defaults to subsystem
    const mode = attrValue(el, 'mode');
    if (attrValue(el, 'type') === 'pci' && (mode === null || mode === 'subsystem')) return 'hostdev';
  }
  return null;
}

/** The model of one device element: its first child of each name the rules read. */
export function deviceModel(el: XmlElement, kind: DeviceModel['kind']): DeviceModel {
  // The first child of each name, in one pass over the children rather than one per name.
  let source: XmlElement | null = null;
  let guestAddress: XmlElement | null = null;
  let mac: XmlElement | null = null;
  let vlan: XmlElement | null = null;
  let virtualport: XmlElement | null = null;
  let driver: XmlElement | null = null;
  const children = el.children;
  for (let i = 0; i < children.length; i++) {
    const c = children[i];
    switch (c.name) {
      case 'source':
        source ??= c;
        break;
      case 'address':
        guestAddress ??= c;
        break;
      case 'mac':
        mac ??= c;
        break;
      case 'vlan':
        vlan ??= c;
        break;
      case 'virtualport':
        virtualport ??= c;
        break;
      case 'driver':
        driver ??= c;
        break;
    }
  }
  return {
    kind,
    element: el,
    source,
    hostAddress: source ? firstChild(source, 'address') : null,
    guestAddress,
    mac,
    vlan,
    virtualport,
    driver,
  };
}

function computeModel(text: string, strings: StringTable | undefined): DocumentModel {
  if (text.length > MAX_DOCUMENT_CHARS)
    return {
      text,
      xml: { text, roots: [], problems: [documentSizeProblem(text.length, documentTooLargeSpan(text))] },
      guestName: null,
      domain: null,
      network: null,
      devices: [],
    };
  const xml = parseXml(text, strings);
  const devices: DeviceModel[] = [];
  // the elements below an xmlns of their own (parents come first in the walk): found once, going down
  const namespaced = new Set<XmlElement>();
  walk(xml, (el) => {
    // read from the attribute table: `el.attributes` would make an object of every attribute of the tree
    const xmlns = attrValue(el, 'xmlns');
    if (xmlns !== null ? xmlns !== '' : el.parent !== null && namespaced.has(el.parent)) namespaced.add(el);
    // the names deviceKindOf takes, tested here: thousands of elements, a few of them devices
    const name = el.name;
    if (name !== 'interface' && name !== 'hostdev') return;
    const kind = deviceKindOf(el, namespaced.has(el));
    if (kind) devices.push(deviceModel(el, kind));
  });
  const domain = xml.roots.find((r) => r.name === 'domain') ?? null;
  const network = xml.roots.find((r) => r.name === 'network') ?? null;
  return { text, xml, guestName: guestNameOf(text, domain), domain, network, devices };
}

/** /domain/name as libvirt reads it, with the span of its trimmed text */
export function guestNameOf(text: string, domain: XmlElement | null): DocumentModel['guestName'] {
  const nameEl = domain ? firstChild(domain, 'name') : null;
  if (!nameEl) return null;
  const span = textSpanOf(text, nameEl);
  // not trimmed: virDomainDefParseXML keeps the blanks, so <name> web01 </name> is the guest ' web01 ', not web01
  return span ? { value: decodeXmlText(rawTextOf(text, nameEl)), span } : null;
}

/** the element's direct text as written, untrimmed */
function rawTextOf(text: string, el: XmlElement): string {
  let s = '';
  for (const span of el.textSpans) s += text.substring(span.start, span.end);
  return s;
}

/** the first line (at most 200 characters): where the editor shows document-size */
function documentTooLargeSpan(text: string): Span {
  const lineEnd = text.indexOf('\n');
  return { start: 0, end: Math.min(lineEnd < 0 ? text.length : lineEnd, 200) };
}

/**
 * The one `document-size` error of a document over MAX_DOCUMENT_CHARS, which is not checked further.
 * `size` is its length (the CLI, which does not read such a file, counts bytes), null when it is only
 * known to be over (standard input read up to the limit).
 */
export function documentSizeProblem(size: number | null, span: Span): Problem {
  const document = size === null ? 'Document' : `Document of ${mebibytes(size)} MiB`;
  return {
    code: 'document-size',
    severity: 'error',
    message: `${document} is over the ${mebibytes(MAX_DOCUMENT_CHARS)} MiB libvirt takes, not checked — define/attach fails; libvirt: "Unable to encode message payload"`,
    span,
  };
}

/** to a tenth, rounded up: a size just over the limit never reads as the limit */
function mebibytes(chars: number): string {
  return (Math.ceil((chars * 10) / 1024 / 1024) / 10).toFixed(1).replace(/\.0$/, '');
}
