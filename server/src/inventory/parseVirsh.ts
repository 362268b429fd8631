// virsh output → guests and hostdev networks. Domain and network XML are parsed with
// fast-xml-parser (they come from libvirt itself, so they are well-formed); names are read from
// the XML's <name>, never from a shell-split list, so any name round-trips.
// What counts as an assigned VF mirrors libvirt's own bookkeeping (virHostdevPreparePCIDevices,
// virDomainNetGetActualHostdev): <interface type='hostdev'> and <hostdev mode='subsystem'
// type='pci'>, each by its <source><address>.
import { XMLParser } from 'fast-xml-parser';
import { normalizeMac } from '../service/mac';
import { canonicalAddressOf } from '../service/address';
import { bodyText, type OutputRecord } from './records';

type El = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  attributesGroupName: '@',
  // Every element is an array and every text a '#text' node: one shape, whatever the document.
  isArray: (_name: string, _jpath: unknown, _leaf: boolean, isAttribute: boolean) => !isAttribute,
  alwaysCreateTextNode: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: true,
  // libvirt keeps a guest's <metadata> as written, up to libxml2's 256 levels: a deeper limit than this
  // library's own (100) would drop the guest, and the VFs it holds would look free
  maxNestedTags: 1024,
});

function children(el: El | undefined, name: string): El[] {
  const v = el?.[name];
  return Array.isArray(v) ? (v as El[]) : [];
}

function child(el: El | undefined, name: string): El | undefined {
  return children(el, name)[0];
}

function attr(el: El | undefined, name: string): string | undefined {
  const group = el?.['@'] as Record<string, unknown> | undefined;
  const v = group?.[name];
  return typeof v === 'string' ? v : undefined;
}

function text(el: El | undefined): string | undefined {
  const t = el?.['#text'];
  return typeof t === 'string' ? t : undefined;
}

/** <address domain bus slot function> as libvirt reads it (service/address.ts); null for an all-zero or unreadable one. */
export function pciAddressOf(el: El | undefined): string | null {
  return el ? canonicalAddressOf((field) => attr(el, field)) : null;
}

function parseRoot(xml: string, root: string): El | null {
  try {
    const doc = parser.parse(xml) as El;
    return child(doc, root) ?? null;
  } catch {
    return null;
  }
}

export interface DomainDevice {
  address: string;
  element: 'interface' | 'hostdev';
  mac: string | null;
}

export interface DomainXmlInfo {
  name: string;
  uuid: string | null;
  devices: DomainDevice[];
  /** every <interface><mac address> of the guest, normalised */
  macs: string[];
  /** the networks <interface type='network'> entries name, each once */
  networks: string[];
  /** how many <interface type='network'> entries name each of `networks` */
  interfacesPerNetwork: Map<string, number>;
  /** the portgroups (<source portgroup>) those entries name on each network, each once */
  portgroupsPerNetwork: Map<string, string[]>;
  /** the networks on which one of those entries names no portgroup (it takes the default one), each once */
  defaultPortgroupOn: string[];
}

export function parseDomainXml(xml: string): DomainXmlInfo | null {
  const domain = parseRoot(xml, 'domain');
  if (!domain) return null;
  const name = text(child(domain, 'name'));
  if (name === undefined) return null;
  const devicesEl = child(domain, 'devices');
  const devices: DomainDevice[] = [];
  const macs: string[] = [];
  const interfacesPerNetwork = new Map<string, number>();
  const portgroupsPerNetwork = new Map<string, string[]>();
  const defaultPortgroupOn: string[] = [];
  for (const iface of children(devicesEl, 'interface')) {
    const rawMac = attr(child(iface, 'mac'), 'address');
    const mac = rawMac !== undefined ? normalizeMac(rawMac) : null;
    if (mac && !macs.includes(mac)) macs.push(mac);
    const network = attr(iface, 'type') === 'network' ? attr(child(iface, 'source'), 'network') : undefined;
    if (network !== undefined) {
      interfacesPerNetwork.set(network, (interfacesPerNetwork.get(network) ?? 0) + 1);
      const portgroup = attr(child(iface, 'source'), 'portgroup');
      const named = portgroupsPerNetwork.get(network) ?? [];
      if (portgroup !== undefined && portgroup !== '' && !named.includes(portgroup))
        portgroupsPerNetwork.set(network, [...named, portgroup]);
      if (portgroup === undefined && !defaultPortgroupOn.includes(network)) defaultPortgroupOn.push(network);
    }
    if (attr(iface, 'type') !== 'hostdev') continue;
    const address = child(child(iface, 'source'), 'address');
    const type = attr(address, 'type');
    if (type !== undefined && type !== 'pci') continue;
    const canonical = pciAddressOf(address);
    if (canonical) devices.push({ address: canonical, element: 'interface', mac });
  }
  for (const hostdev of children(devicesEl, 'hostdev')) {
    if (attr(hostdev, 'mode') !== undefined && attr(hostdev, 'mode') !== 'subsystem') continue;
    if (attr(hostdev, 'type') !== 'pci') continue;
    const canonical = pciAddressOf(child(child(hostdev, 'source'), 'address'));
    if (canonical) devices.push({ address: canonical, element: 'hostdev', mac: null });
  }
  return {
    name,
    uuid: text(child(domain, 'uuid'))?.trim() ?? null,
    devices,
    macs,
    networks: [...interfacesPerNetwork.keys()],
    interfacesPerNetwork,
    portgroupsPerNetwork,
    defaultPortgroupOn,
  };
}

export interface NetworkXmlInfo {
  name: string;
  forwardMode: string | null;
  managed: boolean | null;
  connections: number | null;
  portgroups: Array<{ name: string; default?: boolean; vlan?: number[]; virtualport?: string }>;
  vlan: number[];
  /** the type of the network's own <virtualport> ('' without a type); null without one */
  virtualport: string | null;
  /** <forward mode='hostdev'>: a pool of VFs handed to guests as hostdevs */
  hostdev: boolean;
  /** explicit <forward><address type='pci'> entries */
  addresses: string[];
  /** <forward><pf dev='…'/>: the pool is every VF of that PF */
  pfDevs: string[];
}

export function parseNetworkXml(xml: string): NetworkXmlInfo | null {
  const network = parseRoot(xml, 'network');
  if (!network) return null;
  const name = text(child(network, 'name'));
  if (name === undefined) return null;
  const forward = child(network, 'forward');
  const hostdev = attr(forward, 'mode') === 'hostdev';
  const addresses: string[] = [];
  for (const a of children(forward, 'address')) {
    const type = attr(a, 'type');
    if (type !== undefined && type !== 'pci') continue;
    const canonical = pciAddressOf(a);
    if (canonical && !addresses.includes(canonical)) addresses.push(canonical);
  }
  const pfDevs = children(forward, 'pf')
    .map((pf) => attr(pf, 'dev'))
    .filter((d): d is string => !!d);
  const managed = attr(forward, 'managed');
  const connections = attr(forward, 'connections');
  const portgroups = children(network, 'portgroup').flatMap((pg) => {
    const pgName = attr(pg, 'name');
    if (pgName === undefined) return [];
    const tags = vlanTags(pg);
    const port = virtualportType(pg);
    return [
      {
        name: pgName,
        ...(attr(pg, 'default') === 'yes' ? { default: true } : {}),
        ...(tags.length ? { vlan: tags } : {}),
        ...(port !== null ? { virtualport: port } : {}),
      },
    ];
  });
  return {
    name,
    hostdev,
    addresses,
    pfDevs,
    forwardMode: attr(forward, 'mode') ?? (forward ? 'nat' : null),
    managed: managed === undefined ? null : managed === 'yes',
    connections: connections && /^\d+$/.test(connections) ? parseInt(connections, 10) : null,
    portgroups,
    vlan: vlanTags(network),
    virtualport: virtualportType(network),
  };
}

/** The type of `el`'s own <virtualport> ('' without one written), or null when it has none. */
function virtualportType(el: El): string | null {
  const port = child(el, 'virtualport');
  return port === undefined ? null : (attr(port, 'type') ?? '');
}

function vlanTags(el: El): number[] {
  return children(child(el, 'vlan'), 'tag')
    .map((t) => attr(t, 'id'))
    .filter((id): id is string => !!id && /^\d+$/.test(id))
    .map((id) => parseInt(id, 10));
}

// ---------------------------------------------------------------------------
// The first virsh pass: UUID lists, with virsh's stderr merged in (inventory/script.ts).

export interface VirshLists {
  active: string[];
  persistent: string[];
  netActive: string[];
  netAll: string[];
  netAutostart: string[];
  /** lines that were neither UUIDs nor records: virsh's error messages */
  errors: string[];
  rc: number | null;
  /**
   * false when virsh printed none of its section markers: it ran no command at all, which is what
   * it does when the connection to libvirt (the -c URI) fails before the first one
   */
  ranCommands: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const LIST_TAGS: Record<string, keyof Pick<VirshLists, 'active' | 'persistent' | 'netActive' | 'netAll' | 'netAutostart'>> = {
  'net-autostart': 'netAutostart',
  'list-active': 'active',
  'list-persistent': 'persistent',
  'net-active': 'netActive',
  'net-all': 'netAll',
};

/** Records from `begin virsh1` up to `rc virsh1`. */
export function parseVirshLists(records: OutputRecord[]): VirshLists {
  const lists: VirshLists = {
    active: [],
    persistent: [],
    netActive: [],
    netAll: [],
    netAutostart: [],
    errors: [],
    rc: null,
    ranCommands: false,
  };
  for (const rec of records) {
    if (rec.tag === 'rc') {
      lists.rc = /^\d+$/.test(rec.args[1] ?? '') ? parseInt(rec.args[1], 10) : null;
    }
    const key = LIST_TAGS[rec.tag];
    if (key) lists.ranCommands = true;
    for (const line of rec.body) {
      const t = line.trim();
      if (t === '') continue;
      if (key && UUID.test(t)) {
        if (!lists[key].includes(t)) lists[key].push(t);
      } else {
        lists.errors.push(t);
      }
    }
  }
  return lists;
}

/** First non-blank line of a `domstate` block. */
export function stateOf(record: OutputRecord | undefined): string | null {
  if (!record) return null;
  const line = bodyText(record)
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l !== '');
  return line ?? null;
}

// ---------------------------------------------------------------------------
// The second virsh pass names every guest and network by the UUID the first pass listed. One
// undefined (or a transient guest stopped) in between no longer exists; virsh 9.0 says so with
// exactly these lines (the network's lookup adds libvirt's own message, the domain's does not):
//   error: failed to get network 'UUID'
//   error: Network not found: no network with matching name 'UUID'
//   error: failed to get domain 'UUID'
const LOOKUP_FAILED = /^error: failed to get (domain|network) '([0-9a-f-]+)'$/;
const NETWORK_NOT_FOUND = /^error: Network not found: no network with matching name '([0-9a-f-]+)'$/;

export interface VanishedLookups {
  /** guests whose lookup by UUID failed */
  domains: Set<string>;
  /** networks that libvirt said do not exist */
  networks: Set<string>;
}

/** The UUIDs that the second pass's stderr reports as gone. */
export function vanishedLookups(stderrLines: readonly string[]): VanishedLookups {
  const gone: VanishedLookups = { domains: new Set(), networks: new Set() };
  for (const line of stderrLines) {
    const lookup = LOOKUP_FAILED.exec(line);
    if (lookup?.[1] === 'domain') gone.domains.add(lookup[2]);
    const notFound = NETWORK_NOT_FOUND.exec(line);
    if (notFound) gone.networks.add(notFound[1]);
  }
  return gone;
}

/** stderr lines left once those about the skipped guests and networks are taken out. */
export function withoutVanished(stderrLines: readonly string[], skipped: VanishedLookups): string[] {
  return stderrLines.filter((line) => {
    const lookup = LOOKUP_FAILED.exec(line);
    if (lookup) return !(lookup[1] === 'domain' ? skipped.domains : skipped.networks).has(lookup[2]);
    const notFound = NETWORK_NOT_FOUND.exec(line);
    return !(notFound && skipped.networks.has(notFound[1]));
  });
}
