// <interface type='network'> against the host's libvirt networks, above all hostdev pools
// (<forward mode='hostdev'>), which hand out one VF per guest interface at start. Mirrors libvirt's
//  - virNetworkObjFindByName at start: "Network not found: no network with matching name '%s'";
//  - networkAllocatePort (src/network/bridge_driver.c): "network '%s' is not active", and for a
//    hostdev pool with every VF taken "network '%s' requires exclusive access to interfaces, but none
//    are available"; an unknown portgroup is not an error there, its settings simply do not apply.
// (All three seen with virsh start on qemu:///session; the pool message with an active, empty pool.)
// A listed address that is no VF of the host does not stop net-start: networkAllocatePort hands it
// out like a VF, the first unused one in list order, and the guest start then fails on it (seen on
// qemu:///session with a pool listing 0000:3b:02.1), so it and the VFs listed after it count as none.
// A pool's free VFs go to whichever guest starts first, so the rule also counts the guests whose
// persistent definitions name the pool and that are shut off: each takes one VF per interface on it
// at its start (snapshot guests[].interfacesPerNetwork; older snapshots list guests[].networks only,
// once per guest, and there a guest takes one VF at least).
import type { InventoryIndex } from '../inventoryIndex';
import { addressKey } from '../pci';
import { shellJoin } from '../../../../shared/shellQuote';
import { isGuestActive, isHostdevPool, isLiveUse, type PoolVfs } from '../../../../shared/vfUse';
import type { DocumentModel } from '../modelTypes';
import type { Inventory, InventoryGuest, InventoryNetwork, Span } from '../types';
import { attrValue, firstChild, inNamespace, walk } from '../xml/query';
import type { XmlElement } from '../xml/types';
import { attribute, attributeSpan, failsAtStart, nameList, quotedName, quotedNames, shortName, type Finding, type Report } from './common';
import { NAMES_SHOWN } from '../../../../shared/quotedName';

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
    if (el.name === 'interface' && attrValue(el, 'type') === 'network' && !inNamespace(el)) {
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

/** Pool VFs the pool has handed out: a running guest holds each live, and its persistent definition does not name it. */
export function handedOutVfs(network: InventoryNetwork, index: InventoryIndex): { address: string; guest: InventoryGuest }[] {
  return network.addresses.flatMap((address) =>
    index.usage
      .usersOf(addressKey(address))
      .filter((u) => isLiveUse(u) && !u.device.config)
      .map((u) => ({ address, guest: u.guest })),
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
  const onPools = new Map<InventoryNetwork, Span[]>();
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
    if (isHostdevPool(network)) onPools.set(network, [...(onPools.get(network) ?? []), span]);
    checkPortgroup(iface, network, report);
  }
  for (const [network, spans] of onPools) reportPoolShortage(network, spans, index, ownGuest, report);
}

/**
 * network-pool-exhausted once for the document's interfaces on one pool (`spans`, in document order),
 * counting them all: a start fails at the first interface left without a VF, so that one carries the
 * error; a warning goes on the first one another guest's start could take the last free VF from.
 */
function reportPoolShortage(
  network: InventoryNetwork,
  spans: readonly Span[],
  index: InventoryIndex,
  ownGuest: string | null,
  report: Report,
): void {
  if (!network.active) return;
  const basis = poolShortageBasis(network, index, ownGuest);
  const shortage = poolShortageFinding(network, spans.length, index, ownGuest, basis);
  if (!shortage) return;
  const free = basis.demand.pool.free.length;
  const first = shortage.severity === 'error' ? free : free - basis.others.vfs;
  report.addFinding(spans[Math.min(Math.max(first, 0), spans.length - 1)], shortage);
}

/** network-unknown: the host has no network `name`, so a guest whose definition names it fails to start. */
export function networkUnknownFinding(name: string, inventory: Inventory): Finding {
  const known = inventory.networks.map((n) => n.name).sort();
  const problem = `No libvirt network ${quotedName(name)} on host ${quotedName(inventory.host)}`;
  return {
    code: 'network-unknown',
    severity: 'error',
    problem,
    message: failsAtStart(
      problem,
      `Network not found: no network with matching name '${name}'`,
      known.length ? `Its networks: ${quotedNames(known)}.` : undefined,
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
    const problem = `Network ${quotedName(name)} is not active`;
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
    const problem = `Network ${quotedName(name)} does not autostart: after a host reboot it is down`;
    return {
      code: 'network-inactive',
      severity: 'warning',
      problem,
      message: failsAtStart(problem, notActive, `Mark it: ${virshNetworkCommand('net-autostart', name)}.`),
    };
  }
  return null;
}

/** Guests whose persistent definition names the network (an <interface type='network'> on it). */
export function guestsNaming(name: string, inventory: Inventory): InventoryGuest[] {
  return inventory.guests.filter((g) => g.networks?.includes(name));
}

/** The VFs a guest's start takes from a pool, as far as the snapshot tells. */
export interface PoolVfsAtStart {
  vfs: number;
  /** false when the snapshot names the network without a count (older snapshots): `vfs` is then a lower bound */
  exact: boolean;
}

/**
 * How many VFs guest `guest` takes from pool `network` when it starts: one per <interface
 * type='network'> on the pool in its persistent definition (networkAllocatePort, once per interface).
 * 0 when its definition does not name the pool.
 */
export function poolVfsAtStart(guest: InventoryGuest, network: string): PoolVfsAtStart {
  if (!guest.networks?.includes(network)) return { vfs: 0, exact: true };
  // names are host data: a network called 'constructor' is no inherited property
  const counts = guest.interfacesPerNetwork;
  if (counts && Object.hasOwn(counts, network)) return { vfs: counts[network], exact: true };
  return { vfs: 1, exact: false };
}

/** "'db02' 2", "'db02' at least 1": a guest and the VFs its start takes from a pool, as the pool messages give them. */
export function guestWithPoolVfs(name: string, take: PoolVfsAtStart): string {
  return `${quotedName(name)} ${take.exact ? '' : 'at least '}${take.vfs}`;
}

/** The VFs `guests` take from pool `network` at their start, together. */
export function poolVfsOfGuests(guests: readonly InventoryGuest[], network: string): PoolVfsAtStart {
  return guests.reduce<PoolVfsAtStart>(
    (sum, g) => {
      const one = poolVfsAtStart(g, network);
      return { vfs: sum.vfs + one.vfs, exact: sum.exact && one.exact };
    },
    { vfs: 0, exact: true },
  );
}

/** What a pool's VFs are wanted for, seen from the document's own guest (`ownGuest`, left out of every list). */
export interface PoolDemand {
  /** the pool's listed addresses as a start meets them (VfUsage.poolVfs) */
  pool: PoolVfs;
  /**
   * shut-off guests whose persistent definition names the pool, with the VFs each takes at its start
   * (poolVfsAtStart). (Running guests already hold theirs: those VFs are not free.)
   */
  waiting: ({ guest: InventoryGuest } & PoolVfsAtStart)[];
  /** free pool VFs that other guests' persistent definitions name directly: their start takes them */
  claimed: { address: string; guests: string[] }[];
}

export function poolDemand(network: InventoryNetwork, index: InventoryIndex, ownGuest: string | null): PoolDemand {
  const pool = index.usage.poolVfs(network, ownGuest);
  const waiting = guestsNaming(network.name, index.inventory)
    .filter((g) => g.name !== ownGuest && !isGuestActive(g))
    .map((guest) => ({ guest, ...poolVfsAtStart(guest, network.name) }));
  const claimed = pool.free.flatMap((address) => {
    const guests = index.usage
      .usersOf(addressKey(address))
      .filter((u) => u.guest.name !== ownGuest && u.device.config)
      .map((u) => u.guest.name);
    return guests.length ? [{ address, guests: [...new Set(guests)] }] : [];
  });
  return { pool, waiting, claimed };
}

/** VFs the others of `demand` take at their start; `exact` false when a shut-off guest's count is a lower bound. */
export function othersWant(demand: PoolDemand): PoolVfsAtStart {
  const waiting = demand.waiting.reduce((sum, w) => sum + w.vfs, 0);
  return { vfs: waiting + demand.claimed.length, exact: demand.waiting.every((w) => w.exact) };
}

/**
 * No start gets a VF from the pool, and the listed addresses that are no VF are why: the shortage
 * finding then names them as its cause ("No VF a start can get from pool …: no device 0000:3b:02.1").
 */
export function notVfsStarveStarts(pool: PoolVfs): boolean {
  return pool.free.length === 0 && pool.notVfs.length > 0;
}

/** What network-pool-exhausted reads of a pool besides the document's own count: the same for every interface on it. */
export interface PoolShortageBasis {
  demand: PoolDemand;
  /** VFs the other guests take at their start (othersWant) */
  others: PoolVfsAtStart;
  /** who those others are, as the warning lists them */
  otherTakers: string[];
}

export function poolShortageBasis(network: InventoryNetwork, index: InventoryIndex, ownGuest: string | null): PoolShortageBasis {
  const demand = poolDemand(network, index, ownGuest);
  const otherTakers: string[] = [];
  const counted = demand.waiting.filter((w) => w.exact).map((w) => guestWithPoolVfs(w.guest.name, w));
  if (counted.length) otherTakers.push(`shut-off ${nameList(counted)}`);
  const atLeast = demand.waiting.filter((w) => !w.exact);
  if (atLeast.length === 1) otherTakers.push(`shut-off ${guestWithPoolVfs(atLeast[0].guest.name, atLeast[0])}`);
  else if (atLeast.length > 1) otherTakers.push(`shut-off ${nameList(atLeast.map((w) => quotedName(w.guest.name)))} at least 1 each`);
  for (const c of demand.claimed.slice(0, 3))
    otherTakers.push(`${nameList(c.guests.map(quotedName), 2)} name${c.guests.length > 1 ? '' : 's'} ${c.address} directly`);
  if (demand.claimed.length > 3) otherTakers.push(`other configs name ${demand.claimed.length - 3} more of its free VFs directly`);
  return { demand, others: othersWant(demand), otherTakers };
}

/**
 * network-pool-exhausted on an active hostdev pool for the `nth` interface on it of guest `ownGuest`
 * (the document's; null when unnamed), or with `nth` 0 for the guests whose definitions name the pool
 * (the readiness step). An error when a start finds no free VF (running guests hold them all, or
 * fewer are free than the document's interfaces); a warning when the other guests that ask the pool
 * at their start (shut-off guests whose definitions name it, configs naming its free VFs directly)
 * and this one want more than are free: whichever starts when none is left fails. Null otherwise.
 * A document with many interfaces on one pool passes the pool's `basis`, worked out once.
 */
export function poolShortageFinding(
  network: InventoryNetwork,
  nth: number,
  index: InventoryIndex,
  ownGuest: string | null,
  basis?: PoolShortageBasis,
): Finding | null {
  if (!network.active) return null;
  const { demand, others, otherTakers } = basis ?? poolShortageBasis(network, index, ownGuest);
  const { pool } = demand;
  const free = pool.free;
  const total = network.addresses.length;
  const noneReachable = notVfsStarveStarts(pool);
  const finding = (severity: Finding['severity'], problem: string): Finding => ({
    code: 'network-pool-exhausted',
    severity,
    problem,
    message: failsAtStart(
      problem,
      // once its free VFs are taken, a start is handed the first listed address that is no VF
      pool.notVfs.length
        ? notVfStartError(pool.notVfs[0], index)
        : `internal error: network '${shortName(network.name)}' requires exclusive access to interfaces, but none are available`,
      pool.notVfs.length
        ? `${noneReachable ? '' : `${capitalized(nameList(pool.missing, NAMES_SHOWN))}. `}Take ${nameList(pool.notVfs, NAMES_SHOWN)} out of the pool (virsh net-edit), or use another pool.`
        : `The pool has ${total} VFs${network.pfDevs?.length ? ` (PF ${quotedNames(network.pfDevs)})` : ''}; enable more VFs or use another pool.`,
    ),
  });
  // a start asks for one VF at least
  if (Math.max(nth, 1) > free.length)
    return finding(
      'error',
      total === 0
        ? `Pool ${quotedName(network.name)} has no VFs at all`
        : noneReachable
          ? `No VF a start can get from pool ${quotedName(network.name)}: ${nameList(pool.missing, NAMES_SHOWN)}${pool.behind.length ? `, listed before its ${pool.behind.length} free VF(s)` : ''}`
          : free.length === 0
            ? `No free VF left in pool ${quotedName(network.name)}: running guests hold all ${total}`
            : `Pool ${quotedName(network.name)} has ${free.length} free VF(s), this document needs ${nth}`,
    );
  const wanted = nth + others.vfs;
  if (wanted <= free.length) return null;
  const takers = nth > 0 ? [`${ownGuest === null ? 'this guest' : quotedName(ownGuest)} ${nth}`, ...otherTakers] : otherTakers;
  return finding(
    'warning',
    `Pool ${quotedName(network.name)} may run out: ${free.length} of its ${total} VFs are free, and its guests take ${others.exact ? '' : 'at least '}${wanted} when they start (${takers.join('; ')})`,
  );
}

/**
 * What a guest start that a pool hands `address` fails with when the host has no VF there: no device
 * (virPCIDeviceNew), or a device that is no VF (virHostdevSaveNetConfig).
 */
function notVfStartError(address: string, index: InventoryIndex): string {
  const key = addressKey(address);
  return index.byAddress.has(key)
    ? 'unsupported configuration: Interface type hostdev is currently supported on SR-IOV Virtual Functions only'
    : `Device ${key} not found: could not access /sys/bus/pci/devices/${key}/config`;
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
    `No portgroup ${quotedName(pg.value)} in network ${quotedName(network.name)} — libvirt starts the guest without any portgroup settings (VLAN, bandwidth)` +
      (names.length ? `. Its portgroups: ${quotedNames(names)}.` : '. The network has no portgroups.'),
  );
}

/** `text` as the start of a sentence */
function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
