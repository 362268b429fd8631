// domain-name: a <domain> that `virsh define` refuses for its <name>, with libvirt's words as
// `virsh -c test:///default define` printed them here (the corpus's reject/domain-name-*.xml cases run
// through virsh in test/integration/libvirt/agreement.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectAt, expectNone } from './helpers';

const guest = (name: string) => `<domain type='kvm'>${name}<memory unit='GiB'>4</memory><devices/></domain>`;

test('domain-name: a guest without <name>, or with an empty one, is refused: "missing name information"', () => {
  const [missing] = expectAt(`<[[domain]] type='kvm'><memory unit='GiB'>4</memory><devices/></domain>`, 'domain-name', 'error');
  assert.equal(
    missing.message,
    'The guest has no <name> — define/attach fails; libvirt: "missing name information". Add <name>web01</name>.',
  );
  const [empty] = expectAt(guest('<[[name]]></name>'), 'domain-name', 'error');
  assert.match(empty.message, /^The guest <name> is empty — define\/attach fails; libvirt: "missing name information"/);
  expectAt(guest('<[[name]]/>'), 'domain-name', 'error');
  // a comment is no text: string(./name[1]) is empty
  expectAt(guest('<[[name]]><!-- web01 --></name>'), 'domain-name', 'error');
});

test('domain-name: a name written over several lines holds line feeds, which the QEMU driver refuses', () => {
  const [lines] = expectAt(guest('<name>[[\n  web01\n]]</name>'), 'domain-name', 'error');
  assert.match(
    lines.message,
    /^The guest name spans lines — define\/attach fails; libvirt: "invalid char in name: "\. Write the name on one line/,
  );
  expectAt(guest('<name>[[\n]]</name>'), 'domain-name', 'error');
});

test('domain-name: a name of blanks, of entities or in CDATA is a name; a device snippet has none to give', () => {
  // virsh define took <name> </name> here ("Domain ' ' defined")
  expectNone(guest('<name> </name>'), 'domain-name');
  expectNone(guest('<name>a&amp;b</name>'), 'domain-name');
  expectNone(guest('<name><![CDATA[web01]]></name>'), 'domain-name');
  expectNone("<interface type='hostdev'><source><address type='pci' bus='0x0b' slot='0x10'/></source></interface>", 'domain-name');
});
