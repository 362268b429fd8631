// What every quick fix is made of: the request it answers, the fix it offers, and the two edits
// several families of fixes make (finding the element a problem is about, setting an attribute).
import { quoteOf } from './featureSupport';
import type { DeviceModel, DocumentModel } from './modelTypes';
import type { Problem, ServiceContext, TextEdit } from './types';
import { attr, elementAt, walk } from './xml/query';
import type { XmlElement } from './xml/types';

/** One code-action request: the document, the host, and what the fixes so far have handed out. */
export interface FixEnv {
  text: string;
  model: DocumentModel;
  ctx: ServiceContext;
  /** MACs already taken, including those handed out by earlier fixes in this request */
  macs: Set<string>;
  startTags: StartTags;
}

export interface QuickFix {
  title: string;
  edits: TextEdit[];
  isPreferred?: boolean;
}

/**
 * The document's elements in the order they start, gathered on first use: each problem of a request
 * asks for the element its start tag is at, and a search down from the root would cost that element's
 * depth every time (an unclosed chain thousands deep has a problem on every level).
 */
export class StartTags {
  private elements: XmlElement[] | null = null;

  constructor(private readonly model: DocumentModel) {}

  /** The element whose name `problem` marks. */
  named(problem: Problem): XmlElement | null {
    const e = this.lastStartingBefore(problem.span.start);
    if (!e) return null;
    const name = e.nameSpan;
    return name.start === problem.span.start && name.end === problem.span.end ? e : null;
  }

  /** The element whose start tag holds `offset` (after its '<', before its end), if any. */
  holding(offset: number): XmlElement | null {
    const e = this.lastStartingBefore(offset);
    return e && offset < e.startTagEnd ? e : null;
  }

  /** the last element whose '<' is before `offset`: no other element starts inside a start tag */
  private lastStartingBefore(offset: number): XmlElement | null {
    if (!this.elements) {
      const elements: XmlElement[] = [];
      walk(this.model.xml, (e) => void elements.push(e));
      this.elements = elements;
    }
    const elements = this.elements;
    let low = 0;
    let high = elements.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (elements[middle].start < offset) low = middle + 1;
      else high = middle;
    }
    return low > 0 ? elements[low - 1] : null;
  }
}

/** The fixes for one problem; `device` is the device around the problem's start, if any. */
export type Fixer = (problem: Problem, device: DeviceModel | null, env: FixEnv) => QuickFix[];

/**
 * The innermost element around the problem's start. A problem is nearly always on an attribute or a
 * name, inside a start tag: that element is looked up, not searched for from the root down.
 */
export function elementAtProblem(env: FixEnv, problem: Problem): XmlElement | null {
  return env.startTags.holding(problem.span.start) ?? elementAt(env.model.xml.roots, problem.span.start);
}

/** The innermost element named `name` around the problem's start. */
export function innermost(env: FixEnv, problem: Problem, name: string): XmlElement | null {
  for (let e = elementAtProblem(env, problem); e; e = e.parent) if (e.name === name) return e;
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
