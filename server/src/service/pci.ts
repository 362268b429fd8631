// PCI address numbers as libvirt reads them: virPCIDeviceAddressParseXML → virXMLPropUInt(base 0)
// → virStrToLong_uip, i.e. C strtoul with base 0 and negatives rejected. So '0x0b' is hex, '11' is
// decimal, '011' is octal (9), and '0b' / '1f' / '-1' / '' are errors. The whole string must be consumed.
import { paddedHex, type PciAddress } from '../../../shared/pciAddress';
import { hexDigitValue } from './hexDigit';

export {
  addressKey,
  compareAddresses,
  formatPciAddress,
  isCanonicalAddress,
  parseCanonicalAddress,
  type PciAddress,
} from '../../../shared/pciAddress';

export type NumberBase = 'hex' | 'decimal' | 'octal';

export type PciNumber = { ok: true; value: number; base: NumberBase } | { ok: false };

export const PCI_FIELDS = ['domain', 'bus', 'slot', 'function'] as const;
export type PciField = (typeof PCI_FIELDS)[number];

/** Upper bounds from virPCIDeviceAddressIsValid; domain has none. */
export const PCI_LIMITS: Record<PciField, number> = {
  domain: 0xffffffff,
  bus: 0xff,
  slot: 0x1f,
  function: 7,
};

const LEADING_BLANKS_AND_PLUS = /^[ \t\n\v\f\r]+\+?|^\+/;
const HEX_LITERAL = /^0[xX]([0-9a-fA-F]+)$/;
const OCTAL_LITERAL = /^0[0-7]+$/;
const DECIMAL_LITERAL = /^[1-9][0-9]*$/;

/** strtoul(raw, &end, 0) that must consume the whole string; leading whitespace is allowed like C's. */
export function parsePciNumber(raw: string): PciNumber {
  // the spelling nearly every address uses, '0x' and up to 8 hex digits, read without a regex or a substring
  const hexValue = shortHexLiteral(raw);
  if (hexValue >= 0) return { ok: true, value: hexValue, base: 'hex' };
  // strtoul skips leading white space and takes one optional '+' (virsh define accepts '+0x0b')
  const s = raw.replace(LEADING_BLANKS_AND_PLUS, '');
  let m: RegExpExecArray | null;
  if ((m = HEX_LITERAL.exec(s))) return bounded(parseInt(m[1], 16), 'hex');
  if (OCTAL_LITERAL.test(s)) return bounded(parseInt(s, 8), 'octal');
  if (s === '0') return { ok: true, value: 0, base: 'decimal' };
  if (DECIMAL_LITERAL.test(s)) return bounded(parseInt(s, 10), 'decimal');
  return { ok: false };
}

/** The value of '0x…'/'0X…' with 1 to 8 hex digits and nothing around them (always within unsigned int); -1 otherwise. */
function shortHexLiteral(raw: string): number {
  const length = raw.length;
  if (length < 3 || length > 10 || raw.charCodeAt(0) !== 48 || (raw.charCodeAt(1) | 0x20) !== 120) return -1;
  let value = 0;
  for (let i = 2; i < length; i++) {
    const digit = hexDigitValue(raw.charCodeAt(i));
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

function bounded(value: number, base: NumberBase): PciNumber {
  // virStrToLong_uip takes an unsigned int: anything above UINT_MAX is a parse error.
  return Number.isFinite(value) && value <= 0xffffffff ? { ok: true, value, base } : { ok: false };
}

/** The attribute value libvirt itself would format for a field: 0x-prefixed hex, zero-padded. */
export function formatPciField(field: PciField, value: number): string {
  const width = field === 'domain' ? 4 : field === 'function' ? 1 : 2;
  return '0x' + paddedHex(value, width);
}

/**
 * The <address type='pci' …/> element for a canonical address. `withType: false` for the source of
 * a plain <hostdev>: domain.rng puts the type on <hostdev>, and `define --validate` rejects it on
 * the address (only <interface type='hostdev'> needs type='pci' there).
 */
export function pciAddressElement(a: PciAddress, quote: '"' | "'" = "'", withType = true): string {
  const q = quote;
  return `<address${withType ? ` type=${q}pci${q}` : ''} domain=${q}${formatPciField('domain', a.domain)}${q} bus=${q}${formatPciField('bus', a.bus)}${q} slot=${q}${formatPciField('slot', a.slot)}${q} function=${q}${formatPciField('function', a.function)}${q}/>`;
}
