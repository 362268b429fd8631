// Readiness phrases shared by the rules, hover, the status tooltip and the SR-IOV view (service/readiness.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ignoredAdvice, readinessNotes } from '../../../server/src/service/readiness';
import { persistenceFix } from '../../../server/src/service/persistenceFix';
import { validate } from '../../../server/src/service/index';
import { readinessChecks } from '../../../server/src/service/readinessChecks';
import type { InventoryDevice, VfIgnoredSource, VfPersistenceSource } from '../../../server/src/service/types';
import { hostReadiness, inventory82576 } from './helpers';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../../..');

const pf = (driver: string, netdev: string | null): InventoryDevice => ({
  address: '0000:5e:00.0',
  kind: 'pf',
  vendor: '0x15b3',
  product: '0x1017',
  driver,
  iommuGroup: 1,
  numaNode: 0,
  netdev,
  mac: null,
  totalVfs: 8,
  numVfs: 4,
});

/** A host with this PF alone and no readiness read. */
const ALONE = { devices: [], readiness: undefined };

test('persistenceFix: modprobe options for drivers that take max_vfs/num_vfs, a udev rule otherwise', () => {
  assert.match(persistenceFix(pf('igb', 'enp1s0f0'), ALONE), /"options igb max_vfs=4" to \/etc\/modprobe\.d\/igb\.conf/);
  assert.match(persistenceFix(pf('mlx4_core', 'ens1'), ALONE), /"options mlx4_core num_vfs=4"/);
  assert.match(persistenceFix(pf('mlx5_core', 'enp94s0f0np0'), ALONE), /KERNELS=="0000:5e:00\.0", ATTR\{device\/sriov_numvfs\}="4"/);
  assert.match(persistenceFix(pf('mlx5_core', null), ALONE), /SUBSYSTEM=="pci", KERNEL=="0000:5e:00\.0", ATTR\{sriov_numvfs\}="4"/);
});

test("persistenceFix: on the PF's net device when it is added, found by its PCI address (udev renames it only after the rules); without one, when the PCI device's driver binds", () => {
  assert.match(persistenceFix(pf('mlx5_core', null), ALONE), /'ACTION=="bind", SUBSYSTEM=="pci", KERNEL=="0000:5e:00\.0"/);
  for (const netdev of ['enp94s0f0np0', 'en*'])
    assert.match(persistenceFix(pf('mlx5_core', netdev), ALONE), /'ACTION=="add", SUBSYSTEM=="net", KERNELS=="0000:5e:00\.0", ATTR/);
});

test('persistenceFix: a max_vfs=0 the kernel keeps is changed where it is, a kernel command line one removed, and a masked DRIVER.conf left for another name', () => {
  const igb = pf('igb', 'enp1s0f0');
  const withReadiness = (r: Partial<NonNullable<Parameters<typeof persistenceFix>[1]['readiness']>>) => ({
    devices: [],
    readiness: hostReadiness({ vfPersistence: { [igb.address]: [] }, ...r }),
  });
  const zeroLine: VfPersistenceSource = {
    mechanism: 'modprobe',
    file: 'etc/modprobe.d/sriov.conf',
    detail: 'options igb max_vfs=0 debug=0',
  };
  const zeroWord: VfPersistenceSource = { mechanism: 'kernel-cmdline', file: 'proc/cmdline', detail: 'igb.max_vfs=0' };
  // a new line in igb.conf would come before sriov.conf's, whose 0 the kernel keeps
  assert.equal(
    persistenceFix(igb, withReadiness({ vfZeroOptions: { [igb.address]: [zeroLine] } })),
    'change max_vfs=0 to max_vfs=4 in /etc/modprobe.d/sriov.conf ("options igb max_vfs=0 debug=0": the last max_vfs kmod gives igb, ' +
      'which the kernel keeps) (and rebuild the initramfs if igb loads from it)',
  );
  assert.equal(
    persistenceFix(igb, withReadiness({ vfZeroOptions: { [igb.address]: [zeroWord] } })),
    'remove igb.max_vfs=0 from the kernel command line and add "options igb max_vfs=4" to /etc/modprobe.d/igb.conf (and rebuild the initramfs if igb loads from it)',
  );
  assert.match(
    persistenceFix(igb, withReadiness({ vfZeroOptions: { [igb.address]: [zeroWord, zeroLine] } })),
    /^remove igb\.max_vfs=0 from the kernel command line and change max_vfs=0 to max_vfs=4 in \/etc\/modprobe\.d\/sriov\.conf /,
  );
  assert.equal(
    persistenceFix(igb, withReadiness({ maskedModprobe: ['etc/modprobe.d/igb.conf'] })),
    'add "options igb max_vfs=4" to /etc/modprobe.d/igb-sriov.conf (/etc/modprobe.d/igb.conf masks its name: a line there may never be read) ' +
      '(and rebuild the initramfs if igb loads from it)',
  );
  // another PF's zero, or a masked file of another name, changes nothing
  const plain = 'add "options igb max_vfs=4" to /etc/modprobe.d/igb.conf (and rebuild the initramfs if igb loads from it)';
  assert.equal(persistenceFix(igb, withReadiness({ vfZeroOptions: { '0000:5e:00.1': [zeroLine] } })), plain);
  assert.equal(persistenceFix(igb, withReadiness({ maskedModprobe: ['usr/lib/modprobe.d/igb.conf', 'etc/modprobe.d/ixgbe.conf'] })), plain);
});

// igb's and ixgbe's max_vfs is one unsigned number for every port the driver probes (module_param(max_vfs, uint, …)).
test('readinessChecks step 5: igb PFs that keep different VF counts get a udev rule each, never two contradicting "options igb max_vfs" lines', () => {
  const step5 = (counts: [number, number]) => {
    const inventory = inventory82576();
    for (const d of inventory.devices) if (d.kind === 'pf') d.numVfs = d.address === '0000:0b:00.0' ? counts[0] : counts[1];
    inventory.readiness = hostReadiness({ maxVfsDrivers: ['igb'], vfPersistence: { '0000:0b:00.0': [], '0000:0b:00.1': [] } });
    return readinessChecks(inventory).find((c) => c.id === 'vfs-persistent')!.details;
  };
  const why = `(not "options igb max_vfs=…": igb takes one count for all its PFs, and this host's have 7 and 2 VFs)`;
  assert.deepEqual(step5([7, 2]), [
    `0000:0b:00.0: created at runtime only, lost at reboot: add the udev rule 'ACTION=="add", SUBSYSTEM=="net", KERNELS=="0000:0b:00.0", ATTR{device/sriov_numvfs}="7"' to /etc/udev/rules.d/70-sriov.rules ${why}`,
    `0000:0b:00.1: created at runtime only, lost at reboot: add the udev rule 'ACTION=="add", SUBSYSTEM=="net", KERNELS=="0000:0b:00.1", ATTR{device/sriov_numvfs}="2"' to /etc/udev/rules.d/70-sriov.rules ${why}`,
  ]);
  // a PF with no VFs would get them from a module option too
  assert.match(step5([7, 0])[0], /KERNELS=="0000:0b:00\.0", ATTR\{device\/sriov_numvfs\}="7".* this host's have 7 and 0 VFs\)$/);
  const same = step5([7, 7]);
  assert.equal(same.length, 2);
  for (const line of same) assert.match(line, /: add "options igb max_vfs=7" to \/etc\/modprobe\.d\/igb\.conf/);
});

test('readinessNotes: IOMMU line first, missing vfio-pci, each PF with runtime-only VFs (naming a NetworkManager profile a boot does not activate), a short boot or a boot line that removes its VFs; nothing without readiness', () => {
  const inventory = inventory82576();
  assert.deepEqual(readinessNotes(inventory), []);
  inventory.readiness = hostReadiness(
    {
      kernelCmdline: 'ro',
      vfioPci: 'missing',
      vfPersistence: { '0000:0b:00.0': [], '0000:0b:00.1': [{ mechanism: 'udev', file: 'etc/udev/rules.d/70.rules', detail: 'x' }] },
    },
    { groups: 0, units: [], cmdline: [], interruptRemapping: 'unknown' },
  );
  const notes = readinessNotes(inventory);
  assert.match(notes[0], /^No IOMMU: no device can be assigned \(no intel_iommu=on/);
  assert.match(notes[1], /^vfio-pci not found/);
  assert.deepEqual(notes.slice(2), ["PF 0000:0b:00.0 ('enp11s0f0'): 7 VFs created at runtime only, gone after a host reboot"]);
  // a NetworkManager profile that sets the count but that a boot does not activate: named
  inventory.readiness.vfNotAtBoot = {
    '0000:0b:00.0': [{ mechanism: 'networkmanager', file: 'etc/NetworkManager/system-connections/a.nmconnection', detail: 'z', count: 7 }],
  };
  assert.deepEqual(readinessNotes(inventory).slice(2), [
    "PF 0000:0b:00.0 ('enp11s0f0'): 7 VFs created at runtime only, gone after a host reboot " +
      '(a boot does not activate NetworkManager (/etc/NetworkManager/system-connections/a.nmconnection: z))',
  ]);
  delete inventory.readiness.vfNotAtBoot;
  // a boot line that sets fewer VFs than the PF has now: the status says which will not come back
  inventory.readiness.vfPersistence['0000:0b:00.0'] = [
    { mechanism: 'modprobe', file: 'etc/modprobe.d/igb.conf', detail: 'options igb max_vfs=2', count: 2 },
  ];
  assert.deepEqual(readinessNotes(inventory).slice(2), [
    "PF 0000:0b:00.0 ('enp11s0f0'): a boot restores 2 of the 7 VFs (VFs 2..6 will not come back)",
  ]);
  // a line that writes 0 beside one that creates them
  inventory.readiness.vfPersistence['0000:0b:00.0'] = [{ mechanism: 'udev', file: 'etc/udev/rules.d/70.rules', detail: 'x', count: 7 }];
  inventory.readiness.vfRemovals = { '0000:0b:00.0': [{ mechanism: 'udev', file: 'etc/udev/rules.d/99.rules', detail: 'y', count: 0 }] };
  assert.deepEqual(readinessNotes(inventory).slice(2), [
    "PF 0000:0b:00.0 ('enp11s0f0'): a boot line removes the VFs another creates (0 to sriov_numvfs): they may not come back",
  ]);
});

test('readinessChecks without an SR-IOV device: steps 3-5 say why they fail instead of an empty FAIL; an unknown vfio-pci says what could not be read', () => {
  const inventory = inventory82576();
  inventory.devices = inventory.devices.filter((d) => d.kind === 'pci');
  inventory.readiness = hostReadiness({ vfioPci: 'unknown' });
  const checks = readinessChecks(inventory);
  for (const id of ['pf-driver', 'vfs-enabled', 'vfs-persistent']) {
    const check = checks.find((c) => c.id === id)!;
    assert.deepEqual([check.status, check.details], ['fail', ['no SR-IOV device (step 2)']], id);
  }
  const vfio = checks.find((c) => c.id === 'vfio-pci')!;
  assert.deepEqual(
    [vfio.status, vfio.details],
    ['warn', ['unknown: vfio-pci is not loaded, and the kernel modules (modinfo, /lib/modules) could not be read']],
  );
});

// Linux refuses only '/', ':', whitespace, "." and ".." in an interface name (dev_valid_name), so a
// PF's name may hold udev's pattern characters (* ? [ ] |), its quote, its escape or our message's '.
test('persistenceFix: the suggested udev rule is well-formed and matches this PF only, whatever its interface name', () => {
  const names = ['enp94s0f0np0', 'en*', 'x?y', 'e[0]', 'a|b', 'a"b', 'a\\b', "it's", '%k', '$x'];
  for (const netdev of names) {
    const fix = persistenceFix(pf('mlx5_core', netdev), ALONE);
    const m = /^add the udev rule '([^']*)' to \/etc\/udev\/rules\.d\/70-sriov\.rules$/.exec(fix);
    assert.ok(m, `${netdev}: ${fix}`);
    // every key is KEY=="value" or KEY="value" with a value free of quotes, and nothing else is on the line
    const pairs = m[1].split(', ').map((p) => /^([A-Z]+(?:\{[^}"]*\})?)(==|=)"([^"]*)"$/.exec(p));
    assert.ok(
      pairs.every((p) => p !== null),
      `${netdev}: ${m[1]}`,
    );
    const keys = new Map(pairs.map((p) => [`${p![1]}${p![2]}`, p![3]]));
    // the PF by its PCI address, whatever its interface is called: no glob, alternation, escape or substitution character
    assert.deepEqual(
      [keys.get('SUBSYSTEM=='), keys.get('KERNELS=='), keys.get('ATTR{device/sriov_numvfs}=')],
      ['net', '0000:5e:00.0', '4'],
      netdev,
    );
    assert.equal(keys.get('KERNEL=='), undefined, netdev);
  }
});

test('readinessChecks: interrupt remapping off on the command line fails with both ways out; allow_unsafe_interrupts=Y makes it a warning that says it is insecure', () => {
  const remapping = (interruptRemapping: 'supported' | 'disabled' | 'unknown', unsafeInterrupts?: boolean) => {
    const inventory = inventory82576();
    inventory.readiness = hostReadiness({ kernelCmdline: 'ro intel_iommu=on intremap=off' }, { interruptRemapping });
    if (unsafeInterrupts !== undefined) inventory.readiness.iommu.unsafeInterrupts = unsafeInterrupts;
    const check = readinessChecks(inventory).find((c) => c.id === 'interrupt-remapping')!;
    return [check.status, check.details.join('\n')];
  };
  for (const unsafe of [undefined, false]) {
    const [status, detail] = remapping('disabled', unsafe);
    assert.equal(status, 'fail', String(unsafe));
    assert.match(detail, /vfio refuses every device/);
    assert.match(detail, /remove intremap=off\/nointremap from the kernel command line/);
    assert.match(detail, /add "options vfio_iommu_type1 allow_unsafe_interrupts=1" to \/etc\/modprobe\.d\/vfio\.conf/);
  }
  const [allowed, allowedDetail] = remapping('disabled', true);
  assert.equal(allowed, 'warn');
  assert.match(allowedDetail, /allow_unsafe_interrupts=Y lets vfio assign devices anyway/);
  assert.doesNotMatch(allowedDetail, /refuses/);
  const [unknown, unknownDetail] = remapping('unknown');
  assert.equal(unknown, 'warn');
  assert.match(unknownDetail, /dmesg .*"options vfio_iommu_type1 allow_unsafe_interrupts=1" in \/etc\/modprobe\.d\/vfio\.conf/);
  assert.equal(remapping('unknown', true)[0], 'warn');
  assert.match(remapping('unknown', true)[1], /allow_unsafe_interrupts=Y lets vfio assign devices anyway/);
  assert.deepEqual(remapping('supported'), ['pass', 'supported by the IOMMU']);
});

test('readinessChecks: a PF without VFs gets the write that creates them in step 4; with no VFs at all step 5 says why it fails', () => {
  const inventory = inventory82576();
  inventory.devices = inventory.devices.filter((d) => d.kind !== 'vf').map((d) => (d.kind === 'pf' ? { ...d, numVfs: 0 } : d));
  inventory.readiness = hostReadiness({ vfPersistence: { '0000:0b:00.0': [], '0000:0b:00.1': [] } });
  const checks = readinessChecks(inventory);
  const created = checks.find((c) => c.id === 'vfs-enabled')!;
  assert.equal(created.status, 'fail');
  assert.deepEqual(created.details, [
    '0000:0b:00.0: 0 of 7 VFs enabled: create them with echo 7 > /sys/bus/pci/devices/0000:0b:00.0/sriov_numvfs (step 5 keeps them)',
    '0000:0b:00.1: 0 of 7 VFs enabled: create them with echo 7 > /sys/bus/pci/devices/0000:0b:00.1/sriov_numvfs (step 5 keeps them)',
  ]);
  const persistent = checks.find((c) => c.id === 'vfs-persistent')!;
  assert.deepEqual([persistent.status, persistent.details], ['fail', ['no PF has VFs yet (step 4)']]);
});

test('readinessChecks: an unknown vfio-pci from a sysfs copy alone says so and how to give the rest, not that the modules could not be read', () => {
  const inventory = inventory82576();
  inventory.readiness = hostReadiness({ kernelCmdline: null, vfioPci: 'unknown' }, { cmdline: [] });
  const vfio = readinessChecks(inventory).find((c) => c.id === 'vfio-pci')!;
  assert.deepEqual(
    [vfio.status, vfio.details],
    [
      'warn',
      [
        "unknown: vfio-pci is not loaded, and only a sysfs copy was read (to look for the module, give --host-root, or the host's hostRoot setting in the editor)",
      ],
    ],
  );
});

test('readinessNotes: interrupt remapping turned off on the command line (vfio refuses every device) follows the IOMMU line; allowed unsafe interrupts are no note', () => {
  const inventory = inventory82576();
  const notesWith = (unsafeInterrupts: boolean | undefined) => {
    inventory.readiness = hostReadiness(
      { kernelCmdline: 'ro intel_iommu=on intremap=off' },
      { cmdline: ['intel_iommu=on', 'intremap=off'], interruptRemapping: 'disabled' },
    );
    if (unsafeInterrupts !== undefined) inventory.readiness.iommu.unsafeInterrupts = unsafeInterrupts;
    return readinessNotes(inventory);
  };
  const notes = notesWith(undefined);
  assert.equal(notes.length, 2, notes.join('\n'));
  assert.match(
    notes[1],
    /^Interrupt remapping disabled on the kernel command line \(intremap=off\/nointremap\): vfio refuses every device/,
  );
  assert.deepEqual(notesWith(true), ['IOMMU on (dmar0), 34 groups']);
});

/** The 82576 host (two igb PFs with 7 VFs each) whose first PF's VFs come back from `sources` at boot. */
function restoredBy(sources: VfPersistenceSource[]) {
  const inventory = inventory82576();
  inventory.readiness = hostReadiness({
    maxVfsDrivers: ['igb'],
    vfPersistence: {
      '0000:0b:00.0': sources,
      '0000:0b:00.1': [{ mechanism: 'udev', file: 'etc/udev/rules.d/70-sriov.rules', detail: 'x', count: 7 }],
    },
  });
  return inventory;
}
const MAX_VFS_2: VfPersistenceSource = {
  mechanism: 'modprobe',
  file: 'etc/modprobe.d/igb.conf',
  detail: 'options igb max_vfs=2',
  count: 2,
};

test("readinessChecks step 5: a source that sets another count than the PF has now warns with its file, its count and the PF's", () => {
  const step5 = (sources: VfPersistenceSource[]) => readinessChecks(restoredBy(sources)).find((c) => c.id === 'vfs-persistent')!;
  const fewer = step5([MAX_VFS_2]);
  assert.equal(fewer.status, 'warn');
  assert.ok(
    fewer.details.includes('0000:0b:00.0: /etc/modprobe.d/igb.conf sets 2 VFs at boot, the PF has 7 now: VFs 2..6 will not come back'),
  );
  const more = step5([{ ...MAX_VFS_2, count: 9 }]);
  assert.equal(more.status, 'warn');
  assert.ok(more.details.includes('0000:0b:00.0: /etc/modprobe.d/igb.conf sets 9 VFs at boot, the PF has 7 now'));
  assert.equal(step5([{ ...MAX_VFS_2, count: 7 }]).status, 'pass');
  // a source whose count is not read keeps counting as persistence
  const { count: _, ...unread } = MAX_VFS_2;
  assert.equal(step5([unread]).status, 'pass');
});

test('vf-not-persistent warns on a VF whose index the boot-time count does not reach, and on no VF below it', () => {
  const vf = (fn: number) =>
    `<interface type='hostdev' managed='yes'><source><address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x${fn}'/></source></interface>`;
  const codes = (fn: number, sources: VfPersistenceSource[]) =>
    validate(vf(fn), { inventory: restoredBy(sources) }).filter((p) => p.code === 'vf-not-persistent');
  // 0b:10.6 is VF 3 of 0b:00.0, 0b:10.2 its VF 1
  const [lost] = codes(6, [MAX_VFS_2]);
  assert.match(lost.message, /^VF 0000:0b:10\.6 does not come back after a host reboot: the boot sets 2 VFs of 7 — /);
  assert.match(
    lost.message,
    /\/etc\/modprobe\.d\/igb\.conf: options igb max_vfs=2\) sets 2 VFs .*: VFs 2\.\.6 will not come back\. Make the boot set 7\./,
  );
  assert.deepEqual(codes(2, [MAX_VFS_2]), []);
  assert.deepEqual(codes(6, [{ ...MAX_VFS_2, count: 7 }]), []);
  const { count: _, ...unread } = MAX_VFS_2;
  assert.deepEqual(codes(6, [unread]), []);
});

test("readinessChecks step 5: a max_vfs list for igb fails with the kernel's refusal and the one-count line instead, for every PF of the driver", () => {
  const inventory = restoredBy([]);
  const list: VfPersistenceSource = { mechanism: 'modprobe', file: 'etc/modprobe.d/igb.conf', detail: 'options igb max_vfs=7,7' };
  inventory.readiness!.vfPersistence['0000:0b:00.1'] = [];
  inventory.readiness!.vfRefused = { '0000:0b:00.0': [list], '0000:0b:00.1': [list] };
  const step5 = readinessChecks(inventory).find((c) => c.id === 'vfs-persistent')!;
  assert.equal(step5.status, 'fail');
  for (const pf of ['0000:0b:00.0', '0000:0b:00.1'])
    assert.ok(
      step5.details.includes(
        `${pf}: modprobe.d (/etc/modprobe.d/igb.conf: options igb max_vfs=7,7) gives igb a list of counts: its max_vfs is one number for every port ` +
          `and the kernel refuses a list ("\`7,7' invalid for parameter \`max_vfs'"), so igb does not load with it: ` +
          `remove it and add "options igb max_vfs=7" to /etc/modprobe.d/igb.conf (and rebuild the initramfs if igb loads from it)`,
      ),
      step5.details.join('\n'),
    );
});

test('vf-not-persistent on a PF whose only line is a refused max_vfs list names that line and says to replace it', () => {
  const inventory = restoredBy([]);
  inventory.readiness!.vfRefused = {
    '0000:0b:00.0': [{ mechanism: 'modprobe', file: 'etc/modprobe.d/igb.conf', detail: 'options igb max_vfs=7,7' }],
  };
  const text =
    "<hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0x0000' bus='0x0b' slot='0x10' function='0x2'/></source></hostdev>";
  const [problem] = validate(text, { inventory }).filter((p) => p.code === 'vf-not-persistent');
  assert.match(
    problem.message,
    /nothing recreates the VFs of PF 0000:0b:00\.0 .* at boot \(the kernel refuses modprobe\.d \(\/etc\/modprobe\.d\/igb\.conf: options igb max_vfs=7,7\): igb's max_vfs is one number, and igb does not load with a list; replace it\), so/,
  );
});

test('vf-not-persistent and readiness step 5 on a PF whose only line is a NetworkManager profile with autoconnect=false: it sets the count but creates no VF at boot', () => {
  const inventory = restoredBy([]);
  const profile: VfPersistenceSource = {
    mechanism: 'networkmanager',
    file: 'etc/NetworkManager/system-connections/enp11s0f0.nmconnection',
    detail: '[sriov] total-vfs=7 (interface-name=enp11s0f0) (autoconnect=false)',
    count: 7,
  };
  inventory.readiness!.vfNotAtBoot = { '0000:0b:00.0': [profile] };
  const advice =
    'NetworkManager (/etc/NetworkManager/system-connections/enp11s0f0.nmconnection: [sriov] total-vfs=7 (interface-name=enp11s0f0) (autoconnect=false)) ' +
    'sets 7 VFs, but NetworkManager does not activate that profile at boot, so it creates none: set autoconnect=true in it';
  const text =
    "<hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0x0000' bus='0x0b' slot='0x10' function='0x2'/></source></hostdev>";
  const [problem] = validate(text, { inventory }).filter((p) => p.code === 'vf-not-persistent');
  assert.ok(problem.message.includes(`at boot (${advice}), so the guest fails to start`), problem.message);
  const step5 = readinessChecks(inventory).find((c) => c.id === 'vfs-persistent')!;
  assert.equal(step5.status, 'warn');
  assert.ok(step5.details.includes(`0000:0b:00.0: ${advice}`), step5.details.join('\n'));
});

test('vf-not-persistent and readiness step 5 on a PF whose only line is an ifupdown stanza no auto line brings up: it names the stanza and the auto line to add', () => {
  const inventory = restoredBy([]);
  const stanza: VfPersistenceSource = {
    mechanism: 'ifupdown',
    file: 'etc/network/interfaces',
    detail: 'iface enp11s0f0 inet manual: pre-up echo 7 > /sys/class/net/$IFACE/device/sriov_numvfs',
    count: 7,
  };
  inventory.readiness!.vfNotAtBoot = { '0000:0b:00.0': [stanza] };
  const advice =
    'ifupdown (/etc/network/interfaces: iface enp11s0f0 inet manual: pre-up echo 7 > /sys/class/net/$IFACE/device/sriov_numvfs) ' +
    'sets 7 VFs, but no "auto" or "allow-hotplug" line names that interface, so a boot does not bring it up and it creates none: ' +
    'add "auto enp11s0f0" to /etc/network/interfaces';
  const text =
    "<hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0x0000' bus='0x0b' slot='0x10' function='0x2'/></source></hostdev>";
  const [problem] = validate(text, { inventory }).filter((p) => p.code === 'vf-not-persistent');
  assert.ok(problem.message.includes(`at boot (${advice}), so the guest fails to start`), problem.message);
  const step5 = readinessChecks(inventory).find((c) => c.id === 'vfs-persistent')!;
  assert.ok(step5.details.includes(`0000:0b:00.0: ${advice}`), step5.details.join('\n'));
  // a stanza name past the budget is shortened in the advice
  const long = 'x'.repeat(300);
  inventory.readiness!.vfNotAtBoot = {
    '0000:0b:00.0': [{ ...stanza, detail: `iface ${long} inet manual: pre-up echo 7 > /sys/bus/pci/devices/0000:0b:00.0/sriov_numvfs` }],
  };
  const [shortened] = validate(text, { inventory }).filter((p) => p.code === 'vf-not-persistent');
  assert.ok(shortened.message.includes(`add "auto ${'x'.repeat(100)}…" to /etc/network/interfaces`), shortened.message);
});

/** A managed VF pool document of `forward`'s <pf> or <address>es, as net-define takes it. */
const poolDocument = (forward: string) => `<network><name>pool9</name><forward mode='hostdev' managed='yes'>${forward}</forward></network>`;
const poolAddress = (fn: number) => `<address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x${fn}'/>`;
const persistenceWarnings = (text: string, inventory: ReturnType<typeof restoredBy>) =>
  validate(text, { inventory }).filter((p) => p.code === 'vf-not-persistent');

test("vf-not-persistent on a pool's <pf dev> whose boot line restores fewer VFs than the PF has now, as a guest's VF gets it", () => {
  const text = poolDocument("<pf dev='enp11s0f0'/>");
  const [short] = persistenceWarnings(text, restoredBy([MAX_VFS_2]));
  assert.equal(short.severity, 'warning');
  assert.equal(text.slice(short.span.start, short.span.end), 'enp11s0f0');
  assert.match(short.message, /^PF 'enp11s0f0': a boot restores 2 of the 7 VFs \(VFs 2\.\.6 will not come back\)/);
  assert.match(
    short.message,
    /At boot modprobe\.d \(\/etc\/modprobe\.d\/igb\.conf: options igb max_vfs=2\) sets 2 VFs of PF 0000:0b:00\.0 .*, which has 7 now: VFs 2\.\.6 will not come back\. Make the boot set 7\.$/,
  );
  assert.deepEqual(persistenceWarnings(text, restoredBy([{ ...MAX_VFS_2, count: 7 }])), []);
  const { count: _, ...unread } = MAX_VFS_2;
  assert.deepEqual(persistenceWarnings(text, restoredBy([unread])), []);
  // the second PF's udev rule sets its 7
  assert.deepEqual(persistenceWarnings(poolDocument("<pf dev='enp11s0f1'/>"), restoredBy([MAX_VFS_2])), []);
});

test("vf-not-persistent on each pool <address> whose VF the boot does not recreate, in a guest's VF's words; none without readiness", () => {
  // 0b:10.2 is VF 1 of 0b:00.0, 0b:10.6 its VF 3; 0b:10.3 is VF 1 of 0b:00.1
  const text = poolDocument(poolAddress(2) + poolAddress(6) + poolAddress(3));
  const on = (problems: { span: { start: number; end: number } }[]) =>
    problems.map((p) => /function='(0x\d)'/.exec(text.slice(p.span.start, text.indexOf('/>', p.span.start)))![1]);
  const short = persistenceWarnings(text, restoredBy([MAX_VFS_2]));
  assert.deepEqual(on(short), ['0x6']);
  assert.match(short[0].message, /^VF 0000:0b:10\.6 does not come back after a host reboot: the boot sets 2 VFs of 7 — /);
  const runtime = persistenceWarnings(text, restoredBy([]));
  assert.deepEqual(on(runtime), ['0x2', '0x6']);
  assert.match(runtime[0].message, /^VF 0000:0b:10\.2 was created at runtime: gone after a host reboot — /);
  assert.match(runtime[0].message, /To keep its 7 VFs, add "options igb max_vfs=7" to \/etc\/modprobe\.d\/igb\.conf/);
  const unknown = restoredBy([]);
  delete unknown.readiness;
  assert.deepEqual(persistenceWarnings(text, unknown), []);
  assert.deepEqual(persistenceWarnings(poolDocument("<pf dev='enp11s0f0'/>"), unknown), []);
});

test("vf-not-persistent on a pool's <pf dev> whose only line is a refused max_vfs list names that line, as a guest's VF does", () => {
  const inventory = restoredBy([]);
  inventory.readiness!.vfRefused = {
    '0000:0b:00.0': [{ mechanism: 'modprobe', file: 'etc/modprobe.d/igb.conf', detail: 'options igb max_vfs=7,7' }],
  };
  const [problem] = persistenceWarnings(poolDocument("<pf dev='enp11s0f0'/>"), inventory);
  assert.match(
    problem.message,
    /Nothing recreates them at boot \(the kernel refuses modprobe\.d \(\/etc\/modprobe\.d\/igb\.conf: options igb max_vfs=7,7\): igb's max_vfs is one number, and igb does not load with a list; replace it\)\. To keep them/,
  );
});

test('vf-not-persistent on a VF whose PF a boot line creates and another removes (writes 0) names both; a PF without a source names the removal', () => {
  const text = `<interface type='hostdev' managed='yes'><source><address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x2'/></source></interface>`;
  const zero: VfPersistenceSource = {
    mechanism: 'networkmanager',
    file: 'etc/NetworkManager/system-connections/enp11s0f0.nmconnection',
    detail: '[sriov] total-vfs=0 (interface-name=enp11s0f0)',
    count: 0,
  };
  const inventory = restoredBy([{ ...MAX_VFS_2, detail: 'options igb max_vfs=7', count: 7 }]);
  assert.deepEqual(persistenceWarnings(text, inventory), [], 'a source alone keeps it');
  inventory.readiness!.vfRemovals = { '0000:0b:00.0': [zero] };
  const [both] = persistenceWarnings(text, inventory);
  assert.match(
    both.message,
    /^VF 0000:0b:10\.2 may not come back after a host reboot: a boot line also removes the VFs of PF 0000:0b:00\.0 /,
  );
  assert.match(
    both.message,
    /At boot modprobe\.d \(\/etc\/modprobe\.d\/igb\.conf: options igb max_vfs=7\) creates them, but NetworkManager \(\/etc\/NetworkManager\/system-connections\/enp11s0f0\.nmconnection: \[sriov\] total-vfs=0 \(interface-name=enp11s0f0\)\) writes 0 to sriov_numvfs, which removes them: the one that runs last decides\. Remove it or make it set 7\./,
  );
  inventory.readiness!.vfPersistence['0000:0b:00.0'] = [];
  const [runtime] = persistenceWarnings(text, inventory);
  assert.match(runtime.message, /^VF 0000:0b:10\.2 was created at runtime/);
  assert.match(runtime.message, /at boot \(NetworkManager \(.*total-vfs=0 .*\) writes 0 to its sriov_numvfs, which removes them\), so/);
});

test("vf-not-persistent on a pool's <pf dev> whose VFs a boot line creates and another removes: the pool may be empty after a reboot", () => {
  const inventory = restoredBy([{ ...MAX_VFS_2, detail: 'options igb max_vfs=7', count: 7 }]);
  const text = poolDocument("<pf dev='enp11s0f0'/>");
  assert.deepEqual(persistenceWarnings(text, inventory), []);
  inventory.readiness!.vfRemovals = {
    '0000:0b:00.0': [
      { mechanism: 'systemd', file: 'etc/systemd/system/reset.service', detail: 'ExecStart=/bin/sh -c "echo 0 > x"', count: 0 },
    ],
  };
  const [pf] = persistenceWarnings(text, inventory);
  assert.match(pf.message, /^PF 'enp11s0f0': a boot line removes the VFs another creates, so after a host reboot the pool may be empty — /);
  assert.match(pf.message, /No usable Vf's present on SRIOV PF enp11s0f0/);
  assert.match(
    pf.message,
    /systemd unit \(\/etc\/systemd\/system\/reset\.service: .*\) writes 0 to sriov_numvfs, which removes them: the one that runs last decides\. Remove it or make it set 7\./,
  );
});

test('readinessChecks step 7: with libvirt unreadable the free VFs are an upper bound (guests unknown), a warning, never a pass', () => {
  const inventory = inventory82576();
  const read = readinessChecks(inventory).find((c) => c.id === 'vfs-free')!;
  assert.equal(read.status, 'pass');
  const unread = readinessChecks(inventory, ['virsh: error: failed to connect to the hypervisor']).find((c) => c.id === 'vfs-free')!;
  assert.equal(unread.status, 'warn');
  assert.match(unread.details.join('\n'), /libvirt's guests could not be read \(step 6\)/);
});

test('readinessChecks step 7a: the VFs a pool holds idle are counted apart, for <interface type=network>, not as taken', () => {
  const check = readinessChecks(JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', '82576-inventory.json'), 'utf8'))).find(
    (c) => c.id === 'vfs-free',
  )!;
  assert.match(
    check.details[0],
    /^9 of 14 VFs free to name in <source><address> \(3 more idle in VF pools, for <interface type='network'>: 7b\), e\.g\. /,
  );
});

test('readinessChecks step 7b: two pools that hand out the same VFs are a warning naming both and the VFs', () => {
  const inventory = JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', '82576-inventory.json'), 'utf8'));
  const pool = inventory.networks.find((n: { name: string }) => n.name === 'sriov-pool');
  inventory.networks.push({ ...pool, name: 'second-pool', addresses: [pool.addresses[1], '0000:0b:10.7'] });
  const check = readinessChecks(inventory).find((c) => c.id === 'vf-pools')!;
  assert.equal(check.status, 'warn');
  assert.ok(
    check.details.includes(
      `WARN: 'sriov-pool' and 'second-pool' both hand out 1 VF (${pool.addresses[1]}): each pool gives them to guests of its own, and whichever guest starts second on one fails ("PCI device … is in use by driver QEMU"). Give each pool VFs of its own.`,
    ),
    check.details.join('\n'),
  );
});

test('readinessChecks: beside a PF with VFs, a port left without them passes step 4 (an uplink needs none), unless a hostdev pool takes its VFs', () => {
  const inventory = inventory82576();
  // the second port keeps no VFs
  inventory.devices = inventory.devices
    .filter((d) => !(d.kind === 'vf' && d.pf === '0000:0b:00.1'))
    .map((d) => (d.address === '0000:0b:00.1' ? { ...d, numVfs: 0 } : d));
  const step4 = () => readinessChecks(inventory).find((c) => c.id === 'vfs-enabled')!;
  const uplink = step4();
  assert.equal(uplink.status, 'pass');
  assert.deepEqual(uplink.details, [
    '0000:0b:00.0: 7 of 7 VFs enabled',
    '0000:0b:00.1: 0 of 7 VFs enabled: none needed on a port not meant for guests, else create them with echo 7 > /sys/bus/pci/devices/0000:0b:00.1/sriov_numvfs (step 5 keeps them)',
  ]);
  inventory.networks.push({ name: 'uplink-pool', active: true, addresses: [], forwardMode: 'hostdev', pfDevs: ['enp11s0f1'] });
  const pooled = step4();
  assert.equal(pooled.status, 'warn');
  assert.equal(
    pooled.details[1],
    "0000:0b:00.1: 0 of 7 VFs enabled: the hostdev pool 'uplink-pool' takes its VFs (<pf dev>): create them with echo 7 > /sys/bus/pci/devices/0000:0b:00.1/sriov_numvfs (step 5 keeps them)",
  );
});

test('ignoredAdvice: a file kmod or udev never reads is named with the mv that makes it read; a misspelt parameter with its spelling; a VF driver option with the PF driver', () => {
  const igb = { ...pf('igb', 'enp5s0f0'), totalVfs: 7 };
  const source = (s: Partial<VfIgnoredSource> & Pick<VfIgnoredSource, 'reason'>): VfIgnoredSource => ({
    mechanism: 'modprobe',
    file: 'etc/modprobe.d/igb',
    detail: 'options igb max_vfs=7',
    ...s,
  });
  assert.equal(
    ignoredAdvice(source({ reason: 'file-not-read' }), igb, ALONE),
    'modprobe.d (/etc/modprobe.d/igb: options igb max_vfs=7): modprobe reads only the files of /etc/modprobe.d/ whose names end in .conf, ' +
      'so this line is never read and makes no VF at boot: mv -i /etc/modprobe.d/igb /etc/modprobe.d/igb.conf',
  );
  assert.match(
    ignoredAdvice(
      source({ reason: 'file-not-read', mechanism: 'udev', file: 'etc/udev/rules.d/70 sriov.rule', detail: 'ATTR{sriov_numvfs}="7"' }),
      igb,
      ALONE,
    ),
    /udev reads only the files of \/etc\/udev\/rules\.d\/ whose names end in \.rules, .*: mv -i '\/etc\/udev\/rules\.d\/70 sriov\.rule' '\/etc\/udev\/rules\.d\/70 sriov\.rules'$/,
  );
  assert.match(
    ignoredAdvice(source({ reason: 'file-not-read', file: 'etc/modprobe.d/igb.conf.txt' }), igb, ALONE),
    /mv -i \/etc\/modprobe\.d\/igb\.conf\.txt \/etc\/modprobe\.d\/igb\.conf$/,
  );
  assert.match(
    ignoredAdvice(source({ reason: 'no-such-parameter', detail: 'options igb maxvfs=7', param: 'maxvfs', meant: 'max_vfs' }), igb, ALONE),
    /: igb has no maxvfs parameter, so the kernel loads it and ignores the option \("igb: unknown parameter 'maxvfs' ignored"\): it makes no VF: spell it max_vfs \(igb's VF count parameter\)$/,
  );
  assert.match(
    ignoredAdvice(source({ reason: 'vf-driver-option', detail: 'options igbvf max_vfs=7', param: 'max_vfs' }), igb, ALONE),
    /: igbvf drives the VFs once they exist and has no max_vfs parameter \("igbvf: unknown parameter 'max_vfs' ignored"\); the PF's driver, igb, makes them, so this makes no VF: remove it and add "options igb max_vfs=4" to \/etc\/modprobe\.d\/igb\.conf/,
  );
  assert.match(
    ignoredAdvice(
      source({
        reason: 'vf-driver-option',
        mechanism: 'kernel-cmdline',
        file: 'proc/cmdline',
        detail: 'igbvf.max_vfs=7',
        param: 'max_vfs',
      }),
      igb,
      ALONE,
    ),
    /: igbvf drives the VFs/,
  );
});
