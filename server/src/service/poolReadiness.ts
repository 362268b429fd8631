// libvirt's VF pools (networks with <forward mode='hostdev'>) before a host reboot, pool by pool, in
// the rules' own findings: network-inactive (down now, or down after a reboot), network-pool-exhausted
// (no free VF for the next guest, or fewer than the shut-off guests naming the pool take at their
// start), and the net-define / net-start checks of its PF and addresses (network-pf, network-vf,
// vf-not-persistent). A rule's warning is a WARN; its error is a FAIL only
// when a guest meets it (libvirt refuses nothing to a pool no guest uses), a WARN otherwise. Beside
// the pools: a network a guest's persistent definition names but the host lacks (network-unknown),
// which fails that guest's next start.
import { isGuestActive, isHostdevPool, type PoolVfs } from '../../../shared/vfUse';
import { buildIndex, type InventoryIndex } from './inventoryIndex';
import { addressKey } from './pci';
import { quotedName, quotedNames, type Finding } from './rules/common';
import { poolAddressFinding, poolPfFindings } from './rules/networkHost';
import { vfPersistenceFinding } from './rules/readiness';
import {
  guestsNaming,
  guestWithPoolVfs,
  handedOutVfs,
  listsAllNetworks,
  networkStateFinding,
  networkUnknownFinding,
  notVfsStarveStarts,
  poolShortageFinding,
  poolVfsAtStart,
} from './rules/networkPool';
import type { CheckStatus } from '../../../shared/readiness';
import type { Inventory, InventoryGuest, InventoryNetwork } from './types';

export interface PoolFinding {
  finding: Finding;
  status: Exclude<CheckStatus, 'pass'>;
  /** the finding says that this listed address is no VF (no device, a PF, not SR-IOV) */
  notVf?: string;
}

export interface PoolReadiness {
  network: InventoryNetwork;
  /** its listed addresses as a start meets them, free ones as if the pool were active (VfUsage.poolVfs) */
  vfs: PoolVfs;
  /**
   * "'web01' 1 (running, holds 0000:0b:10.1)", "'db02' 2 (shut off)": who uses the pool, each guest whose
   * persistent definition names it with the VFs its start takes (as network-pool-exhausted counts them)
   */
  users: string[];
  findings: PoolFinding[];
  status: CheckStatus;
}

/** Every hostdev pool of the snapshot, by name. */
export function hostdevPools(inventory: Inventory): InventoryNetwork[] {
  return inventory.networks.filter(isHostdevPool);
}

const WORSE: Record<CheckStatus, number> = { pass: 0, warn: 1, fail: 2 };

export function worstStatus(statuses: readonly CheckStatus[]): CheckStatus {
  return statuses.reduce<CheckStatus>((worst, s) => (WORSE[s] > WORSE[worst] ? s : worst), 'pass');
}

export function poolReadiness(network: InventoryNetwork, index: InventoryIndex): PoolReadiness {
  const name = network.name;
  // guests whose next start asks the pool for a VF (their persistent definition names it)
  const named = guestsNaming(name, index.inventory);
  const waiting = named.filter((g) => !isGuestActive(g));
  // a pool VF a running guest holds but its persistent definition does not name came from the pool
  const held = new Map<InventoryGuest, string[]>();
  for (const { address, guest } of handedOutVfs(network, index)) held.set(guest, [...(held.get(guest) ?? []), address]);
  const findings: PoolFinding[] = [];
  // an error fails the guests it names; without them it is a WARN
  const add = (finding: Finding | null, meets: readonly unknown[], notVf?: string) => {
    if (finding)
      findings.push({ finding, status: finding.severity === 'error' && meets.length > 0 ? 'fail' : 'warn', ...(notVf ? { notVf } : {}) });
  };
  const users = [...new Set([...named, ...held.keys()])];
  const vfs = index.usage.poolVfs(network);
  for (const { finding, address } of hostFindings(network, index))
    add(finding, users, address && vfs.notVfs.includes(address) ? address : undefined);
  add(networkStateFinding(network), named);
  // 0: no document; the shut-off guests that name the pool are the ones asking it for VFs
  add(poolShortageFinding(network, 0, index, null), waiting);
  return {
    network,
    vfs,
    users: users.map((g) => {
      const vfs = held.get(g);
      const take = poolVfsAtStart(g, name);
      return `${take.vfs > 0 ? guestWithPoolVfs(g.name, take) : quotedName(g.name)} (${g.state}${vfs ? `, holds ${vfs.join(', ')}` : ''})`;
    }),
    findings,
    status: worstStatus(findings.map((f) => f.status)),
  };
}

/** The net-define / net-start checks of the pool's PF or addresses (canonical) against the host. */
function hostFindings(network: InventoryNetwork, index: InventoryIndex): { finding: Finding; address?: string }[] {
  const findings: { finding: Finding; address?: string }[] = [];
  for (const written of network.addresses) {
    const address = addressKey(written);
    // a VF that a persistent definition names directly: a running guest's live-only VF came from the pool
    const direct = index.usage.usersOf(address).filter((u) => u.device.config);
    const finding = poolAddressFinding(address, network.name, index, direct);
    if (finding) findings.push({ finding, address });
  }

  // libvirt fills a pool from its <pf dev> only when it lists no <address> (networkCreateInterfacePool);
  // the snapshot's addresses are then the PF's own VFs
  let fromPf = false;
  for (const dev of network.pfDevs ?? []) {
    const pf = index.inventory.devices.find((d) => d.kind === 'pf' && d.netdev === dev);
    const listed = network.addresses.some((a) => index.byAddress.get(addressKey(a))?.pf !== pf?.address);
    if (listed) continue;
    fromPf = true;
    findings.push(...poolPfFindings(dev, network.name, index).map((finding) => ({ finding })));
  }
  // a pool filled from its <pf dev> has said so in the PF's words
  const lost = fromPf ? null : lostAfterReboot(network, index);
  if (lost) findings.push({ finding: lost });
  return findings;
}

/**
 * The pool's listed VFs that a boot does not recreate, as one finding in the words of the first one's
 * vf-not-persistent (the document warns on each; a line per VF would flood the status).
 */
function lostAfterReboot(network: InventoryNetwork, index: InventoryIndex): Finding | null {
  const lost: { address: string; finding: Finding }[] = [];
  for (const written of network.addresses) {
    const address = addressKey(written);
    const device = index.byAddress.get(address);
    const finding = device ? vfPersistenceFinding(device, index) : null;
    if (finding) lost.push({ address, finding });
  }
  if (lost.length === 0) return null;
  const shown = lost.slice(0, 4).map((l) => l.address);
  const problem =
    `${lost.length} of its ${network.addresses.length} listed VFs may not come back after a host reboot ` +
    `(${shown.join(', ')}${lost.length > shown.length ? ', …' : ''})`;
  return { ...lost[0].finding, problem, message: `${problem}. ${lost[0].finding.message}` };
}

export interface UnknownNetwork {
  name: string;
  /** "'db02' (shut off), 'web05' (running)": the guests whose persistent definition names it fail at their next start */
  namedBy: string;
  finding: Finding;
}

/**
 * Networks that guests' persistent definitions name and the host does not have, by name; none when
 * the snapshot does not list every network (libvirt's networks unreadable, an older snapshot), as
 * for the network-unknown rule.
 */
export function unknownNetworks(inventory: Inventory): UnknownNetwork[] {
  if (!listsAllNetworks(inventory)) return [];
  const known = new Set(inventory.networks.map((n) => n.name));
  const namedBy = new Map<string, string[]>();
  for (const guest of inventory.guests) {
    for (const name of guest.networks ?? []) {
      if (!known.has(name)) namedBy.set(name, [...(namedBy.get(name) ?? []), `${quotedName(guest.name)} (${guest.state})`]);
    }
  }
  return [...namedBy.keys()].sort().map((name) => ({
    name,
    namedBy: namedBy.get(name)!.join(', '),
    finding: networkUnknownFinding(name, inventory),
  }));
}

/** "PF 'enp11s0f0'" or the pool's addresses (the first eight). */
export function poolSource(network: InventoryNetwork): string {
  if (network.pfDevs?.length) return `PF ${quotedNames(network.pfDevs)}`;
  if (network.addresses.length === 0) return 'no PF or address';
  const shown = network.addresses.slice(0, 8).join(', ');
  return `addresses ${shown}${network.addresses.length > 8 ? `, … (${network.addresses.length})` : ''}`;
}

/**
 * For the status tooltip and the SR-IOV view: one line per pool with a problem, then one per network
 * that guests name and the host lacks. The index is built only for a host with pools.
 */
export function poolNotes(inventory: Inventory): string[] {
  const notes: string[] = [];
  const pools = hostdevPools(inventory);
  if (pools.length > 0) {
    const index = buildIndex(inventory);
    for (const network of pools) {
      const { findings, vfs } = poolReadiness(network, index);
      // the shortage finding names the listed addresses that are no VF as its cause: their own findings
      // would say it again on the same line
      const causeSaid = notVfsStarveStarts(vfs) && findings.some((f) => f.finding.code === 'network-pool-exhausted');
      const problems = findings.filter((f) => !(causeSaid && f.notVf)).map((f) => f.finding.problem);
      if (problems.length) notes.push(`VF pool ${quotedName(network.name)}: ${problems.join('; ')}`);
    }
  }
  for (const u of unknownNetworks(inventory)) notes.push(`${u.finding.problem}; named by ${u.namedBy}`);
  return notes;
}
