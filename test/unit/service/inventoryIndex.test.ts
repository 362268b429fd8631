import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { indexInventory, isVfFree, usersOf } from '../../../server/src/service/inventoryIndex';
import { inventory82576 } from './helpers';

describe('inventory index', () => {
  it('is built once per inventory object', () => {
    const inventory = inventory82576();
    assert.equal(indexInventory(inventory), indexInventory(inventory));
    assert.notEqual(indexInventory(inventory), indexInventory(inventory82576()));
  });

  it('lists each PF\'s VFs in vfIndex order and every IOMMU group\'s members', () => {
    const index = indexInventory(inventory82576());
    assert.deepEqual(index.vfsByPf.get('0000:0b:00.0')!.map((d) => d.address),
      ['0000:0b:10.0', '0000:0b:10.2', '0000:0b:10.4', '0000:0b:10.6', '0000:0b:11.0', '0000:0b:11.2', '0000:0b:11.4']);
    assert.equal(index.vfs.length, 14);
    assert.deepEqual(index.iommuGroups.get(14)!.map((d) => d.address), ['0000:0b:00.0', '0000:0b:00.1']);
  });

  it('finds addresses written in upper case and tells users, own guest excluded', () => {
    const inventory = inventory82576();
    inventory.guests[0].devices[0].address = '0000:0B:10.0';
    const index = indexInventory(inventory);
    assert.deepEqual(usersOf(index, '0000:0b:10.0').map((u) => u.guest.name), ['web01']);
    assert.deepEqual(usersOf(index, '0000:0b:10.0', 'web01'), []);
    assert.equal(isVfFree(index, '0000:0b:10.0'), false);
    assert.equal(isVfFree(index, '0000:0b:10.0', 'web01'), true);
    assert.equal(isVfFree(index, '0000:0b:10.1'), false, 'pooled in an active network');
    assert.equal(isVfFree(index, '0000:0b:10.6'), true);
  });

  it('collects every guest MAC, from devices and from macs[], normalised', () => {
    const inventory = inventory82576();
    inventory.guests[2].macs = ['52:54:0:BB:0:2'];
    const index = indexInventory(inventory);
    assert.deepEqual(index.guestMacs.get('52:54:00:aa:00:02'), ['web01']);
    assert.deepEqual(index.guestMacs.get('52:54:00:bb:00:02'), ['db01']);
    assert.deepEqual(index.guestMacs.get('52:54:00:bb:00:01'), ['db01']);
  });
});
