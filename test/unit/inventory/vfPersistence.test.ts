// Configuration files read from a host as `grep -H` lines (FILE:LINE) whose names hold ':' themselves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findVfPersistence, type PersistenceInput } from '../../../server/src/inventory/vfPersistence';

const pf = {
  address: '0000:0b:00.0',
  kind: 'pf' as const,
  vendor: '0x8086',
  product: '0x10c9',
  driver: 'igb',
  iommuGroup: 2,
  numaNode: 0,
  netdev: 'enp11s0f0',
  mac: '00:1b:21:aa:bb:00',
  netdevs: ['enp11s0f0'],
};
const input = (persistLines: string[]): PersistenceInput => ({ persistLines, cmdlineWords: [], enabledUnits: new Set() });
const found = (lines: string[]) => findVfPersistence(pf, input(lines)).sources.map((s) => `${s.mechanism} ${s.file}: ${s.detail}`);

test("a file whose name holds ':' still counts: modprobe.d, udev, and a NetworkManager profile named after its connection", () => {
  assert.deepEqual(found(['etc/modprobe.d/sriov:igb.conf:options igb max_vfs=7']), [
    'modprobe etc/modprobe.d/sriov:igb.conf: options igb max_vfs=7',
  ]);
  assert.deepEqual(found(['etc/udev/rules.d/70:sriov.rules:ACTION=="add", KERNEL=="enp11s0f0", ATTR{device/sriov_numvfs}="7"']), [
    'udev etc/udev/rules.d/70:sriov.rules: ACTION=="add", KERNEL=="enp11s0f0", ATTR{device/sriov_numvfs}="7"',
  ]);
  assert.deepEqual(
    found([
      'etc/NetworkManager/system-connections/uplink:a.nmconnection:mac-address=00:1B:21:AA:BB:00',
      'etc/NetworkManager/system-connections/uplink:a.nmconnection:total-vfs=7',
    ]),
    ['networkmanager etc/NetworkManager/system-connections/uplink:a.nmconnection: [sriov] total-vfs=7'],
  );
});

test("a long hostile line full of ':' is split in linear time", { timeout: 20_000 }, () => {
  const junk = ':mac-address='.repeat(50_000);
  assert.deepEqual(found([`etc/NetworkManager/system-connections/x${junk}:total-vfs=7`, `etc/modprobe.d/x${junk}.conf:y`]), []);
});
