// What libvirt's XML parser (libxml2) says of a character XML 1.0 forbids depends on where it stands,
// and libvirt stops there (libvirt 9.0 / libxml2 2.9.14, `virsh define`):
//   element content      "PCDATA invalid Char value 1"               "Char 0xFFFF out of allowed range"
//   an attribute value   "invalid character in attribute value"      "Char 0xFFFF out of allowed range"
//   a comment            "xmlParseComment: invalid xmlChar value 1"  "Char 0xFFFF out of allowed range"
// Elsewhere (CDATA, a processing instruction, inside a tag, outside the root element) libxml2 names the
// construct it could not finish instead ("attributes construct error", "Start tag expected, '<' not
// found"), and our words stand alone. U+0000 ends the text libvirt reads (it reads the file as a C
// string), so what libvirt says of it is about the document cut short there.
import type { Problem } from '../types';
import type { XmlElement } from './types';
import { markupSections, type MarkupSection } from './sections';

type Place = 'content' | 'attribute' | 'comment' | 'elsewhere';

/** The xml-syntax message for the forbidden character `code`. */
export function forbiddenCharacterMessage(code: number): string {
  return `Character U+${hex(code)} is not allowed in XML`;
}

/**
 * Adds libxml2's words to the messages of `problems` (each on one forbidden character, made with
 * forbiddenCharacterMessage), from where the character stands in the parsed tree `roots`.
 */
export function addLibxml2Words(text: string, roots: readonly XmlElement[], problems: readonly Problem[]): void {
  if (problems.length === 0) return;
  const sections = markupSections(text);
  for (const p of problems) {
    const code = text.charCodeAt(p.span.start);
    const words = libxml2Words(code, placeOf(p.span.start, roots, sections));
    if (words) p.message = `${p.message}: libvirt's XML parser (libxml2) stops with "${words}"`;
  }
}

function libxml2Words(code: number, place: Place): string | null {
  if (code === 0 || place === 'elsewhere') return null;
  if (code >= 0xfffe) return `Char 0x${hex(code)} out of allowed range`;
  if (place === 'content') return `PCDATA invalid Char value ${code}`;
  if (place === 'attribute') return 'invalid character in attribute value';
  return `xmlParseComment: invalid xmlChar value ${code}`;
}

function placeOf(offset: number, roots: readonly XmlElement[], sections: readonly MarkupSection[]): Place {
  const section = sections.find((s) => s.start <= offset && offset < s.end);
  if (section) return section.kind === 'comment' ? 'comment' : 'elsewhere';
  let el = roots.find((r) => r.start <= offset && offset < r.end);
  if (!el) return 'elsewhere';
  for (;;) {
    if (offset < el.startTagEnd) {
      const inValue = el.attributes.some((a) => a.valueSpan !== null && a.valueSpan.start <= offset && offset < a.valueSpan.end);
      return inValue ? 'attribute' : 'elsewhere';
    }
    if (el.endTagStart !== null && offset >= el.endTagStart) return 'elsewhere';
    const child: XmlElement | undefined = el.children.find((c) => c.start <= offset && offset < c.end);
    if (!child) return 'content';
    el = child;
  }
}

function hex(code: number): string {
  return code.toString(16).toUpperCase().padStart(4, '0');
}
