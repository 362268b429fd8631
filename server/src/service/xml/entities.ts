// General entities of a document's internal DTD subset (`<!ENTITY name "value">`), expanded in
// attribute values as libxml2 expands them for libvirt, within the limits libxml2 sets: a
// reference to an entity that refers to itself, or one that expands to far more text than the
// document had before it (entity amplification, "billion laughs"), stops libxml2 with "Detected
// an entity reference loop" (checked with xmllint and virsh define, libxml2 2.9.14), in an
// attribute value and in element content alike (libxml2 parses an entity's text where content first
// refers to it; the tree keeps content references as written). On top of that one budget caps
// what the whole document may expand to, so the work stays linear in the document whatever its DTD says.
import type { Span } from '../types';

/** characters all entity references of one document may expand to, together */
export const ENTITY_EXPANSION_BUDGET = 1_000_000;
/** an expansion at least this long is refused when it is ENTITY_AMPLIFICATION_RATIO times the text before the reference */
const AMPLIFICATION_FLOOR = 1_000;
const ENTITY_AMPLIFICATION_RATIO = 10;
/** entities inside entities deeper than this are treated as a loop (libxml2 has a nesting limit too) */
const MAX_NESTING = 40;

const LIBXML2_LOOP = '"Detected an entity reference loop"';
/** a fresh global expression for every scan: one kept at module level would carry lastIndex between them */
const references = (): RegExp => /&([A-Za-z_:][\w:.-]*);/g;

/**
 * What the DOCTYPE at `doctype` says of general entities: the replacement text of those its internal
 * subset declares, the names it declares as external (SYSTEM or PUBLIC), and whether it names an
 * external subset, which libxml2 does not read for libvirt: a name it could declare is then no error.
 */
export interface DoctypeEntities {
  externalSubset: boolean;
  internal: Map<string, string>;
  external: Set<string>;
}

export function doctypeEntities(text: string, doctype: number): DoctypeEntities {
  const subsetEnd = text.indexOf(']>', doctype);
  const subset = text.slice(doctype, subsetEnd < 0 ? text.length : subsetEnd);
  const externalSubset = /^<!DOCTYPE\s+[^\s[>]+\s+(?:SYSTEM|PUBLIC)\b/.test(subset);
  const internal = new Map<string, string>();
  const external = new Set<string>();
  // the first declaration of a name binds (XML 1.0 §4.2)
  for (const m of subset.matchAll(/<!ENTITY\s+([A-Za-z_:][\w:.-]*)\s+(?:"([^"]*)"|'([^']*)'|(SYSTEM|PUBLIC)\b)/g)) {
    if (internal.has(m[1]) || external.has(m[1])) continue;
    if (m[4] !== undefined) external.add(m[1]);
    else internal.set(m[1], m[2] ?? m[3]);
  }
  return { externalSubset, internal, external };
}

/** what an entity expands to, or why it cannot be expanded */
type Expansion = { text: string } | { refused: 'loop' | 'too-big' };

export class DeclaredEntities {
  private readonly expansions = new Map<string, Expansion>();
  private readonly expanding = new Set<string>();
  private left = ENTITY_EXPANSION_BUDGET;
  /** libxml2 stops at the first refusal: later references are neither expanded nor reported */
  private stopped = false;

  private constructor(
    private readonly values: Map<string, string>,
    private readonly report: (span: Span, message: string) => void,
  ) {}

  /** the entities declared in `text`'s DOCTYPE, or null when it declares none */
  static of(text: string, report: (span: Span, message: string) => void): DeclaredEntities | null {
    const doctype = text.indexOf('<!DOCTYPE');
    if (doctype < 0) return null;
    const { internal } = doctypeEntities(text, doctype);
    return internal.size > 0 ? new DeclaredEntities(internal, report) : null;
  }

  /**
   * Checks the declared-entity references of text[start, end) (an attribute value or content) and
   * charges their expansions to the document's budget. False (with one problem reported for the
   * document) when libxml2 would stop there or the budget is spent: the references then stay as written.
   */
  admit(text: string, start: number, end: number): boolean {
    if (this.stopped) return false;
    let at = text.indexOf('&', start);
    while (at >= 0 && at < end) {
      const m = /^&([A-Za-z_:][\w:.-]*);/.exec(text.substring(at, Math.min(end, at + 66)));
      if (m && this.values.has(m[1])) {
        const problem = this.problemAt(m[1], at);
        if (problem) {
          this.stopped = true;
          this.report({ start: at, end: at + m[0].length }, problem);
          return false;
        }
      }
      at = text.indexOf('&', at + 1);
    }
    return true;
  }

  /** `value` with its declared references replaced; call only after admit() accepted its text */
  expand(value: string): string {
    return value.replace(references(), (whole, name: string) => {
      const e = this.expansionOf(name, 0);
      return e && 'text' in e ? e.text : whole;
    });
  }

  private problemAt(name: string, at: number): string | null {
    const e = this.expansionOf(name, 0)!;
    if ('refused' in e) {
      return e.refused === 'loop'
        ? `Entity &${name}; refers to itself (directly or through other entities): libvirt's XML parser (libxml2) stops with ${LIBXML2_LOOP}`
        : `Entity &${name}; expands to more than ${ENTITY_EXPANSION_BUDGET.toLocaleString('en')} characters (entity amplification): libxml2 stops with ${LIBXML2_LOOP}`;
    }
    const size = e.text.length;
    if (size >= AMPLIFICATION_FLOOR && size > ENTITY_AMPLIFICATION_RATIO * at) {
      return `Entity &${name}; expands to ${size.toLocaleString('en')} characters, more than ${ENTITY_AMPLIFICATION_RATIO} times the document before it (entity amplification): libxml2 stops with ${LIBXML2_LOOP}`;
    }
    if (size > this.left) {
      return `Entity references in this document expand to more than ${ENTITY_EXPANSION_BUDGET.toLocaleString('en')} characters in all (entity amplification): they are not expanded; libxml2 refuses amplification with ${LIBXML2_LOOP}`;
    }
    this.left -= size;
    return null;
  }

  /** memoised: each entity is expanded once per document, whatever the number of references to it */
  private expansionOf(name: string, depth: number): Expansion | null {
    const known = this.expansions.get(name);
    if (known) return known;
    const value = this.values.get(name);
    if (value === undefined) return null;
    if (this.expanding.has(name) || depth > MAX_NESTING) return { refused: 'loop' };
    this.expanding.add(name);
    let out = '';
    let result: Expansion | null = null;
    let last = 0;
    for (const m of value.matchAll(references())) {
      const inner = this.expansionOf(m[1], depth + 1);
      if (inner && 'refused' in inner) {
        result = inner;
        break;
      }
      out += value.substring(last, m.index) + (inner ? inner.text : m[0]);
      last = m.index + m[0].length;
      if (out.length > ENTITY_EXPANSION_BUDGET) {
        result = { refused: 'too-big' };
        break;
      }
    }
    this.expanding.delete(name);
    result ??= { text: out + value.substring(last) };
    this.expansions.set(name, result);
    return result;
  }
}
