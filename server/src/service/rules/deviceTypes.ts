// Whether libvirt sees a device at all. Mirrors libvirt's
//  - virDomainNetDefParseXML: virXMLPropEnum(type, virDomainNetTypeFromString): values are
//    case-sensitive, `type='HOSTDEV'` is "Invalid value for attribute 'type' in element 'interface'";
//  - virDomainHostdevDefParseXML: mode defaults to subsystem, any other spelling is "unknown hostdev
//    mode"; qemuValidateDomainDeviceDefHostdev refuses mode='capabilities' (containers only); in subsystem mode a missing type is "missing source address type", an unknown one
//    "unknown host device source address type" (virDomainHostdevSubsysTypeFromString);
//  - libvirt's XPath lookups (./source/address, ./name, …) match elements in no namespace only: a
//    device snippet with a default namespace (xmlns='…', even libvirt's own URI) has, to libvirt, no
//    children ("missing source address type" at attach), and a <domain> with one has no <name>.
// Checked on every <interface>/<hostdev> of a guest, not only those this tool recognises as passthrough.
import type { DocumentModel } from '../modelTypes';
import type { XmlElement } from '../xml/types';
import { attribute, attributeSpan, attributeValue, rejects, type Report } from './common';
import type { Guest } from './guests';

/** virDomainNetType names, libvirt 9.0 */
const INTERFACE_TYPES = [
  'user',
  'ethernet',
  'vhostuser',
  'server',
  'client',
  'mcast',
  'network',
  'bridge',
  'internal',
  'direct',
  'hostdev',
  'udp',
  'vdpa',
  'null',
  'vds',
];
const KNOWN_INTERFACE_TYPES: ReadonlySet<string> = new Set(INTERFACE_TYPES);
const HOSTDEV_MODES = ['subsystem', 'capabilities'];
const SUBSYS_TYPES = ['usb', 'pci', 'scsi', 'scsi_host', 'mdev'];

export function checkDeviceTypes(model: DocumentModel, guests: readonly Guest[], report: Report): void {
  for (const root of model.xml.roots) checkDefaultNamespace(root, report);
  for (const guest of guests) {
    const devices = guest.devices;
    for (let i = 0; i < devices.length; i++) {
      const device = devices[i];
      if (device.name === 'interface') checkInterfaceType(device, report);
      else if (device.name === 'hostdev')
        checkHostdevModeAndType(device, guest.domain ? attributeValue(guest.domain, 'type') : null, report);
    }
  }
}

function checkInterfaceType(device: XmlElement, report: Report): void {
  const written = attributeValue(device, 'type');
  if (written === null || KNOWN_INTERFACE_TYPES.has(written)) return;
  const type = attribute(device, 'type')!;
  // no libvirt version has an empty type: virXMLPropEnum refuses it as it refuses a misspelt one
  if (written === '') {
    report.add(
      'device-type',
      'error',
      type.nameSpan,
      rejects(
        'Interface type is empty',
        "XML error: Invalid value for attribute 'type' in element 'interface': ''.",
        "Write type='hostdev' for a VF.",
      ),
    );
    return;
  }
  // only a different spelling of a known type: other values are outside this tool's knowledge of the version
  const meant = INTERFACE_TYPES.find((t) => t === type.value!.toLowerCase());
  if (!meant) return;
  report.add(
    'device-type',
    'error',
    attributeSpan(type),
    rejects(
      `Interface type '${type.value}' is not '${meant}': libvirt reads it case-sensitively`,
      `XML error: Invalid value for attribute 'type' in element 'interface': '${type.value}'.`,
      `Write type='${meant}'.`,
    ),
  );
}

function checkHostdevModeAndType(device: XmlElement, virtType: string | null, report: Report): void {
  const mode = attribute(device, 'mode');
  if (mode && mode.value !== null && !HOSTDEV_MODES.includes(mode.value)) {
    report.add(
      'device-type',
      'error',
      attributeSpan(mode),
      rejects(
        `Hostdev mode '${mode.value}' is not one libvirt knows${mode.value.toLowerCase() === 'subsystem' ? ' (it is case-sensitive)' : ''}`,
        `unsupported configuration: unknown hostdev mode '${mode.value}'`,
        "Write mode='subsystem' (or leave it out: it is the default).",
      ),
    );
    return;
  }
  if (mode && mode.value === 'capabilities' && (virtType === 'qemu' || virtType === 'kvm')) {
    report.add(
      'device-type',
      'error',
      attributeSpan(mode),
      rejects(
        "Hostdev mode 'capabilities' is for containers (LXC), not QEMU guests",
        `unsupported configuration: hostdev mode 'capabilities' is not supported in ${virtType}`,
        "Use mode='subsystem' with a type (pci, usb, scsi …).",
      ),
    );
  }
  if (mode && mode.value !== 'subsystem') return; // capabilities mode: containers, not PCI passthrough
  const type = attribute(device, 'type');
  if (!type) {
    report.add(
      'device-type',
      'error',
      device.nameSpan,
      rejects('<hostdev> without type', 'XML error: missing source address type', "Add type='pci' for a PCI device such as a VF."),
    );
  } else if (type.value !== null && !SUBSYS_TYPES.includes(type.value)) {
    const meant = SUBSYS_TYPES.find((t) => t === type.value!.toLowerCase());
    report.add(
      'device-type',
      'error',
      attributeSpan(type),
      rejects(
        `Hostdev type '${type.value}' is not one libvirt knows${meant ? ' (it is case-sensitive)' : ''}`,
        `unsupported configuration: unknown host device source address type '${type.value}'`,
        `Write type='${meant ?? 'pci'}'.`,
      ),
    );
  }
}

function checkDefaultNamespace(root: XmlElement, report: Report): void {
  const xmlns = attribute(root, 'xmlns');
  if (!xmlns || !xmlns.value) return; // xmlns='' is no namespace
  const libvirtError =
    root.name === 'domain'
      ? 'missing name information'
      : root.name === 'hostdev'
        ? 'XML error: Missing <source> element in hostdev device'
        : root.name === 'interface' && attributeValue(root, 'type') === 'hostdev'
          ? 'XML error: missing source address type'
          : null;
  if (!libvirtError) return;
  report.add(
    'default-namespace',
    'error',
    attributeSpan(xmlns),
    rejects(
      'A default namespace (xmlns) hides every element below from libvirt',
      libvirtError,
      `Remove xmlns='${xmlns.value}': libvirt reads its XML without a namespace (prefixed ones such as xmlns:qemu are fine).`,
    ),
  );
}
