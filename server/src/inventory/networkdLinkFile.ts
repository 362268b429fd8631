// One systemd-networkd .link file (systemd.link(5)) as systemd 252 parses it, its drop-ins read into it:
// the [Match] lists, the system conditions, the VF count of [Link] and [SR-IOV], and why systemd would
// not load it (what udevadm test-builtin net_setup_link says of it). networkdLinks.ts decides which file
// applies to a PF.
import { shownLine, type NumberedLine as Line } from './continuedLines';

/** A [Match] list as systemd keeps it: its words, each inverted when it (or its list) starts with '!'. */
export interface Patterns {
  words: Array<{ pattern: string; inverted: boolean }>;
  /** the assignments, as the messages show them */
  shown: string[];
}

export interface LinkFile {
  /** the .link file itself (relative to /) */
  file: string;
  mac: Patterns;
  permanentMac: Patterns;
  path: Patterns;
  driver: Patterns;
  type: Patterns;
  kind: Patterns;
  originalName: Patterns;
  property: Patterns;
  /** Host=, Virtualization=, KernelCommandLine=, … assignments (system conditions), by key */
  conditions: Map<string, string[]>;
  /** the last valid SR-IOVVirtualFunctions= */
  count: { value: number; at: Line } | null;
  /** the VirtualFunction= of each [SR-IOV] section that has one */
  virtualFunctions: Array<{ value: number; at: Line }>;
  /** why systemd does not load the file (its parser's words); null when it does */
  refused: string | null;
  /** [Match] assignments of keys a .link file does not have (Name= is a .network key), which systemd ignores */
  unknownMatch: string[];
}

const MATCH_LISTS = ['MACAddress', 'PermanentMACAddress', 'Path', 'Driver', 'Type', 'Kind', 'OriginalName', 'Property'] as const;
type MatchList = (typeof MATCH_LISTS)[number];
/** systemd's longest line (LONG_LINE_MAX): a file with a longer one is not loaded ("Line too long"). */
const LONG_LINE_MAX = 1024 * 1024;
const CONDITIONS = new Set(['Host', 'Virtualization', 'KernelCommandLine', 'KernelVersion', 'Credential', 'Architecture', 'Firmware']);

/** Words of a value as systemd's extract_first_word(EXTRACT_UNQUOTE) splits them: blanks separate, quotes group. */
function words(value: string): string[] {
  const found: string[] = [];
  for (const m of value.matchAll(/(?:"([^"]*)"|'([^']*)'|(\S+?))(?=\s|$|["'])/g)) found.push(m[1] ?? m[2] ?? m[3]);
  return found;
}

/** A hardware address as systemd parses one (colon-, hyphen- or dot-delimited hex, IPv4, IPv6) as bytes; null when invalid. */
export function hardwareAddress(text: string): string | null {
  let bytes: number[] | null = null;
  if (/^[0-9a-f]{1,2}([:-])[0-9a-f]{1,2}(\1[0-9a-f]{1,2})*$/i.test(text)) bytes = text.split(/[:-]/).map((b) => parseInt(b, 16));
  else if (/^[0-9a-f]{1,4}(\.[0-9a-f]{1,4})+$/i.test(text))
    bytes = text.split('.').flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff]);
  else if (/^\d{1,3}(\.\d{1,3}){3}$/.test(text)) bytes = text.split('.').map(Number);
  else if (text.includes(':') && /^[0-9a-f:.]+$/i.test(text)) return `ipv6 ${text.toLowerCase()}`;
  if (bytes === null || bytes.some((b) => b > 255) || ![4, 6, 16, 20].includes(bytes.length)) return null;
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
}

function emptyPatterns(): Patterns {
  return { words: [], shown: [] };
}

/** One assignment to a [Match] list: an empty value resets it; a hardware address list keeps its valid words. */
function assign(list: Patterns, key: MatchList, value: string): void {
  if (value === '') {
    list.words = [];
    list.shown = [];
    return;
  }
  const isMac = key === 'MACAddress' || key === 'PermanentMACAddress';
  const inverted = !isMac && value.startsWith('!');
  const before = list.words.length;
  for (const word of words(inverted ? value.slice(1) : value)) {
    if (isMac) {
      const address = hardwareAddress(word);
      if (address !== null) list.words.push({ pattern: address, inverted: false });
    } else list.words.push({ pattern: inverted ? word : word.replace(/^!/, ''), inverted: inverted || word.startsWith('!') });
  }
  if (list.words.length > before) list.shown.push(`${key}=${value}`);
}

/** The logical lines of one file: a line ending in '\' goes on with the next (the '\' read as a blank); comments drop. */
function logicalLines(lines: readonly Line[]): Line[] {
  const joined: Line[] = [];
  let open: Line | null = null;
  let last = 0;
  for (const l of lines) {
    const text = l.text.replace(/\r$/, '');
    const comment = /^\s*[#;]/.test(text);
    if (open !== null && l.line !== last + 1) open = null;
    last = l.line;
    if (comment) continue;
    const continues = text.endsWith('\\');
    const part = continues ? `${text.slice(0, -1)} ` : text;
    if (open !== null) open.text += part;
    else joined.push((open = { ...l, text: part }));
    if (!continues) open = null;
  }
  return joined;
}

export function newLinkFile(file: string): LinkFile {
  return {
    file,
    mac: emptyPatterns(),
    permanentMac: emptyPatterns(),
    path: emptyPatterns(),
    driver: emptyPatterns(),
    type: emptyPatterns(),
    kind: emptyPatterns(),
    originalName: emptyPatterns(),
    property: emptyPatterns(),
    conditions: new Map(),
    count: null,
    virtualFunctions: [],
    refused: null,
    unknownMatch: [],
  };
}

const LIST_FIELD: Record<MatchList, keyof LinkFile> = {
  MACAddress: 'mac',
  PermanentMACAddress: 'permanentMac',
  Path: 'path',
  Driver: 'driver',
  Type: 'type',
  Kind: 'kind',
  OriginalName: 'originalName',
  Property: 'property',
};

/**
 * A number as systemd 252 reads these settings (safe_atou, strtoul with base 0): decimal, 0x hexadecimal,
 * a leading 0 octal (08 is refused), an optional '+'; null for anything else.
 */
function unsignedNumber(value: string): number | null {
  const m = /^\+?(?:0x([0-9a-f]{1,8})|(0[0-7]{0,11})|([1-9]\d{0,9}))$/i.exec(value);
  if (!m) return null;
  return m[1] !== undefined ? parseInt(m[1], 16) : m[2] !== undefined ? parseInt(m[2], 8) : Number(m[3]);
}

/** Reads one file (the .link file, then each drop-in) into `link`. */
export function readInto(link: LinkFile, lines: readonly Line[]): void {
  // systemd stops at the first error and loads nothing of the file; the rest is still read here, to say
  // what the file meant to set
  const tooLong = lines.find((l) => l.text.length > LONG_LINE_MAX);
  if (tooLong) link.refused ??= `/${tooLong.file} line ${tooLong.line}: Line too long`;
  let section = '';
  let virtualFunction: { value: number; at: Line } | null = null;
  const endSection = () => {
    if (virtualFunction !== null) link.virtualFunctions.push(virtualFunction);
    virtualFunction = null;
  };
  for (const l of logicalLines(tooLong ? lines.filter((x) => x.text.length <= LONG_LINE_MAX) : lines)) {
    const text = l.text.trim();
    const header = /^\[(.*)\]$/.exec(text);
    if (header) {
      endSection();
      section = header[1];
      continue;
    }
    if (text.startsWith('[')) {
      link.refused ??= `/${l.file} line ${l.line}: Invalid section header '${shownLine(text)}'`;
      endSection();
      section = '';
      continue;
    }
    const eq = text.indexOf('=');
    if (eq < 0) continue;
    const key = text.slice(0, eq).trim();
    const value = text.slice(eq + 1).trim();
    if (section === 'Match' && (MATCH_LISTS as readonly string[]).includes(key))
      assign(link[LIST_FIELD[key as MatchList]] as Patterns, key as MatchList, value);
    else if (section === 'Match' && CONDITIONS.has(key))
      link.conditions.set(key, value === '' ? [] : [...(link.conditions.get(key) ?? []), `${key}=${value}`]);
    // a few say what the file meant; a message shows no more
    else if (section === 'Match' && link.unknownMatch.length < 8) link.unknownMatch.push(shownLine(`${key}=${value}`));
    else if (section === 'Link' && key === 'SR-IOVVirtualFunctions') {
      // an empty value unsets it; one systemd cannot parse is ignored ("Failed to parse …, ignoring assignment")
      if (value === '') link.count = null;
      else {
        const n = unsignedNumber(value);
        if (n !== null && n <= 2147483647) link.count = { value: n, at: { ...l, text } };
      }
    } else if (section === 'SR-IOV' && key === 'VirtualFunction') {
      if (value === '') virtualFunction = null;
      else {
        const n = unsignedNumber(value);
        if (n !== null && n <= 2147483646) virtualFunction = { value: n, at: { ...l, text } };
      }
    }
  }
  endSection();
}
