// Quick fixes for xml-syntax problems where the parser knows exactly what is missing: a start tag
// that stops before its '>' (`<source` followed by the next tag). Every other syntax problem needs
// the user's intent, so it gets no fix.
import type { DocumentModel } from './modelTypes';
import type { QuickFix, StartTags } from './quickFix';
import type { Problem } from './types';

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * "Unclosed start tag <x …>: '>' expected": '>' when an end tag </x> follows inside the parent (the
 * children in between were meant as x's), else '/>' (an empty element such as <mac …/>); the other
 * choice second. Nothing when an attribute is unfinished (a missing quote: the '>' would land inside it).
 */
export function closeStartTag(problem: Problem, model: DocumentModel, startTags: StartTags): QuickFix[] {
  const el = startTags.named(problem);
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
