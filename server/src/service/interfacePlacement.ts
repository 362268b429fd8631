// Where an inserted interface goes: on a line of its own among the <devices> children, indented as they
// are. A command names only a cursor, which may sit inside another device's tag, after <devices> on its
// line or outside <devices> altogether; text pasted there as is would glue two tags on one line.
import { lineEnding, lineIndent } from './featureSupport';
import type { DocumentModel } from './modelTypes';
import { elementAt, firstChild, rootAt } from './xml/query';
import type { XmlElement } from './xml/types';

/** Replace [start, end) with `before`, the interface's XML (its lines after the first indented by `indent`), then `after`. */
export interface InterfacePlacement {
  start: number;
  end: number;
  indent: string;
  before: string;
  after: string;
  /** the document's line end, for the interface's own lines too */
  eol: string;
}

/**
 * The placement for a cursor at `offset`: inside a <devices>, after the device the cursor is in (or at
 * the cursor between devices); elsewhere in a guest, as the last device of its <devices>. A document
 * without <devices> (a device snippet) takes the interface at the cursor, on a line of its own.
 */
export function interfacePlacement(model: DocumentModel, offset: number, unit = '  '): InterfacePlacement {
  const text = model.text;
  const devices = devicesFor(model, offset);
  const contentEnd = devices?.endTagStart ?? null;
  let at = offset;
  let childIndent = indentOfLine(text, offset);
  let closingIndent: string | null = null;
  if (devices && contentEnd !== null) {
    const own = indentOfLine(text, devices.start);
    childIndent = devices.children.length > 0 ? (lineIndent(text, devices.children[0].start) ?? own + unit) : own + unit;
    if (offset >= devices.startTagEnd && offset <= contentEnd) {
      const device = devices.children.find((c) => c.start < offset && offset < c.end);
      at = device ? device.end : offset;
      // a cursor in a line's leading blanks (column 1 of "  </devices>") stands where the line's content starts
      if (lineIndent(text, at) !== null) at += BLANKS_AHEAD.exec(text.slice(at, contentEnd))![0].length;
    } else at = contentEnd;
    if (at === contentEnd) closingIndent = own;
  }
  const eol = lineEnding(text);
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  const lineEnd = endOfLine(text, at);
  const blankBefore = /^[ \t]*$/.test(text.slice(lineStart, at));
  const blankAfter = /^[ \t]*\r?$/.test(text.slice(at, lineEnd));
  return {
    start: blankBefore ? lineStart : at,
    end: at,
    indent: childIndent,
    before: blankBefore ? childIndent : `${eol}${childIndent}`,
    after: blankAfter ? '' : `${eol}${closingIndent ?? childIndent}`,
    eol,
  };
}

const BLANKS_AHEAD = /^[ \t]*/;

/** The <devices> the cursor is in, or that of the guest (the top-level element) it is in, or of the only guest. */
function devicesFor(model: DocumentModel, offset: number): XmlElement | null {
  const roots = model.xml.roots;
  for (let el = elementAt(roots, offset); el; el = el.parent) if (el.name === 'devices') return el;
  const root = rootAt(roots, offset) ?? (roots.length === 1 ? roots[0] : null);
  if (!root) return null;
  return root.name === 'devices' ? root : firstChild(root, 'devices');
}

function indentOfLine(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart, endOfLine(text, lineStart)))![0];
}

function endOfLine(text: string, offset: number): number {
  const end = text.indexOf('\n', offset);
  return end === -1 ? text.length : end;
}
