// A <domain>'s <name> as `virsh define` reads it. Mirrors libvirt's (9.0) virDomainDefParseIDs
// (src/conf/domain_conf.c), which takes string(./name[1]) and refuses a domain without one, or with an empty
// one (VIR_ERR_NO_NAME: "missing name information"), and the QEMU driver's define (qemuDomainDefineXMLFlags,
// src/qemu/qemu_driver.c), which refuses a name with a line feed, as a name written over several lines has.
// A name of blanks is a name to both.
import { decodeXmlText } from '../xml/query';
import { firstChild, rejects, type Report } from './common';
import type { Guest } from './guests';

const BLANKS = /^\s+$/;

export function checkGuestNames(guests: readonly Guest[], text: string, report: Report): void {
  for (const guest of guests) {
    const domain = guest.domain;
    if (!domain) continue;
    const nameEl = firstChild(domain, 'name');
    const spans = nameEl?.textSpans ?? [];
    // blanks alone are no text span to the scanner, and a name to libvirt (' ', or a line feed)
    const blanks =
      nameEl && spans.length === 0 && nameEl.endTagStart !== null && BLANKS.test(text.substring(nameEl.startTagEnd, nameEl.endTagStart))
        ? { start: nameEl.startTagEnd, end: nameEl.endTagStart }
        : null;
    const written = blanks ? [blanks] : spans;
    // an entity reference other than XML's own stays as written: something, as libvirt's expansion would be
    const name = decodeXmlText(written.map((s) => text.substring(s.start, s.end)).join(''));
    if (name === '')
      report.add(
        'domain-name',
        'error',
        (nameEl ?? domain).nameSpan,
        rejects(nameEl ? 'The guest <name> is empty' : 'The guest has no <name>', 'missing name information', 'Add <name>web01</name>.'),
      );
    else if (name.includes('\n'))
      report.add(
        'domain-name',
        'error',
        { start: written[0].start, end: written[written.length - 1].end },
        // the character libvirt names is the line feed itself: virsh's line ends there
        rejects('The guest name spans lines', 'invalid char in name: ', 'Write the name on one line, without blanks around it.'),
      );
  }
}
