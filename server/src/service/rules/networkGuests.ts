// A <network> document against the guests whose persistent definitions name its portgroups (the
// snapshot's portgroupsPerNetwork). Mirrors libvirt's networkAllocatePort (src/network/bridge_driver.c)
// at a guest's start: it looks the interface's <source portgroup> up with virPortGroupFindByName
// (src/conf/network_conf.c), and a name the network does not define is no error, the port simply gets
// no portgroup settings. A definition that drops or renames a portgroup guests name takes their VLAN
// away at their next start, and a VF without its VLAN tag lands on the PF's untagged network. An
// interface that names no portgroup takes the network's default one (virPortGroupFindByName with no
// name), so a definition without the default the host's network has now does the same to those guests.
//
// The VLAN a guest's VF gets there is its interface's own <vlan> if it has one, else the portgroup's
// when that has tags, else the network's own (networkAllocatePort): a definition that keeps the
// portgroup but gives it, or the network, other tags moves those guests to another VLAN at their next
// start. That may be the intent, so it is information, naming the guests and both VLANs.
import type { InventoryIndex } from '../inventoryIndex';
import type { DocumentModel } from '../modelTypes';
import type { Inventory, InventoryGuest, InventoryNetwork, InventoryPortgroup, Span } from '../types';
import type { XmlElement } from '../xml/types';
import { childElements, firstChild } from '../xml/query';
import { attribute, attributeSpan, attributeValue, quotedName, quotedNames, type Report } from './common';
import { isDefaultPortgroup, networkDefinitionOf, networkNameSpan } from './networkDefinition';
import { vlanTagId } from './vlan';

/** One portgroup-in-use finding, with what its quick fix needs. */
export interface PortgroupInUse {
  span: Span;
  message: string;
  /** the portgroup guests name (or take as the default) that this definition lacks */
  portgroup: string;
  /** the host's definition of it now, when the host's network has it */
  onHost: InventoryPortgroup | undefined;
  /** the guests take it as the default: the definition has no default portgroup */
  asDefault: boolean;
}

export function checkPortgroupsInUse(model: DocumentModel, index: InventoryIndex, report: Report): void {
  for (const f of portgroupsInUse(model, index)) report.add('portgroup-in-use', 'warning', f.span, f.message);
  for (const f of portgroupVlanChanges(model, index)) report.add('portgroup-vlan-changed', 'information', f.span, f.message);
}

/** The portgroups guests name (or take as the default) on this document's network that it does not define. */
export function portgroupsInUse(model: DocumentModel, index: InventoryIndex): PortgroupInUse[] {
  const def = networkDefinitionOf(model);
  if (!def || !def.name) return [];
  const network = def.name;
  const portgroups = childElements(def.element, 'portgroup');
  const defined = new Set(portgroups.map((pg) => attributeValue(pg, 'name')));
  const hasDefault = portgroups.some(isDefaultPortgroup);
  const ports = portsOn(index.inventory, network);
  /** portgroup → the guests that name it on this network and that this definition lacks */
  const missing = new Map(
    [...ports.naming].filter(([portgroup]) => !defined.has(portgroup)).map(([portgroup, guests]) => [portgroup, namesOf(guests)]),
  );
  const onHost = index.inventory.networks.find((n) => n.name === network)?.portgroups ?? [];
  const hostDefault = hasDefault ? undefined : onHost.find((p) => p.default);
  const takingDefault = hostDefault ? namesOf(ports.takingDefault) : [];
  if (missing.size === 0 && takingDefault.length === 0) return [];
  const span = networkNameSpan(def.element);
  /** what a port without a portgroup gets on this definition: the network's own tags */
  const networkTags = vlanOf(def.element)?.tags ?? [];
  const findings: PortgroupInUse[] = [];
  for (const [portgroup, guests] of missing) {
    const there = onHost.find((p) => p.name === portgroup);
    const one = guests.length === 1;
    findings.push({
      span,
      portgroup,
      onHost: there,
      asDefault: false,
      message:
        `Portgroup ${quotedName(portgroup)} missing, and ${one ? 'a guest names' : `${guests.length} guests name`} it — ` +
        `${one ? 'guest' : 'guests'} ${quotedNames(guests)} ${one ? 'starts' : 'start'} ${lossOf(there, networkTags)} after net-define, and libvirt says nothing. ` +
        `Add <portgroup name=${quotedName(portgroup)}> or change ${one ? 'its' : 'their'} <source portgroup>.`,
    });
  }
  if (hostDefault && takingDefault.length > 0) {
    const one = takingDefault.length === 1;
    findings.push({
      span,
      portgroup: hostDefault.name,
      onHost: hostDefault,
      asDefault: true,
      message:
        `No default portgroup, and ${one ? 'a guest relies' : `${takingDefault.length} guests rely`} on one — ` +
        `${one ? 'guest' : 'guests'} ${quotedNames(takingDefault)} ${one ? 'names' : 'name'} no portgroup on this network, so ` +
        `${one ? 'it takes' : 'they take'} ${quotedName(hostDefault.name)}, the host's default now; after net-define ` +
        `${one ? 'it starts' : 'they start'} ${lossOf(hostDefault, networkTags)}, and libvirt says nothing. ` +
        `Mark a portgroup default='yes' or give ${one ? 'its interface' : 'their interfaces'} a <source portgroup>.`,
    });
  }
  return findings;
}

/**
 * The guests whose persistent definitions have interfaces on `network`, by what those name there (the
 * snapshot's portgroupsPerNetwork and defaultPortgroupOn), in the inventory's order.
 */
export function portsOn(inventory: Inventory, network: string): { naming: Map<string, InventoryGuest[]>; takingDefault: InventoryGuest[] } {
  /** portgroup → the guests that name it */
  const naming = new Map<string, InventoryGuest[]>();
  /** the guests with an interface that names no portgroup (it takes the default) */
  const takingDefault: InventoryGuest[] = [];
  for (const guest of inventory.guests) {
    const named = guest.portgroupsPerNetwork;
    if (named && Object.hasOwn(named, network))
      for (const portgroup of named[network]) {
        const guests = naming.get(portgroup);
        if (guests) guests.push(guest);
        else naming.set(portgroup, [guest]);
      }
    if (guest.defaultPortgroupOn?.includes(network)) takingDefault.push(guest);
  }
  return { naming, takingDefault };
}

const namesOf = (guests: readonly InventoryGuest[]): string[] => guests.map((g) => g.name);

/** One portgroup-vlan-changed finding, with what its quick fix needs. */
export interface PortgroupVlanChange {
  span: Span;
  message: string;
  /** the <vlan> the new tags come from (the portgroup's or the network's own; null: none, no VLAN) */
  vlan: XmlElement | null;
  /** the tags the host's network gives those guests now */
  hostTags: number[];
}

/** The VLAN tags a port takes (its portgroup's, else the network's) and the <vlan> they come from (null: neither has one). */
interface PortVlan {
  /** null when a tag id is one libvirt refuses (vlan-tag says so): nothing to compare */
  tags: number[] | null;
  vlan: XmlElement | null;
}

/**
 * The guests that keep their portgroup (or the default) after net-define but get another VLAN with it:
 * the definition's portgroup, or its network's own <vlan>, against the host's network now. A portgroup
 * the definition lacks is portgroup-in-use's.
 */
export function portgroupVlanChanges(model: DocumentModel, index: InventoryIndex): PortgroupVlanChange[] {
  const def = networkDefinitionOf(model);
  if (!def || !def.name) return [];
  const network = def.name;
  const host = index.inventory.networks.find((n) => n.name === network);
  if (!host) return [];
  const portgroups = childElements(def.element, 'portgroup');
  const byName = new Map<string, XmlElement>();
  for (const pg of portgroups) {
    const name = attributeValue(pg, 'name');
    if (name !== null && !byName.has(name)) byName.set(name, pg);
  }
  const { naming, takingDefault } = portsOn(index.inventory, network);
  const changes: { portgroup: XmlElement | null; change: VlanChange; byName: string[]; byDefault: string[] }[] = [];
  /** `guests` move with `change` when they take `portgroup` (null: the network's own <vlan>); one finding per portgroup and move */
  const moved = (portgroup: XmlElement | null, change: VlanChange | null, guests: string[], asDefault: boolean): void => {
    if (!change) return;
    let entry = changes.find((c) => c.portgroup === portgroup && sameTags(c.change.from, change.from) && sameTags(c.change.to, change.to));
    if (!entry) changes.push((entry = { portgroup, change, byName: [], byDefault: [] }));
    (asDefault ? entry.byDefault : entry.byName).push(...guests);
  };
  for (const [name, guests] of naming) {
    const pg = byName.get(name);
    if (!pg) continue;
    const onHost = host.portgroups?.find((p) => p.name === name);
    moved(pg, vlanChange(portVlan(pg, def.element), hostVlan(host, onHost)), namesOf(guests), false);
  }
  const ownDefault = portgroups.find(isDefaultPortgroup) ?? null;
  const hostDefault = host.portgroups?.find((p) => p.default);
  // without a default of its own while the host's network has one, portgroup-in-use says what they lose
  if (takingDefault.length > 0 && (ownDefault || !hostDefault))
    moved(ownDefault, vlanChange(portVlan(ownDefault, def.element), hostVlan(host, hostDefault)), namesOf(takingDefault), true);
  return changes.map(({ portgroup, change, byName, byDefault }) => {
    const guests = [...new Set([...byName, ...byDefault])];
    const pgName = portgroup ? quotedName(attributeValue(portgroup, 'name') ?? '') : null;
    const single = oneGuest(guests);
    const how =
      byDefault.length === 0
        ? ` portgroup ${pgName} on this network`
        : byName.length === 0
          ? ` no portgroup on this network and ${single ? 'takes' : 'take'} ${pgName ? `its default portgroup ${pgName}` : "the network's own <vlan>"}`
          : ` portgroup ${pgName} on this network or ${single ? 'takes' : 'take'} it as the default`;
    // a default portgroup without a name is net-define's refusal (network-portgroups): its tag stands for it
    const nameAttribute = portgroup ? attribute(portgroup, 'name') : null;
    const fallback = nameAttribute ? attributeSpan(nameAttribute) : portgroup ? portgroup.nameSpan : networkNameSpan(def.element);
    return {
      span: change.vlan?.nameSpan ?? fallback,
      message: vlanChangeMessage(guests, how, change),
      vlan: change.vlan,
      hostTags: change.from,
    };
  });
}

const sameTags = (a: readonly number[], b: readonly number[]): boolean => a.join(',') === b.join(',');

/** what networkAllocatePort gives a port of `portgroup` (null: the network has no default) on `network` */
function portVlan(portgroup: XmlElement | null, network: XmlElement): PortVlan {
  const own = portgroup ? vlanOf(portgroup) : null;
  if (own && (own.tags === null || own.tags.length > 0)) return own;
  return vlanOf(network) ?? { tags: [], vlan: null };
}

/** the tags of `el`'s <vlan>, or null when it has none */
function vlanOf(el: XmlElement): PortVlan | null {
  const vlan = firstChild(el, 'vlan');
  if (!vlan) return null;
  const tags: number[] = [];
  for (const tag of childElements(vlan, 'tag')) {
    const id = vlanTagId(attributeValue(tag, 'id'));
    if (id === null) return { tags: null, vlan };
    tags.push(id);
  }
  return { tags, vlan };
}

/** the same for the host's network now */
function hostVlan(network: InventoryNetwork, portgroup: InventoryPortgroup | undefined): number[] {
  return portgroup?.vlan?.length ? portgroup.vlan : (network.vlan ?? []);
}

interface VlanChange {
  from: number[];
  to: number[];
  vlan: XmlElement | null;
}

function vlanChange(defined: PortVlan, now: number[]): VlanChange | null {
  if (defined.tags === null || sameTags(defined.tags, now)) return null;
  return { from: now, to: defined.tags, vlan: defined.vlan };
}

/** `naming` follows "guest 'a' names" or "guests 'a', 'b' name" */
function vlanChangeMessage(guests: string[], naming: string, change: VlanChange): string {
  const single = oneGuest(guests);
  const to = vlanWords(change.to);
  return (
    `${single ? 'A guest moves' : `${guests.length} guests move`} from ${vlanWords(change.from)} to ${to} — ` +
    `${single ? 'guest' : 'guests'} ${quotedNames(guests)} ${single ? 'names' : 'name'}${naming}, so after net-define ` +
    `${single ? 'it starts' : 'they start'} ${change.to.length > 0 ? `on ${to}` : 'untagged'} (an interface with a <vlan> of its own keeps that). ` +
    `If that is not the intent, keep ${vlanWords(change.from)}.`
  );
}

const oneGuest = (guests: string[]): boolean => guests.length === 1;

function vlanWords(tags: number[]): string {
  return tags.length === 0 ? 'no VLAN' : `VLAN ${tags.join(', ')}`;
}

/**
 * How a guest starts once the host's `portgroup` is gone from the definition, whose network has
 * `networkTags` of its own: networkAllocatePort then gives a port the network's tags.
 */
function lossOf(portgroup: InventoryPortgroup | undefined, networkTags: readonly number[]): string {
  const hostTags = portgroup?.vlan ?? [];
  if (!portgroup || networkTags.length === 0) return `without ${settingsOf(portgroup)}`;
  if (sameTags(networkTags, hostTags))
    return `without its settings (its VLAN ${hostTags.join(', ')} stays: the network's own <vlan> has it)`;
  return `on the network's own VLAN ${networkTags.join(', ')} instead of ${hostTags.length > 0 ? `its VLAN ${hostTags.join(', ')}` : 'no VLAN'}`;
}

/** what a guest loses with the host's `portgroup` (its VLAN as the host's network has it now, when known) */
function settingsOf(portgroup: InventoryPortgroup | undefined): string {
  return portgroup?.vlan?.length ? `its VLAN ${portgroup.vlan.join(', ')} and any bandwidth` : 'its VLAN and bandwidth';
}
