// An interface inserted by a command (the server's insertInterface, for editors without our client)
// lands on a line of its own among the <devices> children, indented as they are, wherever the cursor is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLanguageService } from '../../../server/src/service/index';

const IFACE = "<interface type='network'>\n  <source network='p'/>\n</interface>";

/** `text` with `|` as the cursor, after the insertion */
function inserted(marked: string, unit?: string): string {
  const offset = marked.indexOf('|');
  const text = marked.replace('|', '');
  const service = createLanguageService();
  const place = service.interfacePlacement(service.parseDocument(text), offset, unit);
  const xml = IFACE.replace(/\n/g, `\n${place.indent}`).replace(/\n/g, place.eol);
  return text.slice(0, place.start) + place.before + xml + place.after + text.slice(place.end);
}

const GUEST = (devices: string): string => `<domain type='kvm'>\n  <name>g</name>\n  <devices>\n${devices}  </devices>\n</domain>\n`;
const EMULATOR = '    <emulator>/usr/bin/qemu-system-x86_64</emulator>\n';
const AFTER_EMULATOR = GUEST(`${EMULATOR}    <interface type='network'>\n      <source network='p'/>\n    </interface>\n`);

test('a cursor inside another device (its start tag, its text, its end tag) puts the interface on the line after that device', () => {
  for (const at of ['<emu|lator>', '/usr/bin/|qemu', '</emulator|>'])
    assert.equal(inserted(GUEST(EMULATOR.replace(at.replace('|', ''), at))), AFTER_EMULATOR, at);
});

test('a cursor on a blank line among the devices takes that line, indented as the other devices whatever its own blanks', () => {
  assert.equal(inserted(GUEST(`${EMULATOR}|\n`)), AFTER_EMULATOR);
  assert.equal(inserted(GUEST(`${EMULATOR}          |\n`)), AFTER_EMULATOR);
});

test('a cursor in the leading blanks of a line (column 1 of "  </devices>", or of a device) takes the place where its content starts', () => {
  assert.equal(inserted(`<domain type='kvm'>\n  <name>g</name>\n  <devices>\n${EMULATOR}|  </devices>\n</domain>\n`), AFTER_EMULATOR);
  const beforeEmulator = GUEST(`    <interface type='network'>\n      <source network='p'/>\n    </interface>\n${EMULATOR}`);
  assert.equal(inserted(GUEST(`  |  ${EMULATOR.trimStart()}`)), beforeEmulator);
});

test("a cursor right after <devices> on its line starts a new line; the first device's indentation is kept", () => {
  const text = `<domain type='kvm'>\n  <name>g</name>\n  <devices>|\n${EMULATOR}  </devices>\n</domain>\n`;
  assert.equal(
    inserted(text),
    `<domain type='kvm'>\n  <name>g</name>\n  <devices>\n    <interface type='network'>\n      <source network='p'/>\n    </interface>\n${EMULATOR}  </devices>\n</domain>\n`,
  );
});

test('a cursor outside <devices> (in <name>, after the guest) puts the interface last among the devices', () => {
  assert.equal(inserted(GUEST(EMULATOR).replace('<name>g', '<name>|g')), AFTER_EMULATOR);
  assert.equal(inserted(`${GUEST(EMULATOR)}|`), AFTER_EMULATOR);
});

test('an empty <devices></devices> on one line, tabs, and CRLF line ends are kept', () => {
  assert.equal(
    inserted("<domain type='kvm'>\n\t<devices></devices>|\n</domain>", '\t'),
    "<domain type='kvm'>\n\t<devices>\n\t\t<interface type='network'>\n\t\t  <source network='p'/>\n\t\t</interface>\n\t</devices>\n</domain>",
  );
  assert.equal(inserted(GUEST(EMULATOR).replace(/\n/g, '\r\n').replace('<name>g', '<name>|g')), AFTER_EMULATOR.replace(/\n/g, '\r\n'));
});

test('a device snippet without <devices> takes the interface at the cursor, on a line of its own', () => {
  assert.equal(
    inserted("<hostdev mode='subsystem'/>|\n"),
    `<hostdev mode='subsystem'/>\n<interface type='network'>\n  <source network='p'/>\n</interface>\n`,
  );
  assert.equal(inserted('|'), IFACE);
});
