// MAC addresses as libvirt reads them (src/util/virmacaddr.c virMacAddrParse): exactly six octets
// separated by ':' only, each 1–2 hex digits, so '52:54:0:6d:9:2' is valid; after the sixth octet
// only a character <= ' ' may follow (a trailing space is accepted). Leading space is rejected.

export type MacParse = { ok: true; octets: number[]; normalized: string } | { ok: false };

export function parseMac(raw: string): MacParse {
  const m =
    /^([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2})([\s\S]*)$/.exec(
      raw,
    );
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

/** The normalised spelling itself: six two-digit lower-case octets. */
const NORMALISED_MAC = /^[0-9a-f]{2}(?::[0-9a-f]{2}){5}$/;

/** Normalised form of any MAC string, or null when libvirt would not parse it. */
export function normalizeMac(raw: string): string | null {
  // Snapshots and sysfs spell MACs this way already: a thousand of them are read at every start.
  if (NORMALISED_MAC.test(raw)) return raw;
  const p = parseMac(raw);
  return p.ok ? p.normalized : null;
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
