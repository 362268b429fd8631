// A PF's interface name in our own sentences is quoted as libvirt quotes a name ('enp11s0f0'), like
// guest, network and host names: a name with a space or a final full stop reads whole. libvirt's own
// messages keep it as libvirt words them ("No usable Vf's present on SRIOV PF enp11s0f1").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { complete, freeVf, validate } from '../../../server/src/service/index';
import { readinessChecks } from '../../../server/src/service/readinessChecks';
import { poolPfFindings } from '../../../server/src/service/rules/networkHost';
import { buildIndex } from '../../../server/src/service/inventoryIndex';
import type { HostReadiness, Inventory } from '../../../server/src/service/types';
import { cursor, inventory82576 } from './helpers';

/** the 82576 host with its first PF renamed `name` */
function withFirstPfNamed(name: string): Inventory {
  const inventory = inventory82576();
  inventory.devices.find((d) => d.address === '0000:0b:00.0')!.netdev = name;
  return inventory;
}

const RUNTIME_ONLY: HostReadiness = {
  iommu: { groups: 20, units: ['dmar0'], cmdline: ['intel_iommu=on'], interruptRemapping: 'supported' },
  kernelCmdline: 'intel_iommu=on',
  vfioPci: 'loaded',
  maxVfsDrivers: ['igb'],
  vfPersistence: { '0000:0b:00.0': [], '0000:0b:00.1': [] },
  unreadable: [],
};

test('readiness step 2 names each PF by address and quoted interface name', () => {
  const step2 = readinessChecks(withFirstPfNamed('lan 0.')).find((c) => c.step === 2)!;
  assert.match(step2.details[0], /^0000:0b:00\.0 'lan 0\.': .*, up to 7 VFs$/);
  assert.match(step2.details[1], /^0000:0b:00\.1 'enp11s0f1': /);
});

test("new-interface's refusals quote the PF names: the one asked for, the host's, the one without a free VF", () => {
  const inventory = inventory82576();
  const unknown = freeVf(inventory, 'eth9');
  assert.ok('error' in unknown);
  assert.match(unknown.error, /^no PF named 'eth9' on '[^']+' \(PFs: 'enp11s0f0', 'enp11s0f1'\)$/);
  const none = inventory82576();
  none.devices = none.devices.filter((d) => d.pf !== '0000:0b:00.0');
  none.devices.find((d) => d.address === '0000:0b:00.0')!.numVfs = 0;
  const empty = freeVf(none, 'enp11s0f0');
  assert.ok('error' in empty);
  assert.equal(empty.error, "PF 0000:0b:00.0 ('enp11s0f0') has no VF enabled (sriov_numvfs is 0)");
  const busy = inventory82576();
  busy.guests.push({
    name: 'hog',
    state: 'running',
    persistent: true,
    devices: busy.devices
      .filter((d) => d.pf === '0000:0b:00.0')
      .map((d) => ({ address: d.address, element: 'interface' as const, config: true, live: true, mac: null })),
  });
  const taken = freeVf(busy, 'enp11s0f0');
  assert.ok('error' in taken);
  assert.match(taken.error, /^every VF of PF 0000:0b:00\.0 \('enp11s0f0'\) on '[^']+' is used by/);
});

test("a pool's <pf dev> without VFs or with runtime-only VFs: our words quote it, libvirt's keep it bare", () => {
  const inventory = withFirstPfNamed('lan 0.');
  inventory.devices.find((d) => d.address === '0000:0b:00.0')!.numVfs = 0;
  const [noVfs] = poolPfFindings('lan 0.', 'pool9', buildIndex(inventory));
  assert.match(
    noVfs.message,
    /^PF 'lan 0\.' has no VFs enabled \(0 of 7\) — net-start fails; libvirt: "internal error: No usable Vf's present on SRIOV PF lan 0\."/,
  );
  const runtime = inventory82576();
  runtime.readiness = RUNTIME_ONLY;
  const [lost] = poolPfFindings('enp11s0f1', 'pool9', buildIndex(runtime));
  assert.equal(lost.code, 'vf-not-persistent');
  assert.match(lost.problem!, /^The 7 VFs of PF 'enp11s0f1' were created at runtime/);
});

test("vf-not-persistent on a guest's VF names its PF by address, quoted interface name and driver", () => {
  const inventory = withFirstPfNamed('lan 0.');
  inventory.readiness = RUNTIME_ONLY;
  const text =
    "<interface type='hostdev' managed='yes'><mac address='52:54:00:6d:90:02'/><source><address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x6'/></source></interface>";
  const [problem] = validate(text, { inventory }).filter((p) => p.code === 'vf-not-persistent');
  assert.match(problem.message, /nothing recreates the VFs of PF 0000:0b:00\.0 \('lan 0\.', igb\) at boot/);
});

test('completion of a PCI number that leads to a PF quotes its interface name in the detail', () => {
  const { text, offset } = cursor(
    "<hostdev mode='subsystem' type='pci'>\n  <source>\n    <address domain='0' bus='0x0b' slot='0x00' function='|'/>\n  </source>\n</hostdev>",
  );
  const items = complete(text, offset, { inventory: withFirstPfNamed('lan 0.') });
  assert.equal(items.find((i) => i.label === '0x0')?.detail, "0000:0b:00.0 · PF 'lan 0.'");
});

test('network-pf on a PF without VFs creates and keeps the same count, its sriov_totalvfs, in the write and in the boot-time line', () => {
  const inventory = inventory82576();
  inventory.devices = inventory.devices.filter((d) => d.pf !== '0000:0b:00.1');
  inventory.devices.find((d) => d.address === '0000:0b:00.1')!.numVfs = 0;
  const [noVfs] = poolPfFindings('enp11s0f1', 'pool9', buildIndex(inventory));
  assert.equal(noVfs.code, 'network-pf');
  assert.match(
    noVfs.message,
    /Create them: echo 7 > \/sys\/bus\/pci\/devices\/0000:0b:00\.1\/sriov_numvfs, and add "options igb max_vfs=7" to /,
  );
});
