// A <network> document against the guests whose persistent definitions name its portgroups (the
// snapshot's portgroupsPerNetwork). Mirrors libvirt's networkAllocatePort (src/network/bridge_driver.c)
// at a guest's start: it looks the interface's <source portgroup> up with virPortGroupFindByName
// (src/conf/network_conf.c), and a name the network does not define is no error, the port simply gets
// no portgroup settings. A definition that drops or renames a portgroup guests name takes their VLAN
// away at their next start, and a VF without its VLAN tag lands on the PF's untagged network.
import type { InventoryIndex } from '../inventoryIndex';
import type { DocumentModel } from '../modelTypes';
import { childElements, firstChild } from '../xml/query';
import { attributeValue, quotedName, quotedNames, type Report } from './common';
import { networkDefinitionOf } from './networkDefinition';

export function checkPortgroupsInUse(model: DocumentModel, index: InventoryIndex, report: Report): void {
  const def = networkDefinitionOf(model);
  if (!def || !def.name) return;
  const network = def.name;
  const defined = new Set(childElements(def.element, 'portgroup').map((pg) => attributeValue(pg, 'name')));
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
  if (missing.size === 0) return;
  const nameEl = firstChild(def.element, 'name')!;
  const span = nameEl.textSpans.length > 0 ? { start: nameEl.textSpans[0].start, end: nameEl.textSpans.at(-1)!.end } : nameEl.nameSpan;
  const onHost = index.inventory.networks.find((n) => n.name === network)?.portgroups ?? [];
  for (const [portgroup, guests] of missing) {
    const vlan = onHost.find((p) => p.name === portgroup)?.vlan;
    const settings = vlan?.length ? `its VLAN ${vlan.join(', ')} and any bandwidth` : 'its VLAN and bandwidth';
    const one = guests.length === 1;
    report.add(
      'portgroup-in-use',
      'warning',
      span,
      `Portgroup ${quotedName(portgroup)} missing, and ${one ? 'a guest names' : `${guests.length} guests name`} it — ` +
        `${one ? 'guest' : 'guests'} ${quotedNames(guests)} ${one ? 'starts' : 'start'} without ${settings} after net-define, and libvirt says nothing. ` +
        `Add <portgroup name=${quotedName(portgroup)}> or change ${one ? 'its' : 'their'} <source portgroup>.`,
    );
  }
}
