import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSysfsDump } from '../../../server/src/inventory/parseSysfs';

// What `grep -sH ''` and `ls -ld` print in /sys/bus/pci/devices on an 82576 host (GNU coreutils
// ls format), the script's names block (interfaces and drivers), and `ls -d */devices/*` in
// /sys/kernel/iommu_groups. 0b:10.0's group also holds a
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
0000:0b:10.0/class:0x020000
0000:0b:10.0/vendor:0x8086
0000:0b:10.0/device:0x10ca
0000:0b:10.0/numa_node:0
0000:0b:10.2/class:0x020000
0000:0b:10.2/vendor:0x8086
0000:0b:10.2/device:0x10ca
0000:0b:10.2/numa_node:0
`;

const LINKS = `lrwxrwxrwx 1 root root 0 Nov 25 13:00 0000:00:1c.0/iommu_group -> ../../../kernel/iommu_groups/7
lrwxrwxrwx 1 root root 0 Nov 25 13:00 0000:00:1f.3/iommu_group -> ../../../kernel/iommu_groups/9
lrwxrwxrwx 1 root root 0 Nov 25 13:00 0000:0b:00.0/iommu_group -> ../../../../kernel/iommu_groups/2
lrwxrwxrwx 1 root root 0 Nov 25 13:00 0000:0b:00.0/virtfn0 -> ../0000:0b:10.0
lrwxrwxrwx 1 root root 0 Nov 25 13:00 0000:0b:00.0/virtfn1 -> ../0000:0b:10.2
lrwxrwxrwx 1 root root 0 Nov 25 13:00 0000:0b:10.0/iommu_group -> ../../../../kernel/iommu_groups/7
lrwxrwxrwx 1 root root 0 Nov 25 13:00 0000:0b:10.0/physfn -> ../0000:0b:00.0
lrwxrwxrwx 1 root root 0 Nov 25 13:00 0000:0b:10.2/iommu_group -> ../../../../kernel/iommu_groups/8
lrwxrwxrwx 1 root root 0 Nov 25 13:00 0000:0b:10.2/physfn -> ../0000:0b:00.0`;

const NAMES = `net 0000:0b:00.0 =enp11s0f0 00:1B:21:AA:BB:00
net 0000:0b:10.2 =enp11s16f2 02:00:76:00:0b:02
driver 0000:00:1c.0 =pcieport
driver 0000:0b:00.0 =igb
driver 0000:0b:10.0 =vfio-pci
driver 0000:0b:10.2 =igbvf`;

const GROUPS = `2/devices/0000:0b:00.0
7/devices/0000:00:1c.0
7/devices/0000:0b:10.0
8/devices/0000:0b:10.2
9/devices/0000:00:1f.3`;

test('PF, VFs (index from virtfnN, driver, group, NUMA, netdev/MAC), and a non-network group member as pci', () => {
  const r = parseSysfsDump({ attrs: ATTRS, links: LINKS, groups: GROUPS, names: NAMES });
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
  const r = parseSysfsDump({ attrs: ATTRS, links: LINKS.replace(/.*virtfn1 ->.*\n/, ''), groups: GROUPS, names: NAMES });
  const vf1 = r.devices.find((d) => d.address === '0000:0b:10.2');
  assert.equal(vf1?.kind, 'vf');
  assert.equal(vf1?.vfIndex, undefined);
  assert.equal(r.warnings.length, 1);
});

test('empty dump (no sysfs) gives no devices', () => {
  assert.deepEqual(parseSysfsDump({ attrs: '', links: '', groups: '', names: '' }).devices, []);
});

test('names block: hex names are read byte-exactly (newline, dot, UTF-8), plain ones as they are', () => {
  const hex = (name: string): string => 'x' + Buffer.from(name, 'utf8').toString('hex');
  const names = [
    `net 0000:0b:00.0 ${hex('enp11s0f0\nx')} 00:1b:21:aa:bb:00`,
    `net 0000:0b:00.0 =.hidden 00:1b:21:aa:bb:01`,
    `net 0000:0b:10.2 ${hex('vf två')} 02:00:76:00:0b:02`,
    `driver 0000:0b:00.0 ${hex('igb\n')}`,
    `driver 0000:0b:10.0 =vfio-pci`,
  ].join('\n');
  const r = parseSysfsDump({ attrs: ATTRS, links: LINKS, groups: GROUPS, names });
  assert.deepEqual(r.warnings, []);
  const pf = r.devices.find((d) => d.address === '0000:0b:00.0')!;
  assert.deepEqual([pf.netdev, pf.mac, pf.netdevs, pf.driver], ['enp11s0f0\nx', '00:1b:21:aa:bb:00', ['enp11s0f0\nx', '.hidden'], 'igb\n']);
  const vf1 = r.devices.find((d) => d.address === '0000:0b:10.2')!;
  assert.deepEqual([vf1.netdev, vf1.mac], ['vf två', '02:00:76:00:0b:02']);
});

test('names block: a name the host could not encode keeps the device and its MAC, with a warning naming the device', () => {
  const names = 'net 0000:0b:10.2 ? 02:00:76:00:0b:02\ndriver 0000:0b:10.2 ?';
  const r = parseSysfsDump({ attrs: ATTRS, links: LINKS, groups: GROUPS, names });
  const vf1 = r.devices.find((d) => d.address === '0000:0b:10.2')!;
  assert.deepEqual([vf1.kind, vf1.netdev, vf1.mac, vf1.driver], ['vf', null, '02:00:76:00:0b:02', null]);
  assert.equal(r.warnings.length, 2);
  assert.ok(r.warnings.every((w) => w.includes('0000:0b:10.2')));
});

test('names block: a malformed line (bad hex, no address) is ignored, never a crash', () => {
  const names = 'net 0000:0b:10.2 xZZ 02:00:76:00:0b:02\nnet =eth0 00:11:22:33:44:55\ndriver\n\u0000';
  const r = parseSysfsDump({ attrs: ATTRS, links: LINKS, groups: GROUPS, names });
  assert.equal(r.devices.find((d) => d.address === '0000:0b:10.2')!.netdev, null);
});
