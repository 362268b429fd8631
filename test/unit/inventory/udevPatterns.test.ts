// A host's udev rules name interfaces with fnmatch patterns; a pattern made to explode a RegExp is
// matched without backtracking (a regression shows as this test's timeout).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findVfPersistence } from '../../../server/src/inventory/vfPersistence';

const T = { timeout: 20_000 };

test("a host's udev rule with a pattern made to explode a RegExp is read, rightly, and the real rule still counts", T, () => {
  const pf = {
    address: '0000:0b:00.0',
    kind: 'pf' as const,
    vendor: '0x8086',
    product: '0x10c9',
    driver: 'igb',
    iommuGroup: 2,
    numaNode: 0,
    netdev: 'e'.repeat(60),
    mac: '00:1b:21:aa:bb:00',
    netdevs: ['e'.repeat(60)],
  };
  const rule = (kernel: string) => `etc/udev/rules.d/70-sriov.rules:ACTION=="add", KERNEL=="${kernel}", ATTR{device/sriov_numvfs}="7"`;
  const input = (kernel: string) => ({ persistLines: [rule(kernel)], cmdlineWords: [], enabledUnits: new Set<string>() });
  assert.deepEqual(findVfPersistence(pf, input('*e'.repeat(40) + '*x')).sources, []);
  assert.equal(findVfPersistence(pf, input('e*|x')).sources.length, 1);
});
