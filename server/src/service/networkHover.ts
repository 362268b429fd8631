// Hover in a <network> document (virsh net-define) on what a VF pool hands out: a <pf dev> (the PF,
// its VFs, how many are free and who uses the others) and a listed <address> (the VF, as a guest's
// <source> address hover tells it, deviceHover.ts).
import { quotedName } from '../../../shared/quotedName';
import { hostAddressHover, inventoryFooter, productLine, readinessLines, usersLine } from './deviceHover';
import { documentOwner, indexOf, type DocumentOwner } from './featureSupport';
import type { InventoryIndex } from './inventoryIndex';
import { mdCode, mdText } from './markdown';
import type { DocumentModel } from './modelTypes';
import { addressKey } from './pci';
import { deviceByNetdev, poolPfFindings } from './rules/networkHost';
import type { HoverResult, ServiceContext, Span } from './types';
import { attrValue } from './xml/query';
import type { XmlElement } from './xml/types';

/** Hover on `element`'s start tag (`span`) inside the document's <network>: a pool's <pf> or <address>, else nothing. */
export function networkElementHover(element: XmlElement, model: DocumentModel, ctx: ServiceContext, span: Span): HoverResult | null {
  const forward = element.parent;
  if (forward?.name !== 'forward' || forward.parent !== model.network) return null;
  if (element.name === 'address') return { contents: hostAddressHover(element, model, ctx), span };
  if (element.name !== 'pf') return null;
  const index = indexOf(ctx);
  const dev = attrValue(element, 'dev');
  if (!index || !dev) return null;
  return { contents: `${pfHover(dev, index, documentOwner(model, element))}\n\n---\n${inventoryFooter(index.inventory, ctx)}`, span };
}

/** The PF a pool's <pf dev> names: its VFs, free ones and who uses the others; or why net-start finds no usable VF on it. */
function pfHover(dev: string, index: InventoryIndex, owner: DocumentOwner): string {
  const host = mdText(quotedName(index.inventory.host));
  const device = deviceByNetdev(index, dev);
  // no such netdev, not a PF, no VFs enabled: the network-pf rule's words
  const problems = poolPfFindings(dev, index).filter((f) => f.code === 'network-pf');
  if (!device || device.kind !== 'pf') return [`**PF** ${mdCode(dev)} on ${host}`, ...problems.map((f) => mdText(f.message))].join('\n\n');
  const vfs = index.vfsByPf.get(addressKey(device.address)) ?? [];
  const uses = vfs.map((vf) => ({ vf, use: index.usage.useOf(vf.address, owner.guest, owner.network ?? null) }));
  const free = uses.filter((u) => u.use.free);
  const lines = [
    `**PF** ${mdText(quotedName(dev))} ${mdCode(device.address)}: ${device.numVfs ?? vfs.length} of ${device.totalVfs ?? '?'} VFs enabled, ${free.length} free for this pool`,
    productLine(device),
    ...readinessLines(index.inventory, device),
    ...problems.map((f) => mdText(f.message)),
  ];
  if (free.length) lines.push(`**Free**: ${free.map((u) => `VF ${u.vf.vfIndex ?? '?'} ${mdCode(u.vf.address)}`).join(', ')}`);
  const busy = uses.filter((u) => !u.use.free);
  // one list item per VF in use, in the words the address hover gives it
  if (busy.length)
    lines.push(
      `**In use** (${busy.length}):\n${busy.map((u) => `- VF ${u.vf.vfIndex ?? '?'} ${mdCode(u.vf.address)}: ${usersLine(index.usage.usersOf(u.vf.address), u.use)}`).join('\n')}`,
    );
  const pools = index.inventory.networks.filter((n) => n.name !== owner.network && n.pfDevs?.includes(dev));
  if (pools.length)
    lines.push(
      `**Also the PF of** ${pools.map((n) => `${mdCode(n.name)} (${n.active ? 'active' : 'inactive'})`).join(', ')}: both pools hand out its VFs`,
    );
  return lines.join('\n\n');
}
