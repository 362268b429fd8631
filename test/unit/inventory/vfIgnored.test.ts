// Lines that read like a boot-time source of a PF's VFs but make none: a module option its driver does
// not have, a udev rule on the PCI add event (before the driver binds), a keyfile NetworkManager refuses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findVfPersistence, type PersistenceInput } from '../../../server/src/inventory/vfPersistence';
import { x710Port0 } from '../../support/pfDevices';

const pf = x710Port0('ens59f0');
const MODULES: Record<string, string[]> = { i40e: [], igb: ['max_vfs'], mlx4_core: ['num_vfs'], mlx5_core: [] };
const input = (persistLines: string[], extra: Partial<PersistenceInput> = {}): PersistenceInput => ({
  persistLines,
  cmdlineWords: [],
  enabledUnits: new Set(),
  vfParams: (m) => (MODULES[m] ? new Set(MODULES[m]) : null),
  ...extra,
});
const read = (device: typeof pf, i: PersistenceInput) => {
  const found = findVfPersistence(device, i);
  return { sources: found.sources.map((s) => s.detail), ignored: found.ignored.map((s) => `${s.reason} ${s.detail}`) };
};

test('a module option the driver does not have (i40e max_vfs, mlx5_core num_vfs) is ignored, not a source; one it has counts', () => {
  assert.deepEqual(read(pf, input(['etc/modprobe.d/i40e.conf:1:options i40e max_vfs=4'])), {
    sources: [],
    ignored: ['no-such-parameter options i40e max_vfs=4'],
  });
  assert.deepEqual(read(pf, input([], { cmdlineWords: ['i40e.max_vfs=4'] })), {
    sources: [],
    ignored: ['no-such-parameter i40e.max_vfs=4'],
  });
  const mlx5 = { ...pf, driver: 'mlx5_core', netdevs: ['enp94s0f0np0'] };
  assert.deepEqual(read(mlx5, input(['etc/modprobe.d/mlx5.conf:1:options mlx5_core num_vfs=4'])).ignored, [
    'no-such-parameter options mlx5_core num_vfs=4',
  ]);
  const mlx4 = { ...pf, driver: 'mlx4_core' };
  assert.deepEqual(read(mlx4, input(['etc/modprobe.d/mlx4.conf:1:options mlx4_core max_vfs=4'])).ignored, [
    'no-such-parameter options mlx4_core max_vfs=4',
  ]);
  assert.deepEqual(read(mlx4, input(['etc/modprobe.d/mlx4.conf:1:options mlx4_core num_vfs=4'])).sources, ['options mlx4_core num_vfs=4']);
  const igb = { ...pf, driver: 'igb' };
  assert.deepEqual(read(igb, input(['etc/modprobe.d/igb.conf:1:options igb max_vfs=7'])), {
    sources: ['options igb max_vfs=7'],
    ignored: [],
  });
  // a module the host says nothing of is taken at its word, as before
  const bnxt = { ...pf, driver: 'bnxt_en' };
  assert.deepEqual(read(bnxt, input(['etc/modprobe.d/bnxt.conf:1:options bnxt_en max_vfs=4'])).sources, ['options bnxt_en max_vfs=4']);
});

test('a udev rule on the PCI add event is ignored (no driver bound yet); on bind, without ACTION, or on the net device it counts', () => {
  const rule = (text: string) => read(pf, input([`etc/udev/rules.d/70-sriov.rules:${text}`]));
  assert.deepEqual(rule('ACTION=="add", SUBSYSTEM=="pci", KERNEL=="0000:3b:00.0", ATTR{sriov_numvfs}="4"'), {
    sources: [],
    ignored: ['before-driver ACTION=="add", SUBSYSTEM=="pci", KERNEL=="0000:3b:00.0", ATTR{sriov_numvfs}="4"'],
  });
  for (const counts of [
    'ACTION=="bind", SUBSYSTEM=="pci", KERNEL=="0000:3b:00.0", ATTR{sriov_numvfs}="4"',
    'ACTION=="add|bind", SUBSYSTEM=="pci", KERNEL=="0000:3b:00.0", ATTR{sriov_numvfs}="4"',
    'SUBSYSTEM=="pci", KERNEL=="0000:3b:00.0", ATTR{sriov_numvfs}="4"',
    'ACTION=="add", SUBSYSTEM=="net", KERNEL=="ens59f0", ATTR{device/sriov_numvfs}="4"',
    'ACTION=="add", SUBSYSTEM=="net", SUBSYSTEMS=="pci", KERNEL=="ens59f0", ATTR{device/sriov_numvfs}="4"',
  ])
    assert.deepEqual(rule(counts).ignored, [], counts);
});

test('a NetworkManager keyfile open to group or others, or not owned by root, is ignored; a root-owned 0600 one counts', () => {
  const file = 'etc/NetworkManager/system-connections/pf.nmconnection';
  const lines = [`${file}:interface-name=ens59f0`, `${file}:[sriov]`, `${file}:total-vfs=4`];
  const withMode = (mode: string, owner: number) => read(pf, input(lines, { keyfileModes: new Map([[file, { mode, owner }]]) }));
  assert.deepEqual(withMode('644', 0), { sources: [], ignored: ['insecure-keyfile [sriov] total-vfs=4 (interface-name=ens59f0)'] });
  assert.deepEqual(withMode('640', 0).ignored.length, 1);
  assert.deepEqual(withMode('600', 1000).ignored.length, 1);
  assert.deepEqual(withMode('600', 0), { sources: ['[sriov] total-vfs=4 (interface-name=ens59f0)'], ignored: [] });
  // an ifcfg-rh file is not a keyfile: NetworkManager does not check its mode
  const ifcfg = 'etc/sysconfig/network-scripts/ifcfg-ens59f0';
  const rh = read(
    pf,
    input([`${ifcfg}:DEVICE=ens59f0`, `${ifcfg}:SRIOV_TOTAL_VFS=4`], { keyfileModes: new Map([[ifcfg, { mode: '644', owner: 0 }]]) }),
  );
  assert.deepEqual(rh.ignored, []);
});

test("a count written to sriov_numvfs over the PF's sriov_totalvfs (64) is ignored (the kernel refuses it); a module option is the driver's to read", () => {
  const rule = (n: number) =>
    `etc/udev/rules.d/70-sriov.rules:ACTION=="add", SUBSYSTEM=="net", KERNEL=="ens59f0", ATTR{device/sriov_numvfs}="${n}"`;
  assert.deepEqual(read(pf, input([rule(65)])), {
    sources: [],
    ignored: [`over-total-vfs ${rule(65).slice(rule(65).indexOf(':') + 1)}`],
  });
  assert.equal(read(pf, input([rule(64)])).sources.length, 1);
  // igb takes max_vfs=8 as its most, 7: the option is a source
  const igb = { ...pf, driver: 'igb', totalVfs: 7 };
  assert.deepEqual(read(igb, input(['etc/modprobe.d/igb.conf:1:options igb max_vfs=8'])).sources, ['options igb max_vfs=8']);
});

test('a VF count parameter is matched as the kernel matches names: max-vfs is max_vfs, on an options line and the command line', () => {
  const igb = { ...pf, driver: 'igb' };
  assert.deepEqual(read(igb, input(['etc/modprobe.d/igb.conf:1:options igb max-vfs=7'])), {
    sources: ['options igb max-vfs=7'],
    ignored: [],
  });
  assert.deepEqual(read(igb, input([], { cmdlineWords: ['igb.max-vfs=7'] })).sources, ['igb.max-vfs=7']);
});

test('a misspelt VF count parameter (maxvfs, MAX_VFS, sriov_numvfs) is no-such-parameter with the name the driver has; unknown to the host, it is not read', () => {
  const igb = { ...pf, driver: 'igb' };
  for (const line of ['options igb maxvfs=7', 'options igb MAX_VFS=7', 'options igb debug=1 sriov_numvfs=7']) {
    const found = findVfPersistence(igb, input([`etc/modprobe.d/igb.conf:1:${line}`]));
    assert.deepEqual(found.sources, [], line);
    assert.deepEqual(
      found.ignored.map((s) => [s.reason, s.param, s.meant]),
      [['no-such-parameter', line.split(' ').pop()!.split('=')[0], 'max_vfs']],
      line,
    );
  }
  const fromCmdline = findVfPersistence(igb, input([], { cmdlineWords: ['igb.maxvfs=7'] }));
  assert.deepEqual(
    fromCmdline.ignored.map((s) => `${s.reason} ${s.param} ${s.meant}`),
    ['no-such-parameter maxvfs max_vfs'],
  );
  // a driver whose parameters the host does not list: nothing said either way
  const bnxt = { ...pf, driver: 'bnxt_en' };
  assert.deepEqual(read(bnxt, input(['etc/modprobe.d/bnxt.conf:1:options bnxt_en maxvfs=4'])), { sources: [], ignored: [] });
  // a parameter that is no VF count is none of our business
  assert.deepEqual(read(igb, input(['etc/modprobe.d/igb.conf:1:options igb debug=16'])), { sources: [], ignored: [] });
});

test("a VF count given to the VFs' own driver (options igbvf max_vfs=7, igbvf.max_vfs=7) is vf-driver-option, not a source", () => {
  const igb = { ...pf, driver: 'igb' };
  assert.deepEqual(read(igb, input(['etc/modprobe.d/igbvf.conf:1:options igbvf max_vfs=7'])), {
    sources: [],
    ignored: ['vf-driver-option options igbvf max_vfs=7'],
  });
  assert.deepEqual(read(igb, input([], { cmdlineWords: ['igbvf.max_vfs=7'] })).ignored, ['vf-driver-option igbvf.max_vfs=7']);
  // another driver's VF driver is not this PF's concern
  assert.deepEqual(read(pf, input(['etc/modprobe.d/igbvf.conf:1:options igbvf max_vfs=7'])), { sources: [], ignored: [] });
});

test('a VF count in a file kmod or udev never reads (no .conf, no .rules) is file-not-read; a backup or a disabled file is not named', () => {
  const igb = { ...pf, driver: 'igb' };
  const unread = (lines: string[]) => findVfPersistence(igb, input(lines));
  const named = unread(['etc/modprobe.d/igb:1:options igb max_vfs=7', 'etc/modprobe.d/sriov.cfg:3:options igb max_vfs=7']);
  assert.deepEqual(named.sources, []);
  assert.deepEqual(
    named.ignored.map((s) => `${s.reason} ${s.mechanism} ${s.file} ${s.count}`),
    ['file-not-read modprobe etc/modprobe.d/igb 7', 'file-not-read modprobe etc/modprobe.d/sriov.cfg 7'],
  );
  const rule = 'ACTION=="add", SUBSYSTEM=="net", KERNEL=="ens59f0", ATTR{device/sriov_numvfs}="4"';
  assert.deepEqual(
    unread([`etc/udev/rules.d/70-sriov.rule:1:${rule}`]).ignored.map((s) => `${s.reason} ${s.mechanism} ${s.count}`),
    ['file-not-read udev 4'],
  );
  for (const off of ['igb.conf.bak', 'igb.conf~', 'igb.conf.dpkg-old', 'igb.conf.disabled', 'igb.conf.rpmsave'])
    assert.deepEqual(unread([`etc/modprobe.d/${off}:1:options igb max_vfs=7`]).ignored, [], off);
  // lines that would make no VF for this PF: another driver's, a comment, a 0, a rule for another interface
  assert.deepEqual(
    unread([
      'etc/modprobe.d/ixgbe:1:options ixgbe max_vfs=7',
      'etc/modprobe.d/igb:1:# options igb max_vfs=7',
      'etc/modprobe.d/igb:2:options igb max_vfs=0',
      'etc/udev/rules.d/70-sriov.rule:1:ACTION=="add", SUBSYSTEM=="net", KERNEL=="eth9", ATTR{device/sriov_numvfs}="4"',
    ]).ignored,
    [],
  );
});
