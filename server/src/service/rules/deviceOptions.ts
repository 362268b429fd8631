// Per-device options of a hostdev interface or plain <hostdev> that libvirt validates at define/attach.
// Mirrors libvirt's
//  - virDomainNetDefValidate (src/conf/domain_validate.c) for <interface> <teaming>: 'transient'
//    needs `persistent` (an empty one counts as missing), 'persistent' must not have it;
//  - virDomainHostdevDefValidate (same file) for <hostdev> <teaming>: only 'transient', and with
//    `persistent`; virDomainNetTeamingTypeFromString for an unknown type. An empty type is no type,
//    and a <teaming> without one is dropped by the parser, unless it has a persistent (then "unknown
//    teaming type '(null)'");
//  - virDomainDeviceInfoParseXML → virDomainDeviceROMParseXML / virDomainDeviceInfoValidate for
//    <rom enabled='no'> with bar or file ("ROM tuning is not supported when ROM is disabled").
//  - virDomainDeviceROMParseXML: bar on/off, enabled yes/no, exactly;
//  - virDomainDeviceDefValidateInternal: <driver iommu> only on virtio devices ("iommu driver option
//    is only supported for virtio devices"), which a hostdev interface is not, after
//    virDomainVirtioOptionsParseXML has read each as on/off (another value fails the parse first);
//  - qemuValidateDomainDeviceDefNetwork: a teaming 'persistent' interface must be virtio;
//  - qemuBuildInterfaceConnect (at start): <backend tap> on a hostdev interface.
// libvirt reads only the first <teaming> and the first <rom> of a device, and so does this file.
import type { XmlElement } from '../xml/types';
import { reportBackendTap } from './otherDevices';
import {
  attribute,
  attributeSpan,
  attributeValue,
  firstChild,
  hasAttribute,
  hasAttributeIn,
  rejects,
  type DeviceFacts,
  type Report,
} from './common';

export function checkDeviceOptions(facts: DeviceFacts, report: Report): void {
  const { element, kind } = facts.device;
  if (kind === 'hostdev') checkTeaming(element, 'hostdev', report);
  else {
    // a VF ignores <model>, so the QEMU driver never finds it virtio
    const model = firstChild(element, 'model');
    checkTeaming(element, 'hostdev-interface', report, (model && attributeValue(model, 'type')) ?? '(null)');
  }
  checkRom(element, report);
  checkInterfaceOnly(facts, report);
}

const ADD_PERSISTENT = "Add persistent='<alias of the virtio interface>' (a user alias such as 'ua-net0').";

/**
 * The first <teaming> of a device. `persistentModel`: for an interface, the model the QEMU driver finds
 * on it when that is no virtio model (qemuValidateDomainDeviceDefNetwork then refuses type='persistent'),
 * or null when the model passes or is not known.
 */
export function checkTeaming(
  element: XmlElement,
  kind: 'hostdev' | 'hostdev-interface' | 'network-interface',
  report: Report,
  persistentModel: string | null = null,
): void {
  const teaming = firstChild(element, 'teaming');
  if (!teaming) return;
  const typeAttr = attribute(teaming, 'type');
  const type = typeAttr?.value || null;
  const persistent = attribute(teaming, 'persistent');
  const hasPersistent = persistent !== null && persistent.value !== null && persistent.value !== '';
  if (!typeAttr || type === null) {
    if (hasPersistent)
      report.add(
        'teaming',
        'error',
        attributeSpan(persistent),
        rejects(
          'Teaming persistent=… without a type',
          "unsupported configuration: unknown teaming type '(null)'",
          "A VF is the transient half of a failover pair: add type='transient'.",
        ),
      );
    return;
  }
  if (type !== 'transient' && type !== 'persistent') {
    report.add(
      'teaming',
      'error',
      attributeSpan(typeAttr),
      rejects(
        `Unknown teaming type '${type}'`,
        `unsupported configuration: unknown teaming type '${type}'`,
        "Use type='transient' (with persistent='<alias of the virtio interface>') or 'persistent'.",
      ),
    );
  } else if (kind === 'hostdev') {
    if (type !== 'transient') {
      report.add(
        'teaming',
        'error',
        attributeSpan(typeAttr),
        rejects(
          "A <hostdev> in a failover pair must be teaming type='transient'",
          "unsupported configuration: teaming hostdev devices must have type='transient'",
          'The persistent half of a failover pair is the virtio <interface>, not the VF.',
        ),
      );
    } else if (!hasPersistent) {
      report.add(
        'teaming',
        'error',
        attributeSpan(typeAttr),
        rejects(
          "Teaming type='transient' without persistent='…'",
          'unsupported configuration: missing required persistent attribute in hostdev teaming element',
          ADD_PERSISTENT,
        ),
      );
    }
  } else if (type === 'transient' && !hasPersistent) {
    report.add(
      'teaming',
      'error',
      attributeSpan(typeAttr),
      rejects(
        "Teaming type='transient' without persistent='…'",
        "unsupported configuration: teaming persistent attribute must be set if teaming type is 'transient'",
        ADD_PERSISTENT,
      ),
    );
  } else if (type === 'persistent' && persistent !== null) {
    report.add(
      'teaming',
      'error',
      attributeSpan(persistent),
      rejects(
        "Teaming type='persistent' takes no persistent attribute",
        "unsupported configuration: teaming persistent attribute not allowed if teaming type is 'persistent'",
        'Remove persistent.',
      ),
    );
  } else if (type === 'persistent' && persistentModel !== null) {
    // qemuValidateDomainDeviceDefNetwork: the persistent half must be a virtio NIC
    const vf = kind === 'hostdev-interface';
    report.add(
      'teaming',
      'error',
      attributeSpan(typeAttr),
      rejects(
        vf
          ? "Teaming type='persistent' on a hostdev interface (a VF is the transient half)"
          : `Teaming type='persistent' on an interface whose model is '${persistentModel}', not virtio`,
        `unsupported configuration: virtio-net teaming persistent interface must be <model type='virtio'/>, not '${persistentModel}'`,
        vf
          ? "In a failover pair the virtio interface is persistent; give the VF <teaming type='transient' persistent='<alias of the virtio interface>'/>."
          : "Add <model type='virtio'/>: the persistent half of a failover pair is a virtio NIC.",
      ),
    );
  }
}

/** virDomainVirtioOptionsParseXML's attributes, in the order virDomainCheckVirtioOptionsAreAbsent checks them, and its wording. */
const VIRTIO_OPTIONS = [
  ['iommu', 'iommu driver option'],
  ['ats', 'ats driver option'],
  ['packed', 'packed driver option'],
  ['page_per_vq', 'page_per_vq option'],
] as const;

const VIRTIO_OPTION_NAMES: ReadonlySet<string> = new Set(VIRTIO_OPTIONS.map(([name]) => name));

/** virDomainNetIsVirtioModel */
const VIRTIO_MODELS: ReadonlySet<string> = new Set(['virtio', 'virtio-transitional', 'virtio-non-transitional']);

/**
 * <driver iommu/ats/packed/page_per_vq> (virtio options: virDomainNetDefValidate refuses them unless
 * <model> is virtio, which a VF ignores otherwise) and <backend tap> (QEMU at start) on a hostdev interface.
 */
function checkInterfaceOnly(facts: DeviceFacts, report: Report): void {
  const { element, kind } = facts.device;
  if (kind !== 'interface') return;
  const driver = facts.device.driver;
  if (driver !== null && hasVirtioOption(driver)) checkVirtioOptions(driver, element, report);
  reportBackendTap(element, 'hostdev', '<backend tap> on a hostdev interface: a VF has no tap device', 'Remove <backend>.', report);
}

function hasVirtioOption(driver: XmlElement): boolean {
  return hasAttributeIn(driver, VIRTIO_OPTION_NAMES);
}

/** virDomainNetIsVirtioModel for a <model> as written (null: none) */
export function isVirtioModel(model: XmlElement | null): boolean {
  return model !== null && VIRTIO_MODELS.has(attributeValue(model, 'type') ?? '');
}

function checkVirtioOptions(driver: XmlElement, element: XmlElement, report: Report): void {
  const virtio = isVirtioModel(firstChild(element, 'model'));
  for (let i = 0; i < VIRTIO_OPTIONS.length; i++) {
    const name = VIRTIO_OPTIONS[i][0];
    const wording = VIRTIO_OPTIONS[i][1];
    const option = attribute(driver, name);
    if (!option) continue;
    // virDomainVirtioOptionsParseXML reads each as a virTristateSwitch: anything but on/off fails the parse
    if (option.value !== null && option.value !== 'on' && option.value !== 'off') {
      report.add(
        'driver-name',
        'error',
        attributeSpan(option),
        rejects(
          `<driver ${name}='${option.value}'> is not on or off`,
          `XML error: Invalid value for attribute '${name}' in element 'driver': '${option.value}'.`,
          `Remove ${name}: it is a virtio option, and a VF is no virtio device.`,
        ),
      );
      continue;
    }
    if (virtio) continue;
    report.add(
      'driver-name',
      'error',
      attributeSpan(option),
      rejects(
        `<driver ${name}> on a hostdev interface (a virtio option)`,
        `unsupported configuration: ${wording} is only supported for virtio devices`,
        name === 'iommu'
          ? 'Remove iommu: a VF reaches guest memory through the host IOMMU (VFIO), not a virtio IOMMU.'
          : `Remove ${name}: it tunes virtio queues, and a VF has none.`,
      ),
    );
  }
}

/** virXMLPropTristateSwitch / virXMLPropTristateBool: exactly on/off and yes/no */
const ROM_SWITCHES = [
  ['bar', ['on', 'off']],
  ['enabled', ['yes', 'no']],
] as const;

const ROM_TUNING = ['bar', 'file'];

/** The first <rom> of any device whose info libvirt reads (virDomainDeviceInfoParseXML is shared). */
export function checkRom(element: XmlElement, report: Report): void {
  const rom = firstChild(element, 'rom');
  if (!rom) return;
  for (let i = 0; i < ROM_SWITCHES.length; i++) {
    const name = ROM_SWITCHES[i][0];
    const allowed = ROM_SWITCHES[i][1];
    const written = attributeValue(rom, name);
    if (written === null || written === allowed[0] || written === allowed[1]) continue;
    const value = attribute(rom, name)!;
    report.add(
      'rom',
      'error',
      attributeSpan(value),
      rejects(
        `<rom ${name}='${value.value}'> is not ${allowed.join(' or ')}`,
        `XML error: Invalid value for attribute '${name}' in element 'rom': '${value.value}'.`,
        `Write ${allowed.map((v) => `'${v}'`).join(' or ')} (lower case).`,
      ),
    );
  }
  if (attributeValue(rom, 'enabled') !== 'no') return;
  // any bar or file, even bar='off' or file='', is "tuning" to libvirt
  for (const name of ROM_TUNING) {
    if (!hasAttribute(rom, name)) continue;
    const tuning = attribute(rom, name)!;
    report.add(
      'rom',
      'error',
      attributeSpan(tuning),
      rejects(
        `ROM ${name} on a disabled ROM (enabled='no')`,
        'unsupported configuration: ROM tuning is not supported when ROM is disabled',
        `Remove ${name} (or enabled='no').`,
      ),
    );
  }
}
