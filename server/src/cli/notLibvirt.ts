// What `check` does with a file by its root element. One that holds no element at all is an error (a CI
// gate must not pass on `virsh dumpxml` of a guest that does not exist, which prints nothing); every
// libvirt command refuses it. One whose root is another vocabulary's is skipped, and named as skipped
// in every format: a root under a default namespace other than libvirt's (a pom.xml, WildFly's
// <domain xmlns="urn:jboss:domain:…">), or a root that is no element libvirt reads a document or a
// device under (<config>). Any of those is checked, more than the editor's list (documentKind):
// attach-device takes any device (<disk>, <console>, …), and libvirt has other object types. A root a
// few letters from one of them (<domian>) is checked too: a misspelt libvirt file is not skipped.
import { DEVICE_ELEMENTS, LIBVIRT_ROOTS, otherVocabulary, rootElement } from '../../../shared/documents';
import { nearestWord } from '../../../shared/nearestWord';
import type { Problem } from '../service/index';

/** Whitespace, the XML declaration, processing instructions, comments and a DOCTYPE: no document yet. */
const NOTHING_BUT_PROLOG = /^(?:\s+|<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<![^>]*>)*$/;

/** The not-libvirt problem for `text` without a root element, or null when it has one. */
export function notLibvirtProblem(text: string): Problem | null {
  if (rootElement(text) !== null) return null;
  if (NOTHING_BUT_PROLOG.test(text)) return problem('empty: no libvirt XML to check — libvirt: "Document is empty"', 0, 0);
  return problem(`no element: no libvirt XML to check — libvirt: "Start tag expected, '<' not found"`, 0, 0);
}

/** libvirt's parsers that name the root they expect (virXMLParse; seen with virsh define and net-define). */
const EXPECTING_ROOT: ReadonlySet<string> = new Set(['domain', 'network']);

/**
 * A root a few letters from one of libvirt's (`<domian>`): libvirt refuses the file, so it is an error, not a
 * skip, and what it holds is checked as well (the misspelling is one of its problems).
 */
export function misspeltRootProblem(text: string): Problem | null {
  const root = rootElement(text);
  if (root === null || LIBVIRT_ELEMENTS.has(root.name)) return null;
  const meant = nearestWord(root.name, LIBVIRT_ELEMENTS);
  if (meant === null) return null;
  const refusal = EXPECTING_ROOT.has(meant)
    ? `libvirt: "expecting root element of '${meant}', not '${root.name}'"`
    : 'libvirt knows no such element and refuses the file';
  return problem(
    `root <${root.name}> is no libvirt element: did you mean <${meant}>? — ${refusal}`,
    root.nameStart,
    root.nameStart + root.name.length,
  );
}

function problem(message: string, start: number, end: number): Problem {
  return { code: 'not-libvirt', severity: 'error', message, span: { start, end } };
}

/**
 * The root elements of libvirt's XML: its objects (domain, network, storage, secret, nwfilter, node device,
 * snapshot, checkpoint, backup, capabilities) and the devices a <devices> element holds, which
 * attach-device, detach-device and update-device take alone.
 */
const LIBVIRT_ELEMENTS: ReadonlySet<string> = new Set([
  ...LIBVIRT_ROOTS,
  ...['networkport', 'pool', 'volume', 'secret', 'filter', 'filterbinding', 'device', 'capabilities', 'cpu'],
  ...['domainsnapshot', 'domaincheckpoint', 'domainbackup', 'domainCapabilities', 'storagepoolCapabilities'],
  ...DEVICE_ELEMENTS,
]);

/** Why a skipped file is skipped, before the root's own reason. */
export const NOT_LIBVIRT_XML = 'not libvirt XML';

/** Why `text` is skipped as another vocabulary (`not libvirt XML: root <project> is …`), or null when it is checked. */
export function skippedVocabulary(text: string): string | null {
  const root = rootElement(text);
  if (root === null) return null;
  const other = otherVocabulary(text, root);
  if (other !== null) return `${NOT_LIBVIRT_XML}: ${other}`;
  if (LIBVIRT_ELEMENTS.has(root.name) || nearestWord(root.name, LIBVIRT_ELEMENTS) !== null) return null;
  return `${NOT_LIBVIRT_XML}: root <${root.name}> is no libvirt document or device`;
}
