// Which XML documents are libvirt's: the client (language status item) and the server (diagnostics,
// hover, completion, lenses) ask the same question, so other XML files (pom.xml, .csproj, …) are
// left to the XML tools the user already runs. Imports no package, so every layer may use it.
import { bracketAt, wildcardMatches, type WildcardToken } from './wildcard';

/** Root elements of the documents this extension checks: a domain, a device or a device list, a network. */
export const LIBVIRT_ROOTS: readonly string[] = ['domain', 'interface', 'hostdev', 'devices', 'network'];

/** How far to look for the root element: a prolog, comments and a DOCTYPE fit easily. */
const ROOT_SCAN_LIMIT = 64 * 1024;

/** The first element's name and its default namespace (`xmlns="…"`, null when it has none). */
export interface RootElement {
  name: string;
  xmlns: string | null;
  /** the offset of the name in the text (after its '<') */
  nameStart: number;
}

/**
 * The name of the first element of `text` (after the XML declaration, processing instructions,
 * comments and a DOCTYPE); null when there is none yet (an empty or half-typed file) or it starts
 * beyond the first 64 KiB.
 */
export function rootElementName(text: string): string | null {
  return rootElement(text)?.name ?? null;
}

/** The first element of `text`, as rootElementName finds it, with its default namespace. */
export function rootElement(text: string): RootElement | null {
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
      return name ? { name: name[1], xmlns: defaultNamespace(text, lt + name[0].length, end), nameStart: lt + 1 } : null;
    }
    if (i < 0) return null;
  }
  return null;
}

/** One attribute of a start tag, from its leading blank to its closing quote. */
const ATTRIBUTE = /\s+([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/y;

/** The value of the start tag's `xmlns` attribute (not `xmlns:prefix`) from `from`, its attributes' start. */
function defaultNamespace(text: string, from: number, end: number): string | null {
  ATTRIBUTE.lastIndex = from;
  for (let m = ATTRIBUTE.exec(text); m && ATTRIBUTE.lastIndex <= end; m = ATTRIBUTE.exec(text)) if (m[1] === 'xmlns') return m[2] ?? m[3];
  return null;
}

/**
 * libvirt reads its XML without a namespace and names its own (metadata, qemu:commandline) under
 * libvirt.org; any other default namespace on the root is another vocabulary that reuses a libvirt
 * root name (WildFly's `<domain xmlns="urn:jboss:domain:…">`, RFC 8345's `<network>`).
 */
export function isLibvirtNamespace(xmlns: string | null): boolean {
  return xmlns === null || xmlns === '' || /^https?:\/\/libvirt\.org\//.test(xmlns);
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

/**
 * The kind of a document, by its root element (a libvirt name, without a default namespace other than
 * libvirt.org's) or a user glob (`libvirtHostdev.files`) matching its path.
 */
export function documentKind(text: string, path: string | null, globs: readonly string[] = []): DocumentKind {
  if (path !== null && globs.some((g) => globMatches(g, path))) return 'libvirt';
  const root = rootElement(text);
  if (root === null) return 'empty';
  return LIBVIRT_ROOTS.includes(root.name) && isLibvirtNamespace(root.xmlns) ? 'libvirt' : 'other';
}

/** `{a,b}` groups multiply; a glob that would make more alternatives than this matches nothing. */
const MAX_GLOB_ALTERNATIVES = 64;

interface CompiledGlob {
  tokens: WildcardToken[];
  /** a leading '/': the whole path, not from any folder boundary */
  anchored: boolean;
}

const globCache = new Map<string, CompiledGlob[]>();

/**
 * VS Code-style glob against a '/'-separated path: `**` any folders, `*` and `?` within one name,
 * `{a,b}` alternatives, `[…]` a character class. A glob without a leading '/' matches at any folder
 * boundary (`guests/*.xml` matches `/home/me/guests/web.xml`). Any glob is safe: no RegExp is built,
 * an unclosed `{` or `[` is a plain character, and the time is linear in the glob and the path.
 */
export function globMatches(glob: string, path: string): boolean {
  let compiled = globCache.get(glob);
  if (!compiled) {
    compiled = expandBraces(glob).map((alternative) => ({ tokens: globTokens(alternative), anchored: alternative.startsWith('/') }));
    if (globCache.size < 256) globCache.set(glob, compiled);
  }
  const text = path.replace(/\\/g, '/');
  return compiled.some((g) => wildcardMatches(g.tokens, text, !g.anchored));
}

/** `a{b,c}d{e,f}` → abde, abdf, acde, acdf (groups do not nest); [] past MAX_GLOB_ALTERNATIVES. */
function expandBraces(glob: string): string[] {
  let results = [''];
  let i = 0;
  while (i < glob.length) {
    const open = glob.indexOf('{', i);
    const close = open < 0 ? -1 : glob.indexOf('}', open + 1);
    if (close < 0) {
      results = results.map((r) => r + glob.slice(i));
      break;
    }
    const prefix = glob.slice(i, open);
    const choices = glob.slice(open + 1, close).split(',');
    results = results.flatMap((r) => choices.map((c) => r + prefix + c));
    if (results.length > MAX_GLOB_ALTERNATIVES) return [];
    i = close + 1;
  }
  return results;
}

function globTokens(glob: string): WildcardToken[] {
  const tokens: WildcardToken[] = [];
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      // '**/' is zero or more folders; any other '**' is anything
      if (glob[i + 2] === '/') {
        tokens.push({ kind: 'folders' });
        i += 2;
      } else {
        tokens.push({ kind: 'star', slash: true });
        i += 1;
      }
    } else if (c === '*') tokens.push({ kind: 'star', slash: false });
    else if (c === '?') tokens.push({ kind: 'one', slash: false });
    else {
      const bracket = c === '[' ? bracketAt(glob, i) : null;
      if (bracket) {
        tokens.push(bracket.token);
        i = bracket.next - 1;
      } else tokens.push({ kind: 'char', char: c });
    }
  }
  return tokens;
}
