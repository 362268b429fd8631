// pci-unknown, pci-not-vf, vf-in-use, vf-in-network, iommu-group, vf-driver against the 82576 fixture
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validate } from '../../../../server/src/service/validate';
import { domain, expectAt, expectNone, hostdev, iface, inventory82576, inventoryWithFewVfs, problemsOf } from './helpers';

/** The canonical address "0b:SS.F" as the host <source><address>, marked as the expected range. */
function source(slotFunction: string): string {
  const [slot, fn] = slotFunction.split('.');
  return `<source><[[address]] type='pci' domain='0x0000' bus='0x0b' slot='0x${slot}' function='0x${fn}'/></source>`;
}

const vf = (slotFunction: string, attrs = " managed='yes'") => iface('', { source: source(slotFunction), attrs });
const unmarked = (text: string) => text.replace(/\[\[|\]\]/g, '');
const ctx = () => ({ inventory: inventory82576() });

test('pci-unknown: an address the host does not have is an error on the host address', () => {
  const [p] = expectAt(vf('12.0'), 'pci-unknown', 'error', ctx());
  assert.match(
    p.message,
    / — the guest fails to start; libvirt: "Device 0000:0b:12.0 not found: could not access \/sys\/bus\/pci\/devices\/0000:0b:12.0\/config/,
  );
  assert.doesNotMatch(p.message, /sriov_numvfs/, 'every PF has all its VFs enabled');
});

test('pci-unknown says how old the inventory is in words, never as a raw ISO time', () => {
  const inventory = inventory82576();
  const now = new Date(Date.parse(inventory.takenAt) + 14_000);
  const [p] = expectAt(vf('12.0'), 'pci-unknown', 'error', { inventory, now });
  assert.match(p.message, /config"\. The inventory was taken 14 s ago\.$/);
  assert.ok(!p.message.includes(inventory.takenAt), p.message);
});

test('inventory-unavailable names the age of the last good inventory in words', () => {
  const inventory = inventory82576();
  const now = new Date(Date.parse(inventory.takenAt) + 5 * 60_000);
  const problems = validate(unmarked(vf('10.6')), {
    inventory,
    now,
    inventoryUnavailable: { source: 'host', host: 'kvm1', error: 'connect ETIMEDOUT' },
  });
  const [p] = problems.filter((x) => x.code === 'inventory-unavailable');
  assert.match(
    p.message,
    /^Host 'kvm1' unavailable — connect ETIMEDOUT\. Checks against the host use the last good inventory \(taken 5 min ago\)\./,
  );
  assert.ok(!p.message.includes(inventory.takenAt), p.message);
});

test('inventory-unavailable is a warning when the host key was refused (it may be someone in the middle), information otherwise', () => {
  const severityFor = (why: { error: string; hostKeyRefused?: boolean }) =>
    validate(unmarked(vf('10.6')), { inventory: inventory82576(), inventoryUnavailable: { source: 'host', host: 'kvm1', ...why } }).find(
      (x) => x.code === 'inventory-unavailable',
    )?.severity;
  assert.equal(severityFor({ error: 'host key of 10.0.0.1:22 has CHANGED: …', hostKeyRefused: true }), 'warning');
  assert.equal(severityFor({ error: 'connect ETIMEDOUT' }), 'information');
});

test('pci-unknown: a VF of a PF with fewer VFs enabled than it could says how to enable more', () => {
  const [p] = expectAt(vf('10.4'), 'pci-unknown', 'error', { inventory: inventoryWithFewVfs(2) });
  assert.match(p.message, /PF 0000:0b:00.0 has 2 of 7 VFs enabled \(sriov_numvfs=2, max 7\): enable more with sriov_numvfs \/ max_vfs/);
});

test('pci-unknown: with too few enabled VFs to infer the VF stride, the PF is still named as a likely owner', () => {
  const [one] = expectAt(vf('10.4'), 'pci-unknown', 'error', { inventory: inventoryWithFewVfs(1) });
  assert.match(one.message, /may be a VF of PF 0000:0b:00.0: PF 0000:0b:00.0 has 1 of 7 VFs enabled \(sriov_numvfs=1, max 7\)/);
  const [none] = expectAt(vf('10.0'), 'pci-unknown', 'error', { inventory: inventoryWithFewVfs(0) });
  assert.match(none.message, /has 0 of 7 VFs enabled \(sriov_numvfs=0, max 7\)/);
});

test('pci-unknown: an address beyond the last possible VF of a PF gets no PF note', () => {
  const [p] = expectAt(vf('12.0'), 'pci-unknown', 'error', { inventory: inventoryWithFewVfs(2) });
  assert.doesNotMatch(p.message, /sriov_numvfs/);
});

test('pci-unknown: a VF on the host, or no inventory at all, gives none', () => {
  expectNone(unmarked(vf('10.6')), 'pci-unknown', ctx());
  expectNone(unmarked(vf('12.0')), 'pci-unknown');
});

test('pci-not-vf: an interface on a PF is an error that proposes a free VF of that PF', () => {
  const text = iface('', { source: "<source><[[address]] type='pci' domain='0x0000' bus='0x0b' slot='0x00' function='0x0'/></source>" });
  const [p] = expectAt(text, 'pci-not-vf', 'error', ctx());
  assert.match(p.message, /Interface type hostdev is currently supported on SR-IOV Virtual Functions only/);
  assert.match(p.message, /e\.g\. 0000:0b:10\.6/, 'web01, db01 and app01 hold 10.0, 10.2 and 10.4');
});

test('pci-not-vf: an interface on a non-SR-IOV NIC is an error', () => {
  const text = iface('', { source: "<source><[[address]] type='pci' domain='0x0000' bus='0x00' slot='0x19' function='0x0'/></source>" });
  const [p] = expectAt(text, 'pci-not-vf', 'error', ctx());
  assert.match(p.message, /not an SR-IOV device/);
});

test('pci-not-vf: a plain <hostdev> on a PF, and an interface on a VF, are fine', () => {
  expectNone(hostdev("domain='0x0000' bus='0x0b' slot='0x00' function='0x0'"), 'pci-not-vf', ctx());
  expectNone(unmarked(vf('10.6')), 'pci-not-vf', ctx());
});

test('vf-in-use: a VF a running guest holds live is an error', () => {
  const [p] = expectAt(domain(vf('10.0')), 'vf-in-use', 'error', ctx());
  assert.match(p.message, /PCI device 0000:0b:10.0 is in use by driver QEMU, domain web01/);
});

test("vf-in-use: a VF only in another guest's persistent config is a warning (shut off, or running without it)", () => {
  const [db] = expectAt(domain(vf('10.2')), 'vf-in-use', 'warning', ctx());
  assert.match(db.message, /'db01' \(shut off\)/);
  const [app] = expectAt(domain(vf('10.4')), 'vf-in-use', 'warning', ctx());
  assert.match(app.message, /'app01' \(running\)/);
});

test("vf-in-use: never for the document's own guest, nor for a free VF", () => {
  expectNone(unmarked(domain(vf('10.0'), 'web01')), 'vf-in-use', ctx());
  expectNone(unmarked(domain(vf('10.2'), 'db01')), 'vf-in-use', ctx());
  expectNone(unmarked(domain(vf('10.6'))), 'vf-in-use', ctx());
});

test("vf-in-use: <name> web01 </name> is the guest ' web01 ' to libvirt, not web01: web01's VF is in use", () => {
  assert.equal(problemsOf(unmarked(domain(vf('10.0'), ' web01 ')), 'vf-in-use', ctx()).length, 1);
});

test('vf-in-network: a VF in an active hostdev network pool is a warning', () => {
  const [p] = expectAt(vf('10.1'), 'vf-in-network', 'warning', ctx());
  assert.match(p.message, /^0000:0b:10.1 is in the VF pool of network 'sriov-pool' — an active libvirt network/);
});

test('vf-in-network: an inactive network, or no network, gives none', () => {
  expectNone(unmarked(vf('10.5')), 'vf-in-network', ctx());
  expectNone(unmarked(vf('10.6')), 'vf-in-network', ctx());
});

test('iommu-group: a VF sharing its group with a device not assigned here is a warning naming it', () => {
  const [p] = expectAt(vf('11.4'), 'iommu-group', 'warning', ctx());
  assert.match(p.message, /^0000:0b:11.4 shares IOMMU group \d+ with devices this document does not assign — 0000:0b:11\.5/);
});

test('iommu-group: none when the whole group is assigned, or the VF is alone in its group', () => {
  const both = domain(unmarked(vf('11.4')) + unmarked(iface('', { source: source('11.5'), mac: "<mac address='52:54:00:6d:90:03'/>" })));
  expectNone(both, 'iommu-group', ctx());
  expectNone(unmarked(vf('10.6')), 'iommu-group', ctx());
});

test('vf-driver: no managed attribute and a VF on igbvf is a warning on the device name', () => {
  const [p] = expectAt(unmarked(vf('10.6', '')).replace('<interface', '<[[interface]]'), 'vf-driver', 'warning', ctx());
  assert.match(p.message, /Unmanaged PCI device 0000:0b:10.6 must be manually detached from the host/);
  assert.match(p.message, /virsh nodedev-detach pci_0000_0b_10_6/);
});

test("vf-driver: managed='no' is reported on its value", () => {
  expectAt(unmarked(vf('10.6', " managed='no'")).replace("managed='no'", "managed='[[no]]'"), 'vf-driver', 'warning', ctx());
});

test("vf-driver: managed='yes', or a VF already on vfio-pci, is fine", () => {
  expectNone(unmarked(vf('10.6')), 'vf-driver', ctx());
  expectNone(unmarked(vf('10.0', '')), 'vf-driver', ctx());
});

test('without an inventory no host rule runs', () => {
  const codes = validate(unmarked(domain(vf('10.0', '') + vf('12.0', '') + vf('11.4', '')))).map((p) => p.code);
  for (const code of ['pci-unknown', 'pci-not-vf', 'vf-in-use', 'vf-in-network', 'iommu-group', 'vf-driver']) {
    assert.ok(!codes.includes(code as never), code);
  }
});

test("vf-in-use: a holder named with a space, a trailing full stop or a parenthesis is quoted whole; libvirt's own message keeps libvirt's words", () => {
  for (const name of ['web 01', 'web01.', 'web01 (old)']) {
    const inventory = inventory82576();
    for (const g of inventory.guests) if (g.name === 'web01') g.name = name;
    const [live] = expectAt(domain(vf('10.0')), 'vf-in-use', 'error', { inventory });
    assert.ok(live.message.startsWith(`0000:0b:10.0 is held live by '${name}' (running) — the guest fails to start; `), live.message);
    assert.ok(
      live.message.includes(`"Requested operation is not valid: PCI device 0000:0b:10.0 is in use by driver QEMU, domain ${name}"`),
      live.message,
    );
  }
  const inventory = inventory82576();
  for (const g of inventory.guests) if (g.name === 'db01') g.name = 'db 01 (old).';
  const [config] = expectAt(domain(vf('10.2')), 'vf-in-use', 'warning', { inventory });
  assert.ok(
    config.message.startsWith(
      "0000:0b:10.2 is also in the persistent configuration of 'db 01 (old).' (shut off) — libvirt accepts both, but whichever guest starts second fails: if 'db 01 (old).' starts first,",
    ),
    config.message,
  );
});
