// The readers of one field of an inventory snapshot (snapshot.ts reads the document with them): each
// checks a JSON value, returns it as the snapshot type wants it, or throws InventoryError naming where
// the value sits (`devices[3].address: expected …, got …`).
import { formatPciAddress, isCanonicalAddress, parseCanonicalAddress } from '../service/pci';
import { normalizeMac } from '../service/mac';

/** A snapshot that cannot be used; the message names the field (`devices[3].address: …`). */
export class InventoryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InventoryError';
  }
}

export type Json = unknown;
export type Obj = Record<string, Json>;

export function describe(value: Json): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? value.slice(0, 57) + '...' : value);
  if (typeof value === 'object') return 'an object';
  return String(value);
}

/**
 * Where a value sits (`devices[3].address`): the path, or what makes it. A snapshot holds thousands of
 * devices and a good one needs no path at all, so the readers of each device and guest device build
 * theirs only for an error message.
 */
export type Where = string | (() => string);

function pathOf(where: Where): string {
  return typeof where === 'string' ? where : where();
}

/** The path of `key` under `where`, made when asked. */
export function under(where: Where, key: string): Where {
  return typeof where === 'string' ? field(where, key) : () => field(where, key);
}

export function fail(where: Where, expected: string, value: Json): never {
  throw new InventoryError(`${pathOf(where)}: expected ${expected}, got ${describe(value)}`);
}

function isObj(v: Json): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function obj(v: Json, path: Where): Obj {
  if (!isObj(v)) fail(path, 'an object', v);
  return v;
}

export function arr(v: Json, path: string): Json[] {
  if (!Array.isArray(v)) fail(path, 'an array', v);
  return v;
}

/** `devices[3].kind`, or just `host` at the top level. */
export function field(where: Where, key: string): string {
  const path = pathOf(where);
  return path === '' ? key : `${path}.${key}`;
}

export function str(o: Obj, key: string, path: Where): string {
  const v = o[key];
  if (typeof v !== 'string') fail(field(path, key), 'a string', v);
  return v;
}

export function strOrNull(o: Obj, key: string, path: Where): string | null {
  const v = o[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') fail(field(path, key), 'a string or null', v);
  return v;
}

export function bool(o: Obj, key: string, path: Where): boolean {
  const v = o[key];
  if (typeof v !== 'boolean') fail(field(path, key), 'true or false', v);
  return v;
}

/** the largest value of each bounded field: VLAN ids are 12 bits, a PF has at most 65,535 VFs (16-bit TotalVFs) */
const MAX_OF: Record<string, number> = { vlan: 4095, vfIndex: 65534, totalVfs: 65535, numVfs: 65535 };

export function uint(o: Obj, key: string, path: Where): number {
  const v = o[key];
  const max = MAX_OF[key] ?? 2 ** 31 - 1;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) fail(field(path, key), `an integer 0..${max}`, v);
  return v;
}

export function uintOrNull(o: Obj, key: string, path: Where): number | null {
  const v = o[key];
  if (v === undefined || v === null) return null;
  return uint(o, key, path);
}

/** A PCI address in canonical form; accepts upper case and normalises to lower case. */
export function address(v: Json, path: Where): string {
  // snapshots store addresses canonically ("0000:0b:10.1"): a thousand are read at every start
  if (typeof v === 'string' && isCanonicalAddress(v)) return v;
  const parsed = typeof v === 'string' ? parseCanonicalAddress(v) : null;
  if (!parsed) fail(path, '"DDDD:BB:SS.F"', v);
  return formatPciAddress(parsed);
}

/** The PCI address in `o[key]` (as `address`), with the field's path made only for an address to normalise or refuse. */
export function addressField(o: Obj, key: string, path: Where): string {
  const v = o[key];
  return typeof v === 'string' && isCanonicalAddress(v) ? v : address(v, field(path, key));
}

const NORMALISED_PCI_ID = /^0x[0-9a-f]{4}$/;

/**
 * "0x8086"-style PCI ids (vendor/product), normalised to lower case with the 0x prefix; '' for one the
 * host did not give (an IOMMU group's member without a device directory), as the live read has it.
 */
export function pciId(o: Obj, key: string, path: Where): string {
  const v = o[key];
  // snapshots store them normalised: one test instead of a replace, a lower-casing and a padding per id
  if (typeof v === 'string' && v.length === 6 && NORMALISED_PCI_ID.test(v)) return v;
  if (v === '') return v;
  if (typeof v !== 'string' || !/^(0x)?[0-9a-fA-F]{1,4}$/.test(v)) fail(field(path, key), 'a PCI id like "0x8086"', v);
  return '0x' + v.replace(/^0x/, '').toLowerCase().padStart(4, '0');
}

export function macOrNull(o: Obj, key: string, path: Where): string | null {
  const v = strOrNull(o, key, path);
  if (v === null) return null;
  const n = normalizeMac(v);
  if (n === null) fail(field(path, key), 'a MAC address like "52:54:00:6d:90:02"', v);
  return n;
}

/**
 * How many fields `o` has: what for-in visits, its own and any enumerable one it inherits (a JSON
 * object inherits none, and counting one only means the object is copied).
 */
export function fieldCount(o: Obj): number {
  let n = 0;
  for (const _ in o) n++;
  return n;
}

export function vlanTags(v: Json, path: string): number[] {
  return arr(v, path).map((t, i) => {
    if (typeof t !== 'number' || !Number.isInteger(t) || t < 0 || t > 4095) fail(`${path}[${i}]`, 'a VLAN tag 0..4095', t);
    return t;
  });
}

export function strings(v: Json, path: string): string[] {
  return arr(v, path).map((x, i) => {
    if (typeof x !== 'string') fail(`${path}[${i}]`, 'a string', x);
    return x;
  });
}

export function oneOf<T extends string>(o: Obj, key: string, path: string, allowed: readonly T[]): T {
  const v = o[key];
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v))
    fail(field(path, key), allowed.map((a) => `"${a}"`).join(', '), v);
  return v as T;
}
