// What every quick fix is made of: the request it answers, the fix it offers, and the two edits
// several families of fixes make (finding the element a problem is about, setting an attribute).
import { elementPath, quoteOf } from './featureSupport';
import type { DeviceModel, DocumentModel } from './modelTypes';
import type { Problem, ServiceContext, TextEdit } from './types';
import { attr } from './xml/query';
import type { XmlElement } from './xml/types';

/** One code-action request: the document, the host, and what the fixes so far have handed out. */
export interface FixEnv {
  text: string;
  model: DocumentModel;
  ctx: ServiceContext;
  /** MACs already taken, including those handed out by earlier fixes in this request */
  macs: Set<string>;
}

export interface QuickFix {
  title: string;
  edits: TextEdit[];
  isPreferred?: boolean;
}

/** The fixes for one problem; `device` is the device around the problem's start, if any. */
export type Fixer = (problem: Problem, device: DeviceModel | null, env: FixEnv) => QuickFix[];

/** The innermost element named `name` around the problem's start. */
export function innermost(env: FixEnv, problem: Problem, name: string): XmlElement | null {
  const path = elementPath(env.model.xml.roots, problem.span.start);
  for (let i = path.length - 1; i >= 0; i--) if (path[i].name === name) return path[i];
  return null;
}

/** Edit that sets attribute `name` of `element` to `value` (replacing, completing or adding it). */
export function attributeEdit(element: XmlElement, name: string, value: string): TextEdit {
  const a = attr(element, name);
  const q = quoteOf(element);
  if (a?.valueSpan && a.quote) return { span: a.valueSpan, newText: value };
  if (a) {
    const end = a.valueSpan ? a.valueSpan.end : a.nameSpan.end;
    return { span: { start: a.nameSpan.start, end }, newText: `${name}=${q}${value}${q}` };
  }
  return { span: { start: element.nameSpan.end, end: element.nameSpan.end }, newText: ` ${name}=${q}${value}${q}` };
}
