// Parsing a document again after an edit: only the device the edit falls in (a child of a <devices>,
// or a top-level element of a snippet without <domain>) is parsed again; every element after it moves
// by the length the edit added or removed. Whenever the edited text could read differently inside the
// whole document than alone — the edit touches a device's first or last character or falls between
// devices, an end tag in it would close an ancestor, a DOCTYPE declares entities, a syntax problem
// after it names a line that moved, the syntax problems come near their caps — the caller parses the
// whole document instead, so the result is always the one a full parse gives.
import { deviceKindOf, deviceModel, guestNameOf, MAX_DOCUMENT_CHARS } from './model';
import type { DeviceModel, DocumentModel } from './modelTypes';
import type { Problem } from './types';
import { parseXmlFragment } from './xml/parser';
import { walk } from './xml/query';
import type { StringTable } from './xml/strings';
import type { XmlElement } from './xml/types';
import { AttributeNode, ElementNode } from './xml/nodes';
import { LineTable } from './xml/lines';
import { MAX_FORBIDDEN_REPORTS, MAX_OPEN_ELEMENTS } from './xml/wellFormed';

/** An edit as offsets: [start, oldEnd) of the old text became [start, newEnd) of the new one. */
export interface TextChange {
  start: number;
  oldEnd: number;
  newEnd: number;
}

/** The smallest change that turns `before` into `after` (common prefix and suffix); null when equal. */
export function changeBetween(before: string, after: string): TextChange | null {
  if (before === after) return null;
  const max = Math.min(before.length, after.length);
  // whole blocks first: comparing two slices runs in the engine, a character loop in JavaScript
  let start = 0;
  while (start + BLOCK <= max && before.substring(start, start + BLOCK) === after.substring(start, start + BLOCK)) start += BLOCK;
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  const tailMax = max - start;
  let tail = 0;
  while (
    tail + BLOCK <= tailMax &&
    before.substring(before.length - tail - BLOCK, before.length - tail) ===
      after.substring(after.length - tail - BLOCK, after.length - tail)
  )
    tail += BLOCK;
  while (tail < tailMax && before.charCodeAt(before.length - 1 - tail) === after.charCodeAt(after.length - 1 - tail)) tail++;
  return { start, oldEnd: before.length - tail, newEnd: after.length - tail };
}

const BLOCK = 2048;

/**
 * The model of `text`, which is `previous.text` with `change` applied, built by parsing only the
 * edited device; null when only a full parse gives the right answer. The tree of `previous` is
 * reused and moved in place: `previous` must not be used afterwards.
 */
export function reparseEdited(previous: DocumentModel, text: string, change: TextChange, strings: StringTable): DocumentModel | null {
  if (text.length > MAX_DOCUMENT_CHARS || previous.text.length > MAX_DOCUMENT_CHARS) return null;
  // a pass that hit a cap left problems unreported that the edit may bring forward
  if (previous.xml.problems.length >= MAX_FORBIDDEN_REPORTS) return null;
  const old = editedElement(previous.xml.roots, change);
  if (!old || hasDeclaration(text, 0, text.length) || hasDeclaration(previous.text, old.start, old.end)) return null;
  const delta = change.newEnd - change.oldEnd;
  const regionEnd = old.end + delta;
  let firstLine = 0;
  const lineOfStart = (): number => (firstLine ||= lineAt(text, old.start));
  const { document: fragment, outcome } = parseXmlFragment(ownCopy(text.slice(old.start, regionEnd)), strings, lineOfStart);
  const root = fragment.roots.length === 1 ? fragment.roots[0] : null;
  if (!root || !outcome.complete || outcome.strayEndTag || outcome.declaration) return null;
  // within reach of libxml2's depth limit only the whole document says where it is passed
  if (outcome.deepest + ancestorsOf(old) >= MAX_OPEN_ELEMENTS) return null;
  if (root.start !== 0 || root.end !== regionEnd - old.start || !root.closed || root.name !== old.name) return null;

  const problems = keptProblems(previous, old, fragment.problems.length, linesMoved(previous.text, text, change));
  if (!problems) return null;
  const [before, after] = problems;

  // every device outside the edited element keeps its model (and whatever callers cached for it)
  const devices: DeviceModel[] = [];
  let i = 0;
  const oldDevices = previous.devices;
  while (i < oldDevices.length && oldDevices[i].element.start < old.start) devices.push(oldDevices[i++]);
  while (i < oldDevices.length && oldDevices[i].element.start < old.end) i++;

  moveAfter(previous.xml.roots, old, delta);
  moveSubtree(root, old.start);
  for (const p of fragment.problems) p.span = { start: p.span.start + old.start, end: p.span.end + old.start };
  root.parent = old.parent;
  let roots = previous.xml.roots;
  if (old.parent) old.parent.children[old.parent.children.indexOf(old)] = root;
  else roots = roots.map((r) => (r === old ? root : r));

  walk({ text, roots: [root], problems: [] }, (el) => {
    const kind = deviceKindOf(el);
    if (kind) devices.push(deviceModel(el, kind));
  });
  while (i < oldDevices.length) devices.push(oldDevices[i++]);
  const moved = after.map((p) => ({ ...p, span: { start: p.span.start + delta, end: p.span.end + delta } }));
  return {
    text,
    xml: { text, roots, problems: [...before, ...fragment.problems, ...moved] },
    guestName: guestNameOf(text, previous.domain),
    domain: previous.domain,
    network: roots.find((r) => r.name === 'network') ?? null,
    devices,
  };
}

/**
 * The element the edit lies strictly inside (its '<' and its last '>' untouched) that is parsed again
 * alone: a child of <devices>, or a top-level element when no <domain> is; null for anything else.
 */
function editedElement(roots: readonly XmlElement[], change: TextChange): XmlElement | null {
  const noDomain = !roots.some((r) => r.name === 'domain');
  let list = roots;
  for (let parent: XmlElement | null = null; ;) {
    const el = innermostAround(list, change);
    if (!el || !el.closed) return null;
    if ((parent === null && noDomain) || parent?.name === 'devices') return el;
    // a device above the edited element holds its children: let a full parse rebuild it
    if (deviceKindOf(el)) return null;
    parent = el;
    list = el.children;
  }
}

/** the element of `list` (sorted by start) that strictly contains the change */
function innermostAround(list: readonly XmlElement[], change: TextChange): XmlElement | null {
  let lo = 0;
  let hi = list.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].start < change.start) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  const el = found >= 0 ? list[found] : null;
  return el && change.oldEnd < el.end ? el : null;
}

/**
 * The old syntax problems before and after the edited element; null when one crosses its bounds,
 * when lines moved under a problem after it (its message may name a line), or when the total comes
 * near a cap of the whole-document pass (which then keeps the first ones in document order).
 */
function keptProblems(previous: DocumentModel, old: XmlElement, fresh: number, linesMoved: boolean): [Problem[], Problem[]] | null {
  const before: Problem[] = [];
  const after: Problem[] = [];
  for (const p of previous.xml.problems) {
    if (p.span.start < old.start) {
      if (p.span.end > old.start) return null;
      before.push(p);
    } else if (p.span.start >= old.end) after.push(p);
    else if (p.span.end > old.end) return null;
  }
  if (linesMoved && after.length > 0) return null;
  return before.length + after.length + fresh < MAX_FORBIDDEN_REPORTS ? [before, after] : null;
}

/** The edit adds or removes a line break (one character either side: a CR LF pair split or joined counts). */
function linesMoved(before: string, after: string, change: TextChange): boolean {
  return countBreaks(before, change.start - 1, change.oldEnd + 1) !== countBreaks(after, change.start - 1, change.newEnd + 1);
}

/** line breaks as lines.ts counts them (\n, \r\n, a lone \r) that end in [start, end) */
function countBreaks(text: string, start: number, end: number): number {
  let n = 0;
  const stop = Math.min(end, text.length);
  for (let i = Math.max(0, start); i < stop; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) n++;
  }
  return n;
}

/** 1-based line of `offset`, as the messages of a full parse name it */
function lineAt(text: string, offset: number): number {
  return new LineTable(text).lineOf(offset) + 1;
}

/**
 * `s` in a string of its own. A slice of the document is a view that keeps the whole text alive, and
 * so would every attribute value sliced from it: each edited device would hold on to the text of its
 * version (half a megabyte per keystroke in a large domain). Slicing a concatenation copies first.
 */
function ownCopy(s: string): string {
  return (' ' + s).slice(1);
}

/** A `<!` that opens neither a comment nor CDATA (a DOCTYPE, a stray declaration) in [start, end). */
function hasDeclaration(text: string, start: number, end: number): boolean {
  for (let at = text.indexOf('<!', start); at >= 0 && at < end; at = text.indexOf('<!', at + 2)) {
    if (!text.startsWith('<!--', at) && !text.startsWith('<![CDATA[', at)) return true;
  }
  return false;
}

/** Moves everything after `el` by `delta`: its ancestors' ends and later text, and all later elements. */
function moveAfter(roots: readonly XmlElement[], el: XmlElement, delta: number): void {
  if (delta === 0) return;
  const limit = el.end;
  let child = el;
  for (let parent = el.parent; parent; child = parent, parent = parent.parent) {
    parent.end += delta;
    if (parent.endTagStart !== null) parent.endTagStart += delta;
    for (const span of parent.textSpans) {
      if (span.start >= limit) {
        span.start += delta;
        span.end += delta;
      }
    }
    const siblings = parent.children;
    for (let i = siblings.indexOf(child) + 1; i < siblings.length; i++) moveSubtree(siblings[i], delta);
  }
  // `child` is now the top-level element that holds `el`
  for (let i = roots.indexOf(child) + 1; i < roots.length; i++) moveSubtree(roots[i], delta);
}

/** Adds `delta` to every offset of `el` and its descendants. */
export function moveSubtree(el: XmlElement, delta: number): void {
  const stack = [el];
  while (stack.length > 0) {
    const e = stack.pop()!;
    e.start += delta;
    e.startTagEnd += delta;
    if (e.endTagStart !== null) e.endTagStart += delta;
    e.end += delta;
    if (e instanceof ElementNode) e.moveAttributesBy(delta);
    else for (const a of e.attributes) (a as AttributeNode).moveBy(delta);
    const spans = e.textSpans;
    for (let i = 0; i < spans.length; i++) {
      spans[i].start += delta;
      spans[i].end += delta;
    }
    const children = e.children;
    for (let i = 0; i < children.length; i++) stack.push(children[i]);
  }
}

function ancestorsOf(el: XmlElement): number {
  let n = 0;
  for (let p = el.parent; p; p = p.parent) n++;
  return n;
}
