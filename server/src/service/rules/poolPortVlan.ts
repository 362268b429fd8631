// A guest's <interface type='network'> on one of the host's hostdev pools whose port would get a VLAN and a
// <virtualport> from different places: the guest starts, libvirt builds the port, and the VF refuses the
// pair. Mirrors libvirt's (9.0) networkAllocatePort (src/network/bridge_driver.c): the port's VLAN is the
// interface's own <vlan>, else the portgroup's, else the network's; its virtualport merges the
// interface's, the portgroup's and the network's (virNetDevVPortProfileMerge3). The portgroup is the one
// <source portgroup> names, else the network's default. virHostdevNetConfigReplace (src/hypervisor/
// virhostdev.c) then refuses a VLAN beside any virtualport: "direct setting of the vlan tag is not allowed
// for hostdev devices using 802.1Qbh mode". The interface's own pair is vlan.ts's (define refuses it).
import type { InventoryIndex } from '../inventoryIndex';
import type { InventoryNetwork } from '../types';
import { isHostdevPool } from '../../../../shared/vfUse';
import { attrValue } from '../xml/query';
import { failsAtStart, firstChild, quotedName, type Report } from './common';
import type { NetworkInterface } from './networkPool';

export function checkPoolPortVlan(iface: NetworkInterface, index: InventoryIndex, report: Report): void {
  const source = iface.source;
  const name = source ? attrValue(source, 'network') : null;
  const network = name === null ? undefined : index.inventory.networks.find((n) => n.name === name);
  if (!source || !network || !isHostdevPool(network)) return;
  const ownVlan = firstChild(iface.element, 'vlan');
  const ownPort = firstChild(iface.element, 'virtualport');
  // both its own: define refuses the pair before any network is asked
  if (ownVlan && ownPort) return;
  const named = attrValue(source, 'portgroup');
  const portgroup = (network.portgroups ?? []).find((pg) => (named !== null ? pg.name === named : pg.default === true));
  const where = (from: 'portgroup' | 'network'): string =>
    from === 'portgroup'
      ? `portgroup ${quotedName(portgroup!.name)} of ${quotedName(network.name)}`
      : `network ${quotedName(network.name)}`;
  const vlanFrom = ownVlan
    ? 'this interface'
    : portgroup?.vlan?.length
      ? where('portgroup')
      : network.vlan?.length
        ? where('network')
        : null;
  const portFrom = ownPort
    ? { from: 'this interface', type: attrValue(ownPort, 'type') ?? '' }
    : portgroup?.virtualport !== undefined
      ? { from: where('portgroup'), type: portgroup.virtualport }
      : network.virtualport !== undefined
        ? { from: where('network'), type: network.virtualport }
        : null;
  if (vlanFrom === null || portFrom === null) return;
  const mode = portFrom.type || virtualportOf(network, portgroup) || '802.1Qbh';
  report.add(
    'vlan-virtualport',
    'error',
    (ownVlan ?? ownPort ?? source).nameSpan,
    failsAtStart(
      `A VLAN from ${vlanFrom} and a <virtualport> from ${portFrom.from}`,
      `direct setting of the vlan tag is not allowed for hostdev devices using ${mode} mode`,
      `The pool's port gets both, and a VF takes a VLAN or a <virtualport>, not both: ${ownVlan ? 'drop this <vlan>' : ownPort ? 'drop this <virtualport>' : 'drop one where it is set'}, or name a portgroup without the other.`,
    ),
  );
}

/** the type a merged virtualport takes when the interface's gives none: the portgroup's, else the network's */
function virtualportOf(network: InventoryNetwork, portgroup: { virtualport?: string } | undefined): string {
  return portgroup?.virtualport || network.virtualport || '';
}
