// `check` was asked to check a file, so one that holds no element at all is an error (a CI gate must
// not pass on `virsh dumpxml` of a guest that does not exist, which prints nothing); every libvirt
// command refuses it. A document with a root element is checked whatever its root:
// attach-device takes any device (<disk>, <console>, …) and libvirt has other object types, more than
// the editor's list of documents it checks (documentKind), which exists to leave pom.xml alone.
import { rootElementName } from '../../../shared/documents';
import type { Problem } from '../service/index';

/** Whitespace, the XML declaration, processing instructions, comments and a DOCTYPE: no document yet. */
const NOTHING_BUT_PROLOG = /^(?:\s+|<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<![^>]*>)*$/;

/** The not-libvirt problem for `text`, or null when it has a root element. */
export function notLibvirtProblem(text: string): Problem | null {
  if (rootElementName(text) !== null) return null;
  if (NOTHING_BUT_PROLOG.test(text)) return problem('empty: no libvirt XML to check — libvirt: "Document is empty"', 0, 0);
  return problem(`no element: no libvirt XML to check — libvirt: "Start tag expected, '<' not found"`, 0, 0);
}

function problem(message: string, start: number, end: number): Problem {
  return { code: 'not-libvirt', severity: 'error', message, span: { start, end } };
}
