// One hex digit read from its UTF-16 code, for the hand-written readers of the usual MAC and PCI
// spellings (they skip a regular expression and a substring for nearly every value).

/** 0–15 for '0'–'9', 'a'–'f' and 'A'–'F'; -1 for any other code. */
export function hexDigitValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const lower = c | 0x20;
  return lower >= 97 && lower <= 102 ? lower - 87 : -1;
}
