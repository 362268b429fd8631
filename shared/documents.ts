// Which XML documents are libvirt's: the client (language status item) and the server (diagnostics,
// hover, completion, lenses) ask the same question, so other XML files (pom.xml, .csproj, …) are
// left to the XML tools the user already runs. Imports no package, so every layer may use it.
import { bracketAt, wildcardMatches, type WildcardToken } from './wildcard';
import { nearestWord } from './nearestWord';

/** Root elements of the documents this extension checks: a domain, a device or a device list, a network. */
export const LIBVIRT_ROOTS: readonly string[] = ['domain', 'interface', 'hostdev', 'devices', 'network'];

/** The first element's name and its default namespace (`xmlns="…"`, null when it has none). */
export interface RootElement {
  name: string;
  xmlns: string | null;
  /** the offset of the name in the text (after its '<') */
  nameStart: number;
  /** the DTD a DOCTYPE before it names (its SYSTEM literal), null when none does */
  dtd: string | null;
}

/**
 * The name of the first element of `text` (after the XML declaration, processing instructions,
 * comments and a DOCTYPE, its internal subset too); null when there is none yet (an empty or
 * half-typed file).
 */
export function rootElementName(text: string): string | null {
  return rootElement(text)?.name ?? null;
}

/** The first element of `text`, as rootElementName finds it, with its default namespace. */
export function rootElement(text: string): RootElement | null {
  const end = text.length;
  let dtd: string | null = null;
  let i = 0;
  while (i < end) {
    const lt = text.indexOf('<', i);
    if (lt < 0) return null;
    if (text.startsWith('<?', lt)) i = skipPast(text, lt, '?>');
    else if (text.startsWith('<!--', lt)) i = skipPast(text, lt, '-->');
    else if (text.startsWith('<!DOCTYPE', lt)) {
      i = doctypeEnd(text, lt);
      dtd =
        /^<!DOCTYPE\s+\S+\s+(?:SYSTEM|PUBLIC\s+(?:"[^"]*"|'[^']*'))\s*(?:"([^"]*)"|'([^']*)')/
          .exec(text.slice(lt, lt + 1024))
          ?.slice(1)
          .find((v) => v !== undefined) ?? null;
    } else if (text.startsWith('<!', lt)) i = skipPast(text, lt, '>');
    else {
      const name = /^<([A-Za-z_][\w.:-]*)/.exec(text.slice(lt, lt + 256));
      return name ? { name: name[1], xmlns: defaultNamespace(text, lt + name[0].length, end), nameStart: lt + 1, dtd } : null;
    }
    if (i < 0) return null;
  }
  return null;
}

/**
 * Where a DOCTYPE that starts at `lt` ends (after its '>'), or -1 when it does not: a '>' in a quoted
 * literal, a comment or a declaration of its internal subset (`[<!ENTITY a "<b>">]`) ends nothing.
 */
function doctypeEnd(text: string, lt: number): number {
  let inSubset = false;
  let i = lt + 2;
  while (i < text.length) {
    const c = text[i];
    let next = i + 1;
    if (c === '"' || c === "'") next = skipPast(text, i + 1, c);
    else if (inSubset && text.startsWith('<!--', i)) next = skipPast(text, i + 4, '-->');
    else if (inSubset && text.startsWith('<?', i)) next = skipPast(text, i + 2, '?>');
    else if (c === '[') inSubset = true;
    else if (c === ']') inSubset = false;
    else if (c === '>' && !inSubset) return i + 1;
    if (next < 0) return -1;
    i = next;
  }
  return -1;
}

/** The first element inside the root's start tag ending at or after `from`: its name, or null when it has none yet. */
function firstChildName(text: string, from: number): string | null {
  let i = from;
  // the root's start tag: a '>' inside a quoted value ends nothing
  for (; i < text.length && text[i] !== '>'; i++) {
    if (text[i] === '"' || text[i] === "'") {
      i = text.indexOf(text[i], i + 1);
      if (i < 0) return null;
    }
  }
  if (i >= text.length || text[i - 1] === '/') return null;
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    if (lt < 0) return null;
    if (text.startsWith('<?', lt)) i = skipPast(text, lt, '?>');
    else if (text.startsWith('<!', lt)) i = skipPast(text, lt, text.startsWith('<!--', lt) ? '-->' : '>');
    else return /^<([A-Za-z_][\w.:-]*)/.exec(text.slice(lt, lt + 256))?.[1] ?? null;
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
  return LIBVIRT_ROOTS.includes(root.name) && otherVocabulary(text, root) === null ? 'libvirt' : 'other';
}

/**
 * Why a document whose root has a libvirt name is another vocabulary's, or null when it reads as
 * libvirt's: a default namespace other than libvirt.org's (WildFly's `<domain xmlns="urn:jboss:…">`); a
 * DOCTYPE naming a DTD, which libvirt's XML never has (MATSim's `<network>`); a first child libvirt's
 * root of that name does not take, nor a misspelling of one (GlassFish's `<domain>` starts with
 * `<applications>`; a libvirt file may start with any of its elements, or with a prefixed one).
 */
export function otherVocabulary(text: string, root: RootElement): string | null {
  if (!isLibvirtNamespace(root.xmlns)) return `root <${root.name}> is in the namespace '${root.xmlns}'`;
  if (root.dtd !== null) return `it declares the DTD '${root.dtd}', which libvirt's XML never does`;
  const known = LIBVIRT_CHILDREN[root.name];
  if (known === undefined) return null;
  const afterName = root.nameStart + root.name.length;
  const first = firstChildName(text, afterName);
  if (first === null || first.includes(':') || known.children.has(first) || nearestWord(first, known.children) !== null) return null;
  // a child being typed (`<na`), or a libvirt attribute on the root (`<domain type='kvm'>`): libvirt's, whatever comes first
  for (const child of known.children) if (child.startsWith(first)) return null;
  if (attributeNames(text, afterName).some((a) => known.attributes.has(a))) return null;
  return `root <${root.name}> starts with <${first}>, which libvirt's <${root.name}> does not take`;
}

/** The elements libvirt's <devices> holds (domaincommon.rng), each also a document attach-device takes. */
export const DEVICE_ELEMENTS: readonly string[] = [
  ...['emulator', 'disk', 'controller', 'lease', 'filesystem', 'interface', 'input', 'sound', 'hostdev', 'graphics', 'video'],
  ...['console', 'parallel', 'serial', 'channel', 'smartcard', 'redirdev', 'redirfilter', 'hub', 'watchdog', 'memballoon'],
  ...['rng', 'tpm', 'shmem', 'memory', 'iommu', 'vsock', 'panic', 'nvram', 'audio', 'crypto', 'pstore'],
];
/** What libvirt's document roots hold and the attributes they take (its RelaxNG schemas, domaincommon.rng and network.rng). */
const LIBVIRT_CHILDREN: Readonly<Record<string, { children: ReadonlySet<string>; attributes: ReadonlySet<string> }>> = {
  domain: {
    children: new Set([
      ...['name', 'uuid', 'genid', 'title', 'description', 'metadata', 'maxMemory', 'memory', 'currentMemory', 'blkiotune'],
      ...['memtune', 'memoryBacking', 'vcpu', 'vcpus', 'iothreads', 'iothreadids', 'defaultiothread', 'cputune', 'numatune'],
      ...['resource', 'sysinfo', 'bootloader', 'bootloader_args', 'os', 'idmap', 'features', 'cpu', 'clock', 'on_poweroff'],
      ...['on_reboot', 'on_crash', 'on_lockfailure', 'pm', 'perf', 'devices', 'seclabel', 'keywrap', 'launchSecurity'],
    ]),
    attributes: new Set(['type', 'id']),
  },
  network: {
    children: new Set([
      ...['name', 'uuid', 'title', 'description', 'metadata', 'bridge', 'mac', 'forward', 'portgroup', 'ip', 'dns', 'domain'],
      ...['route', 'bandwidth', 'vlan', 'virtualport', 'port', 'mtu'],
    ]),
    attributes: new Set(['connections', 'ipv6', 'trustGuestRxFilters']),
  },
  interface: {
    children: new Set([
      ...['mac', 'source', 'model', 'target', 'driver', 'address', 'alias', 'boot', 'rom', 'vlan', 'virtualport', 'teaming'],
      ...['link', 'mtu', 'bandwidth', 'filterref', 'tune', 'ip', 'route', 'script', 'backenddomain', 'guest', 'coalesce'],
      ...['acpi', 'backend', 'portForward', 'downscript', 'port'],
    ]),
    attributes: new Set(['type', 'managed', 'trustGuestRxFilters']),
  },
  hostdev: {
    children: new Set(['source', 'driver', 'address', 'alias', 'boot', 'rom', 'readonly', 'shareable', 'origstates', 'teaming', 'acpi']),
    attributes: new Set(['mode', 'type', 'managed', 'model', 'rawio', 'sgio']),
  },
  devices: { children: new Set(DEVICE_ELEMENTS), attributes: new Set() },
};

/** The names of a start tag's attributes from `from`, its attributes' start, up to its end. */
function attributeNames(text: string, from: number): string[] {
  const names: string[] = [];
  ATTRIBUTE.lastIndex = from;
  for (let m = ATTRIBUTE.exec(text); m && names.length < 64; m = ATTRIBUTE.exec(text)) names.push(m[1]);
  return names;
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
