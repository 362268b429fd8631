// MAC addresses as libvirt reads them (src/util/virmacaddr.c virMacAddrParse): exactly six octets
// separated by ':' only, each 1–2 hex digits, so '52:54:0:6d:9:2' is valid; after the sixth octet
// only a character <= ' ' may follow (a trailing space is accepted). Leading space is rejected.
import { hexDigitValue } from './hexDigit';

/** six 1–2 digit octets separated by ':', then whatever follows (checked below) */
const SIX_OCTETS =
  /^([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2})([\s\S]*)$/;

export type MacParse = { ok: true; octets: number[]; normalized: string } | { ok: false };

export function parseMac(raw: string): MacParse {
  const m = SIX_OCTETS.exec(raw);
  if (!m) return { ok: false };
  const rest = m[7];
  if (rest.length > 0 && rest.charCodeAt(0) > 0x20) return { ok: false };
  const octets = m.slice(1, 7).map((o) => parseInt(o, 16));
  return { ok: true, octets, normalized: formatMac(octets) };
}

export function formatMac(octets: number[]): string {
  return octets.map((o) => o.toString(16).padStart(2, '0')).join(':');
}

/** virMacAddrIsMulticast: low bit of the first octet (includes ff:ff:ff:ff:ff:ff). */
export function isMulticast(octets: number[]): boolean {
  return (octets[0] & 1) === 1;
}

/** Locally administered: second-lowest bit of the first octet (52:54:00 has it set). */
export function isLocallyAdministered(octets: number[]): boolean {
  return (octets[0] & 2) === 2;
}

export function isZero(octets: number[]): boolean {
  return octets.every((o) => o === 0);
}

export interface MacReading {
  /** lower-case, two digits per octet (virMacAddrFormat) */
  normalized: string;
  multicast: boolean;
  zero: boolean;
}

/** the spelling of nearly every MAC: two hex digits an octet, either case */
const TWO_DIGIT_OCTETS = /^[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5}$/;
const UPPER_CASE_DIGIT = /[A-F]/;

/**
 * A MAC as virMacAddrParse reads it, or null when libvirt would not parse it. Documents, snapshots and
 * sysfs almost always spell it 'xx:xx:xx:xx:xx:xx' (two digits an octet, either case): that spelling is
 * recognised with one regular expression (a loop per character costs a call per character before V8
 * optimizes anything) and, in lower case already, read without a new string.
 */
export function readMac(raw: string): MacReading | null {
  if (raw.length === 17 && TWO_DIGIT_OCTETS.test(raw)) {
    const normalized = UPPER_CASE_DIGIT.test(raw) ? raw.toLowerCase() : raw;
    return { normalized, multicast: (hexDigitValue(raw.charCodeAt(1)) & 1) === 1, zero: normalized === '00:00:00:00:00:00' };
  }
  const parsed = parseMac(raw);
  if (!parsed.ok) return null;
  return { normalized: parsed.normalized, multicast: isMulticast(parsed.octets), zero: isZero(parsed.octets) };
}

/** Normalised form of any MAC string, or null when libvirt would not parse it. */
export function normalizeMac(raw: string): string | null {
  // the usual spelling (readMac's first case) without the reading's object: a snapshot has a MAC or two per VF
  if (raw.length === 17 && TWO_DIGIT_OCTETS.test(raw)) return UPPER_CASE_DIGIT.test(raw) ? raw.toLowerCase() : raw;
  return readMac(raw)?.normalized ?? null;
}

/**
 * A fresh MAC with libvirt's default prefix 52:54:00 (virDomainXMLOptionNew) that is not in `used`
 * (normalised MACs). Deterministic for a given `random`.
 */
export function freshMac(used: ReadonlySet<string>, random: () => number = Math.random): string {
  for (let attempt = 0; attempt < 1000; attempt++) {
    const tail = [0, 1, 2].map(() => Math.floor(random() * 256) & 0xff);
    const mac = formatMac([0x52, 0x54, 0x00, ...tail]);
    if (!used.has(mac)) return mac;
  }
  // 1000 collisions means `random` is degenerate; walk the space instead of looping forever.
  for (let n = 0; n < 0x1000000; n++) {
    const mac = formatMac([0x52, 0x54, 0x00, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff]);
    if (!used.has(mac)) return mac;
  }
  throw new Error('no free MAC address with prefix 52:54:00');
}
