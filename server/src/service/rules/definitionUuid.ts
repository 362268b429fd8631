// A guest or network definition's name and <uuid> against the host's objects, as define decides whether it
// replaces one of them or makes a new one. Mirrors libvirt's (9.0) virDomainObjListAddLocked
// (src/conf/virdomainobjlist.c) and virNetworkObjAssignDefLocked (src/conf/virnetworkobj.c): an object
// found by the document's UUID must have its name ("domain 'OTHER' is already defined with uuid …"); with
// no object of that UUID, an object of its name refuses it ("domain 'NAME' already exists with uuid …").
// A document without a <uuid> gets a random one at parse, so redefining a guest or pool from a file that
// does not give its UUID always fails: seen with virsh define / net-define on qemu:///session and the
// test driver.
import type { InventoryIndex } from '../inventoryIndex';
import type { DocumentModel } from '../modelTypes';
import type { Span } from '../types';
import { decodeXmlText } from '../xml/query';
import type { XmlElement } from '../xml/types';
import { firstChild, quotedName, readUuid, shortName, type Report } from './common';
import { networkDefinitionOf } from './networkDefinition';

/** The text of a definition's <uuid> as virUUIDParse is given it, and where it is written; null without one or when empty. */
export function writtenUuid(owner: XmlElement, text: string): { written: string; span: Span } | null {
  const uuid = firstChild(owner, 'uuid');
  if (!uuid) return null;
  const spans = uuid.textSpans;
  // text of blanks only is no text span to the scanner, yet something (no UUID) to virUUIDParse
  const written =
    spans.length > 0
      ? decodeXmlText(spans.map((s) => text.substring(s.start, s.end)).join(''))
      : uuid.endTagStart !== null && uuid.children.length === 0
        ? text.substring(uuid.startTagEnd, uuid.endTagStart)
        : '';
  if (written === '') return null;
  return { written, span: spans.length > 0 ? { start: spans[0].start, end: spans.at(-1)!.end } : uuid.nameSpan };
}

/** One object of the host as define finds it: by name and by UUID (canonical, with dashes, as libvirt prints it). */
interface HostObject {
  name: string;
  uuid?: string;
}

/** What define would say of the document, and the host's UUID of the object of its name when giving that one redefines it. */
export interface UuidFinding {
  span: Span;
  message: string;
  /** the <domain> or <network> element, and the UUID that makes the document redefine the host's object of its name */
  restore: { owner: XmlElement; uuid: string } | null;
}

export function checkDefinitionUuid(model: DocumentModel, index: InventoryIndex, report: Report): void {
  const finding = definitionUuidFinding(model, index);
  if (finding) report.add('uuid-taken', 'error', finding.span, finding.message);
}

/** The document's one refusal of this kind, or null: a document that is not one <domain> or <network>, or that define takes. */
export function definitionUuidFinding(model: DocumentModel, index: InventoryIndex): UuidFinding | null {
  const root = model.xml.roots.length === 1 ? model.xml.roots[0] : null;
  if (root === null) return null;
  if (root === model.domain && model.guestName)
    return find(root, model.guestName.value, model.guestName.span, 'domain', index.inventory.guests, model.text);
  const network = networkDefinitionOf(model);
  if (network && network.element === root && network.name) {
    const spans = firstChild(root, 'name')!.textSpans;
    return find(root, network.name, { start: spans[0].start, end: spans.at(-1)!.end }, 'network', index.inventory.networks, model.text);
  }
  return null;
}

function find(
  owner: XmlElement,
  name: string,
  nameSpan: Span,
  kind: 'domain' | 'network',
  objects: readonly HostObject[],
  text: string,
): UuidFinding | null {
  const given = writtenUuid(owner, text);
  const uuid = given === null ? null : readUuid(given.written);
  // a <uuid> libvirt cannot read is its own error (network-name; define refuses it before this)
  if (given !== null && uuid === null) return null;
  const what = kind === 'domain' ? 'guest' : 'network';
  const byUuid = uuid === null ? undefined : objects.find((o) => o.uuid !== undefined && readUuid(o.uuid) === uuid);
  if (byUuid !== undefined) {
    if (byUuid.name === name) return null;
    return {
      span: given!.span,
      message: refused(
        kind,
        `The host's ${what} ${quotedName(byUuid.name)} has this UUID`,
        `${kind} '${shortName(byUuid.name)}' is already defined with uuid ${byUuid.uuid}`,
        `Leave <uuid> out for a new ${what} (libvirt makes one), or name the document ${quotedName(byUuid.name)} to redefine that one.`,
      ),
      restore: null,
    };
  }
  const byName = objects.find((o) => o.name === name);
  if (byName?.uuid === undefined) return null;
  return {
    span: given?.span ?? nameSpan,
    message: refused(
      kind,
      given === null
        ? `No <uuid>, and the host has a ${what} ${quotedName(name)}`
        : `Another <uuid> than the host's ${what} ${quotedName(name)}`,
      `${kind} '${shortName(name)}' already exists with uuid ${byName.uuid}`,
      `Without that ${what}'s UUID the document is a new ${what} of a name that is taken; to redefine it, give it <uuid>${byName.uuid}</uuid>.`,
    ),
    restore: { owner, uuid: byName.uuid },
  };
}

function refused(kind: 'domain' | 'network', problem: string, libvirtError: string, advice: string): string {
  return `${problem} — ${kind === 'domain' ? 'define' : 'net-define'} fails; libvirt: "operation failed: ${libvirtError}". ${advice}`;
}
