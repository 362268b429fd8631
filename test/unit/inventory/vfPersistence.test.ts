// Configuration files read from a host as persist lines: `grep -H`'s FILE:LINE for plain names, "DIR NAME:LINE"
// with NAME as the script's enc() writes it for a name holding ':', a blank or a newline; modprobe.d lines as "N:LINE" (grep -n).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findVfPersistence, type PersistenceInput } from '../../../server/src/inventory/vfPersistence';

const pf = {
  address: '0000:0b:00.0',
  kind: 'pf' as const,
  vendor: '0x8086',
  product: '0x10c9',
  driver: 'igb',
  iommuGroup: 2,
  numaNode: 0,
  netdev: 'enp11s0f0',
  mac: '00:1b:21:aa:bb:00',
  netdevs: ['enp11s0f0'],
};
const input = (persistLines: string[]): PersistenceInput => ({ persistLines, cmdlineWords: [], enabledUnits: new Set() });
const found = (lines: string[]) => findVfPersistence(pf, input(lines)).sources.map((s) => `${s.mechanism} ${s.file}: ${s.detail}`);
/** the line the script prints for a file whose name is not plain: "DIR x<hex of the name>:LINE" */
const encoded = (dir: string, name: string, line: string) => `${dir} x${Buffer.from(name).toString('hex')}:${line}`;

test("a file whose name holds ':', a blank or a newline counts under its whole name: modprobe.d, udev, NetworkManager profiles", () => {
  assert.deepEqual(found([encoded('etc/modprobe.d', 'sriov:igb.conf', '1:options igb max_vfs=7')]), [
    'modprobe etc/modprobe.d/sriov:igb.conf: options igb max_vfs=7',
  ]);
  assert.deepEqual(found([encoded('etc/modprobe.d', 'sriov\nigb.conf', '1:options igb max_vfs=7')]), [
    'modprobe etc/modprobe.d/sriov\nigb.conf: options igb max_vfs=7',
  ]);
  assert.deepEqual(
    found([encoded('etc/udev/rules.d', '70 sriov:x.rules', 'ACTION=="add", KERNEL=="enp11s0f0", ATTR{device/sriov_numvfs}="7"')]),
    ['udev etc/udev/rules.d/70 sriov:x.rules: ACTION=="add", KERNEL=="enp11s0f0", ATTR{device/sriov_numvfs}="7"'],
  );
  const profile = 'uplink:a\nWired connection 1.nmconnection';
  assert.deepEqual(
    found([
      encoded('etc/NetworkManager/system-connections', profile, 'mac-address=00:1B:21:AA:BB:00'),
      encoded('etc/NetworkManager/system-connections', profile, 'total-vfs=7'),
    ]),
    [`networkmanager etc/NetworkManager/system-connections/${profile}: [sriov] total-vfs=7`],
  );
});

test('a plain name ends at the first colon: the rest of the line is the content, colons and all', () => {
  assert.deepEqual(found(['etc/udev/rules.d/70-sriov.rules:ACTION=="add", KERNEL=="0000:0b:00.0", ATTR{sriov_numvfs}="7"']), [
    'udev etc/udev/rules.d/70-sriov.rules: ACTION=="add", KERNEL=="0000:0b:00.0", ATTR{sriov_numvfs}="7"',
  ]);
});

test("a long hostile line full of ':' is split in linear time", { timeout: 20_000 }, () => {
  const junk = ':mac-address='.repeat(50_000);
  assert.deepEqual(found([`etc/NetworkManager/system-connections/x${junk}:total-vfs=7`, `etc/modprobe.d/x${junk}.conf:y`]), []);
});

test('a write of 0 to sriov_numvfs is a removal, not a source, in whatever form the command or rule writes it', () => {
  const dev = '/sys/bus/pci/devices/0000:0b:00.0/sriov_numvfs';
  const unit = (line: string) => `etc/systemd/system/sriov.service:${line}`;
  const read = (lines: string[]) => {
    const r = findVfPersistence(pf, { persistLines: lines, cmdlineWords: [], enabledUnits: new Set(['sriov.service']) });
    return [r.sources.length, r.removals.length];
  };
  for (const zero of [`echo 0 > ${dev}`, `echo "0" >> ${dev}`, `echo -n 0 | tee ${dev}`, `echo 0 >'${dev}'`])
    assert.deepEqual(read([unit(`ExecStart=/bin/sh -c "${zero}"`)]), [0, 1], zero);
  assert.deepEqual(read([unit(`ExecStart=/bin/sh -c "echo 0 > ${dev}; echo 7 > ${dev}"`)]), [1, 0]);
  // a 0 written to another PF's sriov_numvfs says nothing of this one's
  assert.deepEqual(read([unit(`ExecStart=/bin/sh -c "echo 0 > /sys/bus/pci/devices/0000:0b:00.1/sriov_numvfs; echo 7 > ${dev}"`)]), [1, 0]);
  assert.deepEqual(read([unit(`ExecStop=/bin/sh -c "echo 0 > ${dev}"`)]), [0, 0]);
  assert.deepEqual(read([unit(`ExecStopPost=/usr/local/sbin/sriov-off ${dev}`)]), [0, 0]);
  const rule = (value: string) => `etc/udev/rules.d/70-sriov.rules:ACTION=="add", KERNEL=="enp11s0f0", ATTR{device/sriov_numvfs}${value}`;
  assert.deepEqual(read([rule('="0"')]), [0, 1]);
  assert.deepEqual(read([rule(':="0"')]), [0, 1]);
  assert.deepEqual(read([rule('="0"'), rule('="7"')]), [1, 0]);
});

test('each source carries the VF count it sets when its line says it plainly, and none when it does not', () => {
  const dev = '/sys/bus/pci/devices/0000:0b:00.0/sriov_numvfs';
  const counts = (lines: string[], cmdlineWords: string[] = []) =>
    findVfPersistence(pf, { persistLines: lines, cmdlineWords, enabledUnits: new Set(['sriov.service']) }).sources.map((s) => s.count);
  assert.deepEqual(counts(['etc/modprobe.d/igb.conf:1:options igb max_vfs=2']), [2]);
  assert.deepEqual(counts([], ['ro', 'igb.max_vfs=5']), [5]);
  assert.deepEqual(counts(['etc/udev/rules.d/70-sriov.rules:ACTION=="add", KERNEL=="enp11s0f0", ATTR{device/sriov_numvfs}="3"']), [3]);
  assert.deepEqual(counts([`etc/systemd/system/sriov.service:ExecStart=/bin/sh -c "echo 0 > ${dev}; echo 4 > ${dev}"`]), [4]);
  assert.deepEqual(
    counts([
      'etc/NetworkManager/system-connections/a.nmconnection:interface-name=enp11s0f0',
      'etc/NetworkManager/system-connections/a.nmconnection:total-vfs=6',
    ]),
    [6],
  );
  // a script's write is not read: the source stays, without a count
  assert.deepEqual(counts([`etc/systemd/system/sriov.service:ExecStart=/usr/local/sbin/sriov-up ${dev}`]), [undefined]);
});

test("a max_vfs list for igb (one count for every port) is refused, not a source, in modprobe.d and on the kernel command line; mlx4's num_vfs list stays a source", () => {
  const read = (lines: string[], cmdlineWords: string[] = [], driver = 'igb') => {
    const r = findVfPersistence({ ...pf, driver }, { persistLines: lines, cmdlineWords, enabledUnits: new Set() });
    return { sources: r.sources.map((s) => s.detail), refused: r.refused.map((s) => `${s.file}: ${s.detail}`) };
  };
  assert.deepEqual(read(['etc/modprobe.d/igb.conf:1:options igb max_vfs=7,7']), {
    sources: [],
    refused: ['etc/modprobe.d/igb.conf: options igb max_vfs=7,7'],
  });
  assert.deepEqual(read([], ['ro', 'igb.max_vfs=7,7']), { sources: [], refused: ['proc/cmdline: igb.max_vfs=7,7'] });
  assert.deepEqual(read(['etc/modprobe.d/ixgbe.conf:1:options ixgbe max_vfs=0,0'], [], 'ixgbe'), {
    sources: [],
    refused: ['etc/modprobe.d/ixgbe.conf: options ixgbe max_vfs=0,0'],
  });
  assert.deepEqual(read(['etc/modprobe.d/igb.conf:1:options igb max_vfs=7']), { sources: ['options igb max_vfs=7'], refused: [] });
  assert.deepEqual(read(['etc/modprobe.d/mlx4.conf:1:options mlx4_core num_vfs=4,4'], [], 'mlx4_core'), {
    sources: ['options mlx4_core num_vfs=4,4'],
    refused: [],
  });
});

// NetworkManager enforces a profile's [sriov] total-vfs when it activates, 0 too (nm-settings: "also when
// it is zero"): a 0 removes the VFs at boot, as a udev rule or unit writing 0 does.
test('a NetworkManager profile with total-vfs=0 for the PF, or a [sriov] section without total-vfs (its default is 0), is no source but a removal; one without [sriov] is neither', () => {
  const read = (lines: string[]) => {
    const r = findVfPersistence(pf, input(lines));
    const show = (list: typeof r.sources) => list.map((s) => `${s.mechanism} ${s.file}: ${s.detail} (${s.count})`);
    return { sources: show(r.sources), removals: show(r.removals) };
  };
  const profile = 'etc/NetworkManager/system-connections/enp11s0f0.nmconnection';
  assert.deepEqual(read([`${profile}:interface-name=enp11s0f0`, `${profile}:total-vfs=0`]), {
    sources: [],
    removals: [`networkmanager ${profile}: [sriov] total-vfs=0 (interface-name=enp11s0f0) (0)`],
  });
  assert.deepEqual(read([`${profile}:mac-address=00:1B:21:AA:BB:00`, `${profile}:total-vfs=0`]), {
    sources: [],
    removals: [`networkmanager ${profile}: [sriov] total-vfs=0 (0)`],
  });
  // another interface's profile removes none of this PF's VFs
  assert.deepEqual(read([`${profile}:interface-name=enp11s0f1`, `${profile}:total-vfs=0`]), { sources: [], removals: [] });
  assert.deepEqual(read([`${profile}:interface-name=enp11s0f0`]), { sources: [], removals: [] });
  assert.deepEqual(read([`${profile}:interface-name=enp11s0f0`, `${profile}:[sriov]`]), {
    sources: [],
    removals: [`networkmanager ${profile}: [sriov] without total-vfs (its default: 0) (interface-name=enp11s0f0) (0)`],
  });
  assert.deepEqual(read([`${profile}:interface-name=enp11s0f0`, `${profile}:[sriov]`, `${profile}:total-vfs=7`]), {
    sources: [`networkmanager ${profile}: [sriov] total-vfs=7 (interface-name=enp11s0f0) (7)`],
    removals: [],
  });
  assert.deepEqual(read([`${profile}:interface-name=enp11s0f0`, `${profile}:total-vfs=7`]), {
    sources: [`networkmanager ${profile}: [sriov] total-vfs=7 (interface-name=enp11s0f0) (7)`],
    removals: [],
  });
});

// NetworkManager activates a profile at boot only when it may connect on its own (autoconnect, true unless
// set false): one with autoconnect=false applies its [sriov] count only when someone activates it.
test('a NetworkManager profile with autoconnect=false is not activated at boot: its total-vfs is no source but is listed apart, and its total-vfs=0 no removal', () => {
  const read = (lines: string[]) => {
    const r = findVfPersistence(pf, input(lines));
    const show = (list: typeof r.sources) => list.map((s) => `${s.file}: ${s.detail} (${s.count})`);
    return { sources: show(r.sources), removals: show(r.removals), notAtBoot: show(r.notAtBoot) };
  };
  const profile = 'etc/NetworkManager/system-connections/enp11s0f0.nmconnection';
  const lines = (autoconnect: string, totalVfs: string) => [
    `${profile}:autoconnect=${autoconnect}`,
    `${profile}:interface-name=enp11s0f0`,
    `${profile}:[sriov]`,
    `${profile}:total-vfs=${totalVfs}`,
  ];
  for (const off of ['false', 'FALSE', 'No', 'off', '0'])
    assert.deepEqual(read(lines(off, '7')), {
      sources: [],
      removals: [],
      notAtBoot: [`${profile}: [sriov] total-vfs=7 (interface-name=enp11s0f0) (autoconnect=false) (7)`],
    });
  assert.deepEqual(read(lines('false', '0')), { sources: [], removals: [], notAtBoot: [] });
  for (const on of ['true', 'Yes', 'on', '1'])
    assert.deepEqual(read(lines(on, '7')), {
      sources: [`${profile}: [sriov] total-vfs=7 (interface-name=enp11s0f0) (7)`],
      removals: [],
      notAtBoot: [],
    });
  // autoconnect-priority and the like are other keys
  assert.deepEqual(read([`${profile}:autoconnect-priority=0`, ...lines('true', '7').slice(1)]).sources, [
    `${profile}: [sriov] total-vfs=7 (interface-name=enp11s0f0) (7)`,
  ]);
});

test('a udev rule counts for a PF only when every key it matches on fits that PF (as udev applies it), != keys included', () => {
  const rule = (keys: string) => [
    `etc/udev/rules.d/70-sriov.rules:ACTION=="add", SUBSYSTEM=="net", ${keys}, ATTR{device/sriov_numvfs}="7"`,
  ];
  // the guide's driver rule narrowed to the other port: not this PF's
  assert.deepEqual(found(rule('ENV{ID_NET_DRIVER}=="igb", KERNEL=="enp11s0f1"')), []);
  assert.deepEqual(found(rule('DRIVERS=="igb", ATTR{address}=="00:1b:21:aa:bb:01"')), []);
  assert.deepEqual(found(rule('DRIVERS=="igb", KERNEL!="enp11s0f0"')), []);
  // every key fits: this PF's
  assert.equal(found(rule('ENV{ID_NET_DRIVER}=="igb", KERNEL=="enp11s0f*"')).length, 1);
  assert.equal(found(rule('DRIVERS=="igb", KERNEL!="enp11s0f1"')).length, 1);
  // no key that names a device: every SR-IOV PF gets it
  assert.equal(found(rule('ATTRS{sriov_totalvfs}=="?*"')).length, 1);
});

test('a udev rule that tests sriov_numvfs before setting it (a guard against a second event) is a source', () => {
  assert.deepEqual(
    findVfPersistence(
      pf,
      input([
        'etc/udev/rules.d/70-sriov.rules:ACTION=="add", KERNEL=="enp11s0f0", ATTR{device/sriov_numvfs}=="0", ATTR{device/sriov_numvfs}="7"',
      ]),
    ).sources.map((s) => s.count),
    [7],
  );
  // a rule that only tests it sets nothing
  assert.deepEqual(
    found(['etc/udev/rules.d/70-sriov.rules:ACTION=="add", KERNEL=="enp11s0f0", ATTR{device/sriov_numvfs}=="7", RUN+="/usr/local/bin/x"']),
    [],
  );
});

test('a udev rule that writes sriov_numvfs from a RUN+= command is a source', () => {
  assert.equal(
    found([
      `etc/udev/rules.d/70-sriov.rules:ACTION=="add", KERNEL=="enp11s0f0", RUN+="/bin/sh -c 'echo 7 > /sys/class/net/%k/device/sriov_numvfs'"`,
    ]).length,
    1,
  );
});

test("a NetworkManager profile's backup or an editor's leftover is not a source: NetworkManager does not load it", () => {
  const profile = (file: string) => [`${file}:interface-name=enp11s0f0`, `${file}:[sriov]`, `${file}:total-vfs=7`];
  assert.equal(found(profile('etc/NetworkManager/system-connections/uplink.nmconnection')).length, 1);
  for (const file of [
    'etc/NetworkManager/system-connections/uplink.nmconnection.bak',
    'etc/NetworkManager/system-connections/uplink.nmconnection~',
    'etc/NetworkManager/system-connections/.uplink.nmconnection.swp',
    'etc/NetworkManager/system-connections/uplink.nmconnection.rpmsave',
    'run/NetworkManager/system-connections/uplink',
  ])
    assert.deepEqual(found(profile(file)), [], file);
});

test('netplan VFs that link to the PF without virtual-function-count: a boot makes as many VFs as there are entries', () => {
  const lines = (file: string, body: string[]) => body.map((l) => `${file}:${l}`);
  const plan = lines('etc/netplan/01-sriov.yaml', ['network:', '  ethernets:', '    enp11s0f0: {}', '    vf0:', '      link: enp11s0f0']);
  assert.deepEqual(
    findVfPersistence(pf, input(plan)).sources.map((s) => [s.detail, s.count]),
    [['1 VF entry with link: enp11s0f0', 1]],
  );
});

test('a netplan entry matched by driver (a glob, a list, a block list) sets the VFs of the PFs it matches; every match property must hold', () => {
  const plan = (...match: string[]) =>
    [
      'network:',
      '  ethernets:',
      '    sriov-pfs:',
      '      match:',
      ...match.map((m) => `        ${m}`),
      '      virtual-function-count: 7',
    ].map((l) => `etc/netplan/01-sriov.yaml:${l}`);
  const counts = (lines: string[]) => findVfPersistence(pf, input(lines)).sources.map((s) => [s.detail, s.count]);
  const seven = [['sriov-pfs: virtual-function-count: 7', 7]];
  assert.deepEqual(counts(plan('driver: igb')), seven);
  assert.deepEqual(counts(plan('driver: "ig*"')), seven);
  assert.deepEqual(counts(plan('driver: [ixgbe, igb]')), seven);
  assert.deepEqual(counts(plan('driver:', '  - ixgbe', '  - igb')), seven);
  assert.deepEqual(counts(plan('driver: ixgbe')), []);
  // name and driver: both must fit
  assert.deepEqual(counts(plan('name: enp11s0f*', 'driver: igb')), seven);
  assert.deepEqual(counts(plan('name: eth*', 'driver: igb')), []);
  assert.deepEqual(counts(plan('macaddress: 00:1b:21:aa:bb:00', 'driver: ixgbe')), []);
});

test("a NetworkManager profile in ifcfg-rh form (RHEL 8's /etc/sysconfig/network-scripts) with SRIOV_TOTAL_VFS is a source; ONBOOT=no is not at boot", () => {
  const ifcfg = (file: string, lines: string[]) => lines.map((l) => `etc/sysconfig/network-scripts/${file}:${l}`);
  const on = findVfPersistence(pf, input(ifcfg('ifcfg-enp11s0f0', ['DEVICE=enp11s0f0', 'ONBOOT=yes', 'SRIOV_TOTAL_VFS="7"'])));
  assert.deepEqual(
    on.sources.map((s) => [s.mechanism, s.detail, s.count]),
    [['networkmanager', 'SRIOV_TOTAL_VFS=7 (DEVICE=enp11s0f0)', 7]],
  );
  const byMac = findVfPersistence(pf, input(ifcfg('ifcfg-uplink', ['HWADDR=00:1B:21:AA:BB:00', 'SRIOV_TOTAL_VFS=7'])));
  assert.equal(byMac.sources.length, 1);
  const off = findVfPersistence(pf, input(ifcfg('ifcfg-enp11s0f0', ['DEVICE=enp11s0f0', 'ONBOOT=no', 'SRIOV_TOTAL_VFS=7'])));
  assert.deepEqual([off.sources.length, off.notAtBoot.length], [0, 1]);
  assert.deepEqual(findVfPersistence(pf, input(ifcfg('ifcfg-enp11s0f1', ['DEVICE=enp11s0f1', 'SRIOV_TOTAL_VFS=7']))).sources, []);
});

test('an enabled instance of a template unit (sriov@enp11s0f0.service of sriov@.service) is a source, %i its instance', () => {
  const line = 'etc/systemd/system/sriov@.service:ExecStart=/bin/sh -c "echo 7 > /sys/class/net/%i/device/sriov_numvfs"';
  const withUnits = (units: string[]) =>
    findVfPersistence(pf, { persistLines: [line], cmdlineWords: [], enabledUnits: new Set(units) }).sources.map((s) => [s.detail, s.count]);
  assert.deepEqual(withUnits(['sriov@enp11s0f0.service']), [
    ['ExecStart=/bin/sh -c "echo 7 > /sys/class/net/enp11s0f0/device/sriov_numvfs"', 7],
  ]);
  assert.deepEqual(withUnits(['sriov@enp11s0f1.service']), []);
  assert.deepEqual(withUnits([]), []);
});

test('a module option in double quotes (options igb max_vfs="7") counts as the kernel reads it: 7', () => {
  assert.deepEqual(
    findVfPersistence(pf, input(['etc/modprobe.d/igb.conf:1:options igb max_vfs="7"'])).sources.map((s) => s.count),
    [7],
  );
  assert.equal(findVfPersistence(pf, input(['etc/modprobe.d/igb.conf:1:options igb max_vfs="7,7"'])).refused.length, 1);
});
