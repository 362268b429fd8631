// Host readiness read by the REAL inventory script (dash) from copied hosts (--host-root): the
// IOMMU, vfio-pci, and each way a PF's VFs are made persistent, then the rules that use it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { parseInventorySnapshot, serializeInventory } from '../../../server/src/inventory/snapshot';
import { validate } from '../../../server/src/service/index';
import { readinessChecks } from '../../../server/src/service/readinessChecks';
import type { Inventory } from '../../../server/src/service/types';
import { hostTreesRemovedAfterEach, HostTree } from '../../support/hostTree';
import { addIntel82576, addIntelX710 } from '../../support/sysfsTree';
import { readHostRoot } from '../../support/shellHost';

const PF0 = '0000:0b:00.0';
const X710 = '0000:3b:00.0';
const newHostTree = hostTreesRemovedAfterEach();

/** A host with an 82576 (igb, 7 VFs per port) and an X710 (i40e, 4 VFs on port 0, netdev ens59f0). */
function host(options: { iommu?: boolean; cmdline?: string } = {}): HostTree {
  const tree = newHostTree(options);
  addIntel82576(tree.sys);
  addIntelX710(tree.sys, { bus: 0x3b, numVfs: [4, 0] });
  tree.sys.writeIpLink();
  return tree;
}

async function read(tree: HostTree): Promise<{ inventory: Inventory; warnings: string[] }> {
  const result = await readHostRoot(tree.root);
  return { inventory: result.inventory, warnings: result.warnings };
}

const DOMAIN = `<domain type='kvm'><name>web02</name><devices>
  <interface type='hostdev' managed='yes'><source><address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x0'/></source></interface>
  <interface type='hostdev' managed='yes'><source><address type='pci' domain='0x0000' bus='0x3b' slot='0x02' function='0x0'/></source></interface>
  <hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0x0000' bus='0x0b' slot='0x10' function='0x2'/></source></hostdev>
</devices></domain>`;

function codes(inventory: Inventory, code: string): string[] {
  return validate(DOMAIN, { inventory })
    .filter((p) => p.code === code)
    .map(
      (p) =>
        `${p.severity} ${
          DOMAIN.slice(p.span.start - 40, p.span.start)
            .match(/bus='(0x..)' slot='(0x..)'/)
            ?.slice(1)
            .join(':') ?? p.span.start
        }`,
    );
}

test('IOMMU on: groups, units, command line, interrupt remapping and vfio-pci read; no host-iommu', async () => {
  const tree = host();
  tree.module('vfio_pci');
  tree.module('igb', { max_vfs: '0' });
  const { inventory, warnings } = await read(tree);
  assert.deepEqual(
    warnings.filter((w) => !/virsh/.test(w)),
    [],
  );
  const r = inventory.readiness!;
  assert.ok(r.iommu.groups > 20, `groups: ${r.iommu.groups}`);
  assert.deepEqual(r.iommu.units, ['dmar0']);
  assert.deepEqual(r.iommu.cmdline, ['intel_iommu=on', 'iommu=pt']);
  assert.equal(r.iommu.interruptRemapping, 'supported');
  assert.equal(r.vfioPci, 'loaded');
  assert.deepEqual(r.maxVfsDrivers, ['igb']);
  assert.deepEqual(codes(inventory, 'host-iommu'), []);
});

test("no IOMMU: every host PCI device of the document gets host-iommu with libvirt's start-time message", async () => {
  const tree = host({ iommu: false, cmdline: 'ro quiet intremap=off' });
  const { inventory } = await read(tree);
  const r = inventory.readiness!;
  assert.equal(r.iommu.groups, 0);
  assert.deepEqual(r.iommu.units, []);
  assert.equal(r.iommu.interruptRemapping, 'disabled');
  assert.equal(r.vfioPci, 'unknown', 'a copied host without lib/modules cannot tell');
  const problems = validate(DOMAIN, { inventory }).filter((p) => p.code === 'host-iommu');
  assert.equal(problems.length, 3);
  assert.ok(problems.every((p) => p.severity === 'error'));
  assert.match(
    problems[0].message,
    /^No active IOMMU on the host: no PCI device can be assigned — .*host doesn't support passthrough of host PCI devices.*Host 'kvm1': No IOMMU/,
  );
});

test('vfio-pci: a copied host with the module file is "available", with lib/modules but no file "missing"', async () => {
  const tree = host();
  tree.write('lib/modules/6.1.0-27-amd64/kernel/drivers/vfio/pci/vfio-pci.ko', '');
  assert.equal((await read(tree)).inventory.readiness!.vfioPci, 'available');
  const bare = host();
  bare.write('lib/modules/6.1.0-27-amd64/modules.dep', '');
  assert.equal((await read(bare)).inventory.readiness!.vfioPci, 'missing');
});

test('no persistence anywhere: vf-not-persistent on each VF with the fix (modprobe for igb, udev rule for i40e)', async () => {
  const { inventory } = await read(host());
  assert.deepEqual(inventory.readiness!.vfPersistence[PF0], []);
  const problems = validate(DOMAIN, { inventory }).filter((p) => p.code === 'vf-not-persistent');
  assert.equal(problems.length, 3);
  assert.ok(problems.every((p) => p.severity === 'warning'));
  const [igb, i40e] = problems.map((p) => p.message);
  assert.match(
    igb,
    /^VF 0000:0b:10\.0 was created at runtime: gone after a host reboot — the guest fails to start; libvirt: "Device 0000:0b:10\.0 not found/,
  );
  assert.match(igb, /nothing recreates the VFs of PF 0000:0b:00\.0 \('enp11s0f0', igb\) at boot/);
  assert.match(igb, /add "options igb max_vfs=7" to \/etc\/modprobe\.d\/igb\.conf/);
  assert.match(i40e, /ACTION=="add", SUBSYSTEM=="net", KERNELS=="0000:3b:00\.0", ATTR\{device\/sriov_numvfs\}="4"/);
});

const MECHANISMS: Array<{ name: string; setup: (t: HostTree) => void; igb: string[]; x710: string[] }> = [
  {
    name: 'modprobe.d options igb max_vfs=7 (the guide)',
    setup: (t) => t.write('etc/modprobe.d/igb.conf', '# SR-IOV\noptions igb max_vfs=7\n'),
    igb: ['modprobe etc/modprobe.d/igb.conf: options igb max_vfs=7'],
    x710: [],
  },
  {
    name: 'kernel command line igb.max_vfs=7',
    setup: () => undefined,
    igb: ['kernel-cmdline proc/cmdline: igb.max_vfs=7'],
    x710: [],
  },
  {
    name: 'udev rule by netdev name',
    setup: (t) =>
      t.write('etc/udev/rules.d/70-sriov.rules', 'ACTION=="add", SUBSYSTEM=="net", KERNEL=="ens59f0", ATTR{device/sriov_numvfs}="4"\n'),
    igb: [],
    x710: ['udev etc/udev/rules.d/70-sriov.rules: ACTION=="add", SUBSYSTEM=="net", KERNEL=="ens59f0", ATTR{device/sriov_numvfs}="4"'],
  },
  {
    name: 'udev rule by driver (ENV{ID_NET_DRIVER})',
    setup: (t) =>
      t.write(
        'etc/udev/rules.d/70-sriov.rules',
        'ACTION=="add", SUBSYSTEM=="net", ENV{ID_NET_DRIVER}=="igb", ATTR{device/sriov_numvfs}="7"\n',
      ),
    igb: [
      'udev etc/udev/rules.d/70-sriov.rules: ACTION=="add", SUBSYSTEM=="net", ENV{ID_NET_DRIVER}=="igb", ATTR{device/sriov_numvfs}="7"',
    ],
    x710: [],
  },
  {
    name: 'enabled systemd unit (a disabled one does not count)',
    setup: (t) => {
      t.unit(
        'sriov-x710.service',
        '[Service]\nType=oneshot\nExecStart=/bin/sh -c "echo 4 > /sys/class/net/ens59f0/device/sriov_numvfs"\n[Install]\nWantedBy=multi-user.target\n',
      );
      t.unit('sriov-igb.service', '[Service]\nExecStart=/bin/sh -c "echo 7 > /sys/bus/pci/devices/0000:0b:00.0/sriov_numvfs"\n', false);
    },
    igb: [],
    x710: ['systemd etc/systemd/system/sriov-x710.service: ExecStart=/bin/sh -c "echo 4 > /sys/class/net/ens59f0/device/sriov_numvfs"'],
  },
  {
    name: 'an executable /etc/rc.local (rc-local.service runs it at boot) that writes sriov_numvfs',
    setup: (t) => t.write('etc/rc.local', '#!/bin/sh -e\necho 7 > /sys/class/net/enp11s0f0/device/sriov_numvfs\nexit 0\n', 0o755),
    igb: ['rc-local etc/rc.local: echo 7 > /sys/class/net/enp11s0f0/device/sriov_numvfs'],
    x710: [],
  },
  {
    name: 'an /etc/rc.local that is not executable (systemd does not run it): no source',
    setup: (t) => t.write('etc/rc.local', '#!/bin/sh -e\necho 7 > /sys/class/net/enp11s0f0/device/sriov_numvfs\nexit 0\n', 0o644),
    igb: [],
    x710: [],
  },
  {
    name: 'NetworkManager keyfile [sriov] total-vfs',
    setup: (t) =>
      t.write(
        'etc/NetworkManager/system-connections/ens59f0.nmconnection',
        '[connection]\nid=ens59f0\ntype=ethernet\ninterface-name=ens59f0\n\n[sriov]\ntotal-vfs=4\n',
        0o600,
      ),
    igb: [],
    x710: ['networkmanager etc/NetworkManager/system-connections/ens59f0.nmconnection: [sriov] total-vfs=4 (interface-name=ens59f0)'],
  },
  {
    name: 'NetworkManager profile in ifcfg-rh form (RHEL 8: nmcli writes /etc/sysconfig/network-scripts/ifcfg-NAME)',
    setup: (t) =>
      t.write(
        'etc/sysconfig/network-scripts/ifcfg-enp11s0f0',
        'TYPE=Ethernet\nNAME=enp11s0f0\nDEVICE=enp11s0f0\nONBOOT=yes\nSRIOV_TOTAL_VFS=7\n',
      ),
    igb: ['networkmanager etc/sysconfig/network-scripts/ifcfg-enp11s0f0: SRIOV_TOTAL_VFS=7 (DEVICE=enp11s0f0)'],
    x710: [],
  },
  {
    name: 'netplan virtual-function-count, and VFs that link to the PF',
    setup: (t) =>
      t.write(
        'etc/netplan/01-sriov.yaml',
        [
          'network:',
          '  version: 2',
          '  renderer: networkd',
          '  ethernets:',
          '    ens59f0:',
          '      virtual-function-count: 4',
          '    pf82576:',
          '      match:',
          '        name: enp11s0f0',
          '      dhcp4: true',
          '    vf0:',
          '      link: pf82576',
          '    vf1:',
          '      link: pf82576',
          '',
        ].join('\n'),
      ),
    // two VFs made at boot: the document's two VFs of that PF are VF 0 and VF 1
    igb: ['netplan etc/netplan/01-sriov.yaml: 2 VF entries with link: pf82576'],
    x710: ['netplan etc/netplan/01-sriov.yaml: ens59f0: virtual-function-count: 4'],
  },
];

for (const m of MECHANISMS) {
  test(`VF persistence: ${m.name}`, async () => {
    const tree = host(m.name.startsWith('kernel') ? { cmdline: 'ro quiet intel_iommu=on igb.max_vfs=7' } : {});
    m.setup(tree);
    const { inventory } = await read(tree);
    const show = (pf: string) => (inventory.readiness!.vfPersistence[pf] ?? []).map((s) => `${s.mechanism} ${s.file}: ${s.detail}`);
    assert.deepEqual(show(PF0), m.igb);
    assert.deepEqual(show(X710), m.x710);
    const warned = validate(DOMAIN, { inventory }).filter((p) => p.code === 'vf-not-persistent').length;
    assert.equal(warned, (m.igb.length ? 0 : 2) + (m.x710.length ? 0 : 1));
  });
}

// The kernel disables SR-IOV when 0 is written to sriov_numvfs, and refuses a new count while VFs exist
// ("Disable before enabling"): a 0 is a removal, unless the same file writes a count after it.
test('VF persistence: a udev rule or enabled unit writing 0 to sriov_numvfs is no source but a removal; a reset before a count, or a 0 at stop, is neither', async () => {
  const tree = host();
  tree.write('etc/udev/rules.d/70-sriov.rules', 'ACTION=="add", SUBSYSTEM=="net", KERNEL=="ens59f0", ATTR{device/sriov_numvfs}="0"\n');
  tree.unit(
    'sriov-off.service',
    '[Service]\nType=oneshot\nExecStart=/bin/sh -c "echo 0 > /sys/bus/pci/devices/0000:0b:00.0/sriov_numvfs"\n',
  );
  tree.unit(
    'sriov-igb1.service',
    [
      '[Service]',
      'ExecStartPre=/bin/sh -c "echo 0 > /sys/bus/pci/devices/0000:0b:00.1/sriov_numvfs"',
      'ExecStart=/bin/sh -c "echo 7 | tee /sys/bus/pci/devices/0000:0b:00.1/sriov_numvfs"',
      'ExecStop=/bin/sh -c "echo 0 > /sys/bus/pci/devices/0000:0b:00.1/sriov_numvfs"',
      '',
    ].join('\n'),
  );
  const { inventory } = await read(tree);
  const r = inventory.readiness!;
  const show = (list: Array<{ mechanism: string; file: string; detail: string }> | undefined) =>
    (list ?? []).map((s) => `${s.mechanism} ${s.file}: ${s.detail}`);
  assert.deepEqual(show(r.vfPersistence[X710]), []);
  assert.deepEqual(show(r.vfRemovals?.[X710]), [
    'udev etc/udev/rules.d/70-sriov.rules: ACTION=="add", SUBSYSTEM=="net", KERNEL=="ens59f0", ATTR{device/sriov_numvfs}="0"',
  ]);
  assert.deepEqual(show(r.vfPersistence[PF0]), []);
  assert.deepEqual(show(r.vfRemovals?.[PF0]), [
    'systemd etc/systemd/system/sriov-off.service: ExecStart=/bin/sh -c "echo 0 > /sys/bus/pci/devices/0000:0b:00.0/sriov_numvfs"',
  ]);
  assert.deepEqual(show(r.vfPersistence['0000:0b:00.1']), [
    'systemd etc/systemd/system/sriov-igb1.service: ExecStart=/bin/sh -c "echo 7 | tee /sys/bus/pci/devices/0000:0b:00.1/sriov_numvfs"',
  ]);
  assert.equal(r.vfRemovals?.['0000:0b:00.1'], undefined);
  assert.equal(validate(DOMAIN, { inventory }).filter((p) => p.code === 'vf-not-persistent').length, 3);
  assert.deepEqual(parseInventorySnapshot(serializeInventory(inventory), 'kvm1.json').readiness, r);
});

test('VF persistence: a NetworkManager profile with [sriov] total-vfs=0 is no source but a removal, which readiness step 5 words', async () => {
  const tree = host();
  const profile = 'etc/NetworkManager/system-connections/ens59f0.nmconnection';
  tree.write(profile, '[connection]\nid=ens59f0\ntype=ethernet\ninterface-name=ens59f0\n\n[sriov]\ntotal-vfs=0\n', 0o600);
  const { inventory } = await read(tree);
  const r = inventory.readiness!;
  assert.deepEqual(r.vfPersistence[X710], []);
  assert.deepEqual(r.vfRemovals?.[X710], [
    { mechanism: 'networkmanager', file: profile, detail: '[sriov] total-vfs=0 (interface-name=ens59f0)', count: 0 },
  ]);
  const problems = validate(DOMAIN, { inventory }).filter((p) => p.code === 'vf-not-persistent');
  assert.ok(problems.some((p) => /^VF 0000:3b:02\.0 was created at runtime: gone after a host reboot/.test(p.message)));
  const step5 = readinessChecks(inventory).find((c) => c.id === 'vfs-persistent')!;
  assert.ok(
    step5.details.includes(
      `${X710}: NetworkManager (/${profile}: [sriov] total-vfs=0 (interface-name=ens59f0)) writes 0 to sriov_numvfs: it removes the VFs at boot, it does not keep them`,
    ),
    step5.details.join('\n'),
  );
  assert.deepEqual(parseInventorySnapshot(serializeInventory(inventory), 'kvm1.json').readiness, r);
});

test('VF persistence: a NetworkManager profile with a [sriov] section but no total-vfs (default 0) is a removal; the script reads the section header', async () => {
  const tree = host();
  const profile = 'etc/NetworkManager/system-connections/ens59f0.nmconnection';
  tree.write(profile, '[connection]\nid=ens59f0\ntype=ethernet\ninterface-name=ens59f0\n\n[sriov]\nautoprobe-drivers=1\n', 0o600);
  const { inventory } = await read(tree);
  const r = inventory.readiness!;
  assert.deepEqual(r.vfPersistence[X710], []);
  assert.deepEqual(r.vfRemovals?.[X710], [
    { mechanism: 'networkmanager', file: profile, detail: '[sriov] without total-vfs (its default: 0) (interface-name=ens59f0)', count: 0 },
  ]);
});

test('VF persistence: a NetworkManager profile with autoconnect=false is no source; the script reads the key, and the rule and step 5 say to set it true', async () => {
  const tree = host();
  const profile = 'etc/NetworkManager/system-connections/ens59f0.nmconnection';
  tree.write(
    profile,
    '[connection]\nid=ens59f0\ntype=ethernet\nautoconnect=false\ninterface-name=ens59f0\n\n[sriov]\ntotal-vfs=4\n',
    0o600,
  );
  const { inventory } = await read(tree);
  const r = inventory.readiness!;
  assert.deepEqual(r.vfPersistence[X710], []);
  assert.equal(r.vfRemovals?.[X710], undefined);
  const detail = '[sriov] total-vfs=4 (interface-name=ens59f0) (autoconnect=false)';
  assert.deepEqual(r.vfNotAtBoot?.[X710], [{ mechanism: 'networkmanager', file: profile, detail, count: 4 }]);
  const advice = `NetworkManager (/${profile}: ${detail}) sets 4 VFs, but NetworkManager does not activate that profile at boot, so it creates none: set autoconnect=true in it`;
  const problems = validate(DOMAIN, { inventory }).filter((p) => p.code === 'vf-not-persistent');
  assert.ok(
    problems.some((p) => p.message.includes(advice)),
    problems.map((p) => p.message).join('\n'),
  );
  const step5 = readinessChecks(inventory).find((c) => c.id === 'vfs-persistent')!;
  assert.ok(step5.details.includes(`${X710}: ${advice}`), step5.details.join('\n'));
  assert.deepEqual(parseInventorySnapshot(serializeInventory(inventory), 'kvm1.json').readiness, r);
});

test("VF persistence: files whose names hold ':', a blank or a newline are read under their whole names", async () => {
  const tree = host();
  const modprobe = 'etc/modprobe.d/sriov\nigb:7.conf';
  const profile = "etc/NetworkManager/system-connections/uplink:a\nWired connection '1'.nmconnection";
  tree.write(modprobe, 'options igb max_vfs=7\n');
  tree.write(profile, '[connection]\ninterface-name=ens59f0\n\n[sriov]\ntotal-vfs=4\n', 0o600);
  const { inventory } = await read(tree);
  const show = (pf: string) => (inventory.readiness!.vfPersistence[pf] ?? []).map((s) => `${s.mechanism} ${s.file}: ${s.detail}`);
  assert.deepEqual(show(PF0), [`modprobe ${modprobe}: options igb max_vfs=7`]);
  assert.deepEqual(show(X710), [`networkmanager ${profile}: [sriov] total-vfs=4 (interface-name=ens59f0)`]);
});

test('CLI --host local with a relative --host-root reads it from the current directory, as a relative --sysfs-root is', async () => {
  const tree = host();
  tree.write('etc/modprobe.d/igb.conf', 'options igb max_vfs=7\n');
  const cli = path.resolve(__dirname, '..', '..', '..', '..', 'dist', 'cli.js');
  const r = spawnSync(
    process.execPath,
    [cli, 'inventory', '--host', 'local', '--connect', 'test:///default', '--host-root', path.basename(tree.root)],
    { cwd: path.dirname(tree.root), encoding: 'utf8', timeout: 60_000 },
  );
  assert.equal(r.stderr, '');
  assert.equal(r.status, 0);
  const relative = parseInventorySnapshot(r.stdout, 'stdout');
  const absolute = (await read(tree)).inventory;
  assert.equal(relative.readiness?.vfPersistence[PF0]?.[0]?.mechanism, 'modprobe', JSON.stringify(relative.readiness));
  assert.deepEqual(relative.readiness, absolute.readiness);
  assert.deepEqual(relative.devices, absolute.devices);
});

test('snapshot: readiness round-trips (additive field, same format name); old snapshots have none and get no readiness rules', async () => {
  const tree = host({ iommu: false });
  const { inventory } = await read(tree);
  const again = parseInventorySnapshot(serializeInventory(inventory), 'kvm1.json');
  assert.deepEqual(again.readiness, inventory.readiness);
  assert.equal(JSON.parse(serializeInventory(inventory)).format, 'libvirt-hostdev-inventory/1');
  const old = { ...inventory };
  delete old.readiness;
  assert.deepEqual(
    validate(DOMAIN, { inventory: old }).filter((p) => p.code === 'host-iommu' || p.code === 'vf-not-persistent'),
    [],
  );
  assert.throws(
    () => parseInventorySnapshot(JSON.stringify({ ...JSON.parse(serializeInventory(inventory)), readiness: { iommu: {} } }), 'x'),
    /readiness\.iommu\.groups/,
  );
});
