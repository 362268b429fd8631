// The devices a hostdev network's <forward> hands out as its VF pool: netdev names (which a hostdev
// pool refuses), VF <address> entries, or one <pf>. Mirrors libvirt's virNetworkForwardDefParseXML
// (src/conf/network_conf.c), in its order of precedence, networkValidate (src/network/bridge_driver.c)
// and networkCreateInterfacePool at net-start (a <pf dev=''>). The rest of a <network> document is
// networkDefinition.ts's.
// Each message was compared with `virsh net-define` on qemu:///session (the integration tests do so).
import { readAddress } from '../address';
import { attribute, attributeSpan, attributeValue, failsAtNetStart, failsAtStart, quotedName, rejectsNetwork, type Report } from './common';
import { childElements } from '../xml/query';
import type { XmlElement } from '../xml/types';
import type { NetworkDefinition } from './networkDefinition';
import { checkAddressNumbers, checkMultifunction } from './sourceAddress';

/** The pool itself: netdev names, <address> entries or one <pf>, in the parser's order of precedence. */
export function checkHostdevPoolDevices(def: NetworkDefinition, name: string, report: Report): void {
  const forward = def.forward!;
  // string(./@dev): an empty dev is none
  const written = attribute(forward, 'dev');
  const devAttr = written && written.value ? written : null;
  const interfaces = childElements(forward, 'interface');
  if (devAttr && (def.addresses.length > 0 || def.pfs.length > 0)) {
    report.add(
      'network-forward',
      'error',
      attributeSpan(devAttr),
      // libvirt 9.0 prints the format's %s as it is
      rejectsNetwork(
        '<forward dev> together with <pf> or <address>',
        "XML error: the <forward> 'dev' attribute cannot be used when <address> or <pf> sub-elements are present in network %s",
        'Remove the dev attribute.',
      ),
    );
    return;
  }
  if (interfaces.length > 0 || devAttr) {
    if (!checkNetdevList(devAttr?.value ?? null, interfaces, name, report)) return;
    const dev = devAttr?.value ?? attributeValue(interfaces[0], 'dev')!;
    report.add(
      'network-forward',
      'error',
      devAttr ? attributeSpan(devAttr) : interfaces[0].nameSpan,
      rejectsNetwork(
        `A hostdev pool lists the netdev ${quotedName(dev)}`,
        `unsupported configuration: hostdev network '${name}' lists '${dev}' in the device pool, but hostdev networks require all devices to be listed by PCI address, not network device name`,
        "Name the PF with <pf dev='…'/> (every VF of it) or list the VFs as <address type='pci' …/>.",
      ),
    );
    return;
  }
  if (def.addresses.length > 0) {
    checkAddresses(def, name, report);
    for (const pf of def.pfs)
      report.add(
        'network-forward',
        'warning',
        pf.nameSpan,
        '<pf> is ignored when the pool lists <address> entries — libvirt reads the addresses only (virNetworkForwardDefParseXML). Keep one of the two.',
      );
    return;
  }
  if (def.pfs.length > 1) {
    report.add(
      'network-forward',
      'error',
      def.pfs[1].nameSpan,
      rejectsNetwork(
        'A second <pf> in the pool',
        `XML error: Only one <pf> element is allowed in <forward> of network ${name}`,
        'A pool takes the VFs of one PF; define one network per PF.',
      ),
    );
    return;
  }
  if (def.pfs.length === 1 && attributeValue(def.pfs[0], 'dev') === null) {
    report.add(
      'network-forward',
      'error',
      def.pfs[0].nameSpan,
      rejectsNetwork('<pf> without dev', `XML error: Missing required dev attribute in <pf> element of network '${name}'`),
    );
    return;
  }
  // the parser takes an empty dev as one, and networkCreateInterfacePool finds no PF of that name
  const pfDev = def.pfs.length === 1 ? attribute(def.pfs[0], 'dev') : null;
  if (pfDev && pfDev.value === '') {
    report.add(
      'network-forward',
      'error',
      attributeSpan(pfDev),
      failsAtNetStart(
        "<pf dev=''> names no PF",
        "internal error: No usable Vf's present on SRIOV PF ",
        "Name the PF whose VFs the pool hands out: <pf dev='enp11s0f0'/>.",
      ),
    );
    return;
  }
  if (def.pfs.length === 0)
    report.add(
      'network-forward',
      'error',
      forward.nameSpan,
      failsAtStart(
        'The pool has no <pf> and no <address>: it has no VF to hand out',
        `internal error: network '${name}' requires exclusive access to interfaces, but none are available`,
        "Add <pf dev='enp11s0f0'/> (every VF of that PF) or <address type='pci' …/> per VF.",
      ),
    );
}

/**
 * The parser's reading of the netdev list, before networkValidate refuses netdevs in a hostdev pool:
 * each <interface> has a dev, the first one repeats <forward dev>, none is listed twice. False when
 * the parser refuses it (reported).
 */
function checkNetdevList(forwardDev: string | null, interfaces: XmlElement[], name: string, report: Report): boolean {
  const listed = new Set<string>();
  for (let i = 0; i < interfaces.length; i++) {
    const devAttr = attribute(interfaces[i], 'dev');
    const dev = devAttr?.value ?? null;
    if (dev === null) {
      report.add(
        'network-forward',
        'error',
        interfaces[i].nameSpan,
        rejectsNetwork(
          '<interface> without dev in <forward>',
          `XML error: Missing required dev attribute in <forward> <interface> element of network ${name}`,
        ),
      );
      return false;
    }
    if (i === 0 && forwardDev !== null && dev !== forwardDev) {
      report.add(
        'network-forward',
        'error',
        attributeSpan(devAttr!),
        rejectsNetwork(
          `<forward dev=${quotedName(forwardDev)}> and the first <interface dev=${quotedName(dev)}> differ`,
          `XML error: <forward dev='${forwardDev}'> must match first <interface dev='${dev}'/> in network ${name}`,
        ),
      );
      return false;
    }
    if (listed.has(dev)) {
      report.add(
        'network-forward',
        'error',
        attributeSpan(devAttr!),
        rejectsNetwork(
          `Netdev ${quotedName(dev)} listed twice`,
          `XML error: interface '${dev}' can only be listed once in network ${name}`,
        ),
      );
      return false;
    }
    listed.add(dev);
  }
  return true;
}

function checkAddresses(def: NetworkDefinition, name: string, report: Report): void {
  const seen = new Set<string>();
  for (const address of def.addresses) {
    const type = attribute(address, 'type');
    if (!type || type.value === null) {
      if (!type)
        report.add(
          'network-address',
          'error',
          address.nameSpan,
          rejectsNetwork('VF address without type', `XML error: missing address type in network ${name}`, "Write type='pci'."),
        );
      continue;
    }
    if (type.value !== 'pci') {
      const known = type.value === 'none' || type.value === 'netdev';
      report.add(
        'network-address',
        'error',
        attributeSpan(type),
        rejectsNetwork(
          `Address type '${type.value}' in a VF pool`,
          known
            ? `XML error: unsupported address type '${type.value}' in network ${name}`
            : `unsupported configuration: unknown address type '${type.value}' in network ${name}`,
          "A pool lists VFs by PCI address: type='pci'.",
        ),
      );
      continue;
    }
    checkMultifunction(address, report, rejectsNetwork);
    const reading = readAddress(address);
    checkAddressNumbers(reading, report, { hints: true });
    if (!reading.canonical) continue;
    // networkValidate asks the host whether 0000:00:00.0 is a VF: it is the host bridge on every host
    // (the test driver, which has no networkValidate, takes it)
    if (reading.empty)
      report.add(
        'network-address',
        'error',
        address.nameSpan,
        rejectsNetwork(
          reading.fields.some((f) => f.attr?.value)
            ? 'Pool address 0000:00:00.0 is no VF'
            : 'A pool address without numbers is 0000:00:00.0, no VF',
          `unsupported configuration: device '/sys/bus/pci/devices/0000:00:00.0' in network '${name}' is not an SR-IOV Virtual Function`,
          "0000:00:00.0 is the host bridge. Fill in the VF's address.",
        ),
      );
    if (seen.has(reading.canonical)) {
      report.add(
        'network-address',
        'error',
        address.nameSpan,
        rejectsNetwork(
          `VF ${reading.canonical} listed twice`,
          `XML error: PCI device '${reading.canonical}' can only be listed once in network ${name}`,
        ),
      );
    }
    seen.add(reading.canonical);
  }
}
