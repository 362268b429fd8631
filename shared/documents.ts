// Which XML documents are libvirt's: the client (language status item) and the server (diagnostics,
// hover, completion, lenses) ask the same question, so other XML files (pom.xml, .csproj, …) are
// left to the XML tools the user already runs. Imports nothing, so every layer may use it.

/** Root elements of the documents this extension checks: a domain, a device or a device list, a network. */
export const LIBVIRT_ROOTS: readonly string[] = ['domain', 'interface', 'hostdev', 'devices', 'network'];

/** How far to look for the root element: a prolog, comments and a DOCTYPE fit easily. */
const ROOT_SCAN_LIMIT = 64 * 1024;

/**
 * The name of the first element of `text` (after the XML declaration, processing instructions,
 * comments and a DOCTYPE); null when there is none yet (an empty or half-typed file) or it starts
 * beyond the first 64 KiB.
 */
export function rootElementName(text: string): string | null {
  const end = Math.min(text.length, ROOT_SCAN_LIMIT);
  let i = 0;
  while (i < end) {
    const lt = text.indexOf('<', i);
    if (lt < 0 || lt >= end) return null;
    if (text.startsWith('<?', lt)) i = skipPast(text, lt, '?>');
    else if (text.startsWith('<!--', lt)) i = skipPast(text, lt, '-->');
    else if (text.startsWith('<!', lt)) i = skipPast(text, lt, '>');
    else {
      const name = /^<([A-Za-z_][\w.:-]*)/.exec(text.slice(lt, lt + 256));
      return name ? name[1] : null;
    }
    if (i < 0) return null;
  }
  return null;
}

function skipPast(text: string, from: number, close: string): number {
  const at = text.indexOf(close, from);
  return at < 0 ? -1 : at + close.length;
}

export type DocumentKind =
  /** a libvirt document: checked */
  | 'libvirt'
  /** no element yet: only completion is offered (a new file may become a domain) */
  | 'empty'
  /** another XML vocabulary: left alone */
  | 'other';

/** The kind of a document, by its root element or a user glob (`libvirtHostdev.files`) matching its path. */
export function documentKind(text: string, path: string | null, globs: readonly string[] = []): DocumentKind {
  if (path !== null && globs.some((g) => globMatches(g, path))) return 'libvirt';
  const root = rootElementName(text);
  if (root === null) return 'empty';
  return LIBVIRT_ROOTS.includes(root) ? 'libvirt' : 'other';
}

const globCache = new Map<string, RegExp>();

/**
 * VS Code-style glob against a '/'-separated path: `**` any folders, `*` and `?` within one name,
 * `{a,b}` alternatives, `[…]` a character class. A glob without a leading '/' matches at any folder
 * boundary (`guests/*.xml` matches `/home/me/guests/web.xml`).
 */
export function globMatches(glob: string, path: string): boolean {
  let re = globCache.get(glob);
  if (!re) {
    re = globToRegExp(glob);
    if (globCache.size < 256) globCache.set(glob, re);
  }
  return re.test(path.replace(/\\/g, '/'));
}

function globToRegExp(glob: string): RegExp {
  let out = '';
  let inBraces = false;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      // '**/' is zero or more folders; a trailing '**' is anything
      if (glob[i + 2] === '/') {
        out += '(?:[^/]*/)*';
        i += 2;
      } else {
        out += '.*';
        i += 1;
      }
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '{') {
      out += '(?:';
      inBraces = true;
    } else if (c === '}' && inBraces) {
      out += ')';
      inBraces = false;
    } else if (c === ',' && inBraces) out += '|';
    else if (c === '[') {
      const close = glob.indexOf(']', i + 1);
      if (close < 0) out += '\\[';
      else {
        out += `[${glob
          .slice(i + 1, close)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\')}]`;
        i = close;
      }
    } else out += /[.+^$()|\\/]/.test(c) ? `\\${c}` : c;
  }
  return new RegExp(glob.startsWith('/') ? `^${out}$` : `(?:^|/)${out}$`);
}
