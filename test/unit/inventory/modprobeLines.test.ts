// modprobe.d lines as kmod reads them (kmod 30, seen with `modprobe -C DIR --showconfig` and
// `modprobe -n -v` on a module tree made with depmod): a trailing backslash joins the next line, and an
// `install` line's command replaces the load. The script sends these files' lines numbered ("N:LINE").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findVfPersistence, type PersistenceInput } from '../../../server/src/inventory/vfPersistence';

const pf = {
  address: '0000:5e:00.0',
  kind: 'pf' as const,
  vendor: '0x8086',
  product: '0x10fb',
  driver: 'ixgbe',
  iommuGroup: 40,
  numaNode: 0,
  netdev: 'ens1f0',
  mac: '90:e2:ba:00:5e:00',
  netdevs: ['ens1f0'],
};
/** a modprobe.d file's lines as the script sends those it looks for: "FILE:N:LINE" */
const file = (name: string, lines: Record<number, string>) => Object.entries(lines).map(([n, l]) => `etc/modprobe.d/${name}:${n}:${l}`);
const input = (persistLines: string[]): PersistenceInput => ({
  persistLines,
  cmdlineWords: [],
  enabledUnits: new Set(),
  vfParams: (m) => (m === 'ixgbe' || m === 'igb' ? new Set(['max_vfs']) : null),
});
const read = (lines: string[], device = pf) => {
  const r = findVfPersistence(device, input(lines));
  const show = (list: { file: string; detail: string; count?: number }[]) => list.map((s) => `${s.file}: ${s.detail} (${s.count})`);
  return { sources: show(r.sources), removals: show(r.removals), refused: show(r.refused) };
};

test('an options line continued with a trailing backslash is read whole: the count on a later line counts', () => {
  // lines 1 and 2 end in a backslash; line 3 (allow_unsupported_sfp=1) names nothing looked for and is not sent
  assert.deepEqual(read(file('ixgbe.conf', { 1: 'options ixgbe \\', 2: '    max_vfs=8 \\' })).sources, [
    'etc/modprobe.d/ixgbe.conf: options ixgbe max_vfs=8 (8)',
  ]);
  // the driver's name on the continued line
  assert.deepEqual(read(file('ixgbe.conf', { 4: 'options \\', 5: 'ixgbe max_vfs=4' })).sources, [
    'etc/modprobe.d/ixgbe.conf: options ixgbe max_vfs=4 (4)',
  ]);
});

test('a continuation joins only the next line: a gap in the numbers, another file or a blank after the backslash ends it', () => {
  // line 2 (unsent) ended the continued line 1; line 3 stands alone and names no module
  assert.deepEqual(read(file('a.conf', { 1: 'options ixgbe \\', 3: 'max_vfs=8' })).sources, []);
  assert.deepEqual(read([...file('a.conf', { 1: 'options ixgbe \\' }), ...file('b.conf', { 2: 'max_vfs=8' })]).sources, []);
  // kmod: "options ixgbe \ " then "max_vfs=3" is a bad line of its own ("ignoring bad line starting with 'max_vfs=3'")
  assert.deepEqual(read(file('a.conf', { 1: 'options ixgbe \\ ', 2: 'max_vfs=3' })).sources, []);
});

test('a comment ending in a backslash swallows the next line, as kmod joins before it drops comments', () => {
  assert.deepEqual(read(file('ixgbe.conf', { 1: '# VFs for the uplink \\', 2: 'options ixgbe max_vfs=8' })).sources, []);
  assert.deepEqual(read(file('ixgbe.conf', { 1: '  # indented \\', 2: 'options ixgbe max_vfs=8' })).sources, []);
  assert.deepEqual(read(file('ixgbe.conf', { 1: '# VFs for the uplink', 2: 'options ixgbe max_vfs=8' })).sources, [
    'etc/modprobe.d/ixgbe.conf: options ixgbe max_vfs=8 (8)',
  ]);
});

test("an install line for the PF's driver that loads it with max_vfs=N is a source with N, and N wins over an options line's", () => {
  const install = 'install ixgbe /sbin/modprobe --ignore-install ixgbe max_vfs=8';
  assert.deepEqual(read(file('ixgbe.conf', { 1: install })).sources, [`etc/modprobe.d/ixgbe.conf: ${install} (8)`]);
  // kmod passes the options lines' parameters first and the command's after; the kernel keeps the last
  assert.deepEqual(read(file('ixgbe.conf', { 1: 'options ixgbe max_vfs=2', 2: install })).sources, [
    `etc/modprobe.d/ixgbe.conf: ${install} (8)`,
  ]);
  assert.deepEqual(read(file('ixgbe.conf', { 1: install, 2: 'options ixgbe max_vfs=2' })).sources, [
    `etc/modprobe.d/ixgbe.conf: ${install} (8)`,
  ]);
  // continued, with -i for --ignore-install
  assert.deepEqual(read(file('ixgbe.conf', { 1: 'install ixgbe \\', 2: '  modprobe -i ixgbe max_vfs=6' })).sources, [
    'etc/modprobe.d/ixgbe.conf: install ixgbe modprobe -i ixgbe max_vfs=6 (6)',
  ]);
  // igb refuses a list: the install line's value is refused as an options line's is
  assert.deepEqual(
    read(file('igb.conf', { 1: 'install igb /sbin/modprobe --ignore-install igb max_vfs=7,7' }), { ...pf, driver: 'igb' }).refused,
    ['etc/modprobe.d/igb.conf: install igb /sbin/modprobe --ignore-install igb max_vfs=7,7 (undefined)'],
  );
});

test("an install line whose command writes the PF's sriov_numvfs is a source with the count it writes; 0 is a removal", () => {
  const byName = 'install ixgbe /sbin/modprobe --ignore-install ixgbe; echo 4 > /sys/class/net/ens1f0/device/sriov_numvfs';
  assert.deepEqual(read(file('sriov.conf', { 3: byName })).sources, [`etc/modprobe.d/sriov.conf: ${byName} (4)`]);
  const byPath = [
    'install ixgbe \\',
    '  /sbin/modprobe --ignore-install ixgbe max_vfs=0 && echo 2 > /sys/bus/pci/devices/0000:5e:00.0/sriov_numvfs',
  ];
  // the write comes after the load: its count is the one kept
  assert.deepEqual(read(file('sriov.conf', { 1: byPath[0], 2: byPath[1] })).sources, [
    `etc/modprobe.d/sriov.conf: ${(byPath[0].slice(0, -1) + byPath[1]).replace(/\s+/g, ' ')} (2)`,
  ]);
  const zero = 'install ixgbe /sbin/modprobe --ignore-install ixgbe && echo 0 > /sys/bus/pci/devices/0000:5e:00.0/sriov_numvfs';
  assert.deepEqual(read(file('sriov.conf', { 1: zero })), {
    sources: [],
    removals: [`etc/modprobe.d/sriov.conf: ${zero} (0)`],
    refused: [],
  });
});

test("an install line for another module, or one writing another PF's sriov_numvfs, is no source of this PF's VFs", () => {
  assert.deepEqual(
    read(
      file('a.conf', {
        1: 'install vfio_pci /sbin/modprobe --ignore-install vfio_pci; echo 4 > /sys/class/net/ens1f0/device/sriov_numvfs',
      }),
    ).sources,
    [],
  );
  assert.deepEqual(
    read(file('a.conf', { 1: 'install ixgbe /sbin/modprobe --ignore-install ixgbe; echo 4 > /sys/class/net/ens1f1/device/sriov_numvfs' }))
      .sources,
    [],
  );
  assert.deepEqual(read(file('a.conf', { 1: 'install ice /sbin/modprobe --ignore-install ice max_vfs=8' })).sources, []);
});

test('long hostile install and ifupdown lines are read in linear time', { timeout: 20_000 }, () => {
  const junk = ';/modprobe -'.repeat(100_000);
  assert.deepEqual(read(file('a.conf', { 1: `install ixgbe ${junk} sriov_numvfs` })).sources, []);
  const lines = Array.from({ length: 50_000 }, (_, i) => `etc/network/interfaces:${i + 1}:auto ${'x'.repeat(20)} \\`);
  assert.deepEqual(read(lines).sources, []);
});

test('a file of /etc/modprobe.d hides the file of its name in /run and /usr/lib: its options apply, the hidden ones not', () => {
  const lib = ['usr/lib/modprobe.d/ixgbe.conf:1:options ixgbe max_vfs=8', 'lib/modprobe.d/ixgbe.conf:1:options ixgbe max_vfs=8'];
  // the distribution's line alone (merged /usr: /lib and /usr/lib are one file, named once)
  assert.deepEqual(read(lib).sources, ['usr/lib/modprobe.d/ixgbe.conf: options ixgbe max_vfs=8 (8)']);
  // an administrator's file of the same name that comments it out: kmod applies nothing
  assert.deepEqual(read([...file('ixgbe.conf', { 1: '# options ixgbe max_vfs=8' }), ...lib]).sources, []);
  assert.deepEqual(read([...file('ixgbe.conf', { 1: 'options ixgbe max_vfs=2' }), ...lib]).sources, [
    'etc/modprobe.d/ixgbe.conf: options ixgbe max_vfs=2 (2)',
  ]);
  // another name hides nothing
  assert.equal(read([...file('local.conf', { 1: '# nothing' }), ...lib]).sources.length, 1);
});

test('a masked file (empty, or a link to /dev/null: the script sends FILE:masked) hides the files of its name too', () => {
  const lib = ['usr/lib/modprobe.d/ixgbe.conf:1:options ixgbe max_vfs=8'];
  assert.deepEqual(read(['etc/modprobe.d/ixgbe.conf:masked', ...lib]).sources, []);
  assert.deepEqual(read(['usr/local/lib/modprobe.d/ixgbe.conf:masked', ...lib]).sources, []);
  // below the file it would hide, it hides nothing; and another name hides nothing
  assert.equal(read([...lib, 'lib/modprobe.d/ixgbe.conf:masked']).sources.length, 1);
  assert.equal(read(['etc/modprobe.d/local.conf:masked', ...lib]).sources.length, 1);
});

test("options lines in several files: kmod reads the files by name whatever their directory, and the kernel keeps the parameter's last value", () => {
  const a = (dir: string, n: number) => `${dir}/a-ixgbe.conf:1:options ixgbe max_vfs=${n}`;
  const z = (dir: string, n: number) => `${dir}/z-ixgbe.conf:1:options ixgbe max_vfs=${n}`;
  // kmod 30 (modprobe --showconfig): a-… before z-…, so z-…'s count is the one the driver gets
  assert.deepEqual(read([z('etc/modprobe.d', 2), a('usr/local/lib/modprobe.d', 7)]).sources, [
    'etc/modprobe.d/z-ixgbe.conf: options ixgbe max_vfs=2 (2)',
  ]);
  assert.deepEqual(read([a('etc/modprobe.d', 2), z('usr/local/lib/modprobe.d', 7)]).sources, [
    'usr/local/lib/modprobe.d/z-ixgbe.conf: options ixgbe max_vfs=7 (7)',
  ]);
  // in one file too; and a last 0 leaves no source
  assert.deepEqual(read(file('ixgbe.conf', { 1: 'options ixgbe max_vfs=7', 2: 'options ixgbe max_vfs=4' })).sources, [
    'etc/modprobe.d/ixgbe.conf: options ixgbe max_vfs=4 (4)',
  ]);
  assert.deepEqual(read(file('ixgbe.conf', { 1: 'options ixgbe max_vfs=7', 2: 'options ixgbe max_vfs=0' })).sources, []);
});

test('a backslash before a CRLF line end continues nothing (kmod looks for a backslash before the line feed)', () => {
  assert.deepEqual(read(file('ixgbe.conf', { 1: 'options ixgbe \\\r', 2: 'max_vfs=8\r' })).sources, []);
  assert.deepEqual(read(file('ixgbe.conf', { 1: 'options ixgbe max_vfs=8\r' })).sources, [
    'etc/modprobe.d/ixgbe.conf: options ixgbe max_vfs=8 (8)',
  ]);
});

test("a continued line's detail is its first 300 characters: a line continued over megabytes is not repeated whole in every message", () => {
  const parts: Record<number, string> = { 1: 'options ixgbe max_vfs=8 \\' };
  for (let n = 2; n <= 20000; n++) parts[n] = ` debug=${n} \\`;
  const [source] = read(file('ixgbe.conf', parts)).sources;
  assert.ok(source.startsWith('etc/modprobe.d/ixgbe.conf: options ixgbe max_vfs=8 debug=2 debug=3'), source.slice(0, 100));
  assert.ok(source.length < 400, `${source.length} characters`);
  assert.match(source, /… \(8\)$/);
});

test('a file whose name the script encodes (a blank in it) is read with CRLF line ends too', () => {
  const encoded = `x${Buffer.from('my ixgbe.conf').toString('hex')}`;
  assert.deepEqual(read([`etc/modprobe.d ${encoded}:1:options ixgbe max_vfs=8\r`]).sources, [
    'etc/modprobe.d/my ixgbe.conf: options ixgbe max_vfs=8 (8)',
  ]);
});
