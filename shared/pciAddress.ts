// Canonical PCI addresses "DDDD:BB:SS.F" (lower-case hex), as sysfs names devices and the inventory
// stores them. Imports nothing: the service, the inventory readers and the client use the same text.

export interface PciAddress {
  domain: number;
  bus: number;
  slot: number;
  function: number;
}

/** `n` in lower-case hex, zero-padded to `width` digits. */
export function paddedHex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

/** the character codes of '0' … '9', 'a' … 'f' */
const HEX_CODES: readonly number[] = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
const COLON = 0x3a;
const DOT = 0x2e;

/** Canonical "DDDD:BB:SS.F" in lower-case hex. */
export function formatPciAddress(a: PciAddress): string {
  const { domain, bus, slot } = a;
  const fn = a.function;
  // the usual numbers: one string made from its twelve characters (joining the parts would make a new
  // string at each step, and a large domain formats a few thousand addresses); anything else as written below
  if ((domain & 0xffff) === domain && (bus & 0xff) === bus && (slot & 0xff) === slot && (fn & 0xf) === fn) {
    const h = HEX_CODES;
    return String.fromCharCode(
      h[domain >> 12],
      h[(domain >> 8) & 0xf],
      h[(domain >> 4) & 0xf],
      h[domain & 0xf],
      COLON,
      h[bus >> 4],
      h[bus & 0xf],
      COLON,
      h[slot >> 4],
      h[slot & 0xf],
      DOT,
      h[fn],
    );
  }
  return `${paddedHex(domain, 4)}:${paddedHex(bus, 2)}:${paddedHex(slot, 2)}.${fn.toString(16)}`;
}

/** Parses "DDDD:BB:SS.F" (case-insensitive); null when it is not one. */
export function parseCanonicalAddress(s: string): PciAddress | null {
  const m = /^([0-9a-fA-F]{4,8}):([0-9a-fA-F]{2}):([0-9a-fA-F]{2})\.([0-7])$/.exec(s.trim());
  if (!m) return null;
  return { domain: parseInt(m[1], 16), bus: parseInt(m[2], 16), slot: parseInt(m[3], 16), function: parseInt(m[4], 16) };
}

/**
 * Already canonical as formatPciAddress writes it (4-digit domain, lower case, no blanks): parsing and
 * formatting it again gives the same string. Snapshots store addresses this way, so the lookups and
 * sorts below skip the regex, the numbers and the new strings for nearly every address.
 */
const CANONICAL = /^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$/;

/** True when `address` is spelled exactly as formatPciAddress writes it. */
export function isCanonicalAddress(address: string): boolean {
  return CANONICAL.test(address);
}

/** The key an inventory address is looked up by (tolerates upper case and a long domain). */
export function addressKey(address: string): string {
  if (isCanonicalAddress(address)) return address;
  const parsed = parseCanonicalAddress(address);
  return parsed ? formatPciAddress(parsed) : address.toLowerCase();
}

/** Numeric order of two canonical addresses (string order for malformed ones). */
export function compareAddresses(a: string, b: string): number {
  // fixed-width lower-case hex: the text order is the numeric order
  if (CANONICAL.test(a) && CANONICAL.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  const pa = parseCanonicalAddress(a);
  const pb = parseCanonicalAddress(b);
  if (!pa || !pb) return a < b ? -1 : a > b ? 1 : 0;
  return pa.domain - pb.domain || pa.bus - pb.bus || pa.slot - pb.slot || pa.function - pb.function;
}
