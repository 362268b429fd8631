// CodeLens above each hostdev interface and <hostdev>: attach to a picked guest, and, in a
// guest's own domain XML, attach to / detach from that guest. The client runs the action with
// deviceSpan's text (virsh attach-device / detach-device --config).
import { buildDocumentModel } from './model';
import type { LensResult, ServiceContext } from './types';

export function codeLenses(text: string, ctx: ServiceContext = {}): LensResult[] {
  void ctx;
  const model = buildDocumentModel(text);
  const guest = model.domain ? model.guestName?.value ?? null : null;
  const lenses: LensResult[] = [];
  for (const device of model.devices) {
    const span = { start: device.element.start, end: device.element.startTagEnd };
    const deviceSpan = { start: device.element.start, end: device.element.end };
    lenses.push({ span, title: 'Attach to guest…', action: 'attachPick', deviceSpan });
    if (guest) {
      lenses.push({ span, title: `Attach to ${guest}`, action: 'attach', guest, deviceSpan });
      lenses.push({ span, title: `Detach from ${guest}`, action: 'detach', guest, deviceSpan });
    }
  }
  return lenses;
}
