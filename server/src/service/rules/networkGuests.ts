// A <network> document against the guests whose persistent definitions name its portgroups (the
// snapshot's portgroupsPerNetwork). Mirrors libvirt's networkAllocatePort (src/network/bridge_driver.c)
// at a guest's start: it looks the interface's <source portgroup> up with virPortGroupFindByName
// (src/conf/network_conf.c), and a name the network does not define is no error, the port simply gets
// no portgroup settings. A definition that drops or renames a portgroup guests name takes their VLAN
// away at their next start, and a VF without its VLAN tag lands on the PF's untagged network. An
// interface that names no portgroup takes the network's default one (virPortGroupFindByName with no
// name), so a definition without the default the host's network has now does the same to those guests.
import type { InventoryIndex } from '../inventoryIndex';
import type { DocumentModel } from '../modelTypes';
import type { InventoryPortgroup, Span } from '../types';
import { childElements, firstChild } from '../xml/query';
import { attributeValue, quotedName, quotedNames, type Report } from './common';
import { isDefaultPortgroup, networkDefinitionOf } from './networkDefinition';

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
}

/** The portgroups guests name (or take as the default) on this document's network that it does not define. */
export function portgroupsInUse(model: DocumentModel, index: InventoryIndex): PortgroupInUse[] {
  const def = networkDefinitionOf(model);
  if (!def || !def.name) return [];
  const network = def.name;
  const portgroups = childElements(def.element, 'portgroup');
  const defined = new Set(portgroups.map((pg) => attributeValue(pg, 'name')));
  const hasDefault = portgroups.some(isDefaultPortgroup);
  /** portgroup → the guests that name it on this network and that this definition lacks */
  const missing = new Map<string, string[]>();
  for (const guest of index.inventory.guests) {
    const named = guest.portgroupsPerNetwork;
    if (!named || !Object.hasOwn(named, network)) continue;
    for (const portgroup of named[network]) {
      if (defined.has(portgroup)) continue;
      const guests = missing.get(portgroup) ?? [];
      guests.push(guest.name);
      missing.set(portgroup, guests);
    }
  }
  const onHost = index.inventory.networks.find((n) => n.name === network)?.portgroups ?? [];
  const hostDefault = hasDefault ? undefined : onHost.find((p) => p.default);
  const takingDefault = hostDefault ? index.inventory.guests.filter((g) => g.defaultPortgroupOn?.includes(network)).map((g) => g.name) : [];
  if (missing.size === 0 && takingDefault.length === 0) return [];
  const nameEl = firstChild(def.element, 'name')!;
  const span = nameEl.textSpans.length > 0 ? { start: nameEl.textSpans[0].start, end: nameEl.textSpans.at(-1)!.end } : nameEl.nameSpan;
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
        `${one ? 'guest' : 'guests'} ${quotedNames(guests)} ${one ? 'starts' : 'start'} without ${settingsOf(there)} after net-define, and libvirt says nothing. ` +
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
        `${one ? 'it starts' : 'they start'} without ${settingsOf(hostDefault)}, and libvirt says nothing. ` +
        `Mark a portgroup default='yes' or give ${one ? 'its interface' : 'their interfaces'} a <source portgroup>.`,
    });
  }
  return findings;
}

/** what a guest loses with the host's `portgroup` (its VLAN as the host's network has it now, when known) */
function settingsOf(portgroup: InventoryPortgroup | undefined): string {
  return portgroup?.vlan?.length ? `its VLAN ${portgroup.vlan.join(', ')} and any bandwidth` : 'its VLAN and bandwidth';
}
