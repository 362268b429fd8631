import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSysfsDump } from '../../../server/src/inventory/parseSysfs';

// What `grep -sH ''` and `ls -ld` print in /sys/bus/pci/devices on an 82576 host (GNU coreutils
// ls format), and `ls -d */devices/*` in /sys/kernel/iommu_groups. 0b:10.0's group also holds a
// PCIe switch port (not a network device) and the sound card is in a group of its own.
const ATTRS = `0000:00:1c.0/class:0x060400
0000:00:1c.0/vendor:0x8086
0000:00:1c.0/device:0xa110
0000:00:1c.0/numa_node:-1
0000:00:1f.3/class:0x040300
0000:00:1f.3/vendor:0x8086
0000:0b:00.0/class:0x020000
0000:0b:00.0/vendor:0x8086
0000:0b:00.0/device:0x10c9
0000:0b:00.0/numa_node:0
0000:0b:00.0/sriov_totalvfs:7
0000:0b:00.0/sriov_numvfs:2
0000:0b:00.0/net/enp11s0f0/address:00:1B:21:AA:BB:00
0000:0b:10.0/class:0x020000
0000:0b:10.0/vendor:0x8086
0000:0b:10.0/device:0x10ca
0000:0b:10.0/numa_node:0
0000:0b:10.2/class:0x020000
0000:0b:10.2/vendor:0x8086
0000:0b:10.2/device:0x10ca
0000:0b:10.2/numa_node:0
0000:0b:10.2/net/enp11s16f2/address:02:00:76:00:0b:02`;

const LINKS = `lrwxrwxrwx 1 root root 0 Nov 25 13:00 0000:00:1c.0/driver -> ../../../bus/pci/drivers/pcieport
lrwxrwxrwx 1 root root 0 Nov 25 13:00 0000:00:1c.0/iommu_group -> ../../../kernel/iommu_groups/7
lrwxrwxrwx 1 root root 0 Nov 25 13:00 0000:00:1f.3/iommu_group -> ../../../kernel/iommu_groups/9
lrwxrwxrwx 1 root root 0 Nov 25 13:00 0000:0b:00.0/driver -> ../../../../bus/pci/drivers/igb
lrwxrwxrwx 1 root root 0 Nov 25 13:00 0000:0b:00.0/iommu_group -> ../../../../kernel/iommu_groups/2
lrwxrwxrwx 1 root root 0 Nov 25 13:00 0000:0b:00.0/virtfn0 -> ../0000:0b:10.0
lrwxrwxrwx 1 root root 0 Nov 25 13:00 0000:0b:00.0/virtfn1 -> ../0000:0b:10.2
lrwxrwxrwx 1 root root 0 Nov 25 13:00 0000:0b:10.0/driver -> ../../../../bus/pci/drivers/vfio-pci
lrwxrwxrwx 1 root root 0 Nov 25 13:00 0000:0b:10.0/iommu_group -> ../../../../kernel/iommu_groups/7
lrwxrwxrwx 1 root root 0 Nov 25 13:00 0000:0b:10.0/physfn -> ../0000:0b:00.0
lrwxrwxrwx 1 root root 0 Nov 25 13:00 0000:0b:10.2/driver -> ../../../../bus/pci/drivers/igbvf
lrwxrwxrwx 1 root root 0 Nov 25 13:00 0000:0b:10.2/iommu_group -> ../../../../kernel/iommu_groups/8
lrwxrwxrwx 1 root root 0 Nov 25 13:00 0000:0b:10.2/physfn -> ../0000:0b:00.0`;

const GROUPS = `2/devices/0000:0b:00.0
7/devices/0000:00:1c.0
7/devices/0000:0b:10.0
8/devices/0000:0b:10.2
9/devices/0000:00:1f.3`;

test('PF, VFs (index from virtfnN, driver, group, NUMA, netdev/MAC), and a non-network group member as pci', () => {
  const r = parseSysfsDump({ attrs: ATTRS, links: LINKS, groups: GROUPS });
  assert.deepEqual(r.warnings, []);
  assert.deepEqual(
    r.devices.map((d) => [d.address, d.kind]),
    [
      ['0000:00:1c.0', 'pci'],
      ['0000:0b:00.0', 'pf'],
      ['0000:0b:10.0', 'vf'],
      ['0000:0b:10.2', 'vf'],
    ],
  );
  const [bridge, pf, vf0, vf1] = r.devices;
  assert.deepEqual([bridge.driver, bridge.iommuGroup, bridge.numaNode, bridge.product], ['pcieport', 7, null, '0xa110']);
  assert.deepEqual([pf.totalVfs, pf.numVfs, pf.netdev, pf.mac, pf.driver], [7, 2, 'enp11s0f0', '00:1b:21:aa:bb:00', 'igb']);
  assert.deepEqual([vf0.pf, vf0.vfIndex, vf0.driver, vf0.iommuGroup, vf0.netdev, vf0.mac], ['0000:0b:00.0', 0, 'vfio-pci', 7, null, null]);
  assert.deepEqual([vf1.vfIndex, vf1.netdev, vf1.mac, vf1.numaNode], [1, 'enp11s16f2', '02:00:76:00:0b:02', 0]);
  assert.deepEqual(r.groups.get(7), ['0000:00:1c.0', '0000:0b:10.0']);
  assert.equal(r.groups.has(9), false);
});

test('a VF whose PF has no virtfn link to it is kept without an index, with a warning', () => {
  const r = parseSysfsDump({ attrs: ATTRS, links: LINKS.replace(/.*virtfn1 ->.*\n/, ''), groups: GROUPS });
  const vf1 = r.devices.find((d) => d.address === '0000:0b:10.2');
  assert.equal(vf1?.kind, 'vf');
  assert.equal(vf1?.vfIndex, undefined);
  assert.equal(r.warnings.length, 1);
});

test('empty dump (no sysfs) gives no devices', () => {
  assert.deepEqual(parseSysfsDump({ attrs: '', links: '', groups: '' }).devices, []);
});
