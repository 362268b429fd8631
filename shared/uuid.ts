// A UUID as libvirt's virUUIDParse reads one. Imports nothing, so every layer may use it.

/** virUUIDParse's syntax: 16 hex pairs, '-' or ' ' allowed between them, blanks around */
const UUID_TEXT = /^[ \t\n\v\f\r]*(?:[- ]*[0-9a-fA-F]{2}){16}[ \t\n\v\f\r]*$/;

/**
 * A UUID as virUUIDParse reads it, as its 32 hex digits in lower case (so two spellings of one UUID
 * are equal, as libvirt compares the parsed bytes); null when libvirt refuses it.
 */
export function readUuid(raw: string): string | null {
  return UUID_TEXT.test(raw) ? raw.replace(/[^0-9a-fA-F]/g, '').toLowerCase() : null;
}
