// network-vf for a pool document whose VFs another pool of the host also hands out: each network counts
// its own ports, so both hand the same VF to guests of their own and the second to start fails
// ("PCI device … is in use by driver QEMU"). The document's own network (a redefinition) is not another.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validate } from '../../../../server/src/service/validate';
import { withNetworks } from './helpers';

const shared = (text: string) =>
  validate(text, { inventory: withNetworks() })
    .filter((p) => p.code === 'network-vf')
    .map((p) => [p.severity, text.slice(p.span.start, p.span.end), p.message.slice(0, p.message.indexOf(' — '))]);

const pool = (name: string, forward: string) =>
  `<network>\n  <name>${name}</name>\n  <forward mode='hostdev' managed='yes'>${forward}</forward>\n</network>\n`;
const address = (fn: number) => `<address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x${fn}'/>`;

test('a listed VF another pool (active or not) also lists: a warning on its <address>, naming the pool', () => {
  assert.deepEqual(shared(pool('web-pool', address(3) + address(5) + address(7))), [
    ['warning', 'address', "VF 0000:0b:10.3 is also in the host's pool 'sriov-pool'"],
    ['warning', 'address', "VF 0000:0b:10.5 is also in the host's pool 'idle-pool'"],
  ]);
});

test('a <pf dev> whose VFs another pool hands out, by the same <pf dev> or by listing them: a warning on the dev', () => {
  assert.deepEqual(shared(pool('web-pool', "<pf dev='enp11s0f1'/>")), [
    ['warning', 'enp11s0f1', "The VFs of 'enp11s0f1' are also in the host's pool 'sriov-pool' (and 1 more)"],
  ]);
});

test('the host pool the document redefines is not another pool; VFs no other pool hands out are nothing', () => {
  assert.deepEqual(shared(pool('sriov-pool', address(3))), []);
  assert.deepEqual(shared(pool('web-pool', address(1))), []);
});
