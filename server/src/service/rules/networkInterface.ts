// The device side of <interface type='network'>. Mirrors libvirt's virDomainNetDefParseXML, which
// reads <mac>, <vlan> and <virtualport> as for any interface, so their define-time rules apply
// whatever the network; when the host's network is a hostdev pool (<forward mode='hostdev'>), the interface ends
// up as a VF at start (networkAllocatePort), and the VF rules of <interface type='hostdev'> apply:
// one VLAN tag, no trunk, 802.1Qbh only, not both, a stable unicast MAC. Without a <source network>
// the parser refuses the interface, as it does a <model type> that is no model name or an <mtu size>
// that is no number (virDomainNetDefParseXML). The checks libvirt makes of every device or every
// interface apply as they do to a hostdev interface: <rom> (virDomainDeviceInfoParseXML), an
// 'unassigned' guest address (virDomainDeviceInfoValidate), <teaming> and <target managed='no'>
// (virDomainNetDefValidate); in a QEMU guest qemuValidateDomainDeviceDefNetwork also refuses
// guest-side <ip>/<route> and a persistent <teaming> on a NIC that is not virtio. On a hostdev pool,
// what a VF cannot take fails at start (checkPoolPort).
import { isHostdevPool } from '../../../../shared/vfUse';
import { attrValue, firstChild, rootOf } from '../xml/query';
import type { XmlAttribute, XmlElement } from '../xml/types';
import type { Span } from '../types';
import type { DocumentModel } from '../modelTypes';
import type { InventoryIndex } from '../inventoryIndex';
import { checkModelName } from './attributeValues';
import { checkRom, checkTeaming, isVirtioModel } from './deviceOptions';
import {
  mtuMalformed,
  parsedToSomething,
  reportMalformedMtu,
  reportQemuRefused,
  reportUnmanagedTarget,
  reportVfBandwidth,
  reportVfIsolatedPort,
} from './elements';
import { reportUnassignedOnInterface } from './guestAddress';
import { isQemuRoot } from './guests';
import {
  attribute,
  attributeSpan,
  attributeValue,
  failsAtStart,
  hasAttribute,
  readDecimal,
  readUnsignedLong,
  rejects,
  type Report,
} from './common';
import { bandwidthParseError } from './interfaceParse';
import { checkMacElement, interfaceMacName } from './mac';
import type { NetworkInterface } from './networkPool';
import { checkVirtualportElement } from './virtualport';
import { reportBackendTap } from './otherDevices';
import { checkVlanElement } from './vlan';

/** Names of the host's hostdev pools; null without an inventory (then no pool is assumed). */
export function hostdevPoolNames(index: InventoryIndex | null): ReadonlySet<string> | null {
  if (!index) return null;
  return new Set(index.inventory.networks.filter(isHostdevPool).map((n) => n.name));
}

export function checkNetworkInterface(
  iface: NetworkInterface,
  model: DocumentModel,
  pools: ReadonlySet<string> | null,
  report: Report,
): void {
  checkNetworkSource(iface, report);
  checkModelName(iface.element, report);
  checkInterfaceChildren(iface.element, rootOf(model.xml.roots, iface.element), report);
  const network = iface.source ? attrValue(iface.source, 'network') : null;
  const pool = network !== null && pools?.has(network) ? network : null;
  const vf = pool !== null;
  checkMacElement(firstChild(iface.element, 'mac'), iface.element, report, { vf });
  const virtualport = firstChild(iface.element, 'virtualport');
  if (virtualport)
    checkVirtualportElement(virtualport, report, { requireType: false, requireAll: false, vf: pool === null ? null : { pool } });
  const vlan = firstChild(iface.element, 'vlan');
  if (vlan) checkVlanElement(vlan, report, { vf, virtualport });
  if (vf) checkPoolPort(iface.element, report);
}

/**
 * What the VF a hostdev pool hands out cannot take: define accepts it (the interface is of type
 * network then), every start or hotplug fails once the port is the VF. networkCheckBandwidth refuses
 * an inbound floor while allocating it, virDomainActualNetDefValidate a <bandwidth> and <port
 * isolated='yes'/>, qemuDomainValidateActualNetDef multiqueue (<driver queues> above 1, read with a
 * virtio <model> only), a <filterref filter> and a <backend tap>.
 */
function checkPoolPort(element: XmlElement, report: Report): void {
  const bandwidth = firstChild(element, 'bandwidth');
  if (bandwidth && parsedToSomething(bandwidth) && !bandwidthParseError(bandwidth, true)) {
    const inbound = firstChild(bandwidth, 'inbound');
    const floor = inbound ? attribute(inbound, 'floor') : null;
    if (floor && readUnsignedLong(floor.value ?? '') !== 0n) reportPoolFloor(floor, element, report);
    else reportVfBandwidth(bandwidth, element, report);
  }
  const port = firstChild(element, 'port');
  if (port) reportVfIsolatedPort(port, element, failsAtStart, report);
  const driver = firstChild(element, 'driver');
  const queues = driver && isVirtioModel(firstChild(element, 'model')) ? attribute(driver, 'queues') : null;
  if (queues && (readDecimal(queues.value ?? '') ?? 0) > 1)
    reportPoolRefusal(
      attributeSpan(queues),
      element,
      'multiqueue',
      '<driver queues> on a VF: it has no virtio queues',
      'Remove queues.',
      report,
    );
  const filterref = firstChild(element, 'filterref');
  const filter = filterref ? attribute(filterref, 'filter') : null;
  if (filter)
    reportPoolRefusal(
      attributeSpan(filter),
      element,
      'filterref',
      '<filterref> on a VF: its traffic bypasses the host, so nwfilter cannot apply',
      'Remove <filterref>.',
      report,
    );
  reportBackendTap(element, 'hostdev', '<backend tap> on a VF: it has no tap device', 'Remove <backend tap>.', report);
}

/** qemuDomainValidateActualNetDef's refusal of `what` on an interface whose actual type is hostdev. */
function reportPoolRefusal(span: Span, element: XmlElement, what: string, problem: string, advice: string, report: Report): void {
  report.add(
    'element-unsupported',
    'error',
    span,
    failsAtStart(
      problem,
      `unsupported configuration: interface ${interfaceMacName(element)} - ${what} is not supported for network interfaces of type hostdev`,
      advice,
    ),
  );
}

/** networkCheckBandwidth: an inbound floor needs a network with forward mode nat, route, open or none. */
function reportPoolFloor(floor: XmlAttribute, element: XmlElement, report: Report): void {
  report.add(
    'element-unsupported',
    'error',
    attributeSpan(floor),
    failsAtStart(
      "<inbound floor> on a hostdev pool: a floor is shared out of a routed network's bandwidth, and a VF has none",
      `Operation not supported: Invalid use of 'floor' on interface with MAC address ${interfaceMacName(element)} - 'floor' is only supported for interface type 'network' with forward type 'nat', 'route', 'open' or none`,
      'Remove floor (rate-limit the VF on the host: ip link set PF vf N max_tx_rate).',
    ),
  );
}

/** virDomainNetDefParseXML: a network interface names its network in its first <source>, or is refused at define. */
function checkNetworkSource(iface: NetworkInterface, report: Report): void {
  if (!iface.source)
    report.add(
      'source-missing',
      'error',
      iface.element.nameSpan,
      rejects(
        'No <source>: the interface names no network',
        "XML error: interface type='network' requires a 'source' element",
        "Add <source network='…'/> with the name of the network (the VF pool).",
      ),
    );
  else if (!hasAttribute(iface.source, 'network'))
    report.add(
      'source-missing',
      'error',
      iface.source.nameSpan,
      rejects(
        '<source> without network: the interface names no network',
        "XML error: Missing required attribute 'network' in element 'source'",
        "Add network='…' with the name of the network (the VF pool).",
      ),
    );
}

/** The children whose checks are libvirt's for every interface type (see the header). */
function checkInterfaceChildren(element: XmlElement, root: XmlElement, report: Report): void {
  const qemu = isQemuRoot(root);
  checkRom(element, report);
  const address = firstChild(element, 'address');
  if (address && attributeValue(address, 'type') === 'unassigned') reportUnassignedOnInterface(address, report);
  checkTeaming(element, 'network-interface', report, qemu ? nonVirtioModel(firstChild(element, 'model'), root) : null);
  const mtu = firstChild(element, 'mtu');
  if (mtu && mtuMalformed(mtu)) reportMalformedMtu(mtu, 'Write the MTU in bytes as a decimal number.', report);
  const target = firstChild(element, 'target');
  if (target && attributeValue(target, 'managed') === 'no') reportUnmanagedTarget(target, 'network', report);
  if (!qemu) return;
  const children = element.children;
  for (let i = 0; i < children.length; i++)
    if (children[i].name === 'ip' || children[i].name === 'route') reportQemuRefused(children[i], report);
}

/**
 * The model the QEMU driver gives the interface when it is no virtio model, or null (virtio, or a
 * default that depends on an architecture other than x86's). Without <model>, qemuDomainDefaultNetModel
 * picks 'rtl8139' on x86 (a snippet says no arch: x86, the usual SR-IOV host).
 */
function nonVirtioModel(model: XmlElement | null, root: XmlElement): string | null {
  if (isVirtioModel(model)) return null;
  const type = model ? attributeValue(model, 'type') : null;
  if (type) return type;
  const os = root.name === 'domain' ? firstChild(root, 'os') : null;
  const osType = os ? firstChild(os, 'type') : null;
  const arch = osType ? attributeValue(osType, 'arch') : null;
  return arch === null || X86.has(arch) ? 'rtl8139' : null;
}

const X86: ReadonlySet<string> = new Set(['x86_64', 'i686']);
