import { test } from 'node:test';
import assert from 'node:assert/strict';
import { activeGuestNote, createLanguageService, leftOutMessage } from '../../../server/src/service/index';
import { inventory82576 } from './rules/helpers';

const service = createLanguageService();
const parsed = (text: string) => service.parseDocument(text);
const vf = (fn: number) =>
  `<interface type='hostdev'><source><address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x${fn}'/></source></interface>`;
const domain = (name: string, devices: string) => `<domain type='kvm'><name>${name}</name><devices>${devices}</devices></domain>`;

test('guestDocumentName: the <name> of a document that is one <domain>, null for anything virsh define does not read', () => {
  assert.deepEqual(service.guestDocumentName(parsed(domain('web01', ''))), { name: 'web01' });
  assert.deepEqual(service.guestDocumentName(parsed("<domain type='kvm'><devices/></domain>")), { name: null });
  assert.equal(service.guestDocumentName(parsed(domain('a', '') + domain('b', ''))), null, 'two domains');
  assert.equal(service.guestDocumentName(parsed(vf(2))), null, 'a snippet');
  assert.equal(service.guestDocumentName(parsed('<network><name>n</name></network>')), null);
});

test("devicesLeftOut: the host devices of the guest's persistent definition the document names nowhere", () => {
  const inventory = inventory82576();
  // db01 holds 0000:0b:10.2 in its persistent definition
  assert.deepEqual(service.devicesLeftOut(parsed(domain('db01', '')), 'db01', { inventory }), [
    { element: 'interface', address: '0000:0b:10.2' },
  ]);
  assert.deepEqual(service.devicesLeftOut(parsed(domain('db01', vf(2))), 'db01', { inventory }), [], 'kept');
  // the same VF as a bare <hostdev>, spelt otherwise: the address is what counts
  const asHostdev = "<hostdev mode='subsystem' type='pci'><source><address bus='11' slot='16' function='2'/></source></hostdev>";
  assert.deepEqual(service.devicesLeftOut(parsed(domain('db01', asHostdev)), 'db01', { inventory }), []);
  assert.deepEqual(service.devicesLeftOut(parsed(domain('db01', '')), 'nosuch', { inventory }), [], 'a guest the host does not have');
  assert.deepEqual(service.devicesLeftOut(parsed(domain('db01', '')), 'db01', {}), [], 'no inventory: nothing known');
  const liveOnly = {
    ...inventory,
    guests: inventory.guests.map((g) =>
      g.name === 'db01' ? { ...g, devices: g.devices.map((d) => ({ ...d, config: false, live: true })) } : g,
    ),
  };
  assert.deepEqual(
    service.devicesLeftOut(parsed(domain('db01', '')), 'db01', { inventory: liveOnly }),
    [],
    'a live-only device is not in the definition',
  );
});

test('leftOutMessage names up to three devices, then counts the rest', () => {
  const one = leftOutMessage('db01', 'kvm1', [{ element: 'interface', address: '0000:0b:10.2' }]);
  assert.equal(
    one,
    "The definition of 'db01' on 'kvm1' holds a device this document does not: <interface> 0000:0b:10.2. Redefined from this document, the guest no longer has it at its next start.",
  );
  const five = leftOutMessage(
    'db01',
    'kvm1',
    [1, 2, 3, 4, 5].map((n) => ({ element: 'hostdev' as const, address: `0000:0b:10.${n}` })),
  );
  assert.match(
    five,
    /holds 5 devices this document does not: <hostdev> 0000:0b:10\.1, <hostdev> 0000:0b:10\.2, <hostdev> 0000:0b:10\.3 and 2 more\. /,
  );
  assert.match(five, /no longer has them at its next start\.$/);
});

test('activeGuestNote: after a define of an active guest, when the new definition applies; nothing for one shut off', () => {
  const inventory = inventory82576();
  const withState = (state: string) => ({ inventory: { ...inventory, guests: inventory.guests.map((g) => ({ ...g, state })) } });
  assert.equal(
    activeGuestNote('web01', withState('running')),
    "'web01' is running: it runs on with the definition it started with; the new one applies when it is shut down and started again.",
  );
  assert.match(activeGuestNote('web01', withState('paused')) ?? '', /^'web01' is paused: /);
  assert.equal(activeGuestNote('web01', withState('shut off')), null);
  assert.equal(activeGuestNote('nosuch', withState('running')), null);
  assert.equal(activeGuestNote('web01', {}), null);
});
