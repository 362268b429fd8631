// Memory sizes as libvirt reads them from domain XML: <memory unit='GiB'>4</memory>,
// <memtune><hard_limit unit='M'>, a NUMA <cell memory='…' unit='…'>, a memory device's <target><size>.
// Mirrors libvirt 9.0's
//  - virParseScaledValue (src/util/virxml.c): the value is the element's (or attribute's) whole text,
//    read by virStrToLong_ullp base 10: leading blanks and one '+' allowed, nothing after the digits
//    (`<hard_limit>2097152 </hard_limit>` is refused at define), no '-', at most 2^64-1; an empty
//    value counts as absent, and is refused where libvirt requires the value;
//  - virScaleInteger (src/util/virutil.c): the unit, case-insensitive: none is KiB; b, byte, bytes;
//    k, M, G, T, P, E and KiB … EiB (powers of 1024); KB … EB (powers of 1000); anything else is refused
//    ("unknown suffix"), and so is a value over the maximum ("value too large"), checked in that order;
//  - virDomainParseMemory and virDomainParseMemoryLimit (src/conf/domain_conf.c): libvirt keeps KiB,
//    rounded up (VIR_DIV_UP(bytes, 1024)); a *_limit of VIR_DOMAIN_MEMORY_PARAM_UNLIMITED KiB or more
//    is no limit (virMemoryLimitTruncate, virMemoryLimitIsSet in src/util/virutil.c).
// Each refusal carries what libvirt's error quotes (sizeError writes that error, as virsh prints it).
// Sizes are bigint: libvirt's go to 2^63 bytes, past what a double holds exactly.
import { readUnsignedLong } from './rules/common';
import { decodeXmlText } from './xml/query';
import type { XmlElement } from './xml/types';

export const KIB_PER_GIB = 1048576n;

/** VIR_DOMAIN_MEMORY_PARAM_UNLIMITED (2^53 - 1), in KiB */
export const UNLIMITED_KIB = (1n << 53n) - 1n;

/** virMemoryMaxValue on a 64-bit host: LLONG_MAX bytes */
const MEMORY_MAX_BYTES = (1n << 63n) - 1n;

/** Bytes per unit as virScaleInteger reads `unit` (null or '' is KiB); null for a unit libvirt refuses. */
export function unitBytes(unit: string | null): bigint | null {
  if (unit === null || unit === '') return 1024n;
  // g_ascii_tolower / STRCASEEQ: ASCII letters only
  const u = unit.replace(/[A-Z]/g, (c) => c.toLowerCase());
  if (u === 'b' || u === 'byte' || u === 'bytes') return 1n;
  let base: bigint;
  if (u.length === 1 || u.slice(1) === 'ib') base = 1024n;
  else if (u.length === 2 && u[1] === 'b') base = 1000n;
  else return null;
  const power = 'kmgtpe'.indexOf(u[0]);
  return power < 0 ? null : base ** BigInt(power + 1);
}

/**
 * Why libvirt refuses a size, with what its error quotes: nothing where a size is required
 * (virParseScaledValue), not a number (virStrToLong_ullp), an unknown unit or a value over the
 * maximum (virScaleInteger), or KiB past virDomainParseMemory's own bound.
 */
export type SizeRefusal =
  | { why: 'missing' }
  | { why: 'not-a-number'; value: string }
  | { why: 'unknown-unit'; unit: string }
  | { why: 'too-large'; number: bigint; unit: string }
  | { why: 'size-too-large' };

export const isRefusal = (reading: unknown): reading is SizeRefusal => typeof reading === 'object' && reading !== null;

/** virParseScaledValue with a default scale of 1024: bytes, or 'absent' for an empty value. */
function scaledBytes(raw: string, unit: string | null, maxBytes: bigint, required: boolean): bigint | 'absent' | SizeRefusal {
  if (raw === '') return required ? { why: 'missing' } : 'absent';
  const value = readUnsignedLong(raw);
  if (value === null) return { why: 'not-a-number', value: raw };
  const scale = unitBytes(unit);
  if (scale === null) return { why: 'unknown-unit', unit: unit ?? '' };
  if (value > maxBytes / scale) return { why: 'too-large', number: value, unit: unit ?? '' };
  return value * scale;
}

const kibOf = (bytes: bigint): bigint => (bytes + 1023n) / 1024n;

/**
 * virDomainParseMemory (<memory>, <currentMemory>, <maxMemory>, <min_guarantee>, <cell memory>, a
 * memory device's <size>): KiB, 'absent' when empty and not required, or why libvirt refuses it.
 */
export function readMemory(raw: string, unit: string | null, required = false): bigint | 'absent' | SizeRefusal {
  const bytes = scaledBytes(raw, unit, MEMORY_MAX_BYTES, required);
  if (typeof bytes !== 'bigint') return bytes;
  const kib = kibOf(bytes);
  return kib >= kibOf(MEMORY_MAX_BYTES) ? { why: 'size-too-large' } : kib;
}

/** virDomainParseMemoryLimit (<hard_limit>, <soft_limit>, <swap_hard_limit>): KiB, 'unlimited' when empty or at the maximum, or why libvirt refuses it. */
export function readMemoryLimit(raw: string, unit: string | null): bigint | 'unlimited' | SizeRefusal {
  const bytes = scaledBytes(raw, unit, UNLIMITED_KIB << 10n, false);
  if (bytes === 'absent') return 'unlimited';
  if (typeof bytes !== 'bigint') return bytes;
  const kib = kibOf(bytes);
  return kib >= UNLIMITED_KIB ? 'unlimited' : kib;
}

/** readMemory: 0 when absent, null when refused. */
export function memoryKiB(raw: string, unit: string | null): bigint | null {
  const kib = readMemory(raw, unit);
  return kib === 'absent' ? 0n : isRefusal(kib) ? null : kib;
}

/** readMemoryLimit: null when refused. */
export function memoryLimitKiB(raw: string, unit: string | null): bigint | 'unlimited' | null {
  const kib = readMemoryLimit(raw, unit);
  return isRefusal(kib) ? null : kib;
}

/**
 * libvirt's error for a refused size, as `virsh define` prints it after "error: "; `xpath` is the
 * path libvirt names the value by ('./memory[1]', './memtune/hard_limit[1]', './size', './@memory').
 */
export function sizeError(refusal: SizeRefusal, xpath: string): string {
  switch (refusal.why) {
    case 'missing':
      return `XML error: missing element or attribute '${xpath}'`;
    case 'not-a-number':
      return `XML error: Invalid value '${refusal.value}' for element or attribute '${xpath}'`;
    case 'unknown-unit':
      return `invalid argument: unknown suffix '${refusal.unit}'`;
    case 'too-large':
      return `numerical overflow: value too large: ${refusal.number}${refusal.unit}`;
    case 'size-too-large':
      return 'numerical overflow: size value too large';
  }
}

/**
 * The value virParseScaledValue reads from an element (XPath string()): its text with entity
 * references replaced, CDATA as written, comments left out, blanks kept (they are part of the value).
 * The tree keeps no blank-only text runs, so a leaf element's content is read from the text itself.
 */
export function sizeText(text: string, element: XmlElement): string {
  if (element.children.length === 0 && element.endTagStart !== null) {
    const content = text.slice(element.startTagEnd, element.endTagStart).replace(/<!--[^]*?-->|<\?[^]*?\?>/g, '');
    let raw = '';
    for (const part of content.split(/(<!\[CDATA\[[^]*?\]\]>)/))
      raw += part.startsWith('<![CDATA[') ? part.slice(9, -3) : decodeXmlText(part);
    return raw;
  }
  let raw = '';
  for (const span of element.textSpans) raw += text.substring(span.start, span.end);
  return decodeXmlText(raw);
}

/** A size for messages: exact, in the largest binary unit that divides it ('5 GiB', '4608 MiB', '1953125 KiB'). */
export function formatKiB(kib: bigint): string {
  if (kib !== 0n && kib % KIB_PER_GIB === 0n) return `${kib / KIB_PER_GIB} GiB`;
  if (kib !== 0n && kib % 1024n === 0n) return `${kib / 1024n} MiB`;
  return `${kib} KiB`;
}
