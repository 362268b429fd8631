// Bytes of a checked file → its text, and what the text can no longer show: a byte sequence that is
// not UTF-8. The text is decoded leniently (such a sequence becomes U+FFFD, as an editor shows it),
// but libvirt parses every document as UTF-8 whatever its XML declaration says and refuses it at the
// first bad sequence, also under `<?xml version='1.0' encoding='ISO-8859-1'?>` (virsh define, libvirt
// 9.0 / libxml2 2.9.14): "(domain_definition):3: Input is not proper UTF-8, indicate encoding !
// Bytes: 0xE9 0x20 0x6F 0x6B", or for a well-formed sequence of a code point XML does not have
// (a surrogate, past U+10FFFF) "Char 0xD800 out of allowed range".
import type { Problem } from '../service/index';

export interface DecodedText {
  text: string;
  /** offset of a NUL byte in what should be UTF-8: a binary file, `text` is empty */
  binaryAt: number | null;
  /** the `xml-syntax` error libvirt gives the first sequence that is not UTF-8, at its U+FFFD in `text` (a UTF-16 file: at 0) */
  encodingError: Problem | null;
}

/**
 * Bytes → text the way editors open files: UTF-8 (BOM dropped) or UTF-16 with a BOM. A NUL byte in
 * what should be UTF-8 means a binary file. A UTF-16 file is still checked, but libvirt refuses it at
 * its first byte (virsh define of one, with either byte order: "(domain_definition):1: Start tag
 * expected, '<' not found"): that is its `encodingError`, at 1:1.
 */
export function decodeText(bytes: Buffer): DecodedText {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe)
    return { text: bytes.subarray(2).toString('utf16le'), binaryAt: null, encodingError: utf16Error(bytes) };
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    // swap16 needs an even length; a dangling last byte is not a character anyway.
    const swapped = Buffer.from(bytes.subarray(2, 2 + ((bytes.length - 2) & ~1)));
    swapped.swap16();
    return { text: swapped.toString('utf16le'), binaryAt: null, encodingError: utf16Error(bytes) };
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1) return { text: '', binaryAt: nul, encodingError: null };
  const utf8 = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  const text = utf8.toString('utf8');
  // node's decoder writes U+FFFD for every bad sequence: without one (the common case) there is none
  return { text, binaryAt: null, encodingError: text.includes('\uFFFD') ? encodingError(utf8) : null };
}

/** The first sequence libxml2 refuses, as an `xml-syntax` error on the U+FFFD node wrote for it. */
function encodingError(utf8: Buffer): Problem | null {
  for (let i = 0; i < utf8.length;) {
    if (utf8[i] < 0x80) {
      i++;
      continue;
    }
    const read = readSequence(utf8, i);
    if ('length' in read) {
      i += read.length;
      continue;
    }
    // everything before `i` is UTF-8, so its decoded length is where the U+FFFD stands
    const start = utf8.subarray(0, i).toString('utf8').length;
    return { code: 'xml-syntax', severity: 'error', message: read.message, span: { start, end: start + 1 } };
  }
  return null;
}

function utf16Error(bytes: Buffer): Problem {
  return {
    code: 'xml-syntax',
    severity: 'error',
    message: `The file is UTF-16 (byte order mark ${hex(bytes[0])} ${hex(bytes[1])}): libvirt reads every document as UTF-8, whatever its encoding declaration says; save the file as UTF-8 — define/attach fails; libvirt: "Start tag expected, '<' not found"`,
    span: { start: 0, end: 0 },
  };
}

const hex = (b: number): string => `0x${b.toString(16).toUpperCase().padStart(2, '0')}`;

/**
 * One multi-byte sequence read as libxml2's xmlCurrentChar reads it: its length, or libvirt's
 * refusal. A lead byte that is a continuation byte, a missing continuation, an overlong form: "not
 * proper UTF-8" with the next four bytes; a surrogate or a value past U+10FFFF: "out of allowed
 * range". U+FFFE and U+FFFF are UTF-8 (node decodes them): the parser's character check has them.
 */
function readSequence(b: Buffer, i: number): { length: number } | { message: string } {
  const c = b[i];
  const cont = (k: number): boolean => ((b[i + k] ?? 0) & 0xc0) === 0x80;
  const notUtf8 = (): { message: string } => {
    const shown = [...b.subarray(i, i + 4)].map(hex).join(' ');
    return {
      message: `Byte ${hex(c)} is not UTF-8: libvirt reads every document as UTF-8, whatever its encoding declaration says; save the file as UTF-8 — define/attach fails; libvirt: "Input is not proper UTF-8, indicate encoding ! Bytes: ${shown}"`,
    };
  };
  if ((c & 0x40) === 0 || !cont(1)) return notUtf8();
  let length: number;
  let value: number;
  if ((c & 0xe0) !== 0xe0) {
    length = 2;
    value = ((c & 0x1f) << 6) | (b[i + 1] & 0x3f);
    if (value < 0x80) return notUtf8();
  } else if ((c & 0xf0) !== 0xf0) {
    if (!cont(2)) return notUtf8();
    length = 3;
    value = ((c & 0x0f) << 12) | ((b[i + 1] & 0x3f) << 6) | (b[i + 2] & 0x3f);
    if (value < 0x800) return notUtf8();
  } else {
    if ((c & 0xf8) !== 0xf0 || !cont(2) || !cont(3)) return notUtf8();
    length = 4;
    value = ((c & 0x07) << 18) | ((b[i + 1] & 0x3f) << 12) | ((b[i + 2] & 0x3f) << 6) | (b[i + 3] & 0x3f);
    if (value < 0x10000) return notUtf8();
  }
  if ((value >= 0xd800 && value <= 0xdfff) || value > 0x10ffff) {
    const bytes = [...b.subarray(i, i + length)].map(hex).join(' ');
    const code = `U+${value.toString(16).toUpperCase().padStart(4, '0')}`;
    return {
      message: `Bytes ${bytes} encode ${code}, which is not an XML character — define/attach fails; libvirt: "Char 0x${value.toString(16).toUpperCase()} out of allowed range"`,
    };
  }
  return { length };
}
