// readinessChecks: what each step says when the inventory lacks what it reads, and how steps are labelled.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readinessChecks } from '../../../server/src/service/readinessChecks';
import { hostReadiness, inventory82576 } from './helpers';

const detailsOf = (checks: ReturnType<typeof readinessChecks>, id: string) => checks.find((c) => c.id === id)!.details;

test('a snapshot without readiness data says so and to run inventory again, for steps 1, 5 and 8; no host root is named', () => {
  const inventory = inventory82576();
  delete inventory.readiness;
  const checks = readinessChecks(inventory);
  for (const id of ['iommu', 'vfs-persistent', 'vfio-pci']) {
    const text = detailsOf(checks, id).join('\n');
    assert.match(text, /no readiness data \(a snapshot written by an older libvirt-hostdev\): run `libvirt-hostdev inventory` again/, id);
    assert.doesNotMatch(text, /host root/, id);
  }
});

test("a live read whose host root could not be entered names that root in steps 1, 5 and 8, from the read's warning", () => {
  const inventory = inventory82576();
  delete inventory.readiness;
  const checks = readinessChecks(inventory, ["host root '/srv/kvm1' does not exist on the host: IOMMU and VF persistence are unknown"]);
  for (const id of ['iommu', 'vfs-persistent', 'vfio-pci'])
    assert.match(detailsOf(checks, id).join('\n'), /unknown: host root '\/srv\/kvm1' does not exist on the host$/, id);
});

test('interrupt remapping on an AMD IOMMU passes unless the kernel command line turns it off; an IOMMU sysfs does not describe still warns', () => {
  const remapping = (units: string[], interruptRemapping: 'disabled' | 'unknown', cmdline: string[]) => {
    const inventory = inventory82576();
    inventory.readiness = hostReadiness({}, { units, cmdline, interruptRemapping });
    const check = readinessChecks(inventory).find((c) => c.id === 'interrupt-remapping')!;
    return [check.status, check.details.join('\n')];
  };
  const [amd, amdDetail] = remapping(['ivhd0'], 'unknown', []);
  assert.equal(amd, 'pass');
  assert.match(amdDetail, /^AMD-Vi \(ivhd0\) remaps interrupts unless the kernel command line turns it off \(intremap=off\/nointremap\)/);
  assert.equal(remapping(['ivhd0', 'ivhd1'], 'unknown', ['amd_iommu_intr=legacy'])[0], 'pass');
  assert.deepEqual(remapping(['ivhd0'], 'disabled', ['intremap=off']).slice(0, 1), ['fail']);
  assert.match(remapping(['ivhd0'], 'disabled', ['nointremap'])[1], /disabled on the kernel command line/);
  assert.equal(remapping(['dmar0'], 'unknown', [])[0], 'warn');
  assert.equal(remapping([], 'unknown', [])[0], 'warn');
});
