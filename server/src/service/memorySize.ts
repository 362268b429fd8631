// Memory sizes as libvirt reads them from domain XML: <memory unit='GiB'>4</memory>,
// <memtune><hard_limit unit='M'>, a NUMA <cell memory='…' unit='…'>, a memory device's <target><size>.
// Mirrors libvirt 9.0's
//  - virParseScaledValue (src/util/virxml.c): the value is the element's (or attribute's) whole text,
//    read by virStrToLong_ullp base 10: leading blanks and one '+' allowed, nothing after the digits
//    (`<hard_limit>2097152 </hard_limit>` is refused at define), no '-', at most 2^64-1; an empty
//    value counts as absent;
//  - virScaleInteger (src/util/virutil.c): the unit, case-insensitive: none is KiB; b, byte, bytes;
//    k, M, G, T, P, E and KiB … EiB (powers of 1024); KB … EB (powers of 1000); anything else is refused
//    ("unknown suffix"), and so is a value over the maximum ("value too large");
//  - virDomainParseMemory and virDomainParseMemoryLimit (src/conf/domain_conf.c): libvirt keeps KiB,
//    rounded up (VIR_DIV_UP(bytes, 1024)); a *_limit of VIR_DOMAIN_MEMORY_PARAM_UNLIMITED KiB or more
//    is no limit (virMemoryLimitTruncate, virMemoryLimitIsSet in src/util/virutil.c).
// Sizes are bigint: libvirt's go to 2^63 bytes, past what a double holds exactly.
import { decodeXmlText } from './xml/query';
import type { XmlElement } from './xml/types';

export const KIB_PER_GIB = 1048576n;

/** VIR_DOMAIN_MEMORY_PARAM_UNLIMITED (2^53 - 1), in KiB */
export const UNLIMITED_KIB = (1n << 53n) - 1n;

const U64_MAX = (1n << 64n) - 1n;
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

/** virParseScaledValue with a default scale of 1024: bytes, 'absent' for an empty value, null when refused. */
function scaledBytes(raw: string, unit: string | null, maxBytes: bigint): bigint | 'absent' | null {
  if (raw === '') return 'absent';
  const m = /^[ \t\n\v\f\r]*\+?([0-9]+)$/.exec(raw);
  if (!m) return null;
  const value = BigInt(m[1]);
  const scale = unitBytes(unit);
  if (value > U64_MAX || scale === null || value > maxBytes / scale) return null;
  return value * scale;
}

const kibOf = (bytes: bigint): bigint => (bytes + 1023n) / 1024n;

/** virDomainParseMemory (<memory>, <cell memory>, a memory device's <size>): KiB, 0 when absent, null when refused. */
export function memoryKiB(raw: string, unit: string | null): bigint | null {
  const bytes = scaledBytes(raw, unit, MEMORY_MAX_BYTES);
  if (bytes === 'absent') return 0n;
  if (bytes === null) return null;
  const kib = kibOf(bytes);
  return kib >= kibOf(MEMORY_MAX_BYTES) ? null : kib;
}

/** virDomainParseMemoryLimit (<hard_limit> and the other *_limit): KiB, 'unlimited' when absent or at the maximum, null when refused. */
export function memoryLimitKiB(raw: string, unit: string | null): bigint | 'unlimited' | null {
  const bytes = scaledBytes(raw, unit, UNLIMITED_KIB << 10n);
  if (bytes === 'absent') return 'unlimited';
  if (bytes === null) return null;
  const kib = kibOf(bytes);
  return kib >= UNLIMITED_KIB ? 'unlimited' : kib;
}

/** The value virParseScaledValue reads from an element: its text, entity references replaced. */
export function sizeText(text: string, element: XmlElement): string {
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
