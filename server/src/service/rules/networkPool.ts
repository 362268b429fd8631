// <interface type='network'> against the host's libvirt networks, above all hostdev pools
// (<forward mode='hostdev'>), which hand out one VF per guest interface at start. Mirrors libvirt's
//  - virNetworkObjFindByName at start: "Network not found: no network with matching name '%s'";
//  - networkAllocatePort (src/network/bridge_driver.c): "network '%s' is not active", and for a
//    hostdev pool with every VF taken "network '%s' requires exclusive access to interfaces, but none
//    are available"; an unknown portgroup is not an error there, its settings simply do not apply.
// (All three seen with virsh start on qemu:///session; the pool message with an active, empty pool.)
import type { InventoryIndex } from '../inventoryIndex';
import { addressKey } from '../pci';
import { isLiveUse } from '../../../../shared/vfUse';
import type { DocumentModel } from '../modelTypes';
import type { InventoryNetwork } from '../types';
import { attrValue, firstChild, walk } from '../xml/query';
import type { XmlElement } from '../xml/types';
import { attribute, attributeSpan, failsAtStart, type Report } from './common';

export interface NetworkInterface {
  element: XmlElement;
  source: XmlElement | null;
}

/** Every <interface type='network'> of the document. */
export function networkInterfaces(model: DocumentModel): NetworkInterface[] {
  const found: NetworkInterface[] = [];
  // a value reads 'network' only when the text spells it, or spells it with references: no walk otherwise
  if (!model.text.includes('network') && !model.text.includes('&')) return found;
  walk(model.xml, (el) => {
    if (el.name === 'interface' && attrValue(el, 'type') === 'network') {
      found.push({ element: el, source: firstChild(el, 'source') });
      return false;
    }
    return undefined;
  });
  return found;
}

/** True when the snapshot lists every network (newer inventories), not only hostdev pools. */
function listsAllNetworks(index: InventoryIndex): boolean {
  return index.inventory.networks.some((n) => n.autostart !== undefined);
}

/** Pool VFs no running guest holds (other than the document's own guest). */
export function freePoolVfs(network: InventoryNetwork, index: InventoryIndex, ownGuest: string | null): string[] {
  return network.addresses.filter(
    (a) => !(index.usage.usersOf(addressKey(a)) ?? []).some((u) => u.guest.name !== ownGuest && isLiveUse(u)),
  );
}

/** `interfaces`: networkInterfaces(model) */
export function checkNetworkInterfaces(
  model: DocumentModel,
  interfaces: readonly NetworkInterface[],
  index: InventoryIndex,
  report: Report,
): void {
  if (!listsAllNetworks(index)) return;
  const ownGuest = model.guestName?.value ?? null;
  const byName = new Map(index.inventory.networks.map((n) => [n.name, n]));
  const wanted = new Map<string, number>();
  for (const iface of interfaces) {
    const nameAttr = iface.source ? attribute(iface.source, 'network') : null;
    if (!nameAttr || nameAttr.value === null) continue;
    const name = nameAttr.value;
    const span = attributeSpan(nameAttr);
    const network = byName.get(name);
    if (!network) {
      const known = [...byName.keys()].sort();
      report.add(
        'network-unknown',
        'error',
        span,
        failsAtStart(
          `No libvirt network '${name}' on host ${index.inventory.host}`,
          `Network not found: no network with matching name '${name}'`,
          known.length ? `Its networks: ${known.join(', ')}.` : undefined,
        ),
      );
      continue;
    }
    if (!network.active) {
      report.add(
        'network-inactive',
        'error',
        span,
        failsAtStart(
          `Network '${name}' is not active`,
          `Requested operation is not valid: network '${name}' is not active`,
          network.autostart
            ? `It autostarts with libvirt; start it now: virsh net-start ${name}.`
            : `Start it and keep it started: virsh net-start ${name}; virsh net-autostart ${name}.`,
        ),
      );
    } else if (network.autostart === false) {
      report.add(
        'network-inactive',
        'warning',
        span,
        failsAtStart(
          `Network '${name}' does not autostart: after a host reboot it is down`,
          `Requested operation is not valid: network '${name}' is not active`,
          `Mark it: virsh net-autostart ${name}.`,
        ),
      );
    }
    if (network.forwardMode === 'hostdev') {
      wanted.set(name, (wanted.get(name) ?? 0) + 1);
      checkPool(network, wanted.get(name)!, span, index, ownGuest, report);
    }
    checkPortgroup(iface, network, report);
  }
}

function checkPool(
  network: InventoryNetwork,
  nth: number,
  span: { start: number; end: number },
  index: InventoryIndex,
  ownGuest: string | null,
  report: Report,
): void {
  if (!network.active) return;
  const free = freePoolVfs(network, index, ownGuest);
  const message = (lead: string) =>
    failsAtStart(
      lead,
      `internal error: network '${network.name}' requires exclusive access to interfaces, but none are available`,
      `The pool has ${network.addresses.length} VFs${network.pfDevs?.length ? ` (PF ${network.pfDevs.join(', ')})` : ''}; enable more VFs or use another pool.`,
    );
  if (nth > free.length) {
    report.add(
      'network-pool-exhausted',
      'error',
      span,
      message(
        network.addresses.length === 0
          ? `Pool '${network.name}' has no VFs at all`
          : free.length === 0
            ? `No free VF left in pool '${network.name}': running guests hold all ${network.addresses.length}`
            : `Pool '${network.name}' has ${free.length} free VF(s), this document needs ${nth}`,
      ),
    );
    return;
  }
  // persistent definitions that name pool VFs directly take them when their guest starts first
  const claimed = free.filter((a) => (index.usage.usersOf(addressKey(a)) ?? []).some((u) => u.guest.name !== ownGuest && u.device.config));
  if (nth > free.length - claimed.length) {
    report.add(
      'network-pool-exhausted',
      'warning',
      span,
      message(`Pool '${network.name}' may run out: other guests' configs claim its free VFs`),
    );
  }
}

function checkPortgroup(iface: NetworkInterface, network: InventoryNetwork, report: Report): void {
  const pg = iface.source ? attribute(iface.source, 'portgroup') : null;
  if (!pg || pg.value === null || !network.portgroups) return;
  if (network.portgroups.some((p) => p.name === pg.value)) return;
  const names = network.portgroups.map((p) => p.name);
  report.add(
    'network-portgroup',
    'warning',
    attributeSpan(pg),
    `No portgroup '${pg.value}' in network '${network.name}' — libvirt starts the guest without any portgroup settings (VLAN, bandwidth)` +
      (names.length ? `. Its portgroups: ${names.join(', ')}.` : '. The network has no portgroups.'),
  );
}
