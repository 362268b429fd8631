// systemd-networkd .link files as udev's net_setup_link applies them (systemd.link(5); which file applies
// was checked with systemd 252's `udevadm test-builtin net_setup_link` on a veth): the first file, in the
// order of names across /etc, /run and /usr/lib/systemd/network, whose [Match] fits the PF's interface,
// and its SR-IOVVirtualFunctions= (or [SR-IOV] sections) as the PF's VF count at boot.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findVfPersistence } from '../../../server/src/inventory/vfPersistence';
import type { SysfsDevice } from '../../../server/src/inventory/parseSysfs';
import { x710Port0 } from '../../support/pfDevices';

const pf = x710Port0('ens1f0');
/** a .link file's lines as the script sends them: "FILE:N:LINE", numbered from 1 */
const file = (path: string, lines: string[]) => lines.map((l, i) => `${path}:${i + 1}:${l}`);
const masked = (path: string) => [`${path}:masked`];
/** Debian 12's own files */
const DEBIAN = [
  ...file('usr/lib/systemd/network/73-usb-net-by-mac.link', ['[Match]', 'Path=*-usb-*', '', '[Link]', 'NamePolicy=mac']),
  ...file('usr/lib/systemd/network/99-default.link', [
    '[Match]',
    'OriginalName=*',
    '',
    '[Link]',
    'NamePolicy=keep kernel database onboard slot path',
    'MACAddressPolicy=persistent',
  ]),
];
const sriov = (path: string, match: string[], link = ['SR-IOVVirtualFunctions=8']) =>
  file(path, ['[Match]', ...match, '', '[Link]', ...link]);
const read = (lines: string[], device: SysfsDevice = pf) => {
  const r = findVfPersistence(device, { persistLines: [...lines, ...DEBIAN], cmdlineWords: [], enabledUnits: new Set() });
  const show = (list: { mechanism: string; file: string; detail: string; count?: number }[]) =>
    list.map((s) => `${s.mechanism} ${s.file}: ${s.detail} (${s.count})`);
  return {
    sources: show(r.sources),
    removals: show(r.removals),
    ignored: r.ignored.map((s) => (s.reason === 'earlier-link-file' ? `${s.file} <- ${s.appliedInstead}` : `${s.reason}: ${s.detail}`)),
  };
};
const counts = (lines: string[], device?: SysfsDevice) => read(lines, device).sources.map((s) => /\((\d+)\)$/.exec(s)?.[1]);
const ETC = 'etc/systemd/network/10-sriov.link';

test('a .link file matching the PF by MACAddress, PermanentMACAddress, Path, Driver or Type sets its VF count', () => {
  assert.deepEqual(read(sriov(ETC, ['MACAddress=3c:fd:fe:00:3b:00'])).sources, [
    `systemd-networkd ${ETC}: line 5: SR-IOVVirtualFunctions=8 ([Match] MACAddress=3c:fd:fe:00:3b:00) (8)`,
  ]);
  for (const match of [
    'MACAddress=3C:FD:FE:00:3B:00',
    'MACAddress=3c-fd-fe-00-3b-00',
    'MACAddress=3cfd.fe00.3b00',
    'MACAddress=00:11:22:33:44:55 3c:fd:fe:00:3b:00',
    'PermanentMACAddress=3c:fd:fe:00:3b:00',
    'Path=pci-0000:3b:00.0',
    'Path=pci-0000:3b:00.*',
    'Driver=i40e',
    'Driver=ice i40e',
    'Driver=!ixgbe',
    'Type=ether',
    'Kind=!bond',
    'OriginalName=*',
  ])
    assert.deepEqual(counts(sriov(ETC, [match])), ['8'], match);
});

test('a [Match] that does not fit the PF applies nothing; every key must fit', () => {
  for (const match of [
    ['MACAddress=3c:fd:fe:00:3b:01'],
    ['Path=pci-0000:3b:00.1'],
    ['Driver=ice'],
    ['Driver=!i40e'],
    ['Driver=!ice i40e'],
    ['Type=ETHER'],
    ['Type=infiniband'],
    ['Kind=veth'],
    ['MACAddress=3c:fd:fe:00:3b:00', 'Driver=ice'],
    // a later MACAddress= adds to the list, an empty one resets it
    ['MACAddress=3c:fd:fe:00:3b:00', 'MACAddress=', 'Driver=ice'],
  ])
    assert.deepEqual(read(sriov(ETC, match)), { sources: [], removals: [], ignored: [] }, match.join(' '));
  assert.deepEqual(counts(sriov(ETC, ['MACAddress=00:11:22:33:44:55', 'MACAddress=3c:fd:fe:00:3b:00'])), ['8']);
});

test('only the first .link file that fits applies: a later one with the count is ignored, naming the one that applies', () => {
  // "sriov.link" sorts after 99-default.link, whose OriginalName=* fits every interface
  assert.deepEqual(read(sriov('etc/systemd/network/sriov.link', ['Driver=i40e'])), {
    sources: [],
    removals: [],
    ignored: ['etc/systemd/network/sriov.link <- usr/lib/systemd/network/99-default.link'],
  });
  const rename = file('etc/systemd/network/10-uplink.link', ['[Match]', 'MACAddress=3c:fd:fe:00:3b:00', '[Link]', 'Name=uplink0']);
  assert.deepEqual(read([...rename, ...sriov('run/systemd/network/20-sriov.link', ['Path=pci-0000:3b:00.0'])]).ignored, [
    'run/systemd/network/20-sriov.link <- etc/systemd/network/10-uplink.link',
  ]);
  // one that does not fit the PF comes first to no effect
  const other = file('etc/systemd/network/10-uplink.link', ['[Match]', 'MACAddress=3c:fd:fe:00:3b:01', '[Link]', 'Name=uplink0']);
  assert.deepEqual(counts([...other, ...sriov('run/systemd/network/20-sriov.link', ['Path=pci-0000:3b:00.0'])]), ['8']);
});

test('a file of the same name in an earlier directory hides it; an empty one or a symlink to /dev/null masks it', () => {
  const lib = sriov('usr/lib/systemd/network/10-sriov.link', ['Driver=i40e']);
  assert.deepEqual(counts([...lib, ...sriov(ETC, ['Driver=i40e'], ['SR-IOVVirtualFunctions=4'])]), ['4']);
  assert.deepEqual(counts([...lib, ...masked(ETC)]), []);
  // 99-default.link masked (to keep the kernel's names): a file sorting after it applies
  assert.deepEqual(
    counts([...sriov('etc/systemd/network/sriov.link', ['Driver=i40e']), ...masked('etc/systemd/network/99-default.link')]),
    ['8'],
  );
});

test("drop-ins NAME.link.d/*.conf are read after the file, in the order of their names; an earlier directory's hides one of its name", () => {
  const main = sriov(ETC, ['Driver=i40e'], ['NamePolicy=path']);
  const dropIn = 'etc/systemd/network/10-sriov.link.d/vfs.conf';
  assert.deepEqual(read([...main, ...file(dropIn, ['[Link]', 'SR-IOVVirtualFunctions=6'])]).sources, [
    `systemd-networkd ${dropIn}: line 2: SR-IOVVirtualFunctions=6 ([Match] Driver=i40e) (6)`,
  ]);
  const libDropIn = file('usr/lib/systemd/network/10-sriov.link.d/vfs.conf', ['[Link]', 'SR-IOVVirtualFunctions=2']);
  assert.deepEqual(counts([...main, ...libDropIn, ...file(dropIn, ['[Link]', 'SR-IOVVirtualFunctions=6'])]), ['6']);
  assert.deepEqual(counts([...main, ...libDropIn, ...masked(dropIn)]), []);
  const later = file('etc/systemd/network/10-sriov.link.d/zz.conf', ['[Link]', 'SR-IOVVirtualFunctions=3']);
  assert.deepEqual(counts([...main, ...file(dropIn, ['[Link]', 'SR-IOVVirtualFunctions=6']), ...later]), ['3']);
  // a drop-in can make the file fit another PF: its [Match] lists add up
  assert.deepEqual(counts([...sriov(ETC, ['Driver=ice']), ...file(dropIn, ['[Match]', 'Driver=i40e'])]), ['8']);
});

test('SR-IOVVirtualFunctions=0 removes the VFs; [SR-IOV] sections without it make the largest VirtualFunction + 1', () => {
  assert.deepEqual(read(sriov(ETC, ['Driver=i40e'], ['SR-IOVVirtualFunctions=0'])).removals, [
    `systemd-networkd ${ETC}: line 5: SR-IOVVirtualFunctions=0 ([Match] Driver=i40e) (0)`,
  ]);
  const sections = file(ETC, ['[Match]', 'Driver=i40e', '[SR-IOV]', 'VirtualFunction=0', '[SR-IOV]', 'VirtualFunction=3', 'Trust=yes']);
  assert.deepEqual(read(sections).sources, [
    `systemd-networkd ${ETC}: line 6: [SR-IOV] VirtualFunction=3: 4 VFs ([Match] Driver=i40e) (4)`,
  ]);
  // a value systemd cannot parse is ignored; the last valid one counts
  assert.deepEqual(counts(sriov(ETC, ['Driver=i40e'], ['SR-IOVVirtualFunctions=5', 'SR-IOVVirtualFunctions=abc'])), ['5']);
  // in [Match] it is an unknown key, and sets nothing
  assert.deepEqual(counts(file(ETC, ['[Match]', 'Driver=i40e', 'SR-IOVVirtualFunctions=8'])), []);
});

test('a file whose [Match] has no valid key is skipped: the next file that fits applies', () => {
  for (const match of [[], ['MACAddress=3c:fd:*'], ['MACAddress=!00:11:22:33:44:55'], ['driver=i40e']])
    assert.deepEqual(
      read([...sriov('etc/systemd/network/05-empty.link', match), ...sriov(ETC, ['Driver=i40e'], ['SR-IOVVirtualFunctions=4'])]).sources,
      [`systemd-networkd ${ETC}: line 5: SR-IOVVirtualFunctions=4 ([Match] Driver=i40e) (4)`],
    );
});

test('a file systemd does not load (a bad section header, a line over 1 MiB, in it or a drop-in) sets nothing, and one with a count for the PF is named with why', () => {
  const bad = (lines: string[]) =>
    read([...file(ETC, lines), ...sriov('etc/systemd/network/50-next.link', ['Driver=i40e'], ['SR-IOVVirtualFunctions=2'])]);
  // systemd 252: "Invalid section header '[SR-IOV'", the file is not loaded, and the next one that fits applies
  const header = bad(['[Match]', 'Driver=i40e', '[Link]', 'SR-IOVVirtualFunctions=7', '[SR-IOV']);
  assert.deepEqual(
    header.sources.map((x) => x.replace(/ \(\[Match\].*$/, '')),
    ['systemd-networkd etc/systemd/network/50-next.link: line 5: SR-IOVVirtualFunctions=2'],
  );
  assert.deepEqual(header.ignored, [
    `link-file-refused: line 4: SR-IOVVirtualFunctions=7 ([Match] Driver=i40e; systemd does not load the file: /${ETC} line 5: Invalid section header '[SR-IOV')`,
  ]);
  assert.equal(bad(['[Match]', 'Driver=i40e', '[Link]', 'SR-IOVVirtualFunctions=7', '[SR-IOV] # vf0']).ignored.length, 1);
  assert.match(
    bad(['[Match]', 'Driver=i40e', '[Link]', 'SR-IOVVirtualFunctions=7', `# ${'x'.repeat(1024 * 1024)}`]).ignored[0],
    /Line too long\)$/,
  );
  const dropIn = read([
    ...sriov(ETC, ['Driver=i40e'], ['SR-IOVVirtualFunctions=7']),
    ...file('etc/systemd/network/10-sriov.link.d/bad.conf', ['[Link']),
  ]);
  assert.deepEqual(dropIn.sources, []);
  assert.match(
    dropIn.ignored[0],
    /systemd does not load the file: \/etc\/systemd\/network\/10-sriov\.link\.d\/bad\.conf line 1: Invalid section header '\[Link'\)$/,
  );
  // a file that does not concern the PF is not named
  assert.deepEqual(bad(['[Match]', 'Driver=ixgbe', '[Link]', 'SR-IOVVirtualFunctions=7', '[SR-IOV']).ignored, []);
});

test('a [Match] without a valid key (Name= is a .network key) is named for the PF its value names: systemd ignores the file', () => {
  const named = read(sriov(ETC, ['Name=ens1f0'], ['SR-IOVVirtualFunctions=7']));
  assert.deepEqual(named.sources, []);
  assert.deepEqual(named.ignored, [
    `link-file-refused: line 5: SR-IOVVirtualFunctions=7 (systemd does not load the file: No valid settings found in the [Match] section (Name=ens1f0: no key of a .link file))`,
  ]);
  assert.deepEqual(read(sriov(ETC, ['Name=ens9f0'], ['SR-IOVVirtualFunctions=7'])).ignored, []);
});

test("a count over the PF's sriov_totalvfs makes no VF (systemd refuses it) and is named; the PF's most is a source", () => {
  const over = read(sriov(ETC, ['Driver=i40e'], ['SR-IOVVirtualFunctions=65']));
  assert.deepEqual(over.sources, []);
  assert.deepEqual(over.ignored, ['over-total-vfs: line 5: SR-IOVVirtualFunctions=65 ([Match] Driver=i40e)']);
  assert.deepEqual(counts(sriov(ETC, ['Driver=i40e'], ['SR-IOVVirtualFunctions=64'])), ['64']);
});

test('counts are numbers as systemd reads them: 0x hexadecimal, a leading 0 octal (08 is refused), an optional +', () => {
  for (const [value, count] of [
    ['7', '7'],
    ['0x3', '3'],
    ['+3', '3'],
    ['010', '8'],
  ])
    assert.deepEqual(counts(sriov(ETC, ['Driver=i40e'], [`SR-IOVVirtualFunctions=${value}`])), [count], value);
  assert.deepEqual(counts(sriov(ETC, ['Driver=i40e'], ['SR-IOVVirtualFunctions=08'])), []);
  assert.equal(read(sriov(ETC, ['Driver=i40e'], ['SR-IOVVirtualFunctions=0x0'])).removals.length, 1);
});

test('a [Match] the inventory cannot decide (OriginalName=, Property=, Host=, …) is taken to apply, and the detail says so', () => {
  assert.deepEqual(read(sriov(ETC, ['OriginalName=eth2'])).sources, [
    `systemd-networkd ${ETC}: line 5: SR-IOVVirtualFunctions=8 ([Match] OriginalName=eth2; cannot tell whether its OriginalName=eth2 holds for this PF at boot) (8)`,
  ]);
  for (const match of ['Property=ID_VENDOR=Intel', 'Host=kvm1', 'KernelCommandLine=sriov', 'Architecture=x86-64'])
    assert.ok(
      read(sriov(ETC, ['Driver=i40e', match])).sources[0].includes(
        `[Match] Driver=i40e ${match}; cannot tell whether its ${match} holds for this PF at boot`,
      ),
    );
  // one that cannot fit whatever it cannot tell applies nothing
  assert.deepEqual(counts(sriov(ETC, ['Driver=ice', 'OriginalName=eth2'])), []);
  // an undecided file before the one that fits: the source says it may apply instead
  const rename = file('etc/systemd/network/05-eth2.link', ['[Match]', 'OriginalName=eth2', '[Link]', 'Name=uplink0']);
  assert.deepEqual(read([...rename, ...sriov(ETC, ['Driver=i40e'])]).sources, [
    `systemd-networkd ${ETC}: line 5: SR-IOVVirtualFunctions=8 ([Match] Driver=i40e; unless /etc/systemd/network/05-eth2.link (cannot tell whether its OriginalName=eth2 holds), earlier, applies instead) (8)`,
  ]);
  // Type= without the PCI class is not decided either
  assert.ok(
    read(sriov(ETC, ['Type=ether']), { ...pf, pciClass: undefined }).sources[0].includes(
      'cannot tell whether its Type=ether holds for this PF at boot',
    ),
  );
});

test("lines as systemd reads them: '\\' continues with a blank between, comments (# or ;) never continue, CRLF ends a line", () => {
  assert.deepEqual(counts(sriov(ETC, ['Driver=ice \\', 'i40e'])), ['8']);
  assert.deepEqual(counts(sriov(ETC, ['Driver=ice\\', 'i40e'])), ['8']);
  // checked with udevadm: the comment's backslash does not take the Driver= line with it
  assert.deepEqual(counts(sriov(ETC, ['# uplinks \\', 'Driver=ice', 'MACAddress=3c:fd:fe:00:3b:00'])), []);
  assert.deepEqual(counts(sriov(ETC, ['; Driver=ice', 'MACAddress=3c:fd:fe:00:3b:00'])), ['8']);
  assert.deepEqual(counts(sriov(ETC, ['  Driver  =  "i40e"  \r'], ['SR-IOVVirtualFunctions=8\r'])), ['8']);
});

test('a PF without an interface gets no .link file; details are capped', () => {
  assert.deepEqual(counts(sriov(ETC, ['Driver=i40e']), { ...pf, netdev: null, netdevs: [] }), []);
  const long = `Driver=${'x'.repeat(500)} i40e`;
  const [detail] = read(sriov(ETC, [long])).sources;
  assert.ok(detail.length < 400, detail);
  assert.ok(detail.includes('…'), detail);
});
