// Completion in a <network> document (virsh net-define), above all a VF pool: the <forward> modes
// libvirt accepts and its <driver name>s, the host's PFs for <pf dev> (and as whole <pf/> elements),
// the host's VFs for the pool's <address> list (the candidates a guest's <source> gets,
// vfAddressCompletion.ts), a portgroup's `default`, and the element names a VF pool is made of.
import { quotedName } from '../../../shared/quotedName';
import type { AttrValueContext, Context } from './completionContext';
import { documentOwner, indexOf, pfVfs, quoteOf, type DocumentOwner } from './featureSupport';
import type { InventoryIndex } from './inventoryIndex';
import type { DocumentModel } from './modelTypes';
import { PCI_FIELDS } from './pci';
import { readAddress } from './address';
import { isDefaultPortgroup, networkDefinitionOf } from './rules/networkDefinition';
import { FORWARD_DRIVER_DETAILS, FORWARD_MODE_DETAILS, FORWARD_MODES } from './rules/forwardModes';
import { elementCandidates, virtualportSnippet, vlanSnippet, type ElementSnippet } from './elementSnippets';
import type { CompletionCandidate, InventoryDevice, ServiceContext, Span } from './types';
import { pciFieldCandidates, vfAddressCandidates } from './vfAddressCompletion';
import { attrValue, childElements } from './xml/query';
import type { XmlElement } from './xml/types';

/** the VF pool modes first: what this extension is for */
const MODE_ORDER = ['hostdev', 'passthrough', ...FORWARD_MODES.filter((m) => m !== 'hostdev' && m !== 'passthrough')] as const;

/**
 * Completion at `context` in a network document, `parent` the element whose content holds the cursor;
 * null where an attribute means what it means in a guest's device (<forward managed>), for the general lists.
 */
export function completeInNetwork(
  model: DocumentModel,
  context: Context,
  parent: XmlElement,
  ctx: ServiceContext,
): CompletionCandidate[] | null {
  const forward = parent.name === 'forward' && parent.parent === model.network ? parent : null;
  const owner = documentOwner(model, parent);
  if (context.kind !== 'attrValue') {
    const elements = context.kind === 'elementName' ? childElementCandidates(model, parent, context.span) : [];
    const index = indexOf(ctx);
    if (!forward || !index) return elements;
    return [...pfElements(forward, index, owner, context.span), ...poolAddresses(forward, index, owner, context.span), ...elements];
  }
  const c = context;
  if (parent === model.network && c.element === 'forward' && c.attr === 'mode') return modeCandidates(c.span);
  if (parent === model.network && c.element === 'portgroup' && c.attr === 'default') return defaultCandidates(parent, c);
  if (parent === model.network && c.element === 'forward' && c.attr === 'managed') return null;
  if (forward && c.element === 'driver' && c.attr === 'name')
    return (['vfio', 'kvm'] as const).map((name, i) => value(name, FORWARD_DRIVER_DETAILS[name], c.span, i));
  const index = indexOf(ctx);
  if (!forward || !index) return [];
  if (c.element === 'pf' && c.attr === 'dev') return pfCandidates(index, owner, c.span);
  if (c.element !== 'address' || attrValue(forward, 'mode') !== 'hostdev') return [];
  if (c.attr === 'type') return [value('pci', 'a pool lists VFs by PCI address', c.span, 0)];
  if ((PCI_FIELDS as readonly string[]).includes(c.attr)) return pciFieldCandidates(c, index, true, owner);
  return [];
}

/**
 * The children of a VF pool's elements, each with the attributes it needs. Only what a hostdev pool
 * takes: net-define refuses the bridge side of a network there (HOSTDEV_REFUSED_ELEMENTS).
 */
function childElementCandidates(model: DocumentModel, parent: XmlElement, span: Span): CompletionCandidate[] {
  const network = model.network!;
  const q = quoteOf(network);
  const vlan: ElementSnippet = {
    name: 'vlan',
    insertText: vlanSnippet(q),
    detail: 'one VLAN tag on every VF handed out (no trunk on a VF)',
  };
  const virtualport: ElementSnippet = { name: 'virtualport', insertText: virtualportSnippet(q), detail: 'only 802.1Qbh works on a VF' };
  const vfSettings = takesVfSettings(model) ? [vlan, virtualport] : [];
  if (parent === network)
    return elementCandidates(
      [
        { name: 'name', insertText: '<name>$1</name>', detail: "what guests' <source network> and virsh net-start name" },
        { name: 'uuid', insertText: '<uuid>$1</uuid>', detail: 'net-define generates one when left out' },
        {
          name: 'forward',
          // (managed is a hostdev pool's: net-define drops it in a passthrough one)
          insertText: `<forward mode=${q}hostdev${q} managed=${q}yes${q}>\n\t$0\n</forward>`,
          detail: 'the VF pool: the VFs it hands out, libvirt binding them to vfio-pci',
        },
        {
          name: 'portgroup',
          insertText: `<portgroup name=${q}$1${q}>$0</portgroup>`,
          detail: 'settings (VLAN, virtualport) for the guests whose <source portgroup> names it',
          repeats: true,
        },
        ...vfSettings,
      ],
      parent,
      span,
    );
  const inNetwork = parent.parent === network;
  if (inNetwork && parent.name === 'portgroup') return elementCandidates(vfSettings, parent, span);
  if (parent.name === 'vlan' && (inNetwork || (parent.parent?.name === 'portgroup' && parent.parent.parent === network)))
    return elementCandidates(
      [{ name: 'tag', insertText: `<tag id=${q}$1${q}/>`, detail: 'the VLAN id, 0-4095 (one per VF)' }],
      parent,
      span,
    );
  if (!inNetwork || parent.name !== 'forward') return [];
  return elementCandidates(forwardChildren(parent, span, q), parent, span, 'z');
}

/**
 * The VLAN and virtualport of a network and its portgroups reach a guest's VF in a VF pool, the network
 * this completion is for; one still without <forward> is taken for one being written. Any other mode
 * (a <forward> without one is NAT) is another kind of network, where networkValidate refuses a <vlan>
 * (but on an Open vSwitch bridge) and networkAllocatePort a <virtualport> of the VF kind.
 */
function takesVfSettings(model: DocumentModel): boolean {
  const mode = networkDefinitionOf(model)?.mode ?? null;
  return mode === null || PF_POOL_MODES.has(mode);
}

/** <pf> once and only where no other source is listed (libvirt takes one); VF <address>es and <driver> in a hostdev pool. */
function forwardChildren(forward: XmlElement, span: Span, q: string): ElementSnippet[] {
  const mode = attrValue(forward, 'mode') ?? '';
  if (!PF_POOL_MODES.has(mode)) return [];
  const sources = forward.children.filter((e) => e.start !== span.start && (e.name === 'pf' || e.name === 'address'));
  const snippets: ElementSnippet[] = [];
  if (!sources.length) snippets.push({ name: 'pf', insertText: `<pf dev=${q}$1${q}/>`, detail: 'the PF whose VFs the pool hands out' });
  if (mode !== 'hostdev') return snippets;
  if (!sources.some((e) => e.name === 'pf'))
    snippets.push({
      name: 'address',
      insertText: `<address type=${q}pci${q} domain=${q}0x0000${q} bus=${q}$1${q} slot=${q}$2${q} function=${q}$3${q}/>`,
      detail: 'one VF of the pool, by host PCI address',
      repeats: true,
    });
  snippets.push({ name: 'driver', insertText: `<driver name=${q}vfio${q}/>`, detail: 'assignment backend (QEMU: vfio)' });
  return snippets;
}

/** the modes whose pool a <pf dev> makes: a VF pool (hostdev) or macvtap passthrough of the PF's VFs */
const PF_POOL_MODES: ReadonlySet<string> = new Set(['hostdev', 'passthrough']);

/**
 * A <pf dev='…'/> per PF in a pool <forward> that names no source yet: libvirt takes one <pf> (a
 * second is refused), and one beside <address> entries is ignored.
 */
function pfElements(forward: XmlElement, index: InventoryIndex, owner: DocumentOwner, span: Span): CompletionCandidate[] {
  if (!PF_POOL_MODES.has(attrValue(forward, 'mode') ?? '')) return [];
  const sources = forward.children.filter(
    (e) => e.start !== span.start && (e.name === 'pf' || e.name === 'address' || e.name === 'interface'),
  );
  if (sources.length) return [];
  const q = quoteOf(forward);
  return pfCandidates(index, owner, span).map((c) => {
    const insertText = `<pf dev=${q}${c.label}${q}/>`;
    // before the VF addresses (their sort keys start with a digit)
    return { ...c, kind: 'snippet' as const, insertText, filterText: insertText, sortText: ` ${c.sortText}` };
  });
}

/** A full <address …/> per VF in a hostdev pool <forward>, those listed already left out. */
function poolAddresses(forward: XmlElement, index: InventoryIndex, owner: DocumentOwner, span: Span): CompletionCandidate[] {
  if (attrValue(forward, 'mode') !== 'hostdev') return [];
  // the <address> being typed is no listed one
  const listed = childElements(forward, 'address').filter((a) => a.start !== span.start);
  const skip = new Set(listed.flatMap((a) => readAddress(a).canonical ?? []));
  return vfAddressCandidates(index, span, { quote: quoteOf(forward), withType: true }, owner, skip);
}

function value(label: string, detail: string, span: Span, rank: number): CompletionCandidate {
  return { label, kind: 'value', detail, insertText: label, span, sortText: String(rank).padStart(2, '0') };
}

function modeCandidates(span: Span): CompletionCandidate[] {
  return MODE_ORDER.map((mode, i) => value(mode, FORWARD_MODE_DETAILS[mode], span, i));
}

/** yes/no; 'no' first when another portgroup is the default (libvirt's network driver refuses a second at net-define). */
function defaultCandidates(network: XmlElement, c: AttrValueContext): CompletionCandidate[] {
  const other = childElements(network, 'portgroup').find((pg) => pg.start !== c.lt && isDefaultPortgroup(pg));
  if (!other)
    return [
      value('yes', "guests whose <source> names no portgroup get this one's settings", c.span, 0),
      value('no', 'the default', c.span, 1),
    ];
  const name = attrValue(other, 'name');
  return [
    value('no', 'the default', c.span, 0),
    value(
      'yes',
      `${name === null ? 'another portgroup' : quotedName(name)} is the default already: net-define refuses a second`,
      c.span,
      1,
    ),
  ];
}

/**
 * The host's SR-IOV PFs by netdev name for <pf dev>: those with the most free VFs first, those
 * without VFs enabled last (net-start: "No usable Vf's present on SRIOV PF …", the network-pf rule).
 */
function pfCandidates(index: InventoryIndex, owner: DocumentOwner, span: Span): CompletionCandidate[] {
  const pfs = index.inventory.devices.filter((d): d is InventoryDevice & { netdev: string } => d.kind === 'pf' && !!d.netdev);
  return pfs.map((pf) => {
    const { vfs, free } = pfVfs(index, pf.address, owner);
    const enabled = `${pf.numVfs ?? vfs.length}/${pf.totalVfs ?? '?'} VFs enabled`;
    const pools = index.inventory.networks.filter((n) => n.name !== owner.network && n.pfDevs?.includes(pf.netdev)).map((n) => n.name);
    const detail = [
      `PF ${pf.address}`,
      pf.driver ?? 'unbound',
      vfs.length ? `${enabled}, ${free} free` : `${enabled}: net-start fails (No usable Vf's)`,
      ...pools.map((p) => `pool ${quotedName(p)}`),
    ].join(' · ');
    const rank = vfs.length === 0 ? 2 : free === 0 ? 1 : 0;
    return {
      label: pf.netdev,
      kind: 'value' as const,
      detail,
      insertText: pf.netdev,
      span,
      sortText: `${rank}${String(100000 - free).padStart(6, '0')}${pf.netdev}`,
    };
  });
}
