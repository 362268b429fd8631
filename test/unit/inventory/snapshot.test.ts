import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InventoryError, parseInventorySnapshot, serializeInventory } from '../../../server/src/inventory/snapshot';
import { parseSysfsDump, toInventoryDevice } from '../../../server/src/inventory/parseSysfs';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const exampleText = fs.readFileSync(path.join(root, 'examples', '82576-inventory.json'), 'utf8');

function minimal(): Record<string, unknown> {
  return {
    format: 'libvirt-hostdev-inventory/1',
    host: 'kvm1',
    takenAt: '2026-11-25T09:30:00Z',
    devices: [
      {
        address: '0000:3b:00.0',
        kind: 'pf',
        vendor: '0x8086',
        product: '0x1572',
        driver: 'i40e',
        iommuGroup: 40,
        numaNode: 0,
        netdev: 'ens2f0',
        mac: '3c:fd:fe:00:00:01',
        totalVfs: 64,
        numVfs: 1,
      },
      {
        address: '0000:3b:02.0',
        kind: 'vf',
        vendor: '0x8086',
        product: '0x154c',
        driver: 'iavf',
        iommuGroup: 60,
        numaNode: 0,
        netdev: 'ens2f0v0',
        mac: null,
        pf: '0000:3b:00.0',
        vfIndex: 0,
      },
    ],
    guests: [
      {
        name: 'vm-a',
        state: 'running',
        persistent: true,
        devices: [{ address: '0000:3b:02.0', element: 'interface', config: true, live: true, mac: '52:54:00:00:00:01' }],
      },
    ],
    networks: [{ name: 'sriov-pool', active: true, addresses: ['0000:3b:02.0'] }],
  };
}

function errorOf(data: unknown): string {
  const text = typeof data === 'string' ? data : JSON.stringify(data);
  try {
    parseInventorySnapshot(text, 'snap.json');
  } catch (e) {
    assert.ok(e instanceof InventoryError, `expected InventoryError, got ${String(e)}`);
    return e.message;
  }
  assert.fail('expected the snapshot to be rejected');
}

test('the 82576 example parses: 2 PFs, 14 VFs, 2 guests, the NAT network and a hostdev pool, the host read', () => {
  const inv = parseInventorySnapshot(exampleText, 'examples/82576-inventory.json');
  assert.equal(inv.devices.filter((d) => d.kind === 'pf').length, 2);
  const vfs = inv.devices.filter((d) => d.kind === 'vf');
  assert.equal(vfs.length, 14);
  assert.deepEqual(
    vfs.filter((d) => d.pf === '0000:0b:00.0').map((d) => [d.address, d.vfIndex]),
    [
      ['0000:0b:10.0', 0],
      ['0000:0b:10.2', 1],
      ['0000:0b:10.4', 2],
      ['0000:0b:10.6', 3],
      ['0000:0b:11.0', 4],
      ['0000:0b:11.2', 5],
      ['0000:0b:11.4', 6],
    ],
  );
  assert.equal(new Set(inv.devices.map((d) => d.iommuGroup)).size, 16, 'every device in its own IOMMU group');
  assert.deepEqual(
    inv.guests.map((g) => [g.name, g.state]),
    [
      ['web01', 'running'],
      ['db01', 'shut off'],
    ],
  );
  assert.deepEqual(
    inv.networks.map((n) => [n.name, n.forwardMode, n.active, n.addresses]),
    [
      ['default', 'nat', true, []],
      ['sriov-pool', 'hostdev', true, ['0000:0b:11.0', '0000:0b:11.2', '0000:0b:11.4']],
    ],
  );
  // a snapshot as `inventory` writes it today: the readiness report of it has every step
  assert.equal(inv.readiness?.vfioPci, 'loaded');
  assert.deepEqual(Object.keys(inv.readiness?.vfPersistence ?? {}), ['0000:0b:00.0', '0000:0b:00.1']);
});

test('addresses, PCI ids and MACs are normalised to lower-case canonical form', () => {
  const data = minimal();
  const devices = data.devices as Record<string, unknown>[];
  devices[1].address = '0000:3B:02.0';
  devices[1].pf = '0000:3B:00.0';
  devices[1].vendor = '0x8086';
  devices[1].product = '154C';
  devices[0].mac = '3C:FD:FE:0:0:1';
  const inv = parseInventorySnapshot(JSON.stringify(data), 'snap.json');
  assert.equal(inv.devices[1].address, '0000:3b:02.0');
  assert.equal(inv.devices[1].pf, '0000:3b:00.0');
  assert.equal(inv.devices[1].product, '0x154c');
  assert.equal(inv.devices[0].mac, '3c:fd:fe:00:00:01');
});

test('spellings next to the canonical one are normalised, not kept as given: an 8-digit domain, a MAC with a trailing blank', () => {
  const data = minimal();
  const devices = data.devices as Record<string, unknown>[];
  devices[1].address = '00000000:3b:02.0';
  devices[1].pf = ' 0000:3b:00.0';
  devices[0].mac = '3c:fd:fe:00:00:01 ';
  const inv = parseInventorySnapshot(JSON.stringify(data), 'snap.json');
  assert.equal(inv.devices[1].address, '0000:3b:02.0');
  assert.equal(inv.devices[1].pf, '0000:3b:00.0');
  assert.equal(inv.devices[0].mac, '3c:fd:fe:00:00:01');
});

test('unknown fields are ignored and dropped', () => {
  const data = minimal();
  data.generator = 'future-version';
  (data.devices as Record<string, unknown>[])[0].firmware = '1.2.3';
  const inv = parseInventorySnapshot(JSON.stringify(data), 'snap.json');
  assert.equal((inv as unknown as Record<string, unknown>).generator, undefined);
  assert.equal((inv.devices[0] as unknown as Record<string, unknown>).firmware, undefined);
});

test('a device read as written and one rebuilt field by field (an unknown field makes it rebuilt) read the same', () => {
  const data = minimal();
  const vf = (data.devices as Record<string, unknown>[])[1];
  vf.name = 'Ethernet Virtual Function 700 Series';
  vf.vf = { mac: '52:54:00:00:00:09', vlan: 10, spoofchk: true, trust: false };
  const guestDevice = ((data.guests as Record<string, unknown>[])[0].devices as Record<string, unknown>[])[0];
  const asWritten = parseInventorySnapshot(JSON.stringify(data), 'snap.json');
  for (const d of data.devices as Record<string, unknown>[]) d.firmware = '1.2.3';
  (vf.vf as Record<string, unknown>).rate = 0;
  guestDevice.bootIndex = 1;
  const rebuilt = parseInventorySnapshot(JSON.stringify(data), 'snap.json');
  assert.deepEqual(rebuilt, asWritten);
  assert.deepEqual(asWritten.devices[1].vf, { mac: '52:54:00:00:00:09', vlan: 10, spoofchk: true, trust: false });
  assert.deepEqual(Object.keys(rebuilt.guests[0].devices[0]).sort(), ['address', 'config', 'element', 'live', 'mac']);
});

test('nulls the reader drops are dropped from a device otherwise as written: name, vf and its settings', () => {
  const data = minimal();
  const vf = (data.devices as Record<string, unknown>[])[1];
  vf.name = null;
  vf.vf = null;
  const pf = (data.devices as Record<string, unknown>[])[0];
  pf.name = 'Ethernet Controller X710';
  const inv = parseInventorySnapshot(JSON.stringify(data), 'snap.json');
  assert.equal('name' in inv.devices[1], false);
  assert.equal('vf' in inv.devices[1], false);
  assert.equal(inv.devices[0].name, 'Ethernet Controller X710');
  vf.vf = { mac: null, vlan: 5, spoofchk: null };
  assert.deepEqual(parseInventorySnapshot(JSON.stringify(data), 'snap.json').devices[1].vf, { vlan: 5 });
});

test('a wrong format names the format field', () => {
  const data = minimal();
  data.format = 'libvirt-hostdev-inventory/2';
  assert.equal(errorOf(data), 'format: expected "libvirt-hostdev-inventory/1", got "libvirt-hostdev-inventory/2"');
  delete data.format;
  assert.equal(errorOf(data), 'format: expected "libvirt-hostdev-inventory/1", got nothing');
});

test('bad JSON reports the source, the line and the column', () => {
  assert.equal(
    errorOf('{"format": "libvirt-hostdev-inventory/1",\n  , }'),
    'snap.json:2:3: bad JSON: Expected double-quoted property name',
  );
  assert.equal(errorOf(''), 'snap.json:1:1: bad JSON: Unexpected end of JSON input');
});

test('a non-canonical device address names the device index', () => {
  const data = minimal();
  (data.devices as Record<string, unknown>[])[1].address = '0b:10.0';
  assert.equal(errorOf(data), 'devices[1].address: expected "DDDD:BB:SS.F", got "0b:10.0"');
});

test('missing required fields are named with their path', () => {
  const cases: [(d: Record<string, unknown>) => void, RegExp][] = [
    [(d) => delete d.host, /^host: expected a string, got nothing$/],
    [(d) => delete d.devices, /^devices: expected an array, got nothing$/],
    [(d) => delete (d.devices as Record<string, unknown>[])[0].kind, /^devices\[0\]\.kind: /],
    [(d) => delete (d.devices as Record<string, unknown>[])[0].totalVfs, /^devices\[0\]\.totalVfs: expected an integer 0\.\.65535/],
    [(d) => delete (d.devices as Record<string, unknown>[])[1].pf, /^devices\[1\]\.pf: expected "DDDD:BB:SS\.F"/],
    [(d) => ((d.devices as Record<string, unknown>[])[1].vfIndex = -1), /^devices\[1\]\.vfIndex: /],
    [(d) => ((d.devices as Record<string, unknown>[])[1].vendor = 'intel'), /^devices\[1\]\.vendor: /],
    [(d) => delete (d.guests as Record<string, unknown>[])[0].persistent, /^guests\[0\]\.persistent: expected true or false/],
    [
      (d) => (((d.guests as Record<string, unknown>[])[0].devices as Record<string, unknown>[])[0].element = 'disk'),
      /^guests\[0\]\.devices\[0\]\.element: /,
    ],
    [(d) => (((d.networks as Record<string, unknown>[])[0].addresses as unknown[])[0] = 'x'), /^networks\[0\]\.addresses\[0\]: /],
    [(d) => (d.takenAt = 'yesterday'), /^takenAt: expected an ISO-8601 date/],
    [(d) => ((d.devices as Record<string, unknown>[])[0].mac = '3c-fd-fe-00-00-01'), /^devices\[0\]\.mac: /],
  ];
  for (const [mutate, expected] of cases) {
    const data = minimal();
    mutate(data);
    assert.match(errorOf(data), expected);
  }
});

test('optional device fields may be null or absent', () => {
  const data = minimal();
  const vf = (data.devices as Record<string, unknown>[])[1];
  delete vf.driver;
  vf.iommuGroup = null;
  vf.numaNode = -1;
  const inv = parseInventorySnapshot(JSON.stringify(data), 'snap.json');
  assert.equal(inv.devices[1].driver, null);
  assert.equal(inv.devices[1].iommuGroup, null);
  assert.equal(inv.devices[1].numaNode, null);
});

test('a duplicate device address is rejected', () => {
  const data = minimal();
  const devices = data.devices as Record<string, unknown>[];
  devices.push({ ...devices[1] });
  assert.match(errorOf(data), /^devices\[2\]\.address: .*devices\[1\]/);
});

test('serializeInventory round-trips through parseInventorySnapshot', () => {
  const inv = parseInventorySnapshot(exampleText, 'example');
  const text = serializeInventory(inv);
  assert.ok(text.endsWith('\n'));
  assert.deepEqual(parseInventorySnapshot(text, 'again'), inv);
  assert.equal(text, exampleText, 'the example is stored in the canonical serialisation');
});

test('what a live read makes, a snapshot keeps: a group member the host gave no ids for, a PF with more VFs enabled than its total says', () => {
  const dump = parseSysfsDump({
    attrs: [
      '0000:0b:00.0/class:0x020000',
      '0000:0b:00.0/vendor:0x8086',
      '0000:0b:00.0/device:0x10c9',
      '0000:0b:00.0/sriov_totalvfs:1',
      '0000:0b:00.0/sriov_numvfs:2',
    ].join('\n'),
    links: 'lrwxrwxrwx 1 root root 0 Nov 25 13:00 0000:0b:00.0/iommu_group -> ../../../../kernel/iommu_groups/2',
    groups: '2/devices/0000:0b:00.0\n2/devices/0000:0b:00.1',
    names: '',
  });
  const inv = parseInventorySnapshot(exampleText, 'example');
  const live = { ...inv, devices: dump.devices.map(toInventoryDevice), guests: [], networks: [] };
  const pf = live.devices.find((d) => d.address === '0000:0b:00.0');
  assert.deepEqual([pf?.numVfs, pf?.totalVfs], [2, 2], 'at least as many VFs in all as are enabled');
  assert.equal(live.devices.find((d) => d.address === '0000:0b:00.1')?.vendor, '', 'a member without a device directory: no ids');
  assert.deepEqual(parseInventorySnapshot(serializeInventory(live), 'written'), live);
});

test('loose values are refused naming the field: takenAt "0", vfIndex 1e300, vlan 5000', () => {
  const taken = minimal();
  taken.takenAt = '0';
  assert.match(errorOf(taken), /^takenAt: expected an ISO-8601 date and time/);
  const index = minimal();
  (index.devices as Record<string, unknown>[])[1].vfIndex = 1e300;
  assert.match(errorOf(index), /vfIndex: expected an integer 0\.\.65534/);
  const vlan = minimal();
  (vlan.devices as Record<string, unknown>[])[1].vf = { vlan: 5000 };
  assert.match(errorOf(vlan), /vlan: expected an integer 0\.\.4095/);
});

test('guests[].networks (the networks a persistent definition names) is optional, kept through a round trip, and must be strings', () => {
  const data = minimal();
  (data.guests as Record<string, unknown>[])[0].networks = ['sriov-pool', 'default'];
  const inv = parseInventorySnapshot(JSON.stringify(data), 'with-networks');
  assert.deepEqual(inv.guests[0].networks, ['sriov-pool', 'default']);
  assert.deepEqual(parseInventorySnapshot(serializeInventory(inv), 'again').guests[0].networks, ['sriov-pool', 'default']);
  assert.equal(parseInventorySnapshot(JSON.stringify(minimal()), 'without').guests[0].networks, undefined);
  (data.guests as Record<string, unknown>[])[0].networks = ['sriov-pool', 7];
  assert.match(errorOf(data), /^guests\[0\]\.networks\[1\]: expected a string/);
});

test('guests[].interfacesPerNetwork (interfaces per named network) is optional, kept through a round trip; older snapshots without it still load', () => {
  const data = minimal();
  const g = (data.guests as Record<string, unknown>[])[0];
  g.networks = ['sriov-pool', 'default', '__proto__'];
  g.interfacesPerNetwork = { 'sriov-pool': 2, default: 1 };
  // JSON.stringify writes '__proto__' as a key only when it is an own property
  const text = JSON.stringify(data).replace('"interfacesPerNetwork":{', '"interfacesPerNetwork":{"__proto__":3,');
  const inv = parseInventorySnapshot(text, 'with-counts');
  const counts = inv.guests[0].interfacesPerNetwork!;
  assert.deepEqual(Object.entries(counts), [
    ['__proto__', 3],
    ['sriov-pool', 2],
    ['default', 1],
  ]);
  assert.equal(Object.getPrototypeOf(counts), Object.prototype, "a network named '__proto__' is a count, not a prototype");
  const again = parseInventorySnapshot(serializeInventory(inv), 'again').guests[0];
  assert.deepEqual(Object.entries(again.interfacesPerNetwork!), Object.entries(counts));
  // a snapshot that lists the networks without counts (written before them) reads as before
  const older = minimal();
  (older.guests as Record<string, unknown>[])[0].networks = ['sriov-pool'];
  const old = parseInventorySnapshot(JSON.stringify(older), 'older').guests[0];
  assert.deepEqual(old.networks, ['sriov-pool']);
  assert.equal(old.interfacesPerNetwork, undefined);
  assert.ok(!serializeInventory({ ...inv, guests: [old] }).includes('interfacesPerNetwork'));
});

test('guests[].interfacesPerNetwork is refused naming the field: counts 1..2147483647, names the guest lists in networks', () => {
  const withCounts = (networks: unknown, counts: unknown) => {
    const data = minimal();
    Object.assign((data.guests as Record<string, unknown>[])[0], { networks, interfacesPerNetwork: counts });
    return errorOf(data);
  };
  assert.match(
    withCounts(['sriov-pool'], { 'sriov-pool': 0 }),
    /^guests\[0\]\.interfacesPerNetwork\["sriov-pool"\]: expected an integer 1\.\.2147483647, got 0/,
  );
  assert.match(
    withCounts(['sriov-pool'], { 'sriov-pool': 1.5 }),
    /^guests\[0\]\.interfacesPerNetwork\["sriov-pool"\]: expected an integer 1\.\.2147483647/,
  );
  assert.match(
    withCounts(['sriov-pool'], { 'sriov-pool': '2' }),
    /^guests\[0\]\.interfacesPerNetwork\["sriov-pool"\]: expected an integer 1\.\.2147483647, got "2"/,
  );
  assert.match(withCounts(['sriov-pool'], { 'sriov-pool': 2 ** 31 }), /expected an integer 1\.\.2147483647, got 2147483648/);
  assert.match(withCounts(['sriov-pool'], ['sriov-pool']), /^guests\[0\]\.interfacesPerNetwork: expected an object, got an array/);
  assert.match(
    withCounts(['sriov-pool'], { other: 1 }),
    /^guests\[0\]\.interfacesPerNetwork\["other"\]: expected a network listed in guests\[0\]\.networks, got "other"/,
  );
  assert.match(withCounts(undefined, { 'sriov-pool': 1 }), /expected a network listed in guests\[0\]\.networks/);
  // a network listed without a count is allowed: it counts as one at least, as in older snapshots
  const data = minimal();
  Object.assign((data.guests as Record<string, unknown>[])[0], {
    networks: ['sriov-pool', 'default'],
    interfacesPerNetwork: { default: 1 },
  });
  assert.deepEqual(parseInventorySnapshot(JSON.stringify(data), 'partial').guests[0].interfacesPerNetwork, { default: 1 });
});

/** minimal() with the readiness of a host whose PF 0000:3b:00.0 has no boot-time source, and `fields` over it */
function withReadiness(fields: Record<string, unknown>): Record<string, unknown> {
  return {
    ...minimal(),
    readiness: {
      iommu: { groups: 1, units: [], cmdline: [], interruptRemapping: 'supported' },
      kernelCmdline: null,
      vfioPci: 'loaded',
      maxVfsDrivers: [],
      vfPersistence: { '0000:3b:00.0': [] },
      unreadable: [],
      ...fields,
    },
  };
}

test("a persistence source's optional count is read back, and a count that is not an integer is an error naming the field", () => {
  const withSource = (source: Record<string, unknown>) =>
    JSON.stringify(
      withReadiness({
        vfPersistence: {
          '0000:3b:00.0': [{ mechanism: 'modprobe', file: 'etc/modprobe.d/igb.conf', detail: 'options igb max_vfs=2', ...source }],
        },
      }),
    );
  const read = parseInventorySnapshot(withSource({ count: 2 }), 'x.json');
  assert.equal(read.readiness!.vfPersistence['0000:3b:00.0'][0].count, 2);
  assert.equal(parseInventorySnapshot(withSource({}), 'x.json').readiness!.vfPersistence['0000:3b:00.0'][0].count, undefined);
  assert.throws(
    () => parseInventorySnapshot(withSource({ count: 'two' }), 'x.json'),
    (e: unknown) => e instanceof InventoryError && /count/.test(e.message),
  );
});

test('the refused module options of a snapshot (vfRefused) are read back per PF', () => {
  const list = { mechanism: 'modprobe', file: 'etc/modprobe.d/igb.conf', detail: 'options igb max_vfs=7,7' };
  const inv = withReadiness({ vfRefused: { '0000:3b:00.0': [list] } });
  assert.deepEqual(parseInventorySnapshot(JSON.stringify(inv), 'x.json').readiness!.vfRefused, { '0000:3b:00.0': [list] });
});

test("a guest's portgroupsPerNetwork is read back; a network not among its networks or a name that is not a string is an error naming the field", () => {
  const withPortgroups = (portgroups: unknown) => {
    const data = minimal();
    Object.assign((data.guests as Record<string, unknown>[])[0], { networks: ['sriov-pool'], portgroupsPerNetwork: portgroups });
    return JSON.stringify(data);
  };
  const read = parseInventorySnapshot(withPortgroups({ 'sriov-pool': ['blue', 'red'] }), 'x.json');
  assert.deepEqual(read.guests[0].portgroupsPerNetwork, { 'sriov-pool': ['blue', 'red'] });
  assert.deepEqual(parseInventorySnapshot(serializeInventory(read), 'x.json').guests[0], read.guests[0]);
  const error = (portgroups: unknown) => {
    try {
      parseInventorySnapshot(withPortgroups(portgroups), 'x.json');
      return 'accepted';
    } catch (e) {
      assert.ok(e instanceof InventoryError);
      return e.message;
    }
  };
  assert.match(
    error({ other: ['blue'] }),
    /^guests\[0\]\.portgroupsPerNetwork\["other"\]: expected a network listed in guests\[0\]\.networks/,
  );
  assert.match(error({ 'sriov-pool': [7] }), /^guests\[0\]\.portgroupsPerNetwork\["sriov-pool"\]\[0\]: expected a string, got 7/);
  assert.match(error(['blue']), /^guests\[0\]\.portgroupsPerNetwork: expected an object, got an array/);
});

test("a guest's defaultPortgroupOn is read back; a network not among its networks is an error naming the field", () => {
  const withDefaults = (networks: unknown) => {
    const data = minimal();
    Object.assign((data.guests as Record<string, unknown>[])[0], { networks: ['sriov-pool'], defaultPortgroupOn: networks });
    return JSON.stringify(data);
  };
  const read = parseInventorySnapshot(withDefaults(['sriov-pool']), 'x.json');
  assert.deepEqual(read.guests[0].defaultPortgroupOn, ['sriov-pool']);
  assert.deepEqual(parseInventorySnapshot(serializeInventory(read), 'x.json').guests[0], read.guests[0]);
  assert.throws(
    () => parseInventorySnapshot(withDefaults(['other']), 'x.json'),
    (e: unknown) =>
      e instanceof InventoryError &&
      /^guests\[0\]\.defaultPortgroupOn\[0\]: expected a network listed in guests\[0\]\.networks, got "other"/.test(e.message),
  );
});

test('the NetworkManager profiles a boot does not activate (vfNotAtBoot) are read back per PF; a bad entry names its field', () => {
  const profile = {
    mechanism: 'networkmanager',
    file: 'etc/NetworkManager/system-connections/ens1f0.nmconnection',
    detail: '[sriov] total-vfs=7 (autoconnect=false)',
    count: 7,
  };
  const read = parseInventorySnapshot(JSON.stringify(withReadiness({ vfNotAtBoot: { '0000:3b:00.0': [profile] } })), 'x.json');
  assert.deepEqual(read.readiness!.vfNotAtBoot, { '0000:3b:00.0': [profile] });
  assert.deepEqual(parseInventorySnapshot(serializeInventory(read), 'x.json').readiness, read.readiness);
  const bad = withReadiness({ vfNotAtBoot: { '0000:3b:00.0': [{ ...profile, mechanism: 'cron' }] } });
  assert.throws(
    () => parseInventorySnapshot(JSON.stringify(bad), 'x.json'),
    (e: unknown) => e instanceof InventoryError && /vfNotAtBoot/.test(e.message),
  );
});

test('the max_vfs=0 options (vfZeroOptions) and the masked modprobe.d files (maskedModprobe) are read back; a bad entry names its field', () => {
  const zero = { mechanism: 'modprobe', file: 'etc/modprobe.d/sriov.conf', detail: 'options igb max_vfs=0' };
  const snapshot = withReadiness({ vfZeroOptions: { '0000:3b:00.0': [zero] }, maskedModprobe: ['etc/modprobe.d/igb.conf'] });
  const read = parseInventorySnapshot(JSON.stringify(snapshot), 'x.json');
  assert.deepEqual(read.readiness!.vfZeroOptions, { '0000:3b:00.0': [zero] });
  assert.deepEqual(read.readiness!.maskedModprobe, ['etc/modprobe.d/igb.conf']);
  assert.deepEqual(parseInventorySnapshot(serializeInventory(read), 'x.json').readiness, read.readiness);
  assert.throws(
    () => parseInventorySnapshot(JSON.stringify(withReadiness({ maskedModprobe: [7] })), 'x.json'),
    (e: unknown) => e instanceof InventoryError && /maskedModprobe/.test(e.message),
  );
  assert.throws(
    () =>
      parseInventorySnapshot(
        JSON.stringify(withReadiness({ vfZeroOptions: { '0000:3b:00.0': [{ ...zero, mechanism: 'cron' }] } })),
        'x.json',
      ),
    (e: unknown) => e instanceof InventoryError && /vfZeroOptions/.test(e.message),
  );
});
