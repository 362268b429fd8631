// The yes/no attributes of a VF pool that libvirt reads as "anything but 'yes' is no", without a word,
// and what an unmanaged pool does at guest start. Mirrors libvirt's
//  - virNetworkForwardDefParseXML and virNetworkPortGroupParseXML (src/conf/network_conf.c), which compare
//    `managed` and `default` with "yes" ignoring case: `virsh net-define` of `<forward mode='hostdev'
//    managed='maybe'>` and `<portgroup default='maybe'>` succeeds, and net-dumpxml shows managed='no' and
//    no default (libvirt 9.0, test:///default and qemu:///session);
//  - virNetworkDefParseXML and virNetworkPortGroupParseXML, which read trustGuestRxFilters with
//    virXMLPropTristateBool instead: 'yes' or 'no' exactly, anything else (empty included) refuses the network;
//  - networkAllocatePort (src/network/bridge_driver.c), which hands a pool's VF to a guest as a hostdev
//    with the pool's `managed`, and virHostdevPreparePCIDevices, which refuses an unmanaged one that is not
//    bound to vfio-pci: "Unmanaged PCI device %s must be manually detached from the host".
import type { InventoryIndex } from '../inventoryIndex';
import { readAddress } from '../address';
import type { InventoryDevice } from '../types';
import { childElements } from '../xml/query';
import type { XmlElement } from '../xml/types';
import { shellJoin } from '../../../../shared/shellQuote';
import { attribute, attributeSpan, failsAtStart, quotedName, rejectsNetwork, type Report } from './common';
import type { NetworkDefinition } from './networkDefinition';

const YES_OR_NO = /^(yes|no)$/i;
const YES = /^yes$/i;
const isYesOrNo = (value: string): boolean => YES_OR_NO.test(value);

/**
 * managed-value for the pool's <forward managed>, network-portgroups for a <portgroup default>, when not
 * yes/no; attribute-value for a trustGuestRxFilters of the network or a portgroup that is not 'yes' or 'no'.
 */
export function checkPoolFlags(def: NetworkDefinition, report: Report): void {
  checkTrustGuestRxFilters(def.element, report);
  const managed = def.forward ? attribute(def.forward, 'managed') : null;
  if (managed && !isYesOrNo(managed.value ?? ''))
    report.add(
      'managed-value',
      'warning',
      attributeSpan(managed),
      `<forward managed='${managed.value}'> is not yes/no — libvirt reads anything but 'yes' as managed='no' (net-dumpxml shows it): ` +
        "it will not detach the pool's VFs from their host driver, so a guest using the pool fails to start unless each VF is " +
        "bound to vfio-pci by hand (virsh nodedev-detach). Write managed='yes'.",
    );
  for (const portgroup of childElements(def.element, 'portgroup')) {
    checkTrustGuestRxFilters(portgroup, report);
    const isDefault = attribute(portgroup, 'default');
    if (!isDefault || isYesOrNo(isDefault.value ?? '')) continue;
    report.add(
      'network-portgroups',
      'warning',
      attributeSpan(isDefault),
      `default='${isDefault.value}' is not yes/no — libvirt reads anything but 'yes' as not the default (net-dumpxml drops it): ` +
        "a guest interface that names no portgroup does not get this one's settings. Write default='yes' or remove it.",
    );
  }
}

function checkTrustGuestRxFilters(element: XmlElement, report: Report): void {
  const trust = attribute(element, 'trustGuestRxFilters');
  if (!trust || trust.value === null || trust.value === 'yes' || trust.value === 'no') return;
  const meant = trust.value.toLowerCase();
  report.add(
    'attribute-value',
    'error',
    attributeSpan(trust),
    rejectsNetwork(
      `trustGuestRxFilters='${trust.value}' on <${element.name}> is not 'yes' or 'no'`,
      `XML error: Invalid value for attribute 'trustGuestRxFilters' in element '${element.name}': '${trust.value}'.`,
      meant === 'yes' || meant === 'no' ? `Write '${meant}': libvirt reads it case-sensitively.` : undefined,
    ),
  );
}

/**
 * vf-driver for a pool that is not managed: the VFs it hands out that are not bound to vfio-pci on the
 * host (the listed addresses, or the VFs of its <pf dev>), each refused at the start of a guest it goes to.
 */
export function checkPoolDriverBinding(
  def: NetworkDefinition,
  pfVfs: readonly InventoryDevice[],
  index: InventoryIndex,
  report: Report,
): void {
  const forward = def.forward;
  if (!forward || YES.test(attribute(forward, 'managed')?.value ?? '')) return;
  const vfs = def.addresses.length > 0 ? listedVfs(def.addresses, index) : pfVfs;
  const unbound = vfs.filter((vf) => vf.driver !== 'vfio-pci');
  if (unbound.length === 0) return;
  const managed = attribute(forward, 'managed');
  const first = unbound[0];
  const shown = unbound.slice(0, 3).map((vf) => `${vf.address} (${vf.driver ?? 'no driver'})`);
  const more = unbound.length > shown.length ? ` and ${unbound.length - shown.length} more` : '';
  const detach = shellJoin(['virsh', 'nodedev-detach', `pci_${first.address.replace(/[:.]/g, '_')}`]);
  report.add(
    'vf-driver',
    'warning',
    managed ? attributeSpan(managed) : forward.nameSpan,
    failsAtStart(
      `Unmanaged pool with ${unbound.length} of ${vfs.length} VFs not on vfio-pci`,
      `Unmanaged PCI device ${first.address} must be manually detached from the host`,
      `On host ${quotedName(index.inventory.host)}: ${shown.join(', ')}${more}. ` +
        `${managed ? `managed='${managed.value}'` : "<forward> without managed is managed='no'"}: add managed='yes' so libvirt ` +
        `detaches each VF when a guest starts with it, or detach them all beforehand (${detach}, …).`,
    ),
  );
}

function listedVfs(addresses: readonly XmlElement[], index: InventoryIndex): InventoryDevice[] {
  const vfs: InventoryDevice[] = [];
  for (const address of addresses) {
    if (attribute(address, 'type')?.value !== 'pci') continue;
    const canonical = readAddress(address).canonical;
    const device = canonical ? index.byAddress.get(canonical) : undefined;
    if (device?.kind === 'vf') vfs.push(device);
  }
  return vfs;
}
