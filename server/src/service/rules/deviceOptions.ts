// Per-device options of a hostdev interface or plain <hostdev> that libvirt validates at define/attach.
// Mirrors libvirt's
//  - virDomainNetDefValidate (src/conf/domain_validate.c) for <interface> <teaming>: 'transient'
//    needs `persistent` (an empty one counts as missing), 'persistent' must not have it;
//  - virDomainHostdevDefValidate (same file) for <hostdev> <teaming>: only 'transient', and with
//    `persistent`; virDomainNetTeamingTypeFromString for an unknown type (a <teaming> without
//    type is dropped by the parser);
//  - virDomainDeviceInfoParseXML → virDomainDeviceROMParseXML / virDomainDeviceInfoValidate for
//    <rom enabled='no'> with bar or file ("ROM tuning is not supported when ROM is disabled").
// libvirt reads only the first <teaming> and the first <rom> of a device, and so does this file.
import { attribute, attributeSpan, firstChild, rejects, type DeviceFacts, type Report } from './common';

export function checkDeviceOptions(facts: DeviceFacts, report: Report): void {
  checkTeaming(facts, report);
  checkRom(facts, report);
}

const ADD_PERSISTENT = "Add persistent='<alias of the virtio interface>' (a user alias such as 'ua-net0').";

function checkTeaming(facts: DeviceFacts, report: Report): void {
  const { element, kind } = facts.device;
  const teaming = firstChild(element, 'teaming');
  if (!teaming) return;
  const typeAttr = attribute(teaming, 'type');
  const type = typeAttr?.value;
  if (!typeAttr || type === null || type === undefined) return;
  const persistent = attribute(teaming, 'persistent');
  const hasPersistent = persistent !== null && persistent.value !== null && persistent.value !== '';
  if (type !== 'transient' && type !== 'persistent') {
    report.add('teaming', 'error', attributeSpan(typeAttr),
      rejects(`Unknown teaming type '${type}'`, `unsupported configuration: unknown teaming type '${type}'`,
        "Use type='transient' (with persistent='<alias of the virtio interface>') or 'persistent'."));
  } else if (kind === 'hostdev') {
    if (type !== 'transient') {
      report.add('teaming', 'error', attributeSpan(typeAttr),
        rejects("A <hostdev> in a failover pair must be teaming type='transient'",
          "unsupported configuration: teaming hostdev devices must have type='transient'",
          'The persistent half of a failover pair is the virtio <interface>, not the VF.'));
    } else if (!hasPersistent) {
      report.add('teaming', 'error', attributeSpan(typeAttr),
        rejects("Teaming type='transient' without persistent='…'",
          'unsupported configuration: missing required persistent attribute in hostdev teaming element', ADD_PERSISTENT));
    }
  } else if (type === 'transient' && !hasPersistent) {
    report.add('teaming', 'error', attributeSpan(typeAttr),
      rejects("Teaming type='transient' without persistent='…'",
        "unsupported configuration: teaming persistent attribute must be set if teaming type is 'transient'", ADD_PERSISTENT));
  } else if (type === 'persistent' && persistent !== null) {
    report.add('teaming', 'error', attributeSpan(persistent),
      rejects("Teaming type='persistent' takes no persistent attribute",
        "unsupported configuration: teaming persistent attribute not allowed if teaming type is 'persistent'", 'Remove persistent.'));
  }
}

function checkRom(facts: DeviceFacts, report: Report): void {
  const rom = firstChild(facts.device.element, 'rom');
  if (!rom) return;
  const enabled = attribute(rom, 'enabled');
  if (!enabled || enabled.value !== 'no') return;
  // any bar or file, even bar='off' or file='', is "tuning" to libvirt
  for (const name of ['bar', 'file']) {
    const tuning = attribute(rom, name);
    if (!tuning) continue;
    report.add('rom', 'error', attributeSpan(tuning),
      rejects(`ROM ${name} on a disabled ROM (enabled='no')`, 'unsupported configuration: ROM tuning is not supported when ROM is disabled',
        `Remove ${name} (or enabled='no').`));
  }
}
