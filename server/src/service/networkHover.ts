// Hover in a <network> document (virsh net-define) on what a VF pool hands out: a <pf dev> (the PF,
// its VFs, how many are free and who uses the others), a listed <address> (the VF, as a guest's
// <source> address hover tells it, deviceHover.ts), a <portgroup> (what it sets on a guest's VF) and
// <forward> (what its mode makes of the network).
import { nameList, quotedName } from '../../../shared/quotedName';
import { hostAddressHover, inventoryFooter, productLine, readinessLines, usersLine } from './deviceHover';
import { documentOwner, indexOf, type DocumentOwner } from './featureSupport';
import type { InventoryIndex } from './inventoryIndex';
import { mdCode, mdText } from './markdown';
import type { DocumentModel } from './modelTypes';
import { addressKey } from './pci';
import { deviceByNetdev, poolPfFindings } from './rules/networkHost';
import { isDefaultPortgroup } from './rules/networkDefinition';
import type { HoverResult, InventoryGuest, ServiceContext, Span } from './types';
import { guestsNaming } from './rules/networkPool';
import { portsOn } from './rules/networkGuests';
import { FORWARD_MODE_DETAILS, FORWARD_MODES, type ForwardMode } from './rules/forwardModes';
import { attrValue, childElements, firstChild } from './xml/query';
import type { XmlElement } from './xml/types';

/** Hover on `element`'s start tag (`span`) inside the document's <network>: its <forward>, a <portgroup>, a pool's <pf> or <address>, else nothing. */
export function networkElementHover(element: XmlElement, model: DocumentModel, ctx: ServiceContext, span: Span): HoverResult | null {
  if (element.name === 'portgroup' && element.parent === model.network) return { contents: portgroupHover(element, model, ctx), span };
  if (element.name === 'forward' && element.parent === model.network) return { contents: forwardModeHover(element), span };
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
  const problems = poolPfFindings(dev, owner.network ?? '', index).filter((f) => f.code === 'network-pf');
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

/**
 * A portgroup: the VLAN and virtualport a guest's VF gets from it (its own, else the network's, as
 * libvirt applies them at the guest's start), whether it is the default, and with an inventory the
 * guests on the host that name the network and the host's definition of this portgroup.
 */
function portgroupHover(portgroup: XmlElement, model: DocumentModel, ctx: ServiceContext): string {
  const network = model.network!;
  const name = attrValue(portgroup, 'name');
  const networkName = documentOwner(model, portgroup).network ?? null;
  const otherDefault = childElements(network, 'portgroup').find((pg) => pg !== portgroup && isDefaultPortgroup(pg));
  const lines = [
    `**Portgroup** ${name === null ? '(no name: net-define refuses it)' : mdText(quotedName(name))}${networkName ? ` of network ${mdText(quotedName(networkName))}` : ''}`,
    isDefaultPortgroup(portgroup)
      ? '**Default**: guests whose `<source>` names no portgroup get its settings'
      : `**Not the default**${otherDefault ? ` (${mdText(quotedName(attrValue(otherDefault, 'name') ?? ''))} is)` : ''}: only guests whose \`<source portgroup>\` names it get its settings`,
    `**VLAN**: ${settingText(firstChild(portgroup, 'vlan'), firstChild(network, 'vlan'), vlanText)}`,
    `**Virtualport**: ${settingText(firstChild(portgroup, 'virtualport'), firstChild(network, 'virtualport'), virtualportText)}`,
  ];
  const index = indexOf(ctx);
  if (!index || networkName === null) return lines.join('\n\n');
  lines.push(portgroupGuestsLine(index, networkName, name, isDefaultPortgroup(portgroup)));
  const defined = index.inventory.networks.find((n) => n.name === networkName);
  if (defined && name !== null) {
    const there = defined.portgroups?.find((p) => p.name === name);
    lines.push(
      there
        ? `The host's definition has it${there.default ? ' (default)' : ''}${there.vlan?.length ? `, VLAN ${there.vlan.join(', ')}` : ''}`
        : "The host's definition has no such portgroup: guests naming it start without its settings until this one is defined",
    );
  }
  return `${lines.join('\n\n')}\n\n---\n${inventoryFooter(index.inventory, ctx)}`;
}

/**
 * The guests on the host that take portgroup `name` of `network` at their start, as this document
 * defines it (`isDefault`: also those whose <source> names no portgroup); from an older snapshot, which
 * does not tell which portgroup a guest names, the guests that name the network.
 */
function portgroupGuestsLine(index: InventoryIndex, network: string, name: string | null, isDefault: boolean): string {
  const host = mdText(quotedName(index.inventory.host));
  const label = (g: InventoryGuest) => mdText(`${quotedName(g.name)} (${g.state})`);
  const naming = guestsNaming(network, index.inventory);
  if (naming.length === 0) return `No guest on ${host} names ${mdText(quotedName(network))}`;
  const named = (g: InventoryGuest) =>
    g.portgroupsPerNetwork && Object.hasOwn(g.portgroupsPerNetwork, network) ? g.portgroupsPerNetwork[network] : null;
  const takesDefault = (g: InventoryGuest) => g.defaultPortgroupOn?.includes(network) === true;
  if (!naming.every((g) => named(g) !== null || takesDefault(g)))
    return `**Guests on ${host} naming ${mdText(quotedName(network))}**: ${nameList(naming.map(label))} (the inventory does not tell which portgroup each one's \`<source>\` names)`;
  const ports = portsOn(index.inventory, network);
  const takers = naming.filter(
    (g) => (name !== null && ports.naming.get(name)?.includes(g)) || (isDefault && ports.takingDefault.includes(g)),
  );
  const how = isDefault ? 'their `<source>` names it or no portgroup' : 'their `<source portgroup>` names it';
  return takers.length
    ? `**Guests on ${host} that take it**: ${nameList(takers.map(label))} (${how})`
    : `No guest on ${host} takes it (${naming.length} name ${mdText(quotedName(network))} but take another portgroup or none)`;
}

/** the portgroup's own setting, else the network's, which applies to it */
function settingText(
  own: XmlElement | undefined | null,
  networkWide: XmlElement | undefined | null,
  text: (e: XmlElement) => string,
): string {
  if (own) return text(own);
  if (networkWide) return `${text(networkWide)}, the network's`;
  return 'none';
}

function vlanText(vlan: XmlElement): string {
  const tags = childElements(vlan, 'tag').map((t) => mdCode(attrValue(t, 'id') ?? '?'));
  return tags.length ? `tag ${tags.join(', ')}` : 'no tag';
}

function virtualportText(port: XmlElement): string {
  const type = attrValue(port, 'type');
  const profile = firstChild(port, 'parameters');
  const id = profile ? attrValue(profile, 'profileid') : null;
  return `${type ? `type ${mdCode(type)}` : 'no type'}${id ? `, profileid ${mdCode(id)}` : ''}`;
}

/** The <forward mode> in one line, as its completion describes it; no mode (or an empty one) is the parser's nat. */
function forwardModeHover(forward: XmlElement): string {
  const written = attrValue(forward, 'mode');
  const mode = written || 'nat';
  const given = written ? mdCode(written) : "none given, libvirt's default `nat`";
  if (!(FORWARD_MODES as readonly string[]).includes(mode))
    return `**Forward mode** ${given}: net-define refuses it (unknown forwarding type); the modes are ${FORWARD_MODES.map(mdCode).join(', ')}`;
  return `**Forward mode** ${given}: ${mdText(FORWARD_MODE_DETAILS[mode as ForwardMode])}`;
}
