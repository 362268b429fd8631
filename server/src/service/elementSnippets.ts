// Element-name completion: a child element inserted as a snippet with the attributes it needs, for a
// guest's devices (completion.ts) and for a network document's VF pool (networkCompletion.ts).
import type { CompletionCandidate, Span } from './types';
import type { XmlElement } from './xml/types';

export interface ElementSnippet {
  name: string;
  insertText: string;
  detail: string;
  /** offered again when the parent has one already (a pool's <address> list, its portgroups) */
  repeats?: boolean;
}

/** <vlan> with its one tag: a VF takes exactly one (more, or trunk='yes', fail at start) */
export const vlanSnippet = (q: string): string => `<vlan>\n\t<tag id=${q}\${1:42}${q}/>\n</vlan>`;

/** <virtualport>: 802.1Qbh is the only type that works on a VF */
export const virtualportSnippet = (q: string): string =>
  `<virtualport type=${q}802.1Qbh${q}>\n\t<parameters profileid=${q}\${1:profile}${q}/>\n</virtualport>`;

/**
 * One candidate per snippet, in the given order, leaving out those `parent` has already (the element
 * being typed at `span` aside) unless they repeat; `span` starts at the '<'.
 */
export function elementCandidates(snippets: readonly ElementSnippet[], parent: XmlElement, span: Span, rank = ''): CompletionCandidate[] {
  const present = new Set(parent.children.filter((c) => c.start !== span.start).map((c) => c.name));
  return snippets
    .filter((s) => s.repeats || !present.has(s.name))
    .map((s, i) => ({
      label: s.name,
      kind: 'element' as const,
      detail: s.detail,
      insertText: s.insertText,
      isSnippet: true,
      span,
      sortText: `${rank}${String(i).padStart(2, '0')}`,
      filterText: `<${s.name}`,
    }));
}
