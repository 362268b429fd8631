// A hostdev pool's addresses as the inventory reads them from `virsh net-dumpxml`: in the order the
// network lists them, which is the order a guest start is handed them (networkAllocatePort takes
// the first one no running guest holds; libvirt keeps the order the XML was defined with).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseInventoryOutput } from '../../../server/src/inventory/parseOutput';
import { validate } from '../../../server/src/service/validate';
import { inventory82576 } from '../service/rules/helpers';

const B = 'LHDtest0000';
const POOL = '6695eb01-f6a4-8304-79aa-97f2502e3001';

/** The libvirt part of the inventory script's output for one active, autostarted pool. */
function output(addresses: string[]): string {
  return [
    `${B} begin-inventory`,
    `${B} begin virsh1`,
    `${B} list-active`,
    '',
    `${B} list-persistent`,
    '',
    `${B} net-active`,
    POOL,
    '',
    `${B} net-all`,
    POOL,
    '',
    `${B} net-autostart`,
    POOL,
    '',
    `${B} rc virsh1 0`,
    `${B} netxml ${POOL}`,
    '<network>',
    '  <name>sriov-pool</name>',
    `  <uuid>${POOL}</uuid>`,
    "  <forward mode='hostdev' managed='yes'>",
    ...addresses,
    '  </forward>',
    '</network>',
    '',
    `${B} rc virsh2 0`,
    `${B} begin virsh2-stderr`,
    `${B} end`,
    '',
  ].join('\n');
}

const vf = "    <address type='pci' domain='0x0000' bus='0x0b' slot='0x11' function='0x0'/>";
// an address the host has no device at (its VFs were disabled after the pool was defined)
const gone = "    <address type='pci' domain='0x0000' bus='0x0a' slot='0x00' function='0x0'/>";

function poolOf(addresses: string[]) {
  const r = parseInventoryOutput(output(addresses), {
    boundary: B,
    host: 'kvm1',
    takenAt: '2026-12-02T12:00:00.000Z',
    sysfsRoot: '/sys',
    uri: 'qemu:///session',
  });
  return r.inventory.networks[0];
}

test("a pool's addresses keep the order net-dumpxml lists them in", () => {
  assert.deepEqual(poolOf([vf, gone]).addresses, ['0000:0b:11.0', '0000:0a:00.0']);
  assert.deepEqual(poolOf([gone, vf]).addresses, ['0000:0a:00.0', '0000:0b:11.0']);
});

test('a guest on a pool whose free VF is listed before an address the host lacks gets no error; listed after it, it does', () => {
  const guest =
    "<domain type='kvm'><name>g</name><devices><interface type='network'><source network='sriov-pool'/></interface></devices></domain>";
  const exhausted = (addresses: string[]) => {
    const inventory = inventory82576();
    inventory.networks = [poolOf(addresses)];
    return validate(guest, { inventory })
      .filter((p) => p.code === 'network-pool-exhausted')
      .map((p) => p.severity);
  };
  assert.deepEqual(exhausted([vf, gone]), []);
  assert.deepEqual(exhausted([gone, vf]), ['error']);
});
