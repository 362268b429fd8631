// CodeLens above each hostdev interface and <hostdev>: attach to a picked guest, and, in a
// guest's own domain XML, attach to / detach from that guest. The client runs the action with
// deviceSpan's text (virsh attach-device / detach-device --config).
// With an inventory, only what can work is offered: attach when the device is not yet in the
// guest's persistent definition, detach when it is, and a plain label (no action) saying why when
// the host has no such guest, above that guest's first device.
// Above a <network> document's root: define it on the host, start it, mark it autostart (virsh
// net-define / net-start / net-autostart); with an inventory only what is still to do. Above a <domain>
// document's root: define it on the host (virsh define), "Redefine" when the host has it already.
import { guestDocumentName } from './guestRedefine';
import { indexOf } from './inventoryIndex';
import { networkDefinitionOf } from './rules/networkDefinition';
import type { DocumentModel } from './modelTypes';
import { deviceFacts, hostCanonical, quotedName } from './rules/common';
import { guestNamer } from './rules/guests';
import type { LensResult, ServiceContext } from './types';

export function codeLenses(model: DocumentModel, ctx: ServiceContext = {}): LensResult[] {
  const inventory = ctx.inventory ?? null;
  const lenses: LensResult[] = [...guestLenses(model, ctx), ...networkLenses(model, ctx)];
  const guestOf = guestNamer(model);
  const defined = new Map<string, boolean>();
  const toldUndefined = new Set<string>();
  for (const device of model.devices) {
    const guest = guestOf(device.element);
    let known: boolean | null = null;
    if (guest !== null && inventory) {
      known = defined.get(guest) ?? null;
      if (known === null) defined.set(guest, (known = inventory.guests.some((g) => g.name === guest)));
    }
    const index = known ? indexOf(ctx) : null;
    const span = { start: device.element.start, end: device.element.startTagEnd };
    const deviceSpan = { start: device.element.start, end: device.element.end };
    lenses.push({ span, title: 'Attach to guest…', action: 'attachPick', deviceSpan });
    if (!guest) continue;
    if (known === false) {
      // said once, above the guest's first device: the same label over each of its devices says nothing more
      if (toldUndefined.has(guest)) continue;
      toldUndefined.add(guest);
      lenses.push({
        span,
        title: `${quotedName(guest)} is not defined on ${quotedName(inventory!.host)}: no attach/detach`,
        action: 'none',
        deviceSpan,
      });
      continue;
    }
    // every device's lens carries the name: one of megabytes is left out (the client then asks, with it
    // chosen) rather than sent once per device
    const named = guest.length <= MAX_LENS_GUEST_CHARS ? { guest } : {};
    if (!index) {
      // no inventory: nothing says what works, so offer the attach (the flow asks for a host first)
      lenses.push({ span, title: `Attach to ${quotedName(guest)}`, action: 'attach', ...named, deviceSpan });
      continue;
    }
    const canonical = hostCanonical(deviceFacts(device));
    const inDefinition = canonical !== null && index.usage.usersOf(canonical).some((u) => u.guest.name === guest && u.device.config);
    if (inDefinition) lenses.push({ span, title: `Detach from ${quotedName(guest)}`, action: 'detach', ...named, deviceSpan });
    else lenses.push({ span, title: `Attach to ${quotedName(guest)}`, action: 'attach', ...named, deviceSpan });
  }
  return lenses;
}

/** Longest guest name a lens carries as its command's argument (libvirt's own names are far shorter). */
const MAX_LENS_GUEST_CHARS = 1024;

function guestLenses(model: DocumentModel, ctx: ServiceContext): LensResult[] {
  const name = guestDocumentName(model)?.name;
  if (!name) return [];
  const domain = model.domain!;
  // a transient guest has no persistent definition yet: define makes one
  const known = ctx.inventory?.guests.some((g) => g.name === name && g.persistent) ?? false;
  const on = ctx.inventory ? ` on ${quotedName(ctx.inventory.host)}` : '';
  return [
    {
      span: { start: domain.start, end: domain.startTagEnd },
      title: `${known ? 'Redefine' : 'Define'} ${quotedName(name)}${on}`,
      action: 'guestDefine',
      deviceSpan: { start: domain.start, end: domain.end },
    },
  ];
}

function networkLenses(model: DocumentModel, ctx: ServiceContext): LensResult[] {
  const def = networkDefinitionOf(model);
  if (!def || !def.name) return [];
  const name = quotedName(def.name);
  const span = { start: def.element.start, end: def.element.startTagEnd };
  const deviceSpan = { start: def.element.start, end: def.element.end };
  const lens = (title: string, action: LensResult['action']): LensResult => ({ span, title, action, deviceSpan });
  const on = ctx.inventory ? ` on ${quotedName(ctx.inventory.host)}` : '';
  const known = ctx.inventory?.networks.find((n) => n.name === def.name);
  if (!known) {
    const lenses = [lens(`Define ${name}${on}`, 'netDefine')];
    // without an inventory nothing says what is done already: offer every step
    if (!ctx.inventory) lenses.push(lens(`Start ${name}`, 'netStart'), lens(`Autostart ${name}`, 'netAutostart'));
    return lenses;
  }
  const lenses = [lens(`Redefine ${name}${on}`, 'netDefine')];
  if (!known.active) lenses.push(lens(`Start ${name}`, 'netStart'));
  if (known.autostart === false) lenses.push(lens(`Autostart ${name}`, 'netAutostart'));
  if (known.active && known.autostart !== false) lenses.push(lens(`${name} is active and autostarts${on}`, 'none'));
  return lenses;
}
