// Completion of a whole new interface inside a guest's <devices>: with an inventory, one per PF that has a
// free VF (its first free one, a MAC no guest of the host and no device of the document uses) and one per
// active VF pool of the host; without one, an interface with placeholders for the VF's address. What
// "Insert SR-IOV Interface" writes in VS Code, offered in every editor as `<in` is typed.
import { isHostdevPool, vfName } from '../../../shared/vfUse';
import { quotedName } from '../../../shared/quotedName';
import { documentAddresses, indexOf } from './featureSupport';
import { freeVf, newInterfaceXml } from './newInterface';
import { addressKey, compareAddresses } from './pci';
import type { DocumentModel } from './modelTypes';
import type { CompletionCandidate, ServiceContext, Span } from './types';

/** snippet text needs `$`, `}` and `\` escaped; a VF's address and a MAC have none, a pool's name may */
const snippetText = (text: string): string => text.replace(/[$}\\]/g, '\\$&');

/** how many PFs get an item of their own: a host with more lists the first by address */
const MAX_PF_ITEMS = 8;

export function newInterfaceCandidates(model: DocumentModel, span: Span, ctx: ServiceContext): CompletionCandidate[] {
  const common = { kind: 'element' as const, isSnippet: true, span, filterText: '<interface' };
  const index = indexOf(ctx);
  if (!index)
    return [
      {
        ...common,
        label: 'interface hostdev',
        detail: 'a VF by its host PCI address (lspci, or virsh nodedev-list --cap pci)',
        insertText:
          "<interface type='hostdev' managed='yes'>\n\t<mac address='${1:52:54:00:00:00:01}'/>\n\t<source>\n" +
          "\t\t<address type='pci' domain='0x0000' bus='${2:0x00}' slot='${3:0x00}' function='${4:0x0}'/>\n\t</source>\n</interface>",
        sortText: '0',
      },
    ];
  const named = documentAddresses(model);
  const items: CompletionCandidate[] = [];
  const pfs = index.inventory.devices.filter((d) => d.kind === 'pf').sort((a, b) => compareAddresses(a.address, b.address));
  for (const pf of pfs) {
    if (items.length >= MAX_PF_ITEMS) break;
    const found = freeVf(index.inventory, pf.address, index, named);
    if ('error' in found) continue;
    const vf = found.vf;
    const made = newInterfaceXml(model, addressKey(vf.address), ctx, { unit: '\t' });
    if (!made) continue;
    items.push({
      ...common,
      label: `interface hostdev ${pf.netdev ?? pf.address}`,
      detail: `free VF ${vf.address} (${vfName(vf, pf)}), fresh MAC ${made.mac}`,
      insertText: snippetText(made.xml),
      sortText: `0 ${pf.address}`,
    });
  }
  for (const network of index.inventory.networks) {
    if (!network.active || !isHostdevPool(network)) continue;
    const made = newInterfaceXml(model, { network: network.name }, ctx, { unit: '\t' });
    if (!made) continue;
    items.push({
      ...common,
      label: `interface network ${network.name}`,
      detail: `a VF of pool ${quotedName(network.name)} at each start, fresh MAC ${made.mac}`,
      insertText: snippetText(made.xml),
      sortText: `1 ${network.name}`,
    });
  }
  return items;
}
