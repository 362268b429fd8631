// managed='yes|no' on <interface type='hostdev'> / <hostdev>. Mirrors libvirt's
// virDomainHostdevDefParseXMLSubsys, which reads it with ignore_value(virXMLPropTristateBool(…)):
// an invalid value is silently dropped (the RNG would reject it), leaving the default managed='no',
// so libvirt will not detach the VF from its host driver at start.
import { attribute, attributeSpan, attributeValue, type DeviceFacts, type Report } from './common';

export function checkManaged(facts: DeviceFacts, report: Report): void {
  const written = attributeValue(facts.device.element, 'managed');
  if (written === null || written === 'yes' || written === 'no') return;
  const managed = attribute(facts.device.element, 'managed')!;
  report.add(
    'managed-value',
    'warning',
    attributeSpan(managed),
    `managed='${managed.value}' is not yes/no — libvirt silently ignores it and uses the default managed='no': it will not detach the VF ` +
      "from its host driver, so it must be bound to vfio-pci by hand (virsh nodedev-detach). Write 'yes' or 'no'.",
  );
}
