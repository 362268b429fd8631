// A <network> document (what `virsh net-define` takes), above all a VF pool: <forward mode='hostdev'>
// with a <pf dev> or a list of VF <address>es. Mirrors libvirt's
//  - virNetworkDefParseXML / virNetworkForwardDefParseXML (src/conf/network_conf.c): the parser's
//    rules, which every driver applies (the test driver too);
//  - networkValidate (src/network/bridge_driver.c): what the network driver (qemu:///session,
//    qemu:///system) refuses at net-define on top: <mac>, <ip>, <dns>, <domain>, <bandwidth> in a
//    hostdev network, a netdev name in a hostdev pool, portgroup duplicates, a VLAN that reaches a
//    portgroup with its own <virtualport>;
//  - networkAllocatePort and virNetDevSetNetConfig: what a guest using the pool hits at start.
// Each message was compared with `virsh net-define` on qemu:///session (the integration tests do so).
// The devices the pool lists (netdevs, VF addresses, a PF) are checked in hostdevPoolDevices.ts.
import type { DocumentModel } from '../modelTypes';
import type { Span } from '../types';
import { childElements, decodeXmlText, firstChild } from '../xml/query';
import type { XmlElement } from '../xml/types';
import {
  attribute,
  attributeSpan,
  attributeValue,
  failsAtStart,
  quotedName,
  readUnsignedLong,
  readWrappingUnsignedInt,
  rejectsNetwork,
  shortName,
  type Report,
} from './common';
import { FORWARD_DRIVERS, FORWARD_MODES } from './forwardModes';
import { parsedToSomething } from './elements';
import { checkHostdevPoolDevices } from './hostdevPoolDevices';
import { bridgeMacSpecified, checkNetworkParse } from './networkParse';
import { checkPoolFlags } from './poolFlags';
import { checkPoolPorts } from './poolPorts';
import { checkVlanElement } from './vlan';
import { checkVirtualportElement } from './virtualport';

/** the modes in which libvirt routes the network's own subnet, which it therefore needs (its <ip>) */
const ROUTED_MODES: ReadonlySet<string> = new Set(['nat', 'route', 'open']);
/** net-define's "Unsupported <…> element in network … with forward mode='hostdev'" (networkValidate; <dns> with records only) */
const UNSUPPORTED_IN_HOSTDEV = ['mac', 'ip', 'dns', 'domain', 'bandwidth'] as const;
/** The bridge side of a network, which net-define refuses in a hostdev pool (<bridge> with attributes, <mtu> with a size) */
export const HOSTDEV_REFUSED_ELEMENTS: readonly string[] = ['bridge', 'mtu', ...UNSUPPORTED_IN_HOSTDEV];

/** What the rules and the editor need of a <network> document. */
export interface NetworkDefinition {
  element: XmlElement;
  /** <name> text as libvirt reads it (untrimmed), null when absent */
  name: string | null;
  forward: XmlElement | null;
  /** <forward mode>, 'nat' when <forward> has none or an empty one (the parser's default for both), null without <forward> */
  mode: string | null;
  /** <forward><pf> elements */
  pfs: XmlElement[];
  /** <forward><address> elements */
  addresses: XmlElement[];
}

/** <portgroup default='yes'>: virPortGroupParseXML reads the word in any case */
export function isDefaultPortgroup(portgroup: XmlElement): boolean {
  return attributeValue(portgroup, 'default')?.toLowerCase() === 'yes';
}

/** the network's name as written (its <name> element when that has no text); the network has a <name> */
export function networkNameSpan(network: XmlElement): Span {
  const nameEl = firstChild(network, 'name')!;
  return nameEl.textSpans.length > 0 ? { start: nameEl.textSpans[0].start, end: nameEl.textSpans.at(-1)!.end } : nameEl.nameSpan;
}

export function networkDefinitionOf(model: DocumentModel): NetworkDefinition | null {
  const element = model.network;
  if (!element) return null;
  const nameEl = firstChild(element, 'name');
  const name = nameEl ? decodeXmlText(nameEl.textSpans.map((s) => model.text.substring(s.start, s.end)).join('')) : null;
  const forward = firstChild(element, 'forward');
  return {
    element,
    name,
    forward,
    mode: forward ? attributeValue(forward, 'mode') || 'nat' : null,
    pfs: forward ? childElements(forward, 'pf') : [],
    addresses: forward ? childElements(forward, 'address') : [],
  };
}

export function checkNetworkDefinition(model: DocumentModel, report: Report): void {
  const def = networkDefinitionOf(model);
  if (!def) return;
  // for libvirt's messages only, which name it for every portgroup or pool device that is wrong
  const name = shortName(checkName(def, report));
  checkNetworkParse(def.element, model.text, name, def.name, report);
  const { forward, mode } = def;
  if (!forward || mode === null) return;
  if (!(FORWARD_MODES as readonly string[]).includes(mode)) {
    report.add(
      'network-forward',
      'error',
      attributeSpan(attribute(forward, 'mode')!),
      rejectsNetwork(
        `Unknown forward mode '${mode}'`,
        `unsupported configuration: unknown forwarding type '${mode}'`,
        "A VF pool is mode='hostdev'; the modes are " + FORWARD_MODES.join(', ') + '.',
      ),
    );
    return;
  }
  checkDriver(forward, name, report);
  if (mode !== 'hostdev') {
    if (ROUTED_MODES.has(mode) && !firstChild(def.element, 'ip')) {
      const modeAttribute = attribute(forward, 'mode');
      report.add(
        'network-forward',
        'error',
        modeAttribute && modeAttribute.value !== '' ? attributeSpan(modeAttribute) : forward.nameSpan,
        rejectsNetwork(
          `Forward mode '${mode}'${modeAttribute?.value ? '' : " (libvirt's default)"} without an <ip>`,
          `XML error: ${mode} forwarding requested, but no IP address provided for network '${name}'`,
          "Give the network an <ip address='…' netmask='…'>; a VF pool is <forward mode='hostdev'>.",
        ),
      );
    }
    if (def.addresses.length > 0 && childElements(forward, 'interface').length === 0 && attribute(forward, 'dev') === null)
      report.add(
        'network-forward',
        'error',
        def.addresses[0].nameSpan,
        rejectsNetwork(
          `A VF <address> in a network with forward mode '${mode}'`,
          `unsupported configuration: network '${name}' has forward mode '${mode}'  but lists a device by PCI address in the device pool. This is only supported for networks with forward mode 'hostdev'`,
          "VF addresses make a pool with <forward mode='hostdev'>.",
        ),
      );
    return;
  }
  checkNat(forward, name, report);
  checkPoolFlags(def, report);
  checkHostdevPoolDevices(def, name, report);
  checkHostdevElements(def.element, name, report);
  checkPortgroups(def.element, name, report);
  checkVlansAndVirtualports(def.element, name, report);
  checkPoolPorts(def.element, report);
}

function checkName(def: NetworkDefinition, report: Report): string {
  const nameEl = firstChild(def.element, 'name');
  if (def.name === null || def.name === '') {
    report.add(
      'network-name',
      'error',
      (nameEl ?? def.element).nameSpan,
      rejectsNetwork('The network has no <name>', 'missing name information', 'Add <name>sriov-pool</name>.'),
    );
    return '';
  }
  if (def.name.includes('/') && nameEl) {
    report.add(
      'network-name',
      'error',
      networkNameSpan(def.element),
      rejectsNetwork(`Network name ${quotedName(def.name)} contains '/'`, 'invalid char in name: /'),
    );
  }
  return def.name;
}

function checkDriver(forward: XmlElement, name: string, report: Report): void {
  const driver = firstChild(forward, 'driver');
  const attr = driver ? attribute(driver, 'name') : null;
  if (!attr || attr.value === null || attr.value === '' || (FORWARD_DRIVERS as readonly string[]).includes(attr.value)) {
    if (attr?.value === 'kvm')
      report.add(
        'network-forward',
        'error',
        attributeSpan(attr),
        failsAtStart(
          "Legacy KVM assignment (driver name='kvm') for the pool's VFs",
          "host doesn't support legacy PCI passthrough",
          "QEMU assigns VFs with VFIO only: use <driver name='vfio'/> or leave <driver> out.",
        ),
      );
    return;
  }
  report.add(
    'network-forward',
    'error',
    attributeSpan(attr),
    rejectsNetwork(
      `Unknown forward driver '${attr.value}'`,
      `unsupported configuration: Unknown forward <driver name='${attr.value}'/> in network ${name}`,
      "Use <driver name='vfio'/> or leave it out.",
    ),
  );
}

/** <forward><nat> (address and port ranges for NAT, e.g. copied from the default network): mode='nat' only. */
function checkNat(forward: XmlElement, name: string, report: Report): void {
  const nats = childElements(forward, 'nat');
  if (nats.length === 0) return;
  report.add(
    'network-forward',
    'error',
    nats[Math.min(nats.length, 2) - 1].nameSpan,
    nats.length > 1
      ? rejectsNetwork('A second <nat> in <forward>', `XML error: Only one <nat> element is allowed in <forward> of network ${name}`)
      : rejectsNetwork(
          '<nat> in a hostdev pool',
          `XML error: The <nat> element can only be used when <forward> 'mode' is 'nat' in network ${name}`,
          'A pool hands out VFs and does no NAT: remove <nat>.',
        ),
  );
}

/** What a hostdev network cannot have: the bridge side of a network (parser and networkValidate). */
function checkHostdevElements(network: XmlElement, name: string, report: Report): void {
  const unsupported = (el: XmlElement, what: string) =>
    report.add(
      'network-element',
      'error',
      el.nameSpan,
      rejectsNetwork(
        `<${what}> in a hostdev pool`,
        `unsupported configuration: Unsupported ${what === 'bandwidth' ? 'network-wide <bandwidth>' : `<${what}>`} element in network ${name} with forward mode='hostdev'`,
        'A pool hands out VFs; the guest configures its own addresses. Remove it.',
      ),
    );
  const bridge = firstChild(network, 'bridge');
  if (bridge) {
    for (const [attrName, text] of [
      ['name', `bridge name not allowed in hostdev mode (network '${name}')`],
      ['zone', `bridge zone not allowed in hostdev mode (network '${name}')`],
      ['macTableManager', `bridge macTableManager setting not allowed in hostdev mode (network '${name}')`],
    ] as const) {
      const a = attribute(bridge, attrName);
      // string(./bridge[1]/@…): an empty value is none; a macTableManager that is none is networkParse.ts's
      if (a && a.value && (attrName !== 'macTableManager' || a.value === 'kernel' || a.value === 'libvirt'))
        report.add(
          'network-element',
          'error',
          attributeSpan(a),
          rejectsNetwork(`<bridge ${attrName}> in a hostdev pool`, `XML error: ${text}`),
        );
    }
    checkBridgeTiming(bridge, name, report);
  }
  const mtu = firstChild(network, 'mtu');
  const mtuSize = mtu ? attribute(mtu, 'size') : null;
  const mtuValue = mtuSize?.value ? readWrappingUnsignedInt(mtuSize.value) : 0n;
  if (mtuValue === null)
    report.add(
      'network-element',
      'error',
      attributeSpan(mtuSize!),
      rejectsNetwork(
        `<mtu size='${mtuSize!.value}'> is not a number`,
        `XML error: Invalid mtu size '${mtuSize!.value}' in network '${name}'`,
      ),
    );
  // size 0 (or empty) is no MTU to the parser
  else if (mtu && mtuValue !== 0n)
    report.add(
      'network-element',
      'error',
      mtu.nameSpan,
      rejectsNetwork(
        '<mtu> in a hostdev pool',
        `XML error: mtu size only allowed in open, route, nat, and isolated mode, not in hostdev (network '${name}')`,
        'Set the MTU inside the guest or on the PF.',
      ),
    );
  for (const what of UNSUPPORTED_IN_HOSTDEV) {
    const el = firstChild(network, what);
    // a <dns> without txt, host or srv records passes net-define, as does a <bandwidth> the parser reads as none
    if (!el || (what === 'bandwidth' && !parsedToSomething(el))) continue;
    // the parser reads a <mac> only with a MAC (networkParse.ts refuses one that is none), a <domain> only with a name
    if ((what === 'mac' && !bridgeMacSpecified(network)) || (what === 'domain' && !attribute(el, 'name'))) continue;
    if (what !== 'dns' || ['txt', 'host', 'srv'].some((n) => firstChild(el, n))) unsupported(el, what);
  }
}

/**
 * <bridge stp> and <bridge delay> (the default network's `stp='on' delay='0'`): the parser reads
 * delay as virStrToLong_ulp base 10 ("Invalid delay value" otherwise; empty counts as absent) and
 * refuses any stp, or a delay other than 0, outside the bridge-making modes.
 */
function checkBridgeTiming(bridge: XmlElement, name: string, report: Report): void {
  const delay = attribute(bridge, 'delay');
  const delayValue = delay && delay.value ? readUnsignedLong(delay.value) : null;
  if (delay && delay.value && delayValue === null) {
    report.add(
      'network-element',
      'error',
      attributeSpan(delay),
      rejectsNetwork(`<bridge delay='${delay.value}'> is not a number`, `XML error: Invalid delay value in network '${name}'`),
    );
    return;
  }
  const stp = attribute(bridge, 'stp');
  const timing = stp && stp.value ? stp : delayValue ? delay : null;
  if (timing)
    report.add(
      'network-element',
      'error',
      attributeSpan(timing),
      rejectsNetwork(
        `<bridge ${timing.name}> in a hostdev pool`,
        `XML error: bridge delay/stp/zone options only allowed in route, nat, and isolated mode, not in hostdev (network '${name}')`,
        'A pool makes no bridge: remove <bridge>.',
      ),
    );
}

function checkPortgroups(network: XmlElement, name: string, report: Report): void {
  const names = new Map<string, XmlElement>();
  let defaultGroup: string | null = null;
  for (const pg of childElements(network, 'portgroup')) {
    const pgName = attributeValue(pg, 'name');
    // an empty name is as missing to virNetworkPortGroupParseXML
    if (pgName === null || pgName === '') {
      report.add(
        'network-portgroups',
        'error',
        pg.nameSpan,
        rejectsNetwork('<portgroup> without a name', 'XML error: Missing required name attribute in portgroup'),
      );
      continue;
    }
    const span: Span = attributeSpan(attribute(pg, 'name')!);
    if (names.has(pgName))
      report.add(
        'network-portgroups',
        'error',
        span,
        rejectsNetwork(
          `Portgroup ${quotedName(pgName)} defined twice`,
          `unsupported configuration: multiple <portgroup> elements with the same name (${pgName}) in network '${name}'`,
        ),
      );
    names.set(pgName, pg);
    if (isDefaultPortgroup(pg)) {
      if (defaultGroup !== null)
        report.add(
          'network-portgroups',
          'error',
          attributeSpan(attribute(pg, 'default')!),
          rejectsNetwork(
            `A second default portgroup (${quotedName(pgName)})`,
            `unsupported configuration: network '${name}' has multiple default <portgroup> elements (${shortName(defaultGroup)} and ${pgName}), but only one default is allowed`,
          ),
        );
      else defaultGroup = pgName;
    }
    const bandwidth = firstChild(pg, 'bandwidth');
    if (bandwidth && parsedToSomething(bandwidth))
      report.add(
        'network-portgroups',
        'error',
        bandwidth.nameSpan,
        rejectsNetwork(
          `<bandwidth> in portgroup ${quotedName(pgName)} of a hostdev pool`,
          `unsupported configuration: Unsupported <bandwidth> element in network '${name}' in portgroup '${pgName}' with forward mode='hostdev'`,
          'A VF cannot be shaped by libvirt; remove it.',
        ),
      );
  }
}

/**
 * The <vlan> and <virtualport> of the network and of each portgroup end up on the VF a guest gets:
 * one tag, no trunk, 802.1Qbh only, and not both (the guest fails to start otherwise).
 */
function checkVlansAndVirtualports(network: XmlElement, name: string, report: Report): void {
  const networkPort = firstChild(network, 'virtualport');
  if (networkPort)
    checkVirtualportElement(networkPort, report, { requireType: true, requireAll: false, vf: { pool: name }, rejects: rejectsNetwork });
  const networkVlan = firstChild(network, 'vlan');
  if (networkVlan) checkVlanElement(networkVlan, report, { vf: true, virtualport: networkPort, rejects: rejectsNetwork });
  for (const pg of childElements(network, 'portgroup')) {
    const port = firstChild(pg, 'virtualport');
    if (port) checkVirtualportElement(port, report, { requireType: false, requireAll: false, vf: { pool: name }, rejects: rejectsNetwork });
    const vlan = firstChild(pg, 'vlan');
    if (vlan) checkVlanElement(vlan, report, { vf: true, virtualport: port ? null : networkPort, rejects: rejectsNetwork });
    // networkValidate: a portgroup's own <virtualport> allows a VLAN on an openvswitch bridge only
    const taggedBy = vlan ?? networkVlan;
    if (port && taggedBy && childElements(taggedBy, 'tag').length > 0)
      report.add(
        'vlan-virtualport',
        'error',
        (vlan ?? port).nameSpan,
        rejectsNetwork(
          `VLAN and <virtualport> together in portgroup ${quotedName(attributeValue(pg, 'name') ?? '')}`,
          `unsupported configuration: <vlan> element specified for network ${name}, whose type doesn't support vlan configuration`,
          vlan
            ? 'Use either <vlan> or <virtualport>, not both.'
            : "The network's <vlan> applies to the portgroup: use either it or the portgroup's <virtualport>.",
        ),
      );
  }
}
