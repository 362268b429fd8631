// `check` was asked to check a file, so one that holds no libvirt document is an error (a CI gate
// must not pass on `virsh dumpxml` of a guest that does not exist, which prints nothing). The editor
// asks the same question (documentKind) and stays quiet instead: there, pom.xml is not ours.
import { documentKind, rootElementName } from '../../../shared/documents';
import type { Problem } from '../service/index';

/** Whitespace, the XML declaration, processing instructions, comments and a DOCTYPE: no document yet. */
const NOTHING_BUT_PROLOG = /^(?:\s+|<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<![^>]*>)*$/;

/** The not-libvirt problem for `text`, or null when it is a libvirt document (or a half-typed one). */
export function notLibvirtProblem(text: string): Problem | null {
  if (documentKind(text, null) === 'libvirt') return null;
  const root = rootElementName(text);
  if (root !== null) {
    const at = text.indexOf(`<${root}`);
    return problem(
      `root <${root}> is not a libvirt document (domain, network or a device): not checked — libvirt: "expecting root element of 'domain', not '${root}'"`,
      at < 0 ? 0 : at + 1,
      at < 0 ? 0 : at + 1 + root.length,
    );
  }
  if (NOTHING_BUT_PROLOG.test(text)) return problem('empty: no libvirt XML to check — libvirt: "Document is empty"', 0, 0);
  return problem(`no element: no libvirt XML to check — libvirt: "Start tag expected, '<' not found"`, 0, 0);
}

function problem(message: string, start: number, end: number): Problem {
  return { code: 'not-libvirt', severity: 'error', message, span: { start, end } };
}
