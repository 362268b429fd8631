import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseInventoryOutput } from '../../../server/src/inventory/parseOutput';

// The libvirt part of the inventory script's output, shaped exactly as the script prints it with
// real virsh 9.0 (qemu:///session and the test driver print the same lines) when a transient guest
// stopped and a network was undefined between `list`/`net-list` and their dumps: the dump blocks are
// empty and virsh's stderr says why.
const B = 'LHDtest0000';
const GUEST_GONE = '6695eb01-f6a4-8304-79aa-97f2502e1009';
const NET_KEPT = '6695eb01-f6a4-8304-79aa-97f2502e2003';
const NET_GONE = '6695eb01-f6a4-8304-79aa-97f2502e2002';

/** `withKeptNetwork` false: without the network that stays, so every object listed is gone by the second pass. */
function output(stderr: string[], withKeptNetwork = true): string {
  const kept = (...lines: string[]): string[] => (withKeptNetwork ? lines : []);
  return [
    `${B} begin-inventory`,
    `${B} begin virsh1`,
    `${B} list-active`,
    GUEST_GONE,
    '',
    `${B} list-persistent`,
    '',
    `${B} net-active`,
    ...kept(NET_KEPT),
    NET_GONE,
    '',
    `${B} net-all`,
    ...kept(NET_KEPT),
    NET_GONE,
    '',
    `${B} net-autostart`,
    '',
    `${B} rc virsh1 0`,
    `${B} state ${GUEST_GONE}`,
    '',
    `${B} live ${GUEST_GONE}`,
    '',
    ...kept(
      `${B} netxml ${NET_KEPT}`,
      '<network>',
      '  <name>default</name>',
      `  <uuid>${NET_KEPT}</uuid>`,
      "  <forward mode='nat'/>",
      '</network>',
      '',
    ),
    `${B} netxml ${NET_GONE}`,
    '',
    '',
    `${B} rc virsh2 0`,
    `${B} begin virsh2-stderr`,
    ...stderr,
    `${B} end`,
    '',
  ].join('\n');
}

const VANISHED_STDERR = [
  `error: failed to get domain '${GUEST_GONE}'`,
  `error: failed to get domain '${GUEST_GONE}'`,
  `error: failed to get network '${NET_GONE}'`,
  `error: Network not found: no network with matching name '${NET_GONE}'`,
];

function parse(stderr: string[], uri = 'qemu:///session', withKeptNetwork = true) {
  return parseInventoryOutput(output(stderr, withKeptNetwork), {
    boundary: B,
    host: 'kvm1',
    takenAt: '2026-12-02T12:00:00.000Z',
    sysfsRoot: '/sys',
    uri,
  });
}

const libvirtWarnings = (warnings: string[]) => warnings.filter((w) => /virsh|network |guest /.test(w));

test('a network and a guest that vanished between the list and their dump are left out without a warning', () => {
  const r = parse(VANISHED_STDERR);
  assert.equal(r.complete, true);
  assert.deepEqual(libvirtWarnings(r.warnings), []);
  assert.deepEqual(r.inventory.networks, [
    { name: 'default', uuid: NET_KEPT, active: true, addresses: [], forwardMode: 'nat', autostart: false },
  ]);
  assert.deepEqual(r.inventory.guests, []);
  assert.deepEqual(r.definitions, [], 'nor is a definition of it given to check --guests');
});

test('another virsh error beside a vanished network is still reported, the vanished lines are not', () => {
  const r = parse([...VANISHED_STDERR, 'error: Cannot recv data: Connection reset by peer']);
  assert.equal(r.libvirtFailure, null, 'the dumps ran: libvirt was connected to');
  assert.deepEqual(libvirtWarnings(r.warnings), ['virsh -c qemu:///session: error: Cannot recv data: Connection reset by peer']);
  assert.deepEqual(
    r.inventory.networks.map((n) => n.name),
    ['default'],
  );
});

test('a network lookup that failed for another reason than "not found" is still a virsh failure', () => {
  const r = parse([...VANISHED_STDERR.slice(0, 3), 'error: internal error: client socket is closed']);
  assert.deepEqual(libvirtWarnings(r.warnings), [
    `network ${NET_GONE}: its XML could not be read`,
    `virsh -c qemu:///session: error: failed to get network '${NET_GONE}'; error: internal error: client socket is closed`,
  ]);
});

test('the test driver: when every guest and network listed vanished, a file without <uuid>s is the likely cause, and it is said', () => {
  // each virsh connection to test:///FILE gives an object without <uuid> a new one: the second pass finds none
  const uri = 'test:///tmp/host.xml';
  const all = parse(VANISHED_STDERR, uri, false);
  assert.deepEqual(all.inventory.guests, []);
  assert.deepEqual(all.inventory.networks, []);
  assert.deepEqual(libvirtWarnings(all.warnings), [
    `virsh -c ${uri}: none of the 1 guest and 1 network listed could be read: the test driver gives an object without <uuid> ` +
      'in its file a new UUID at each connection; give each guest and network of the file a <uuid>',
  ]);
  // one object read is no such file; a real host's vanished objects were undefined in between
  assert.deepEqual(libvirtWarnings(parse(VANISHED_STDERR, uri).warnings), []);
  assert.deepEqual(libvirtWarnings(parse(VANISHED_STDERR, 'qemu:///session', false).warnings), []);
});
