// The device side of <interface type='network'>. Mirrors libvirt's virDomainNetDefParseXML, which
// reads <mac>, <vlan> and <virtualport> as for any interface, so their define-time rules apply
// whatever the network; when the host's network is a hostdev pool (<forward mode='hostdev'>), the interface ends
// up as a VF at start (networkAllocatePort), and the VF rules of <interface type='hostdev'> apply:
// one VLAN tag, no trunk, 802.1Qbh only, not both, a stable unicast MAC. Without a <source network>
// the parser refuses the interface, as it does a <model type> that is no model name.
import { isHostdevPool } from '../../../../shared/vfUse';
import { attrValue, firstChild } from '../xml/query';
import type { InventoryIndex } from '../inventoryIndex';
import { checkModelName } from './attributeValues';
import { hasAttribute, rejects, type Report } from './common';
import { checkMacElement } from './mac';
import type { NetworkInterface } from './networkPool';
import { checkVirtualportElement } from './virtualport';
import { checkVlanElement } from './vlan';

/** Names of the host's hostdev pools; null without an inventory (then no pool is assumed). */
export function hostdevPoolNames(index: InventoryIndex | null): ReadonlySet<string> | null {
  if (!index) return null;
  return new Set(index.inventory.networks.filter(isHostdevPool).map((n) => n.name));
}

export function checkNetworkInterface(iface: NetworkInterface, pools: ReadonlySet<string> | null, report: Report): void {
  checkNetworkSource(iface, report);
  checkModelName(iface.element, report);
  const network = iface.source ? attrValue(iface.source, 'network') : null;
  const pool = network !== null && pools?.has(network) ? network : null;
  const vf = pool !== null;
  checkMacElement(firstChild(iface.element, 'mac'), iface.element, report, { vf });
  const virtualport = firstChild(iface.element, 'virtualport');
  if (virtualport)
    checkVirtualportElement(virtualport, report, { requireType: false, requireAll: false, vf: pool === null ? null : { pool } });
  const vlan = firstChild(iface.element, 'vlan');
  if (vlan) checkVlanElement(vlan, report, { vf, virtualport });
}

/** virDomainNetDefParseXML: a network interface names its network in its first <source>, or is refused at define. */
function checkNetworkSource(iface: NetworkInterface, report: Report): void {
  if (!iface.source)
    report.add(
      'source-missing',
      'error',
      iface.element.nameSpan,
      rejects(
        'No <source>: the interface names no network',
        "XML error: interface type='network' requires a 'source' element",
        "Add <source network='…'/> with the name of the network (the VF pool).",
      ),
    );
  else if (!hasAttribute(iface.source, 'network'))
    report.add(
      'source-missing',
      'error',
      iface.source.nameSpan,
      rejects(
        '<source> without network: the interface names no network',
        "XML error: Missing required attribute 'network' in element 'source'",
        "Add network='…' with the name of the network (the VF pool).",
      ),
    );
}
