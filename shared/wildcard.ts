// Wildcard patterns (VS Code globs, udev's fnmatch patterns) matched without backtracking: a table
// over (pattern position, text position) filled once, so the time is pattern length × text length
// whatever the pattern holds. A RegExp built from `*a*a*a*a*a*a*a*a*a*a*b` took a minute on a
// 40-character name; a setting of an untrusted workspace or a file of a host must never do that.

export type WildcardToken =
  | { kind: 'char'; char: string }
  /** any run of characters; `slash`: '/' included */
  | { kind: 'star'; slash: boolean }
  /** one character; `slash`: '/' included */
  | { kind: 'one'; slash: boolean }
  /** a bracket expression: `[a-z0-9]`, `[!.]` */
  | { kind: 'class'; negate: boolean; ranges: Array<[string, string]> }
  /** `**` + '/': zero or more whole folders */
  | { kind: 'folders' };

/**
 * The bracket expression starting at pattern[start] === '[' and the index after its ']'; null when it
 * is not closed (the '[' is then a plain character). A reversed range (`z-a`) matches nothing.
 */
export function bracketAt(pattern: string, start: number): { token: WildcardToken; next: number } | null {
  let i = start + 1;
  const negate = pattern[i] === '!' || pattern[i] === '^';
  if (negate) i++;
  const ranges: Array<[string, string]> = [];
  // a ']' right after the opening (or its '!') is a member, as in fnmatch
  for (let first = true; i < pattern.length; first = false) {
    const c = pattern[i];
    if (c === ']' && !first) return { token: { kind: 'class', negate, ranges }, next: i + 1 };
    if (pattern[i + 1] === '-' && i + 2 < pattern.length && pattern[i + 2] !== ']') {
      ranges.push([c, pattern[i + 2]]);
      i += 3;
    } else {
      ranges.push([c, c]);
      i += 1;
    }
  }
  return null;
}

function accepts(token: WildcardToken, c: string): boolean {
  switch (token.kind) {
    case 'char':
      return c === token.char;
    case 'one':
      return token.slash || c !== '/';
    case 'class': {
      const inside = token.ranges.some(([lo, hi]) => lo <= c && c <= hi);
      return inside !== token.negate;
    }
    default:
      return false;
  }
}

/**
 * Whether `tokens` match the whole of `text`; with `atFolder`, a match may also start right after
 * any '/' of the text (a glob without a leading '/' matches at any folder boundary).
 */
export function wildcardMatches(tokens: readonly WildcardToken[], text: string, atFolder = false): boolean {
  const n = text.length;
  // next[p]: tokens t+1… match text[p…]; row[p]: tokens t… match text[p…] (rows from the last token up)
  let next = new Uint8Array(n + 1);
  next[n] = 1;
  let row = new Uint8Array(n + 1);
  for (let t = tokens.length - 1; t >= 0; t--) {
    const token = tokens[t];
    row.fill(0);
    if (token.kind === 'star') {
      for (let p = n; p >= 0; p--) row[p] = next[p] || (p < n && (token.slash || text[p] !== '/') && row[p + 1]) ? 1 : 0;
    } else if (token.kind === 'folders') {
      // inFolder: some "name/" starting at p ends where tokens t… match again
      let inFolder = 0;
      for (let p = n; p >= 0; p--) {
        if (p < n) inFolder = text[p] === '/' ? row[p + 1] : inFolder;
        row[p] = next[p] || inFolder ? 1 : 0;
      }
    } else {
      for (let p = n - 1; p >= 0; p--) row[p] = next[p + 1] && accepts(token, text[p]) ? 1 : 0;
    }
    [next, row] = [row, next];
  }
  if (next[0]) return true;
  if (!atFolder) return false;
  for (let p = 0; p < n; p++) if (text[p] === '/' && next[p + 1]) return true;
  return false;
}

/** fnmatch(3)'s `*`, `?` and `[…]`; `slash`: whether `*` and `?` match '/' (no FNM_PATHNAME). */
export function fnmatchTokens(pattern: string, slash: boolean): WildcardToken[] {
  const tokens: WildcardToken[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    const bracket = c === '[' ? bracketAt(pattern, i) : null;
    if (bracket) {
      tokens.push(bracket.token);
      i = bracket.next - 1;
    } else if (c === '*') tokens.push({ kind: 'star', slash });
    else if (c === '?') tokens.push({ kind: 'one', slash });
    else tokens.push({ kind: 'char', char: c });
  }
  return tokens;
}
