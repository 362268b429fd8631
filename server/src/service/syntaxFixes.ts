// Quick fixes for xml-syntax problems where the parser knows exactly what is missing: a start tag
// that stops before its '>' (`<source` followed by the next tag). Every other syntax problem needs
// the user's intent, so it gets no fix.
import { elementPath } from './featureSupport';
import type { DocumentModel } from './modelTypes';
import type { QuickFix } from './quickFix';
import type { Problem } from './types';
import type { XmlElement } from './xml/types';

/** The element whose name the problem marks. */
function elementNamed(model: DocumentModel, problem: Problem): XmlElement | null {
  const path = elementPath(model.xml.roots, problem.span.start);
  for (let i = path.length - 1; i >= 0; i--) {
    const e = path[i];
    if (e.nameSpan.start === problem.span.start && e.nameSpan.end === problem.span.end) return e;
  }
  return null;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * "Unclosed start tag <x …>: '>' expected": '>' when an end tag </x> follows inside the parent (the
 * children in between were meant as x's), else '/>' (an empty element such as <mac …/>); the other
 * choice second. Nothing when an attribute is unfinished (a missing quote: the '>' would land inside it).
 */
export function closeStartTag(problem: Problem, model: DocumentModel): QuickFix[] {
  const el = elementNamed(model, problem);
  if (!el || el.closed || el.children.length > 0) return [];
  if (el.attributes.some((a) => !a.closed || a.value === null)) return [];
  const text = model.text;
  const tag = text.slice(el.start, el.startTagEnd).trimEnd();
  if (tag.endsWith('>')) return [];
  const at = el.start + tag.length;
  if (tag.endsWith('/'))
    return [{ title: `Close <${el.name} …/> with '>'`, edits: [{ span: { start: at, end: at }, newText: '>' }], isPreferred: true }];
  const limit = el.parent?.endTagStart ?? text.length;
  const endTag = new RegExp(`</${escapeRegExp(el.name)}\\s*>`, 'g');
  endTag.lastIndex = el.startTagEnd;
  const found = endTag.exec(text);
  const hasEndTag = !!found && found.index < limit;
  const open: QuickFix = { title: `Close the start tag <${el.name} …>`, edits: [{ span: { start: at, end: at }, newText: '>' }] };
  const empty: QuickFix = { title: `Close as an empty element <${el.name} …/>`, edits: [{ span: { start: at, end: at }, newText: '/>' }] };
  const [first, second] = hasEndTag ? [open, empty] : [empty, open];
  return [{ ...first, isPreferred: true }, second];
}
