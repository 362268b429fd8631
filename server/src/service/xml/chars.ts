// The character codes the XML readers compare with, and XML's whitespace (S in the XML grammar). As
// imports, esbuild writes these numbers into the bundle where they are read; a constant of the file that
// reads it stays a variable there, which the first parse (in V8's interpreter) looks up each time.

export const TAB = 0x09;
export const LF = 0x0a;
export const CR = 0x0d;
export const SPACE = 0x20;
export const BANG = 0x21; // !
export const DQ = 0x22; // "
export const SQ = 0x27; // '
export const SLASH = 0x2f; // /
export const LT = 0x3c; // <
export const EQ = 0x3d; // =
export const GT = 0x3e; // >
export const QM = 0x3f; // ?
export const LBRACKET = 0x5b; // [
export const RBRACKET = 0x5d; // ]

/** space, tab, line feed or carriage return: XML's whitespace */
export function isWhitespace(c: number): boolean {
  return c === SPACE || c === LF || c === TAB || c === CR;
}
