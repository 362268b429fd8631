// Document symbols (the outline) and deviceAt (what attach sends to virsh): one entry per
// hostdev interface or <hostdev> the model found.
import { normalizeMac } from './mac';
import { readAddress } from './address';
import { deviceContaining } from './featureSupport';
import { attrValue, childElements } from './xml/query';
import type { DeviceModel, DocumentModel } from './modelTypes';
import { guestOf } from './rules/guests';
import type { Span, SymbolResult } from './types';

export function documentSymbols(model: DocumentModel): SymbolResult[] {
  return model.devices.map((device) => ({
    name: `${device.kind === 'interface' ? 'interface hostdev' : 'hostdev'} ${hostAddressLabel(device)}`,
    detail: deviceDetail(device),
    kind: device.kind,
    span: { start: device.element.start, end: device.element.end },
    selectionSpan: device.element.nameSpan,
  }));
}

/** "0000:0b:10.0", or why there is none. */
export function hostAddressLabel(device: DeviceModel): string {
  if (!device.hostAddress) return '(no host address)';
  return readAddress(device.hostAddress).canonical ?? '(unreadable address)';
}

/** "mac 52:54:00:6d:09:02 · vlan 42" */
function deviceDetail(device: DeviceModel): string {
  const parts: string[] = [];
  const mac = device.mac ? attrValue(device.mac, 'address') : null;
  if (mac !== null) parts.push(`mac ${normalizeMac(mac) ?? mac}`);
  if (device.vlan) {
    const ids = childElements(device.vlan, 'tag').map((t) => attrValue(t, 'id') ?? '?');
    parts.push(`vlan ${ids.join(',') || '?'}`);
  }
  const vportType = device.virtualport ? attrValue(device.virtualport, 'type') : null;
  if (vportType) parts.push(`virtualport ${vportType}`);
  return parts.join(' · ');
}

/**
 * The device whose element contains `offset` (the innermost one), or, when `offset` is null or in
 * no device, the document's only device. Returns its exact text: what attach writes for virsh, and
 * the guest of the <domain> it sits in (its /domain/name), which attach offers first.
 */
export function deviceAt(model: DocumentModel, offset: number | null): { xml: string; span: Span; guest?: string } | null {
  const text = model.text;
  const devices = model.devices;
  let found = offset === null ? null : deviceContaining(model, offset);
  if (!found && devices.length === 1) found = devices[0];
  if (!found) return null;
  const span = { start: found.element.start, end: found.element.end };
  const guest = guestOf(model, found.element);
  return guest ? { xml: text.slice(span.start, span.end), span, guest } : { xml: text.slice(span.start, span.end), span };
}
