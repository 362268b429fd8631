// `libvirt-hostdev vfs --inventory FILE`: each PF with a table of its VFs (driver, what the PF programs,
// who uses each), --free and --pf, JSON for scripts, and the exit status a script tests. The live host
// reaches it through the same reader as inventory and new-interface (their integration tests).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Inventory } from '../../../shared/snapshot';
import type { VfListing } from '../../../server/src/service/vfListing';
import { runCli } from '../../support/cli';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lhd-vfs-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const EXAMPLE = path.resolve(__dirname, '../../../../examples/82576-inventory.json');
const example = (): Inventory => JSON.parse(fs.readFileSync(EXAMPLE, 'utf8')) as Inventory;

function snapshot(name: string, inventory: Inventory): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, JSON.stringify(inventory));
  return file;
}

test('vfs lists each PF and a table of its VFs: index, address, driver, the MAC and VLAN the PF sets, who uses it; then the free count', async () => {
  const r = await runCli(['vfs', '--inventory', EXAMPLE]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  const [title, ...rest] = r.stdout.split('\n');
  assert.match(title, /^VFs of 'kvm-82576\.example\.com' \(inventory taken .+\):$/);
  assert.deepEqual(rest.slice(0, 5), [
    "PF 0000:0b:00.0 ('enp11s0f0', igb): 7 of 7 VFs enabled, 3 free",
    '  VF  ADDRESS       DRIVER    MAC                VLAN  USE',
    "  0   0000:0b:10.0  vfio-pci  52:54:00:6d:90:02  42    in use by 'web01' (running)",
    '  1   0000:0b:10.2  igbvf     00:00:00:00:00:00  0     free',
    '  2   0000:0b:10.4  igbvf     00:00:00:00:00:00  0     free',
  ]);
  assert.ok(rest.includes("  4   0000:0b:11.0  igbvf     00:00:00:00:00:00  0     in network 'sriov-pool'"), r.stdout);
  assert.ok(
    rest.includes("  1   0000:0b:10.3  igbvf     00:00:00:00:00:00  0     in use by 'db01' (shut off, persistent config)"),
    r.stdout,
  );
  assert.ok(rest.includes("PF 0000:0b:00.1 ('enp11s0f1', igb): 7 of 7 VFs enabled, 6 free"), r.stdout);
  assert.deepEqual(rest.slice(-2), ['9 of 14 VFs free', '']);
});

test('--free lists the free VFs only, --pf one PF (by interface name or address); the count is over that PF', async () => {
  for (const pf of ['enp11s0f0', '0000:0b:00.0', '0b:00.0']) {
    const r = await runCli(['vfs', '--inventory', EXAMPLE, '--free', '--pf', pf]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.split('\n').slice(1), [
      "PF 0000:0b:00.0 ('enp11s0f0', igb): 7 of 7 VFs enabled, 3 free",
      '  VF  ADDRESS       DRIVER  MAC                VLAN  USE',
      '  1   0000:0b:10.2  igbvf   00:00:00:00:00:00  0     free',
      '  2   0000:0b:10.4  igbvf   00:00:00:00:00:00  0     free',
      '  3   0000:0b:10.6  igbvf   00:00:00:00:00:00  0     free',
      '3 of 7 VFs free',
      '',
    ]);
  }
});

test('--format json gives the same for scripts: each VF free or why not, its guests and pools', async () => {
  const r = await runCli(['vfs', '--inventory', EXAMPLE, '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const listing = JSON.parse(r.stdout) as VfListing;
  assert.deepEqual([listing.host, listing.freeVfs, listing.totalVfs, listing.empty], ['kvm-82576.example.com', 9, 14, null]);
  assert.deepEqual(
    listing.pfs.map((pf) => [pf.address, pf.netdev, pf.freeVfs, pf.vfs.length]),
    [
      ['0000:0b:00.0', 'enp11s0f0', 3, 7],
      ['0000:0b:00.1', 'enp11s0f1', 6, 7],
    ],
  );
  const [used] = listing.pfs[0].vfs;
  assert.deepEqual(used, {
    address: '0000:0b:10.0',
    vfIndex: 0,
    driver: 'vfio-pci',
    netdev: null,
    admin: { mac: '52:54:00:6d:90:02', vlan: 42, spoofchk: true, trust: false },
    free: false,
    busy: "in use by 'web01' (running)",
    guests: [{ name: 'web01', state: 'running', live: true, config: true }],
    networks: [],
  });
  assert.deepEqual(listing.pfs[0].vfs[4].networks, ['sriov-pool']);
});

test('exit 1 with the reason on stderr when nothing is listed: no VF enabled, no PF at all, or none free with --free', async () => {
  const none = example();
  none.devices = none.devices.filter((d) => d.kind !== 'vf').map((d) => (d.kind === 'pf' ? { ...d, numVfs: 0 } : d));
  const empty = await runCli(['vfs', '--inventory', snapshot('none.json', none)]);
  assert.equal(empty.code, 1);
  assert.equal(empty.stderr, "libvirt-hostdev: no VF on 'kvm-82576.example.com': none enabled (sriov_numvfs is 0)\n");
  const noPf = example();
  noPf.devices = noPf.devices.filter((d) => d.kind === 'pci');
  noPf.networks = [];
  const plain = await runCli(['vfs', '--inventory', snapshot('plain.json', noPf)]);
  assert.deepEqual([plain.code, plain.stderr], [1, "libvirt-hostdev: no VF on 'kvm-82576.example.com': it has no SR-IOV device (no PF)\n"]);
  const taken = example();
  const pool = taken.networks.find((n) => n.name === 'sriov-pool')!;
  pool.addresses = taken.devices
    .filter((d) => d.kind === 'vf' && d.pf === '0000:0b:00.0' && d.address !== '0000:0b:10.0')
    .map((d) => d.address);
  const busy = await runCli(['vfs', '--inventory', snapshot('taken.json', taken), '--free', '--pf', 'enp11s0f0']);
  assert.equal(busy.code, 1);
  assert.equal(
    busy.stderr,
    "libvirt-hostdev: no free VF of 'enp11s0f0' on 'kvm-82576.example.com': each of its 7 VFs is used by a guest or an active network\n",
  );
  assert.match(busy.stdout, /^0 of 7 VFs free$/m);
});

test('usage errors exit 2: an unknown --pf (the PFs named), both or neither of --host and --inventory, a FILE', async () => {
  const unknown = await runCli(['vfs', '--inventory', EXAMPLE, '--pf', 'eth9']);
  assert.deepEqual(
    [unknown.code, unknown.stderr],
    [2, "libvirt-hostdev: no PF named 'eth9' on 'kvm-82576.example.com' (PFs: 'enp11s0f0', 'enp11s0f1')\n"],
  );
  for (const argv of [
    ['vfs'],
    ['vfs', '--inventory', EXAMPLE, '--host', 'local'],
    ['vfs', '--inventory', EXAMPLE, 'guest.xml'],
    ['vfs', '--inventory', EXAMPLE, '--format', 'yaml'],
  ]) {
    const r = await runCli(argv);
    assert.equal(r.code, 2, argv.join(' '));
    assert.match(r.stderr, /^libvirt-hostdev: /, argv.join(' '));
  }
});

test("a host's names and drivers reach the terminal inert: control characters written out, never acted on", async () => {
  const hostile = example();
  hostile.guests.find((g) => g.name === 'web01')!.name = 'web\u001b[2J01';
  hostile.devices.find((d) => d.address === '0000:0b:10.2')!.driver = 'igb\nvf';
  const r = await runCli(['vfs', '--inventory', snapshot('hostile.json', hostile), '--pf', 'enp11s0f0']);
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stdout, /\u001b/);
  assert.match(r.stdout, /in use by 'web\\x1b\[2J01' \(running\)/);
  assert.match(r.stdout, /0000:0b:10\.2 {2}igb\\nvf/);
});

test("new-interface prints the host's names inert too: its PF's netdev and its host name on stderr", async () => {
  const hostile = example();
  hostile.host = 'kvm\u001b[31mred';
  const pf = hostile.devices.find((d) => d.kind === 'pf' && d.netdev === 'enp11s0f1')!;
  pf.netdev = 'enp\u001b]0;PWNED\u0007f1';
  const file = snapshot('hostile-new.json', hostile);
  const unknown = await runCli(['new-interface', '--inventory', file, '--pf', 'nope']);
  assert.equal(unknown.code, 2, 'a --pf the host does not have is a usage error, as for vfs');
  assert.doesNotMatch(unknown.stderr, /[\u001b\u0007]/);
  assert.match(unknown.stderr, /no PF named 'nope' on 'kvm\\x1b\[31mred'/);
  const picked = await runCli(['new-interface', '--inventory', file, '--pf', pf.address]);
  assert.equal(picked.code, 0, picked.stderr);
  assert.doesNotMatch(picked.stderr, /[\u001b\u0007]/);
  assert.match(picked.stderr, /\('enp\\x1b\]0;PWNED\\x07f1'\)/);
});

test('a PF with one VF is counted in the singular', async () => {
  const one = example();
  const pf = one.devices.find((d) => d.address === '0000:0b:00.0')!;
  const firstVf = one.devices.find((d) => d.pf === pf.address && d.vfIndex === 0)!;
  one.devices = one.devices.filter((d) => d.kind !== 'vf' || d === firstVf).filter((d) => d.kind !== 'pf' || d === pf);
  pf.numVfs = 1;
  pf.totalVfs = 1;
  one.guests = [];
  one.networks = [];
  const r = await runCli(['vfs', '--inventory', snapshot('one.json', one)]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^PF 0000:0b:00\.0 \('enp11s0f0', igb\): 1 of 1 VF enabled, 1 free$/m);
  assert.match(r.stdout, /^1 of 1 VF free$/m);
});
