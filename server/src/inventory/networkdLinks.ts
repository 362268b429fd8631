// systemd-networkd's .link files (systemd.link(5), systemd 251+) as udev's net_setup_link builtin applies
// them when a PF's interface appears at boot, checked against systemd 252's `udevadm test-builtin
// net_setup_link`:
//  - of the files of one name in /etc, /run, /usr/local/lib, /usr/lib and /lib/systemd/network, only the
//    first directory's is read, and an empty one (or a symlink to /dev/null) masks the name; the drop-ins
//    NAME.link.d/*.conf follow the same rule and are read after the file, in the order of their names;
//  - the files are tried in the order of their names (bytes), whatever their directory, and the first whose
//    [Match] fits the interface applies alone: a later file that fits too is never applied;
//  - a file whose [Match] holds no valid key is skipped ("No valid settings found in the [Match] section,
//    ignoring file"; the man page says such a file matches all, systemd 252 does not), and so is one it
//    cannot parse (an invalid section header, a line over 1 MiB, in the file or a drop-in); either one
//    that would set the PF's count is named, with systemd's reason (link-file-refused);
//  - its [Link] SR-IOVVirtualFunctions=N writes N to the PF's sriov_numvfs (0 removes the VFs); without it,
//    the [SR-IOV] sections' VirtualFunction= make the largest + 1 VFs. A .network file's [SR-IOV] sections
//    only configure VFs that exist already, and are not read.
// What the inventory cannot tell about the interface at boot (the kernel's name before udev renames it,
// udev properties, the host's name, architecture or kernel command line for Host=, Architecture=, …) is
// not guessed: a file that needs it is taken to apply, as udev rules' unread keys are (udevRules.ts), and
// every source it gives or precedes says so in its detail.
import { numberedLine, shownLine, type NumberedLine as Line } from './continuedLines';
import { hardwareAddress, newLinkFile, readInto, type LinkFile, type Patterns } from './networkdLinkFile';
import { baseName, byName, firstOfEachName, MASKED } from './rankedDirs';
import type { SysfsDevice } from './parseSysfs';
import { fnmatchTokens, wildcardMatches } from '../../../shared/wildcard';
import type { VfIgnoredSource, VfPersistenceSource } from '../service/types';

/** systemd's network directories in the order it ranks them: a file hides those of its name further down. */
const NETWORK_DIRS = [
  'etc/systemd/network/',
  'run/systemd/network/',
  'usr/local/lib/systemd/network/',
  'usr/lib/systemd/network/',
  'lib/systemd/network/',
];

/** A .link file or one of its drop-ins (NAME.link.d/*.conf) in one of systemd's network directories. */
export function isNetworkdLinkFile(file: string): boolean {
  const dir = NETWORK_DIRS.find((d) => file.startsWith(d));
  if (dir === undefined) return false;
  const rest = file.slice(dir.length);
  return /^[^/]+\.link$/.test(rest) || /^[^/]+\.link\.d\/[^/]+\.conf$/.test(rest);
}

/** A line as the script sends it: its file, and "N:LINE" (N its number) or MASKED. */
export interface LinkLine {
  file: string;
  content: string;
}

/** Of the files sent under each name, the one systemd reads (null: masked), in the order of the names. */
function visible(files: Map<string, Line[] | typeof MASKED>, nameOf: (file: string) => string): Array<[string, Line[] | null]> {
  return [...firstOfEachName(files.keys(), NETWORK_DIRS, nameOf).entries()]
    .sort((a, b) => byName(a[0], b[0]))
    .map(([, file]) => {
      const lines = files.get(file)!;
      return [file, lines === MASKED ? null : lines];
    });
}

/** The .link files systemd loads, in the order udev tries them, each with its drop-ins read into it. */
export function loadLinkFiles(sent: readonly LinkLine[]): LinkFile[] {
  const mains = new Map<string, Line[] | typeof MASKED>();
  const dropIns = new Map<string, Line[] | typeof MASKED>();
  for (const { file, content } of sent) {
    const into = file.endsWith('.conf') ? dropIns : mains;
    if (content === MASKED) {
      into.set(file, MASKED);
      continue;
    }
    const line = numberedLine(file, content);
    const lines = into.get(file);
    if (line === null || lines === MASKED) continue;
    if (lines) lines.push(line);
    else into.set(file, [line]);
  }
  // a drop-in's name is "NAME.link.d/X.conf": the same name in another directory hides it
  const dropInName = (file: string) => file.split('/').slice(-2).join('/');
  const visibleDropIns = visible(dropIns, dropInName);
  const links: LinkFile[] = [];
  for (const [file, lines] of visible(mains, baseName)) {
    if (lines === null) continue;
    const link = newLinkFile(file);
    readInto(link, lines);
    const prefix = `${baseName(file)}.d/`;
    for (const [dropIn, dropInLines] of visibleDropIns)
      if (dropInLines !== null && dropInName(dropIn).startsWith(prefix)) readInto(link, dropInLines);
    if (link.refused === null && isEmptyMatch(link)) {
      const unknown = link.unknownMatch.length > 0 ? ` (${link.unknownMatch.join(' ')}: no key of a .link file)` : '';
      link.refused = `No valid settings found in the [Match] section${unknown}`;
    }
    links.push(link);
  }
  return links;
}

function isEmptyMatch(link: LinkFile): boolean {
  const lists = [link.mac, link.permanentMac, link.path, link.driver, link.type, link.kind, link.originalName, link.property];
  return lists.every((l) => l.words.length === 0) && [...link.conditions.values()].every((c) => c.length === 0);
}

type Fit = { fits: true } | { fits: false } | { fits: 'unknown'; why: string };

/** A pattern fnmatch finds in every string: '*' alone (or repeated). */
const MATCHES_ALL = /^\*+$/;

/**
 * systemd's test of a glob list against a value (net_condition_test_strv): an inverted word that matches
 * fails it; else it passes when a plain word matches, or when it has no plain word. `value` null: the
 * device has none (a PF's interface has no kind); undefined: not known here.
 */
function testList(list: Patterns, value: string | null | undefined): boolean | 'unknown' {
  if (list.words.length === 0) return true;
  if (value === undefined) return 'unknown';
  let plain = false;
  let matched = false;
  for (const w of list.words) {
    const hit = value !== null && wildcardMatches(fnmatchTokens(w.pattern, true), value);
    if (w.inverted && hit) return false;
    if (!w.inverted) plain = true;
    if (!w.inverted && hit) matched = true;
  }
  return plain ? matched : true;
}

/** OriginalName=: the kernel's name before udev renames it, not known here, unless the list decides for any name. */
function testOriginalName(list: Patterns): boolean | 'unknown' {
  if (list.words.length === 0) return true;
  if (list.words.some((w) => w.inverted && MATCHES_ALL.test(w.pattern))) return false;
  if (list.words.some((w) => w.inverted)) return 'unknown';
  return list.words.some((w) => MATCHES_ALL.test(w.pattern)) ? true : 'unknown';
}

/** The interface's type as networkctl names it, from the PCI class: Ethernet "ether", InfiniBand "infiniband". */
function interfaceType(pf: SysfsDevice): string | undefined {
  if (pf.pciClass?.startsWith('0x0200')) return 'ether';
  if (pf.pciClass?.startsWith('0x0207')) return 'infiniband';
  return undefined;
}

/**
 * Whether `link`'s [Match] fits the PF's interface at boot. Its address then is the one the driver reads
 * from the card: the inventory's MAC is taken for it (the permanent one too), though a bond may have
 * changed it since. Its persistent path (ID_PATH) is "pci-" and its PCI address, as path_id makes it for
 * a PCI device under a host bridge.
 */
function fits(link: LinkFile, pf: SysfsDevice): Fit {
  const mac = pf.mac === null ? undefined : (hardwareAddress(pf.mac) ?? undefined);
  const tests: Array<[boolean | 'unknown', string[]]> = [
    [testList(link.mac, mac), link.mac.shown],
    [testList(link.permanentMac, mac), link.permanentMac.shown],
    [testList(link.path, `pci-${pf.address}`), link.path.shown],
    [testList(link.driver, pf.driver ?? undefined), link.driver.shown],
    [testList(link.type, interfaceType(pf)), link.type.shown],
    [testList(link.kind, null), link.kind.shown],
    [testOriginalName(link.originalName), link.originalName.shown],
    [link.property.words.length === 0 || 'unknown', link.property.shown],
    [[...link.conditions.values()].every((c) => c.length === 0) || 'unknown', [...link.conditions.values()].flat()],
  ];
  if (tests.some(([result]) => result === false)) return { fits: false };
  const unknown = tests.filter(([result]) => result === 'unknown').flatMap(([, shown]) => shown);
  return unknown.length > 0 ? { fits: 'unknown', why: unknown.join(' ') } : { fits: true };
}

/** The VF count `link` sets and the line that says so; null when it sets none. */
function countOf(link: LinkFile): { value: number; at: Line } | null {
  if (link.count !== null) return link.count;
  if (link.virtualFunctions.length === 0) return null;
  const highest = link.virtualFunctions.reduce((a, b) => (b.value > a.value ? b : a));
  return { value: highest.value + 1, at: highest.at };
}

function matchShown(link: LinkFile): string {
  const lists = [link.mac, link.permanentMac, link.path, link.driver, link.type, link.kind, link.originalName, link.property];
  return [...lists.flatMap((l) => l.shown), ...[...link.conditions.values()].flat()].join(' ');
}

export interface NetworkdFindings {
  sources: VfPersistenceSource[];
  /** a .link file that applies to the PF (or may) with SR-IOVVirtualFunctions=0 */
  removals: VfPersistenceSource[];
  /** a .link file that sets a count but that an earlier file fitting the PF keeps from applying, or that systemd does not load */
  ignored: VfIgnoredSource[];
}

/** What the .link files systemd loads (loadLinkFiles) do to `pf`'s VFs at boot. */
export function networkdLinkFindings(pf: SysfsDevice, links: readonly LinkFile[]): NetworkdFindings {
  const found: NetworkdFindings = { sources: [], removals: [], ignored: [] };
  // net_setup_link runs on the PF's interface: a PF without one (bound to vfio-pci, no driver) gets no .link file
  if (links.length === 0 || pf.netdevs.length === 0) return found;
  /** earlier files that may fit the PF: each one that does applies instead of what follows */
  const mayApplyFirst: string[] = [];
  let applied: LinkFile | null = null;
  for (const link of links) {
    if (link.refused !== null) {
      const count = countOf(link);
      if (count !== null && count.value > 0 && concerns(link, pf))
        found.ignored.push({ ...source(link, count, `systemd does not load the file: ${link.refused}`), reason: 'link-file-refused' });
      continue;
    }
    const fit = fits(link, pf);
    if (fit.fits === false) continue;
    const count = countOf(link);
    if (applied !== null) {
      if (count !== null && count.value > 0)
        found.ignored.push({ ...source(link, count, ''), reason: 'earlier-link-file', appliedInstead: applied.file });
      continue;
    }
    const caveats = [
      ...(fit.fits === 'unknown' ? [`cannot tell whether its ${fit.why} holds for this PF at boot`] : []),
      ...(mayApplyFirst.length > 0 ? [`unless ${mayApplyFirst.join(' or ')}, earlier, applies instead`] : []),
    ];
    if (count !== null) (count.value === 0 ? found.removals : found.sources).push(source(link, count, caveats.join('; ')));
    if (fit.fits === true) applied = link;
    else mayApplyFirst.push(`/${link.file} (cannot tell whether its ${fit.why} holds)`);
  }
  return found;
}

/**
 * Whether a file systemd does not load was meant for `pf`: its [Match] fits or may fit (as far as it was
 * read), or, when it has no valid key, an unknown key's value names the PF's interface, MAC or address.
 */
function concerns(link: LinkFile, pf: SysfsDevice): boolean {
  if (!isEmptyMatch(link)) return fits(link, pf).fits !== false;
  const names = [...pf.netdevs, pf.address, ...(pf.mac === null ? [] : [pf.mac])].map((n) => n.toLowerCase());
  return link.unknownMatch.some((a) => names.some((n) => a.toLowerCase().includes(n)));
}

/** The source for `link`'s count line: its file (a drop-in's when it says it) and the line, with the [Match] and any caveat. */
function source(link: LinkFile, count: { value: number; at: Line }, caveat: string): VfPersistenceSource {
  const made = count.at.text.startsWith('VirtualFunction') ? `[SR-IOV] ${count.at.text}: ${count.value} VFs` : count.at.text;
  const match = matchShown(link);
  const notes = [...(match === '' ? [] : [`[Match] ${match}`]), ...(caveat === '' ? [] : [caveat])].join('; ');
  const detail = `line ${count.at.line}: ${made} (${notes})`;
  return { mechanism: 'systemd-networkd', file: count.at.file, detail: shownLine(detail), count: count.value };
}
