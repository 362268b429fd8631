// Checks libvirt makes with the same functions on the guest's other devices: USB, SCSI and mediated
// host devices, interfaces of other types, the virtio IOMMU. Mirrors libvirt's
//  - virDomainDefHostdevValidate → virDomainHostdevMatchSubsys (src/conf/domain_conf.c): a USB device
//    (bus+device, else vendor+product), SCSI LUN (adapter+bus+target+unit, or iSCSI host+port+path),
//    vhost-scsi wwpn or mdev uuid twice in one guest ("Hostdev already exists in the domain configuration");
//  - virDomainHostdevSubsysMediatedDevDefParseXML (a uuid in <source><address>), virDomainHostdevDefPostParse
//    (src/conf/domain_postparse.c: a vfio-pci mdev at a PCI guest address, vfio-ccw at a CCW one) and
//    virDomainDefHostdevValidate (one mdev with ramfb='on' per guest);
//  - qemuValidateDomainMdevDefVFIOPCI / …VFIOAP and the scsi_host case of qemuValidateDomainDeviceDefHostdev
//    (src/qemu/qemu_validate.c): no boot order on those; display='on' on a vfio-pci one needs a
//    <graphics> device;
//  - qemuDomainValidateActualNetDef (src/qemu/qemu_domain.c, at start): <backend tap> only on
//    network, bridge and ethernet interfaces (hostdev interfaces are deviceOptions.ts's);
//  - qemuValidateDomainDeviceDefIOMMU: a virtio IOMMU needs a PCI address, and
//    virDomainPCIAddressFlagsCompatible: on bus 0 (an integrated device).
// PCI host devices (and hostdev interfaces) are duplicates.ts's. Only the first check is the generic
// parser's; the others are the QEMU driver's and skip other hypervisors' guests.
import type { XmlElement } from '../xml/types';
import { interfaceMacName } from './mac';
import { readAddress } from '../address';
import { formatPciAddress, parsePciNumber } from '../pci';
import { attribute, attributeSpan, attributeValue, failsAtStart, firstChild, readUuid, rejects, type Report } from './common';
import { isQemuGuest, type Guest } from './guests';

export function checkOtherDevices(guests: readonly Guest[], report: Report): void {
  for (const guest of guests) {
    checkHostdevDuplicates(guest, report);
    checkMediatedDevices(guest, report);
    if (!isQemuGuest(guest)) continue;
    const hasGraphics = guest.devices.some((d) => d.name === 'graphics');
    const devices = guest.devices;
    for (let i = 0; i < devices.length; i++) {
      const device = devices[i];
      if (device.name === 'hostdev') checkHostdevOptions(device, guest.domain !== null && !hasGraphics, report);
      else if (device.name === 'interface') checkBackendTap(device, report);
      else if (device.name === 'iommu') checkIommuAddress(device, report);
    }
  }
}

const number = (raw: string | null): string => {
  if (raw === null) return '0';
  const parsed = parsePciNumber(raw);
  return parsed.ok ? String(parsed.value) : raw;
};

/** What identifies a non-PCI host device to virDomainHostdevMatchSubsys, with a name for messages; null when not one. */
interface Named {
  kind: string;
  id: string;
}

function hostdevKey(hostdev: XmlElement): { key: string; what: Named; at: XmlElement } | null {
  const mode = attributeValue(hostdev, 'mode') ?? 'subsystem';
  const type = attributeValue(hostdev, 'type');
  const source = firstChild(hostdev, 'source');
  if (mode !== 'subsystem' || !source) return null;
  const address = firstChild(source, 'address');
  const at = address ?? source;
  if (type === 'usb') {
    const bus = address ? attributeValue(address, 'bus') : null;
    const dev = address ? attributeValue(address, 'device') : null;
    if (bus !== null && dev !== null && number(bus) !== '0' && number(dev) !== '0')
      return { key: `usb@${number(bus)}.${number(dev)}`, what: { kind: 'USB device', id: `bus ${bus} device ${dev}` }, at };
    const vendor = firstChild(source, 'vendor');
    const product = firstChild(source, 'product');
    const v = vendor ? number(attributeValue(vendor, 'id')) : '0';
    const p = product ? number(attributeValue(product, 'id')) : '0';
    return {
      key: `usb=${v}:${p}`,
      what: {
        kind: 'USB device',
        id: `vendor ${vendor ? attributeValue(vendor, 'id') : '?'} product ${product ? attributeValue(product, 'id') : '?'}`,
      },
      at,
    };
  }
  if (type === 'scsi') {
    if (attributeValue(source, 'protocol') === 'iscsi') {
      const host = firstChild(source, 'host');
      const name = host ? attributeValue(host, 'name') : null;
      const port = host ? (attributeValue(host, 'port') ?? '3260') : '';
      return {
        key: `iscsi=${name ?? ''}:${port}/${attributeValue(source, 'name') ?? ''}`,
        what: { kind: 'iSCSI LUN', id: attributeValue(source, 'name') ?? '' },
        at,
      };
    }
    const adapter = firstChild(source, 'adapter');
    const name = adapter ? (attributeValue(adapter, 'name') ?? '') : '';
    const [bus, target, unit] = ['bus', 'target', 'unit'].map((f) => number(address ? attributeValue(address, f) : null));
    return { key: `scsi=${name}:${bus}:${target}:${unit}`, what: { kind: 'SCSI LUN', id: `${name} ${bus}:${target}:${unit}` }, at };
  }
  if (type === 'scsi_host') {
    const wwpn = attributeValue(source, 'wwpn');
    return wwpn
      ? { key: `scsi_host=${attributeValue(source, 'protocol') ?? ''}:${wwpn}`, what: { kind: 'vhost-scsi target', id: wwpn }, at }
      : null;
  }
  if (type === 'mdev') {
    const uuid = address ? attributeValue(address, 'uuid') : null;
    // libvirt compares the parsed UUID: 'C2177883F1BB…' is 'c2177883-f1bb-…'
    return uuid ? { key: `mdev=${readUuid(uuid) ?? uuid}`, what: { kind: 'mediated device', id: uuid }, at } : null;
  }
  return null;
}

function checkHostdevDuplicates(guest: Guest, report: Report): void {
  const byKey = new Map<string, { what: Named; at: XmlElement }[]>();
  const devices = guest.devices;
  for (let i = 0; i < devices.length; i++) {
    const device = devices[i];
    const found = device.name === 'hostdev' ? hostdevKey(device) : null;
    if (!found) continue;
    const list = byKey.get(found.key);
    if (list) list.push(found);
    else byKey.set(found.key, [found]);
  }
  for (const list of byKey.values()) {
    if (list.length < 2) continue;
    for (const { what, at } of list) {
      report.add(
        'hostdev-duplicate',
        'error',
        at.nameSpan,
        rejects(
          `One host ${what.kind} is assigned ${list.length} times in this guest`,
          'XML error: Hostdev already exists in the domain configuration',
          `A host device can be assigned once (this is ${what.id}).`,
        ),
      );
    }
  }
}

/** The parser's and post-parse's rules for mediated devices (any hypervisor). */
function checkMediatedDevices(guest: Guest, report: Report): void {
  const mdevs = guest.devices.filter(
    (d) => d.name === 'hostdev' && (attributeValue(d, 'mode') ?? 'subsystem') === 'subsystem' && attributeValue(d, 'type') === 'mdev',
  );
  const ramfb = mdevs.map((d) => attribute(d, 'ramfb')).filter((a) => a?.value === 'on');
  for (const on of ramfb.length > 1 ? ramfb : []) {
    report.add(
      'hostdev-options',
      'error',
      attributeSpan(on!),
      rejects(
        `ramfb='on' on ${ramfb.length} mediated devices of this guest`,
        "unsupported configuration: Only one vgpu device can have 'ramfb' enabled",
        "Keep ramfb='on' on one vGPU (the boot display).",
      ),
    );
  }
  for (const mdev of mdevs) {
    const source = firstChild(mdev, 'source');
    const address = source ? firstChild(source, 'address') : null;
    if (!address || attribute(address, 'uuid') === null) {
      report.add(
        'source-missing',
        'error',
        (address ?? source ?? mdev).nameSpan,
        rejects(
          address ? 'A mediated device without its uuid' : 'A mediated device without <source><address uuid=…>',
          address
            ? "unsupported configuration: Missing 'uuid' attribute for element <address>"
            : 'unsupported configuration: Missing <address> element',
          "Name the mdev: <source><address uuid='…'/></source> (see mdevctl list).",
        ),
      );
    } else {
      const uuid = attribute(address, 'uuid')!;
      if (uuid.value !== null && readUuid(uuid.value) === null) {
        report.add(
          'source-missing',
          'error',
          attributeSpan(uuid),
          rejects(
            `Mediated device uuid '${uuid.value}' is not a UUID`,
            'internal error: Cannot parse uuid attribute of element <address>',
            'Copy the uuid from mdevctl list.',
          ),
        );
      }
    }
    const model = attributeValue(mdev, 'model');
    const wanted = model === 'vfio-pci' ? 'pci' : model === 'vfio-ccw' ? 'ccw' : null;
    const guestAddress = firstChild(mdev, 'address');
    const type = guestAddress ? attribute(guestAddress, 'type') : null;
    if (wanted && type && type.value !== null && type.value !== wanted) {
      report.add(
        'guest-address-type',
        'error',
        attributeSpan(type),
        rejects(
          `A ${model} mediated device at a ${type.value} address`,
          `XML error: Unsupported address type '${type.value}' with mediated device model '${model}'`,
          `Use <address type='${wanted}' …/>, or drop the address.`,
        ),
      );
    }
  }
}

/** Boot order and display on mediated and vhost-scsi host devices. */
function checkHostdevOptions(hostdev: XmlElement, noGraphics: boolean, report: Report): void {
  const type = attributeValue(hostdev, 'type');
  const model = attributeValue(hostdev, 'model');
  const boot = firstChild(hostdev, 'boot');
  const bootless =
    type === 'scsi_host'
      ? 'vhost SCSI devices'
      : type === 'mdev' && (model === 'vfio-pci' || model === 'vfio-ap')
        ? `mediated devices of model ${model}`
        : null;
  if (boot && bootless) {
    report.add(
      'hostdev-options',
      'error',
      boot.nameSpan,
      rejects(
        `A ${type === 'mdev' ? `${model} mediated device` : 'vhost-scsi device'} cannot be a boot device`,
        `unsupported configuration: booting from assigned devices is not supported by ${bootless}`,
        'Remove <boot> (boot from a disk or a PCI host device instead).',
      ),
    );
  }
  // only the vfio-pci validator reads display (the others leave it alone)
  const display = type === 'mdev' && model === 'vfio-pci' ? attribute(hostdev, 'display') : null;
  if (display?.value === 'on' && noGraphics) {
    report.add(
      'hostdev-options',
      'error',
      attributeSpan(display),
      rejects(
        "display='on' on a mediated device in a guest without <graphics>",
        "unsupported configuration: graphics device is needed for attribute value 'display=on' in <hostdev>",
        "Add a <graphics> device (VNC or SPICE), or use display='off'.",
      ),
    );
  }
}

/** the interface types that have a tap device, and hostdev (deviceOptions.ts's) */
const TAP_INTERFACE_TYPES: ReadonlySet<string> = new Set(['network', 'bridge', 'ethernet', 'hostdev']);

/** <backend tap> on an interface that has no tap device (hostdev interfaces: deviceOptions.ts). */
function checkBackendTap(iface: XmlElement, report: Report): void {
  const type = attributeValue(iface, 'type');
  if (type === null || TAP_INTERFACE_TYPES.has(type)) return;
  reportBackendTap(
    iface,
    type,
    `<backend tap> on a ${type} interface, which has no tap device`,
    'Remove <backend tap> (it is for network, bridge and ethernet interfaces).',
    report,
  );
}

/** qemuDomainValidateActualNetDef's start-time refusal of <backend tap> on an interface of (actual) `type`. */
export function reportBackendTap(iface: XmlElement, type: string, summary: string, advice: string, report: Report): void {
  const backend = firstChild(iface, 'backend');
  const tap = backend ? attribute(backend, 'tap') : null;
  if (!tap) return;
  report.add(
    'element-unsupported',
    'error',
    attributeSpan(tap),
    failsAtStart(
      summary,
      `unsupported configuration: interface ${interfaceMacName(iface)} - custom tap device path is not supported for network interfaces of type ${type}`,
      advice,
    ),
  );
}

function checkIommuAddress(iommu: XmlElement, report: Report): void {
  if (attributeValue(iommu, 'model') !== 'virtio') return;
  const address = firstChild(iommu, 'address');
  const type = address ? attributeValue(address, 'type') : null;
  if (!address || type === null) return;
  if (type !== 'pci') {
    report.add(
      'guest-address-type',
      'error',
      attributeSpan(attribute(address, 'type')!),
      rejects(
        `A virtio IOMMU at a ${type} address`,
        "unsupported configuration: IOMMU device: 'virtio' needs a PCI address",
        "Use <address type='pci' bus='0x00' …/>, or drop the address.",
      ),
    );
    return;
  }
  const reading = readAddress(address, null, false);
  if (!reading.address || reading.empty || reading.address.bus === 0) return;
  const canonical = formatPciAddress(reading.address);
  const bus = attribute(address, 'bus');
  report.add(
    'guest-address-type',
    'error',
    bus ? attributeSpan(bus) : address.nameSpan,
    rejects(
      `A virtio IOMMU on PCI bus ${reading.address.bus}: it must sit on the root bus`,
      `XML error: The device at PCI address ${canonical} needs to be an integrated device (bus=0)`,
      "Use bus='0x00'.",
    ),
  );
}
