// Children of a hostdev interface that libvirt refuses or ignores, and interface children inside a
// plain <hostdev>. Mirrors libvirt's
//  - qemuValidateDomainDeviceDefNetwork (src/qemu/qemu_validate.c): <mtu>, <coalesce>, guest-side
//    <ip>/<route> are rejected at define/attach by the QEMU driver;
//  - virDomainNetDefValidatePortOptions (src/conf/domain_validate.c): <port isolated='yes'/>;
//  - virDomainActualNetDefValidate: <bandwidth> fails when the guest starts (interfaceParse.ts: what
//    libvirt cannot parse in these children fails at define first), on an interface of a hostdev
//    pool too (networkInterface.ts);
//  - virDomainNetDefParseXML: <filterref> is not parsed for hostdev; <model>, <link>, <target> and
//    trustGuestRxFilters are kept but have no effect on a VF;
//  - virDomainHostdevDefParseXML: <mac>, <vlan>, <virtualport> inside <hostdev> are silently dropped;
//  - virDomainNetDefValidate: host-side <source><ip>/<route> only on ethernet interfaces, and
//    <target managed='no'> (an unmanaged tap) likewise;
//  - qemuValidateDomainDeviceDefHostdev: <source writeFiltering> on a PCI <hostdev> (QEMU has none).
import type { DeviceModel, DocumentModel } from '../modelTypes';
import type { XmlElement } from '../xml/types';
import { modelNameRefused } from './attributeValues';
import { isQemuRoot } from './guests';
import { coalesceMaxWritten, interfaceChildParseError } from './interfaceParse';
import { interfaceMacName } from './mac';
import {
  attribute,
  attributeSpan,
  attributeValue,
  failsAtStart,
  firstChild,
  hasAttribute,
  hasChildIn,
  readDecimal,
  rejects,
  rootOf,
  type DeviceFacts,
  type Report,
} from './common';

const GUEST_IP_ERROR =
  'unsupported configuration: Invalid attempt to set network interface guest-side IP route and/or address info, not supported by QEMU';

/** libvirt's error for each child the QEMU driver refuses, and the problem in the user's words. */
const QEMU_REJECTS = new Map<string, { problem: string; error: string }>(
  Object.entries({
    mtu: {
      problem: '<mtu> on a VF is not supported',
      error: 'unsupported configuration: setting MTU on interface type hostdev is not supported yet',
    },
    coalesce: {
      problem: '<coalesce> on a VF is not supported',
      error: 'unsupported configuration: coalesce settings on interface type hostdev are not supported',
    },
    ip: { problem: 'Guest-side <ip> is not supported by QEMU', error: GUEST_IP_ERROR },
    route: { problem: 'Guest-side <route> is not supported by QEMU', error: GUEST_IP_ERROR },
  }),
);

const NO_EFFECT = new Map<string, string>(
  Object.entries({
    model:
      "<model> has no effect on a VF — the guest sees the VF's own hardware (e.g. igbvf); libvirt keeps <model> but QEMU ignores it for a hostdev interface.",
    filterref:
      '<filterref> is dropped on a hostdev interface — libvirt does not parse it: traffic of a VF bypasses the host, so nwfilter cannot apply.',
    link: '<link state> has no effect on a VF — libvirt keeps it but cannot set it (use ip link set PF vf N state on the host).',
    target: '<target dev> has no effect on a VF — it names a host tap device and a VF has none; libvirt keeps it.',
  }),
);

const HOSTDEV_DROPPED = new Set(['mac', 'vlan', 'virtualport']);

/** the children of a hostdev interface checkElements has something to say about (and <source> with these inside) */
const CHECKED_CHILDREN: ReadonlySet<string> = new Set([...QEMU_REJECTS.keys(), ...NO_EFFECT.keys(), 'bandwidth', 'port']);
const HOST_SIDE: ReadonlySet<string> = new Set(['ip', 'route']);

/**
 * False for a <bandwidth>, <coalesce> or <mtu> the parser turns into nothing: virNetDevBandwidthParse
 * keeps a bandwidth only with an <inbound> or <outbound>, virDomainNetDefCoalesceParseXML reads only
 * a non-empty rx/frames/@max (`virsh dumpxml` shows neither `<bandwidth/>` nor `<coalesce><rx/></coalesce>`), and
 * virDomainNetDefParseXML takes an absent, empty or zero <mtu size> for no MTU (a size it cannot read
 * is something: an error, mtuMalformed).
 */
export function parsedToSomething(child: XmlElement): boolean {
  if (child.name === 'bandwidth') return child.children.some((c) => c.name === 'inbound' || c.name === 'outbound');
  if (child.name === 'mtu') {
    const size = attributeValue(child, 'size');
    return size !== null && size !== '' && readDecimal(size) !== 0;
  }
  if (child.name === 'coalesce') {
    return coalesceMaxWritten(child);
  }
  return true;
}

/** An <mtu size> the parser refuses: it reads a decimal unsigned int (blanks and a '+' before it allowed, no '-'). */
export function mtuMalformed(mtu: XmlElement): boolean {
  const size = attributeValue(mtu, 'size');
  return size !== null && size !== '' && readDecimal(size) === null;
}

/** virDomainNetDefParseXML's refusal of an <mtu size> it cannot read (mtuMalformed), for any interface type. */
export function reportMalformedMtu(mtu: XmlElement, fix: string, report: Report): void {
  const size = attribute(mtu, 'size')!;
  report.add(
    'element-unsupported',
    'error',
    attributeSpan(size),
    rejects(`<mtu size='${size.value}'> is not a number`, 'XML error: malformed mtu size', fix),
  );
}

/**
 * virDomainNetDefValidate: <target managed='no'> (a tap device libvirt leaves alone) only on an
 * ethernet interface; `target` has managed='no'.
 */
export function reportUnmanagedTarget(target: XmlElement, type: string, report: Report): void {
  report.add(
    'element-unsupported',
    'error',
    attributeSpan(attribute(target, 'managed')!),
    rejects(
      type === 'hostdev'
        ? "<target managed='no'> on a VF: there is no tap device to leave unmanaged"
        : `<target managed='no'> on a '${type}' interface (libvirt makes its tap)`,
      `unsupported configuration: unmanaged target dev is not supported on interfaces of type '${type}'`,
      'Remove <target>.',
    ),
  );
}

/** The QEMU driver's refusal of a child in QEMU_REJECTS (guest-side <ip> and <route> on any interface type). */
export function reportQemuRefused(child: XmlElement, report: Report): void {
  const refused = QEMU_REJECTS.get(child.name)!;
  report.add(
    'element-unsupported',
    'error',
    child.nameSpan,
    rejects(refused.problem, refused.error, `Remove <${child.name}> (the QEMU driver refuses it).`),
  );
}

/**
 * virDomainActualNetDefValidate: a <bandwidth> (one the parser reads as something) on an interface
 * that is a VF once the guest starts, a hostdev interface or one on a hostdev pool.
 */
export function reportVfBandwidth(bandwidth: XmlElement, iface: XmlElement, report: Report): void {
  report.add(
    'element-unsupported',
    'error',
    bandwidth.nameSpan,
    failsAtStart(
      '<bandwidth> on a VF is not supported',
      `unsupported configuration: interface ${interfaceMacName(iface)} - bandwidth settings are not supported for hostdev interfaces`,
      'Rate-limit the VF on the host instead (ip link set PF vf N max_tx_rate).',
    ),
  );
}

/**
 * virDomainNetDefValidatePortOptions: <port isolated='yes'/> on an interface of type hostdev, which
 * a hostdev interface is at define (`verdict` rejects) and one on a hostdev pool at start (failsAtStart).
 */
export function reportVfIsolatedPort(port: XmlElement, iface: XmlElement, verdict: typeof rejects, report: Report): void {
  const isolated = attribute(port, 'isolated');
  if (!isolated || isolated.value !== 'yes') return;
  report.add(
    'element-unsupported',
    'error',
    attributeSpan(isolated),
    verdict("<port isolated='yes'/> on a VF is not supported", vfIsolatedPortError(interfaceMacName(iface)), VF_ISOLATED_PORT_ADVICE),
  );
}

/** virDomainNetDefValidatePortOptions' refusal of <port isolated='yes'/> on the VF of the interface with MAC `mac`. */
export function vfIsolatedPortError(mac: string): string {
  return `unsupported configuration: interface ${mac} - <port isolated='yes'/> is not supported for network interfaces with type='hostdev'`;
}

export const VF_ISOLATED_PORT_ADVICE = "Remove <port isolated='yes'/>: a VF's traffic does not pass the host bridge that isolates ports.";

export function checkElements(facts: DeviceFacts, model: DocumentModel, report: Report): void {
  const { device } = facts;
  if (device.kind === 'hostdev') checkHostdevChildren(device, model, report);
  // the usual VF (mac, source address, vlan, guest address, rom, boot …) has nothing here
  else if (
    hasChildIn(device.element, CHECKED_CHILDREN) ||
    hasHostSideSource(device.element) ||
    hasAttribute(device.element, 'trustGuestRxFilters')
  )
    checkInterfaceChildren(device, report);
}

/** a <source> child with <ip> or <route> inside */
function hasHostSideSource(element: XmlElement): boolean {
  const children = element.children;
  for (let i = 0; i < children.length; i++) if (children[i].name === 'source' && hasChildIn(children[i], HOST_SIDE)) return true;
  return false;
}

function checkHostdevChildren(device: DeviceModel, model: DocumentModel, report: Report): void {
  const source = firstChild(device.element, 'source');
  const writeFiltering = source ? attribute(source, 'writeFiltering') : null;
  if (writeFiltering && attributeValue(device.element, 'type') === 'pci' && isQemuRoot(rootOf(model.xml.roots, device.element))) {
    report.add(
      'element-unsupported',
      'error',
      attributeSpan(writeFiltering),
      rejects(
        'writeFiltering on a PCI host device: QEMU has no such filter',
        'unsupported configuration: Write filtering of PCI device configuration space is not supported by qemu',
        'Remove writeFiltering (it is for Xen).',
      ),
    );
  }
  const children = device.element.children;
  for (let i = 0; i < children.length; i++) {
    const child = children[i];
    if (!HOSTDEV_DROPPED.has(child.name)) continue;
    report.add(
      'element-ignored',
      'warning',
      child.nameSpan,
      `<${child.name}> inside <hostdev> is silently dropped — libvirt applies it to a VF only from <interface type='hostdev'>. ` +
        `Use <interface type='hostdev'> to set the VF's MAC/VLAN/port profile.`,
    );
  }
}

function checkInterfaceChildren(device: DeviceModel, report: Report): void {
  const children = device.element.children;
  for (let i = 0; i < children.length; i++) {
    const child = children[i];
    const name = child.name;
    if (!CHECKED_CHILDREN.has(name) && name !== 'source') continue;
    // libvirt drops it while parsing: nothing reaches the QEMU or start-time checks
    if (!parsedToSomething(child)) continue;
    const qemuRejects = QEMU_REJECTS.get(name);
    // what libvirt cannot read fails at define with its parse error, before any later check
    const parseError = interfaceChildParseError(child);
    if (parseError) {
      report.add(
        'element-unsupported',
        'error',
        parseError.span,
        rejects(parseError.problem, parseError.error, `Remove <${name}>: a VF cannot use it.`),
      );
    } else if (name === 'mtu' && mtuMalformed(child)) {
      reportMalformedMtu(child, 'Remove <mtu>: a VF cannot have one set.', report);
    } else if (qemuRejects) {
      reportQemuRefused(child, report);
    } else if (name === 'bandwidth') {
      reportVfBandwidth(child, device.element, report);
    } else if (name === 'port') {
      reportVfIsolatedPort(child, device.element, rejects, report);
    } else if (name === 'target' && attributeValue(child, 'managed') === 'no') {
      reportUnmanagedTarget(child, 'hostdev', report);
    } else if (name === 'source') {
      for (let j = 0; j < child.children.length; j++) {
        const hostSide = child.children[j];
        if (hostSide.name !== 'ip' && hostSide.name !== 'route') continue;
        report.add(
          'element-unsupported',
          'error',
          hostSide.nameSpan,
          rejects(
            `Host-side <source><${hostSide.name}> on a VF is not supported`,
            "unsupported configuration: Invalid attempt to set network interface host-side IP route and/or address info on interface of type 'hostdev'. This is only supported on interfaces of type 'ethernet'",
            `Remove <${hostSide.name}> from <source> (a VF has no host-side interface to configure).`,
          ),
        );
      }
    } else {
      const noEffect = NO_EFFECT.get(name);
      // a model name libvirt refuses is attributeValues.ts's error, not a model without effect
      if (noEffect && !(name === 'model' && modelNameRefused(child))) report.add('element-ignored', 'warning', child.nameSpan, noEffect);
    }
  }
  const trust = attribute(device.element, 'trustGuestRxFilters');
  if (trust && trust.value !== null) {
    report.add(
      'element-ignored',
      'warning',
      attributeSpan(trust),
      "trustGuestRxFilters has no effect on a hostdev interface — libvirt does not set the VF's trust flag (use ip link set PF vf N trust on).",
    );
  }
}
