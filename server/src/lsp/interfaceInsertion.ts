// A new interface as an edit at a cursor, for the server's insertInterface command and for the client's
// Insert SR-IOV Interface (libvirtHostdev/newInterface with a position): one placement for both.
import type { Position, TextEdit } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { LanguageService, ParsedDocument } from '../service/index';

/**
 * The interface `make` builds (given the indentation of its lines after the first), placed for a cursor
 * at `position` on a line of its own among the <devices> children; null when `make` makes none.
 */
export function interfaceInsertion(
  service: LanguageService,
  doc: TextDocument,
  parsed: ParsedDocument,
  position: Position,
  make: (indent: string) => { xml: string; mac: string } | null,
  unit?: string,
): { xml: string; mac: string; edit: TextEdit } | null {
  const place = service.interfacePlacement(parsed, doc.offsetAt(position), unit);
  const made = make(place.indent);
  if (!made) return null;
  const range = { start: doc.positionAt(place.start), end: doc.positionAt(place.end) };
  return { ...made, edit: { range, newText: `${place.before}${made.xml.replace(/\n/g, place.eol)}${place.after}` } };
}
