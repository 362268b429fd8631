// readinessChecks: what each step says when the inventory lacks what it reads, and how steps are labelled.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readinessChecks } from '../../../server/src/service/readinessChecks';
import { readinessReport } from '../../../server/src/service/readinessReport';
import { hostReadiness, inventory82576 } from './helpers';
import type { HostReadiness, VfIgnoredSource } from '../../../server/src/service/types';

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

test('checks that share a step are lettered (1a, 1b, 7a, 7b) in the checks and the report; a step alone keeps its number', () => {
  const inventory = inventory82576();
  inventory.readiness = hostReadiness();
  const checks = readinessChecks(inventory);
  assert.deepEqual(
    checks.map((c) => `${c.label} ${c.id}`),
    [
      '1a iommu',
      '1b interrupt-remapping',
      '2 sriov-device',
      '3 pf-driver',
      '4 vfs-enabled',
      '5 vfs-persistent',
      '6 vfs-visible',
      '7a vfs-free',
      '7b vf-pools',
      '8 vfio-pci',
    ],
  );
  const report = readinessReport('kvm1', checks);
  assert.match(report, /^ {2}1a\. IOMMU enabled .*: PASS$/m);
  assert.match(report, /^ {2}7b\. VF pools .*: (PASS|WARN|FAIL)$/m);
  assert.doesNotMatch(report, /^ {2}1\. /m);
  assert.match(readinessReport('kvm1', checks, { statusFirst: true }), /^PASS {2}1b\. IOMMU interrupt remapping$/m);
  // without an IOMMU, step 1 has its IOMMU check alone
  inventory.readiness = hostReadiness({}, { groups: 0 });
  assert.equal(readinessChecks(inventory)[0].label, '1');
});

test('counts of one read "1 VF" and "1 group" in the steps and the pool lines, never "1 VFs"', () => {
  const inventory = inventory82576();
  inventory.readiness = hostReadiness({}, { groups: 1 });
  const pf = inventory.devices.find((d) => d.kind === 'pf')!;
  const vf = inventory.devices.find((d) => d.kind === 'vf' && d.pf === pf.address)!;
  inventory.devices = inventory.devices.filter((d) => d === pf || d === vf || d.kind === 'pci');
  pf.totalVfs = 1;
  pf.numVfs = 1;
  inventory.guests = [];
  inventory.networks = [{ name: 'one', active: false, addresses: [vf.address], forwardMode: 'hostdev', autostart: true }];
  const text = readinessReport('kvm1', readinessChecks(inventory));
  assert.doesNotMatch(text, /\b1 (VFs|groups)\b/);
  assert.match(text, /IOMMU on \(dmar0\), 1 group$/m);
  assert.match(text, /up to 1 VF$/m);
  assert.match(text, /1 of 1 VF enabled$/m);
  assert.match(text, /^ +1 VF in sysfs$/m);
  assert.match(text, /1 VF, none handed out while inactive/);
});

test('step 5 warns on a line that makes no VF at boot, saying why and what does: an option the driver lacks, a refused keyfile, a rule before the driver', () => {
  const step5 = (ignored: VfIgnoredSource[], extra: Partial<HostReadiness> = {}) => {
    const inventory = inventory82576();
    for (const d of inventory.devices) if (d.kind === 'pf') d.driver = 'i40e';
    inventory.readiness = hostReadiness({
      vfPersistence: { '0000:0b:00.0': [], '0000:0b:00.1': [] },
      vfIgnored: { '0000:0b:00.0': ignored },
      ...extra,
    });
    const check = readinessChecks(inventory).find((c) => c.id === 'vfs-persistent')!;
    return [check.status, check.details.filter((d) => !/created at runtime only/.test(d)).join('\n')];
  };
  const option = { mechanism: 'modprobe' as const, file: 'etc/modprobe.d/i40e.conf', detail: 'options i40e max_vfs=4', count: 4 };
  const [status, text] = step5([{ ...option, reason: 'no-such-parameter' }]);
  assert.equal(status, 'warn');
  assert.match(
    text,
    /i40e has no max_vfs parameter, so the kernel loads it and ignores the option \("i40e: unknown parameter 'max_vfs' ignored"\)/,
  );
  assert.match(text, /remove it and add the udev rule 'ACTION=="add", SUBSYSTEM=="net", KERNELS=="0000:0b:00\.0"/);
  assert.match(text, /systemd unit, NetworkManager's \[sriov\] total-vfs or netplan's virtual-function-count/);
  const keyfile = {
    mechanism: 'networkmanager' as const,
    file: 'etc/NetworkManager/system-connections/pf.nmconnection',
    detail: '[sriov] total-vfs=4',
  };
  assert.match(
    step5([{ ...keyfile, reason: 'insecure-keyfile', mode: '644', owner: 0 }])[1] as string,
    /NetworkManager does not load this keyfile \("File permissions \(644\) are insecure"\).*chown root:root \/etc\/NetworkManager\/system-connections\/pf\.nmconnection && chmod 600 /,
  );
  assert.match(
    step5([{ ...keyfile, reason: 'insecure-keyfile', mode: '600', owner: 1000 }])[1] as string,
    /"File owner \(1000\) is insecure"/,
  );
  const rule = {
    mechanism: 'udev' as const,
    file: 'etc/udev/rules.d/70-sriov.rules',
    detail: 'ACTION=="add", SUBSYSTEM=="pci", ATTR{sriov_numvfs}="4"',
  };
  assert.match(
    step5([{ ...rule, reason: 'before-driver' }])[1] as string,
    /runs on the PCI device's add event, before its driver binds: .*"no driver bound to device; cannot configure SR-IOV".*write ACTION=="bind" in it/,
  );
});

test('step 5 names the mode and owner of a keyfile it could not read, and warns when NetworkManager would refuse it anyway', () => {
  const inventory = inventory82576();
  const f = 'etc/NetworkManager/system-connections/a.nmconnection';
  const g = 'etc/NetworkManager/system-connections/b.nmconnection';
  const sources = [{ mechanism: 'modprobe' as const, file: 'etc/modprobe.d/igb.conf', detail: 'options igb max_vfs=7', count: 7 }];
  inventory.readiness = hostReadiness({
    vfPersistence: { '0000:0b:00.0': sources, '0000:0b:00.1': sources },
    unreadable: [f],
    unreadableKeyfiles: { [f]: { mode: '600', owner: 0 } },
  });
  const check = () => readinessChecks(inventory).find((c) => c.id === 'vfs-persistent')!;
  assert.equal(check().status, 'pass');
  assert.match(
    check().details.join('\n'),
    /could not read \/etc\/NetworkManager\/system-connections\/a\.nmconnection \(mode 600, owner root\) \(run as root/,
  );
  inventory.readiness.unreadable.push(g);
  inventory.readiness.unreadableKeyfiles![g] = { mode: '640', owner: 0 };
  assert.equal(check().status, 'warn');
  assert.match(
    check().details.join('\n'),
    /b\.nmconnection: NetworkManager does not load this keyfile \("File permissions \(640\) are insecure"\)/,
  );
});
