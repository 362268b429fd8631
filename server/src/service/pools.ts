// libvirt's VF pools (networks with <forward mode='hostdev'>) in the editor: hover on an
// <interface type='network'>'s <source network>/<source portgroup>, completion of network names
// (hostdev pools with free VFs that will not run out first) and portgroups, and quick fixes that switch to a free pool or
// an existing portgroup. The numbers are the rules' own (rules/networkPool.ts: what a start finds).
import { nameList, quotedName } from '../../../shared/quotedName';
import { plural } from '../../../shared/plural';
import { guestUseLabel, isGuestActive, isHostdevPool, poolVfsText, type PoolVfs } from '../../../shared/vfUse';
import type { InventoryIndex } from './inventoryIndex';
import { mdCode, mdText } from './markdown';
import { addressKey } from './pci';
import {
  guestsNaming,
  handedOutVfs,
  poolShortageBasis,
  poolShortageFinding,
  poolVfsOfGuests,
  type PoolVfsAtStart,
} from './rules/networkPool';
import { lineEnding, lineIndent } from './featureSupport';
import { attributeEdit, type QuickFix } from './quickFix';
import type { PortgroupInUse } from './rules/networkGuests';
import type { CompletionCandidate, InventoryGuest, InventoryNetwork, Span } from './types';
import { attrValue, childElements } from './xml/query';
import type { XmlElement } from './xml/types';

/** True when `el` is the <source> of an <interface type='network'>. */
export function isNetworkSource(el: XmlElement | null | undefined): boolean {
  return !!el && el.name === 'source' && el.parent?.name === 'interface' && attrValue(el.parent, 'type') === 'network';
}

export interface PoolSummary {
  network: InventoryNetwork;
  hostdev: boolean;
  /** pool VFs a start could get now (none when the network is inactive) */
  free: string[];
  /** the PFs the pool's VFs belong to, as a sentence lists them (VfUsage.poolPfs) */
  pfs: string[];
  /** the listed addresses as a start meets them, free ones as if the pool were active (VfUsage.poolVfs); null for other networks */
  vfs: PoolVfs | null;
  /** pool VFs a guest's persistent definition names directly, with "web01 (running, config)" labels */
  held: { address: string; users: string }[];
  /** pool VFs the pool has handed out: a running guest holds them live, its persistent definition does not name them */
  handedOut: { address: string; guest: string }[];
  /** other guests whose persistent definition names the network: running ones hold their VFs */
  running: InventoryGuest[];
  /** … and shut-off ones, which take VFs at their start */
  shutOff: InventoryGuest[];
  /** the VFs the shut-off ones take at their start (a lower bound from older snapshots) */
  shutOffTake: PoolVfsAtStart;
  /** free VFs left once the other guests start; `leftExact` false when that is an upper bound */
  left: number;
  leftExact: boolean;
  /**
   * network-pool-exhausted would be reported if this guest took one of its VFs: none is free, or the
   * shut-off guests naming it (and configs naming its free VFs) take the rest at their start
   */
  runsOut: boolean;
}

export function poolSummary(network: InventoryNetwork, index: InventoryIndex, ownGuest: string | null): PoolSummary {
  const hostdev = isHostdevPool(network);
  const shortage = hostdev && network.active ? poolShortageBasis(network, index, ownGuest) : null;
  const demand = shortage?.demand ?? null;
  const free = demand?.pool.free ?? [];
  const others = guestsNaming(network.name, index.inventory).filter((g) => g.name !== ownGuest);
  const held = network.addresses.flatMap((a) => {
    const users = index.usage.usersOf(addressKey(a)).filter((u) => u.device.config);
    return users.length ? [{ address: a, users: users.map(guestUseLabel).join(', ') }] : [];
  });
  const handedOut = handedOutVfs(network, index).map((h) => ({ address: h.address, guest: h.guest.name }));
  const shutOff = others.filter((g) => !isGuestActive(g));
  const othersTake = shortage?.others ?? null;
  return {
    network,
    hostdev,
    free,
    pfs: index.usage.poolPfs(network),
    vfs: hostdev ? (demand?.pool ?? index.usage.poolVfs(network, ownGuest)) : null,
    held,
    handedOut,
    running: others.filter(isGuestActive),
    shutOff,
    shutOffTake: poolVfsOfGuests(shutOff, network.name),
    left: othersTake ? Math.max(0, free.length - othersTake.vfs) : 0,
    leftExact: othersTake?.exact ?? true,
    runsOut: shortage !== null && poolShortageFinding(network, 1, index, ownGuest, shortage) !== null,
  };
}

/** Markdown for the network an <interface type='network'> names; host data is escaped. */
export function poolHover(name: string, index: InventoryIndex, ownGuest: string | null): string {
  const host = mdText(quotedName(index.inventory.host));
  const network = index.inventory.networks.find((n) => n.name === name);
  if (!network) {
    const names = index.inventory.networks.map((n) => mdCode(n.name));
    return `**Network** ${mdCode(name)}\n\nNo such network on ${host}${names.length ? `: its networks are ${names.join(', ')}` : ''}.`;
  }
  const s = poolSummary(network, index, ownGuest);
  const state = `${network.active ? 'active' : '**inactive**'}, ${network.autostart === undefined ? 'autostart unknown' : network.autostart ? 'autostarts' : '**does not autostart**'}`;
  const lines = [
    `**Network** ${mdCode(name)} on ${host}: ${s.hostdev ? "VF pool (`<forward mode='hostdev'>`)" : `forward mode ${mdCode(network.forwardMode ?? 'none')}`}, ${state}`,
  ];
  if (s.hostdev) {
    lines.push(sizeLine(s));
    if (s.vfs?.notVfs.length) lines.push(notVfsLine(s.vfs));
    lines.push(namingLine(s));
    if (s.pfs.length) lines.push(`**PF**: ${mdText(s.pfs.join(', '))}`);
    if (network.connections !== undefined) lines.push(`**Connections now**: ${network.connections}`);
    if (s.handedOut.length) {
      const shown = s.handedOut.slice(0, 8).map((h) => `${mdCode(h.address)} to ${mdText(quotedName(h.guest))}`);
      lines.push(`**Handed out now**: ${shown.join('; ')}${s.handedOut.length > 8 ? `; ${s.handedOut.length - 8} more` : ''}`);
    }
    lines.push(
      s.held.length
        ? `**Also named directly by guests**: ${s.held.map((h) => `${mdCode(h.address)} ${mdText(h.users)}`).join('; ')}`
        : 'No guest names a pool VF directly.',
    );
  }
  if (network.vlan?.length) lines.push(`**VLAN**: ${network.vlan.join(', ')}`);
  if (network.portgroups?.length)
    lines.push(
      `**Portgroups**: ${network.portgroups
        .map((p) => `${mdCode(p.name)}${p.default ? ' (default)' : ''}${p.vlan?.length ? ` VLAN ${p.vlan.join(', ')}` : ''}`)
        .join(', ')}`,
    );
  return lines.join('\n\n');
}

/** "**Pool**: 7 VFs, 2 free for this guest, none left once the other guests start, managed" */
function sizeLine(s: PoolSummary): string {
  const network = s.network;
  let use = 'none handed out while inactive';
  if (network.active) {
    use = `${s.free.length} free for this guest`;
    if (s.left < s.free.length)
      use += `, ${s.left ? `${s.leftExact ? '' : 'at most '}${s.left}` : 'none'} left once the other guests start`;
  }
  const notVfs = s.vfs?.notVfs.length ?? 0;
  const size = notVfs
    ? `${plural(network.addresses.length - notVfs, 'VF')} and ${notVfs} listed ${notVfs === 1 ? 'address that is' : 'addresses that are'} no VF`
    : plural(network.addresses.length, 'VF');
  return `**Pool**: ${size}, ${use}${network.managed ? ', managed' : ''}`;
}

/** "**Listed, no VF**: no device 0000:3b:02.1 on host 'kvm1' — …": listed addresses a start is handed and fails on. */
function notVfsLine(vfs: PoolVfs): string {
  const n = vfs.behind.length;
  const behind = n ? `; no start gets past it to the ${n} free VF${n === 1 ? '' : 's'} listed after it` : '';
  return `**Listed, no VF**: ${mdText(vfs.missing.join(', '))} — libvirt hands ${vfs.notVfs.length === 1 ? 'it' : 'them'} out like VFs, and the guest start that gets one fails${behind}`;
}

/** "**Other guests naming it**: 3: 1 running ('web03'), 2 shut off ('db02' and 'db03'), …"; names escaped. */
function namingLine(s: PoolSummary): string {
  const count = s.running.length + s.shutOff.length;
  if (count === 0) return '**Other guests naming it**: none';
  const names = (guests: InventoryGuest[]) =>
    nameList(
      guests.map((g) => mdText(g.state === 'running' || !isGuestActive(g) ? quotedName(g.name) : `${quotedName(g.name)} (${g.state})`)),
    );
  const running = `${s.running.length} running${s.running.length ? ` (${names(s.running)})` : ''}`;
  const n = s.shutOff.length;
  const take = s.shutOffTake;
  const shutOff =
    n === 0
      ? '0 shut off'
      : take.exact
        ? `${n} shut off (${names(s.shutOff)}), which take${n === 1 ? 's' : ''} ${take.vfs} VF${take.vfs === 1 ? '' : 's'} at ${n === 1 ? 'its' : 'their'} start`
        : `${n} shut off (${names(s.shutOff)}), each takes at least one VF at its start`;
  return `**Other guests naming it**: ${count}: ${running}, ${shutOff}`;
}

/** ", 3 shut-off guests name it": what waits for the pool's free VFs (empty when nothing does). */
function shutOffNaming(s: PoolSummary): string {
  const n = s.shutOff.length;
  return n === 0 ? '' : `, ${n} shut-off guest${n === 1 ? ' names' : 's name'} it`;
}

/**
 * Network names for <source network='…'>: hostdev pools with a free VF that will not run out first,
 * then those the shut-off guests naming them will exhaust, then other pools, then the rest.
 */
export function networkCandidates(index: InventoryIndex, ownGuest: string | null, span: Span): CompletionCandidate[] {
  return index.inventory.networks.map((network) => {
    const s = poolSummary(network, index, ownGuest);
    const rank = s.hostdev ? (s.free.length > 0 ? (s.runsOut ? 1 : 0) : 2) : 3;
    const detail = s.hostdev
      ? `VF pool, ${network.active && s.vfs ? poolVfsText(s.vfs, s.pfs) : `inactive${s.pfs.length ? ` (${s.pfs.join(', ')})` : ''}`}${network.active ? shutOffNaming(s) : ''}`
      : `${network.forwardMode ?? 'isolated'} network${network.active ? '' : ', inactive'}`;
    return {
      label: network.name,
      kind: 'value' as const,
      detail,
      // the name as an attribute value: a network called `r&d` is written r&amp;d
      insertText: attrText(network.name),
      span,
      sortText: `${rank}${network.name}`,
    };
  });
}

/** Portgroups of the named network for <source portgroup='…'>, the default first. */
export function portgroupCandidates(index: InventoryIndex, networkName: string | null, span: Span): CompletionCandidate[] {
  const network = index.inventory.networks.find((n) => n.name === networkName);
  return (network?.portgroups ?? []).map((p) => ({
    label: p.name,
    kind: 'value' as const,
    detail: `${p.default ? 'default portgroup' : 'portgroup'} of ${quotedName(network!.name)}${p.vlan?.length ? `, VLAN ${p.vlan.join(', ')}` : ''}`,
    insertText: attrText(p.name),
    span,
    sortText: `${p.default ? 0 : 1}${p.name}`,
  }));
}

const attrText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/'/g, '&apos;').replace(/"/g, '&quot;');

/**
 * Up to three active hostdev pools with a free VF, replacements for a network name: those that will
 * not run out first (preferred: the first of them), then most free first.
 */
export function freePoolFixes(index: InventoryIndex, current: string, ownGuest: string | null, span: Span): QuickFix[] {
  return index.inventory.networks
    .filter((n) => n.name !== current && isHostdevPool(n) && n.active)
    .map((n) => poolSummary(n, index, ownGuest))
    .filter((s) => s.free.length > 0)
    .sort((a, b) => Number(a.runsOut) - Number(b.runsOut) || b.free.length - a.free.length || (a.network.name < b.network.name ? -1 : 1))
    .slice(0, 3)
    .map((s, i) => ({
      title: `Use pool ${quotedName(s.network.name)} (${s.free.length} free VF${s.free.length === 1 ? '' : 's'}${shutOffNaming(s)})`,
      edits: [{ span, newText: attrText(s.network.name) }],
      ...(i === 0 && !s.runsOut ? { isPreferred: true } : {}),
    }));
}

/** The network's portgroups as replacements for an unknown one, the default first. */
export function portgroupFixes(network: InventoryNetwork | undefined, span: Span): QuickFix[] {
  return [...(network?.portgroups ?? [])]
    .sort((a, b) => Number(!!b.default) - Number(!!a.default))
    .map((p, i) => ({
      title: `Use portgroup ${quotedName(p.name)}${p.default ? ' (default)' : ''}`,
      edits: [{ span, newText: attrText(p.name) }],
      ...(i === 0 ? { isPreferred: true } : {}),
    }));
}

/**
 * For portgroup-in-use: mark the portgroup default='yes' where the definition has it by name, else add it
 * before </network> as the host's network has it now (its VLAN; trunk='yes' for more than one tag, which
 * libvirt requires), default when the guests take it as the default. `network` is the document's <network>.
 */
export function restorePortgroupFixes(finding: PortgroupInUse, network: XmlElement, text: string): QuickFix[] {
  const own = childElements(network, 'portgroup').find((pg) => attrValue(pg, 'name') === finding.portgroup);
  if (finding.asDefault && own)
    return [
      {
        title: `Make portgroup ${quotedName(finding.portgroup)} the default`,
        edits: [attributeEdit(own, 'default', 'yes')],
        isPreferred: true,
      },
    ];
  if (network.endTagStart === null) return [];
  const tags = finding.onHost?.vlan ?? [];
  const vlan = tags.length ? `<vlan${tags.length > 1 ? " trunk='yes'" : ''}>${tags.map((t) => `<tag id='${t}'/>`).join('')}</vlan>` : '';
  const open = `<portgroup name='${attrText(finding.portgroup)}'${finding.asDefault ? " default='yes'" : ''}`;
  const xml = vlan ? `${open}>${vlan}</portgroup>` : `${open}/>`;
  // on a line of its own, indented as the network's first child, when </network> starts its line
  const endIndent = lineIndent(text, network.endTagStart);
  const first = network.children[0];
  const indent = (first && lineIndent(text, first.start)) ?? `${endIndent ?? ''}  `;
  const at = endIndent === null ? network.endTagStart : network.endTagStart - endIndent.length;
  const span = { start: at, end: at };
  const newText = endIndent === null ? xml : `${indent}${xml}${lineEnding(text)}`;
  const settings = tags.length ? ` with VLAN ${tags.join(', ')}` : '';
  return [
    {
      title: `Add portgroup ${quotedName(finding.portgroup)}${settings}${finding.asDefault ? ' as the default' : ''}`,
      edits: [{ span, newText }],
      isPreferred: true,
    },
  ];
}

/** "Insert SR-IOV Interface" from a pool: libvirt picks the VF at start. */
export function poolInterfaceXml(network: string, mac: string, layout: { indent?: string; unit?: string } = {}): string {
  const unit = layout.unit ?? '  ';
  return [
    "<interface type='network'>",
    `${unit}<mac address='${mac}'/>`,
    `${unit}<source network='${attrText(network)}'/>`,
    '</interface>',
  ].join(`\n${layout.indent ?? ''}`);
}
