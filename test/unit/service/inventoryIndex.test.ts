import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildIndex } from '../../../server/src/service/inventoryIndex';
import { ServiceCaches } from '../../../server/src/service/languageService';
import { inventory82576 } from './helpers';

describe('inventory index', () => {
  it('is built once per inventory object by a language service, and not shared between services', () => {
    const inventory = inventory82576();
    const caches = new ServiceCaches();
    assert.equal(caches.index(inventory), caches.index(inventory));
    assert.notEqual(caches.index(inventory), caches.index(inventory82576()));
    assert.notEqual(new ServiceCaches().index(inventory), caches.index(inventory));
  });

  it("lists each PF's VFs in vfIndex order and every IOMMU group's members", () => {
    const index = buildIndex(inventory82576());
    assert.deepEqual(
      index.vfsByPf.get('0000:0b:00.0')!.map((d) => d.address),
      ['0000:0b:10.0', '0000:0b:10.2', '0000:0b:10.4', '0000:0b:10.6', '0000:0b:11.0', '0000:0b:11.2', '0000:0b:11.4'],
    );
    assert.equal(index.vfs.length, 14);
    assert.deepEqual(
      index.iommuGroups.get(14)!.map((d) => d.address),
      ['0000:0b:00.0', '0000:0b:00.1'],
    );
  });

  it('collects every guest MAC, from devices and from macs[], normalised', () => {
    const inventory = inventory82576();
    inventory.guests[2].macs = ['52:54:0:BB:0:2'];
    const index = buildIndex(inventory);
    assert.deepEqual(index.guestMacs.get('52:54:00:aa:00:02'), ['web01']);
    assert.deepEqual(index.guestMacs.get('52:54:00:bb:00:02'), ['db01']);
    assert.deepEqual(index.guestMacs.get('52:54:00:bb:00:01'), ['db01']);
  });
});
