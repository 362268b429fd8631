// <interface type='network'> against the host's libvirt networks, above all hostdev pools
// (<forward mode='hostdev'>), which hand out one VF per guest interface at start. Mirrors libvirt's
//  - virNetworkObjFindByName at start: "Network not found: no network with matching name '%s'";
//  - networkAllocatePort (src/network/bridge_driver.c): "network '%s' is not active", and for a
//    hostdev pool with every VF taken "network '%s' requires exclusive access to interfaces, but none
//    are available"; an unknown portgroup is not an error there, its settings simply do not apply.
// (All three seen with virsh start on qemu:///session; the pool message with an active, empty pool.)
import type { InventoryIndex } from '../inventoryIndex';
import { addressKey } from '../pci';
import { shellJoin } from '../../../../shared/shellQuote';
import { isLiveUse } from '../../../../shared/vfUse';
import type { DocumentModel } from '../modelTypes';
import type { Inventory, InventoryNetwork } from '../types';
import { attrValue, firstChild, walk } from '../xml/query';
import type { XmlElement } from '../xml/types';
import { attribute, attributeSpan, failsAtStart, type Finding, type Report } from './common';

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

/**
 * True when the snapshot lists every network of the host (newer inventories record each one's
 * autostart), not only hostdev pools, and libvirt's networks could be read: only then does a name
 * missing from it mean the host lacks that network.
 */
export function listsAllNetworks(inventory: Inventory): boolean {
  return inventory.networks.some((n) => n.autostart !== undefined);
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
  if (!listsAllNetworks(index.inventory)) return;
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
      report.addFinding(span, networkUnknownFinding(name, index.inventory));
      continue;
    }
    const state = networkStateFinding(network);
    if (state) report.addFinding(span, state);
    if (network.forwardMode === 'hostdev') {
      wanted.set(name, (wanted.get(name) ?? 0) + 1);
      const shortage = poolShortageFinding(network, wanted.get(name)!, index, ownGuest);
      if (shortage) report.addFinding(span, shortage);
    }
    checkPortgroup(iface, network, report);
  }
}

/** network-unknown: the host has no network `name`, so a guest whose definition names it fails to start. */
export function networkUnknownFinding(name: string, inventory: Inventory): Finding {
  const known = inventory.networks.map((n) => n.name).sort();
  const problem = `No libvirt network '${name}' on host ${inventory.host}`;
  return {
    code: 'network-unknown',
    severity: 'error',
    problem,
    message: failsAtStart(
      problem,
      `Network not found: no network with matching name '${name}'`,
      known.length ? `Its networks: ${known.join(', ')}.` : undefined,
    ),
  };
}

/**
 * `virsh net-start NAME` as a POSIX shell runs it: a network name may hold spaces, quotes or `$`
 * (libvirt refuses only '/' and newlines), so it is quoted when it needs it; a name starting with '-'
 * follows --network, since virsh reads '--x' as an option.
 */
export function virshNetworkCommand(verb: 'net-start' | 'net-autostart', name: string): string {
  return shellJoin(['virsh', verb, ...(name.startsWith('-') ? ['--network'] : []), name]);
}

/**
 * network-inactive for a guest on `network`: an error when it is not active (a start fails now), a
 * warning when it is active but not marked autostart (down after a host reboot); null otherwise.
 */
export function networkStateFinding(network: InventoryNetwork): Finding | null {
  const name = network.name;
  const notActive = `Requested operation is not valid: network '${name}' is not active`;
  if (!network.active) {
    const problem = `Network '${name}' is not active`;
    return {
      code: 'network-inactive',
      severity: 'error',
      problem,
      message: failsAtStart(
        problem,
        notActive,
        network.autostart
          ? `It autostarts with libvirt; start it now: ${virshNetworkCommand('net-start', name)}.`
          : `Start it and keep it started: ${virshNetworkCommand('net-start', name)}; ${virshNetworkCommand('net-autostart', name)}.`,
      ),
    };
  }
  if (network.autostart === false) {
    const problem = `Network '${name}' does not autostart: after a host reboot it is down`;
    return {
      code: 'network-inactive',
      severity: 'warning',
      problem,
      message: failsAtStart(problem, notActive, `Mark it: ${virshNetworkCommand('net-autostart', name)}.`),
    };
  }
  return null;
}

/**
 * network-pool-exhausted for the `nth` interface on an active hostdev pool: an error when no free VF
 * is left for it (running guests hold them), a warning when other guests' persistent definitions
 * name the free ones directly (whichever starts first takes them); null when a VF is free.
 */
export function poolShortageFinding(
  network: InventoryNetwork,
  nth: number,
  index: InventoryIndex,
  ownGuest: string | null,
): Finding | null {
  if (!network.active) return null;
  const free = freePoolVfs(network, index, ownGuest);
  const finding = (severity: Finding['severity'], problem: string): Finding => ({
    code: 'network-pool-exhausted',
    severity,
    problem,
    message: failsAtStart(
      problem,
      `internal error: network '${network.name}' requires exclusive access to interfaces, but none are available`,
      `The pool has ${network.addresses.length} VFs${network.pfDevs?.length ? ` (PF ${network.pfDevs.join(', ')})` : ''}; enable more VFs or use another pool.`,
    ),
  });
  if (nth > free.length)
    return finding(
      'error',
      network.addresses.length === 0
        ? `Pool '${network.name}' has no VFs at all`
        : free.length === 0
          ? `No free VF left in pool '${network.name}': running guests hold all ${network.addresses.length}`
          : `Pool '${network.name}' has ${free.length} free VF(s), this document needs ${nth}`,
    );
  // persistent definitions that name pool VFs directly take them when their guest starts first
  const claimed = free.filter((a) => (index.usage.usersOf(addressKey(a)) ?? []).some((u) => u.guest.name !== ownGuest && u.device.config));
  if (nth > free.length - claimed.length)
    return finding('warning', `Pool '${network.name}' may run out: other guests' configs claim its free VFs`);
  return null;
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
