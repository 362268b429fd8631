// STUB (owned by the parser work): builds the DocumentModel from text.
import type { DocumentModel } from './modelTypes';

export function buildDocumentModel(text: string): DocumentModel {
  return { xml: { text, roots: [], problems: [] }, guestName: null, domain: null, devices: [] };
}
