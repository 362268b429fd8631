// Attribute values as libxml2 hands them to libvirt, read from the text as written.
import type { DeclaredEntities } from './entities';
import { decodeXmlText } from './query';
import type { StringTable } from './strings';

/** What attribute values are read with: the shared strings and the general entities of the internal DTD subset. */
export interface ValueReader {
  strings: StringTable;
  declared: DeclaredEntities | null;
}

/**
 * A value with a reference or a literal tab or line end. One object for every value: a regular
 * expression literal in a function body makes a new RegExp object each time it runs.
 */
export const NEEDS_DECODING = /[&\t\n\r]/;

/**
 * The value libxml2 hands libvirt: literal tabs and line ends become spaces (XML 1.0 §3.3.3
 * attribute-value normalization), then character and predefined entity references are replaced,
 * so `bus='0x0&#98;'` is read as 0x0b exactly as virPCIDeviceAddressParseXML sees it.
 */
export function attributeValue(text: string, start: number, end: number, { strings, declared }: ValueReader): string {
  const raw = strings.substring(text, start, end);
  return NEEDS_DECODING.test(raw) ? decodedValue(text, start, end, raw, declared) : raw;
}

/** `raw`, the value text[start, end) as written, as attributeValue gives it */
export function decodedValue(text: string, start: number, end: number, raw: string, declared: DeclaredEntities | null): string {
  const normalized = raw.replace(/\r\n|[\t\n\r]/g, ' ');
  return decodeXmlText(declared && declared.admit(text, start, end) ? declared.expand(normalized) : normalized);
}
