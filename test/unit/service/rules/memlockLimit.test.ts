// memlock-limit: a <memtune><hard_limit> below what libvirt's qemuDomainGetMemLockLimitBytes locks for
// the guest's VFIO devices (libvirt makes the hard limit QEMU's RLIMIT_MEMLOCK). virsh define and
// attach-device --config accept all of these (seen with the test driver and qemu:///session); the
// failure comes at start, on a host with the VF.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits, validate } from '../../../../server/src/service/index';
import type { ServiceContext } from '../../../../server/src/service/types';
import { buildDocumentModel } from '../../../../server/src/service/model';
import { guestsOf } from '../../../../server/src/service/rules/guests';
import { memlockNeed } from '../../../../server/src/service/rules/memlockLimit';
import { expectAt, expectNone, hostdev, iface, withNetworks } from './helpers';
import { fixActions } from '../quickFixHelpers';

const VF = iface();
const VF2 = iface('', { source: "<source><address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x4'/></source>" });

/** A QEMU guest with `memory` (an element or NUMA cells), `head` (memtune, memoryBacking …) and devices. */
function guest(head: string, devices: string, memory = "<memory unit='GiB'>4</memory>", attrs = "type='kvm'"): string {
  return `<domain ${attrs}>\n  <name>db01</name>\n  ${memory}\n  ${head}\n  <os><type arch='x86_64'>hvm</type></os>\n  <devices>\n${devices}  </devices>\n</domain>\n`;
}
const limit = (value: string, unit?: string) => `<memtune><hard_limit${unit ? ` unit='${unit}'` : ''}>${value}</hard_limit></memtune>`;

test('memlock-limit: a hard limit below the guest memory VFIO pins is an error on its value, in libvirt terms', () => {
  const [p] = expectAt(guest(limit('[[2]]', 'GiB'), VF), 'memlock-limit', 'error');
  assert.equal(
    p.message,
    'Memory hard limit 2 GiB is below the 4 GiB VFIO pins — the guest fails to start; libvirt: "internal error: qemu unexpectedly ' +
      'closed the monitor: … VFIO_MAP_DMA failed: Cannot allocate memory". With <hard_limit> set, libvirt makes it QEMU\'s ' +
      'locked-memory limit (RLIMIT_MEMLOCK), and VFIO pins all 4 GiB of guest memory for DMA. Raise hard_limit to at least ' +
      '5242880 KiB (5 GiB: 4 GiB + 1 GiB for MMIO, what libvirt locks without a hard limit), or remove it and libvirt sets ' +
      'the lock limit itself. A live attach of a VF fails the same way.',
  );
  // a plain PCI <hostdev> is assigned with VFIO as well; 0 is a limit too (libvirt then leaves QEMU the host's default)
  expectAt(guest(limit('[[0]]'), hostdev()), 'memlock-limit', 'error');
});

test("memlock-limit: below libvirt's figure (memory + 1 GiB) but above the pinned memory is a warning; at or above it, nothing", () => {
  expectAt(guest(limit('[[4194303]]'), VF), 'memlock-limit', 'error');
  const [w] = expectAt(guest(limit('[[4194304]]'), VF), 'memlock-limit', 'warning');
  assert.match(w.message, /^Memory hard limit 4 GiB is under libvirt's 5 GiB for VFIO — the guest may fail to start: /);
  assert.match(w.message, /QEMU: "VFIO_MAP_DMA failed: Cannot allocate memory"\. .*Raise hard_limit to at least 5242880 KiB/);
  expectAt(guest(limit('[[5242879]]', 'KiB'), VF), 'memlock-limit', 'warning');
  expectNone(guest(limit('5242880', 'KiB'), VF), 'memlock-limit');
  expectNone(guest(limit('8', 'G'), VF), 'memlock-limit');
});

test('memlock-limit: sizes in every unit libvirt reads, rounded up to KiB as it does', () => {
  // 5 GiB less one byte rounds up to 5242880 KiB: enough
  expectNone(guest(limit('5368709119', 'bytes'), VF), 'memlock-limit');
  expectAt(guest(limit('[[5368708096]]', 'b'), VF), 'memlock-limit', 'warning');
  expectAt(guest(limit('[[4607]]', 'MiB'), VF), 'memlock-limit', 'warning');
  expectNone(guest(limit('5120', 'M'), VF), 'memlock-limit');
  // powers of 1000: 5 GB is 4882813 KiB
  expectAt(guest(limit('[[5]]', 'GB'), VF), 'memlock-limit', 'warning');
  expectAt(guest(limit('[[4000000]]', 'KB'), VF), 'memlock-limit', 'error');
  // the guest's memory in other units: 4096 MiB, 4 GB (3906250 KiB: needs 4954826 KiB)
  expectAt(guest(limit('[[4]]', 'GiB'), VF, "<memory unit='MiB'>4096</memory>"), 'memlock-limit', 'warning');
  expectNone(guest(limit('4954826'), VF, "<memory unit='GB'>4</memory>"), 'memlock-limit');
  expectAt(guest(limit('[[4954825]]'), VF, "<memory unit='GB'>4</memory>"), 'memlock-limit', 'warning');
  // no unit is KiB for both; a case variant of a unit is the same unit
  expectAt(guest(limit('[[2097152]]'), VF, '<memory>4194304</memory>'), 'memlock-limit', 'error');
  expectAt(guest(limit('[[2]]', 'gib'), VF), 'memlock-limit', 'error');
});

test('memlock-limit: with an <iommu>, VFIO pins the guest memory once per device', () => {
  const two = VF + VF2;
  const iommu = "<iommu model='intel'/>\n";
  // without a vIOMMU two VFs share one mapping: 5 GiB is libvirt's figure
  expectNone(guest(limit('5', 'GiB'), two), 'memlock-limit');
  const [p] = expectAt(guest(limit('[[6]]', 'GiB'), two + iommu), 'memlock-limit', 'error');
  assert.match(p.message, /^Memory hard limit 6 GiB is below the 8 GiB VFIO pins — /);
  assert.match(p.message, /the 4 GiB of guest memory is pinned 2 times: once for each of the 2 VFIO devices behind the <iommu>\./);
  assert.match(p.message, /at least 9437184 KiB \(9 GiB: 8 GiB \+ 1 GiB/);
  expectAt(guest(limit('[[8704]]', 'MiB'), two + iommu), 'memlock-limit', 'warning');
  expectNone(guest(limit('9', 'GiB'), two + iommu), 'memlock-limit');
});

test('memlock-limit: <locked/> without a hard limit lifts the lock limit; with one, the hard limit still rules', () => {
  const locked = '<memoryBacking><locked/></memoryBacking>';
  expectNone(guest(locked, VF), 'memlock-limit');
  expectAt(guest(`${locked}\n  ${limit('[[2]]', 'GiB')}`, VF), 'memlock-limit', 'error');
  // no hard limit at all: libvirt sizes the lock limit itself
  expectNone(guest('', VF), 'memlock-limit');
  expectNone(guest(limit('', 'GiB'), VF), 'memlock-limit');
  expectNone(guest(limit('9007199254740991'), VF), 'memlock-limit');
});

test('memlock-limit: a guest without a VFIO device, or with legacy kvm assignment, locks nothing for devices', () => {
  const virtio = "<interface type='network'><source network='default'/><model type='virtio'/></interface>\n";
  expectNone(guest(limit('1', 'GiB'), virtio), 'memlock-limit');
  expectNone(guest(limit('1', 'GiB'), iface("<driver name='kvm'/>")), 'memlock-limit');
  const usb = "<hostdev mode='subsystem' type='usb'><source><vendor id='0x1234'/><product id='0xbeef'/></source></hostdev>\n";
  expectNone(guest(limit('1', 'GiB'), usb), 'memlock-limit');
});

test('memlock-limit: mediated devices and NVMe disks are VFIO devices too; each vDPA interface pins the memory once more', () => {
  const mdev =
    "<hostdev mode='subsystem' type='mdev' model='vfio-pci'><source><address uuid='53764d0e-85a0-42b4-af5c-2046b460b1dc'/></source></hostdev>\n";
  expectAt(guest(limit('[[2]]', 'GiB'), mdev), 'memlock-limit', 'error');
  const nvme =
    "<disk type='nvme' device='disk'><source type='pci' managed='yes' namespace='1'><address domain='0x0000' bus='0x01' slot='0x00' function='0x0'/></source><target dev='vda' bus='virtio'/></disk>\n";
  expectAt(guest(limit('[[2]]', 'GiB'), nvme), 'memlock-limit', 'error');
  const vdpa = "<interface type='vdpa'><source dev='/dev/vhost-vdpa-0'/></interface>\n";
  const [p] = expectAt(guest(limit('[[6]]', 'GiB'), VF + vdpa), 'memlock-limit', 'error');
  assert.match(p.message, /pinned 2 times: once for the VFIO devices and once for the vDPA interface\./);
});

test('memlock-limit: an <interface type=network> on a hostdev pool counts with an inventory that knows the pool', () => {
  const onPool = "<interface type='network'><mac address='52:54:00:6d:90:07'/><source network='sriov-pool'/></interface>\n";
  const ctx: ServiceContext = { inventory: withNetworks() };
  expectAt(guest(limit('[[2]]', 'GiB'), onPool), 'memlock-limit', 'error', ctx);
  // without an inventory nothing says the network is a pool
  expectNone(guest(limit('2', 'GiB'), onPool), 'memlock-limit');
  expectNone(guest(limit('2', 'GiB'), onPool.replace('sriov-pool', 'default')), 'memlock-limit', ctx);
});

test("memlock-limit: the guest's memory is the sum of its NUMA cells (and memory devices) when it has cells", () => {
  const cells = (unit: string) =>
    `<cpu><numa><cell id='0' cpus='0' memory='2' unit='${unit}'/><cell id='1' cpus='1' memory='2' unit='${unit}'/></numa></cpu>`;
  expectAt(guest(`${cells('GiB')}\n  ${limit('[[4]]', 'GiB')}`, VF, ''), 'memlock-limit', 'warning');
  // cells win over <memory> at define
  expectAt(guest(`${cells('GiB')}\n  ${limit('[[2]]', 'GiB')}`, VF, "<memory unit='GiB'>1</memory>"), 'memlock-limit', 'error');
  const dimm = "<memory model='dimm'><target><size unit='GiB'>2</size><node>0</node></target></memory>\n";
  expectAt(guest(`${cells('GiB')}\n  ${limit('[[5]]', 'GiB')}`, VF + dimm, ''), 'memlock-limit', 'error');
});

test('memlock-limit: left alone where libvirt computes otherwise or refuses the size at define', () => {
  // ppc64 KVM guests: getPPC64MemLockLimitBytes (PHB windows); other hypervisors; a snippet has no guest memory
  expectNone(guest(limit('1', 'GiB'), VF).replace("arch='x86_64'", "arch='ppc64le'"), 'memlock-limit');
  expectNone(guest(limit('1', 'GiB'), VF, undefined, "type='xen'"), 'memlock-limit');
  expectNone(`<memtune><hard_limit>1</hard_limit></memtune>\n${VF}`, 'memlock-limit');
  // a trailing blank, a unit libvirt does not know, a guest without memory: define fails first
  expectNone(guest(limit('1048576 '), VF), 'memlock-limit');
  expectNone(guest(limit('1', 'GiBs'), VF), 'memlock-limit');
  expectNone(guest(limit('1', 'GiB'), VF, ''), 'memlock-limit');
});

test("memlock-limit: the lock limit is libvirt's own figure (qemumemlocktest.c: 2147483648 bytes for a 1 GiB pc guest with one VFIO hostdev)", () => {
  const lockBytes = (text: string) => {
    const need = memlockNeed(guestsOf(buildDocumentModel(text))[0], text, null);
    return need === null ? 0n : need.limitKiB * 1024n;
  };
  const memory = "<memory unit='KiB'>1048576</memory>";
  assert.equal(
    lockBytes(guest('', hostdev("domain='0x0001' bus='0x01' slot='0x00' function='0x0'", "<driver name='vfio'/>"), memory)),
    2147483648n,
  );
  // no device to lock for: libvirt sets no limit (0)
  assert.equal(lockBytes(guest('', '', memory)), 0n);
});

function fixesFor(text: string) {
  const problems = validate(text);
  const [mine] = problems.filter((p) => p.code === 'memlock-limit');
  const actions = fixActions(text, mine.span, problems).filter((a) => a.fixes.includes('memlock-limit'));
  return { titles: actions.map((a) => a.title), apply: (i: number) => applyEdits(text, actions[i].edits), actions };
}

test("memlock-limit quick fix: raises hard_limit to libvirt's figure in the element's own unit (rounded up), or removes it", () => {
  const text = guest(limit('2', 'GiB'), VF);
  const fix = fixesFor(text);
  assert.deepEqual(fix.titles, [
    "Raise hard_limit to 5 GiB (libvirt's figure for VFIO)",
    'Remove <hard_limit> (libvirt then sets the lock limit)',
  ]);
  assert.equal(fix.actions[0].isPreferred, true);
  assert.equal(fix.apply(0), guest(limit('5', 'GiB'), VF));
  assert.equal(fix.apply(1), guest('<memtune></memtune>', VF));
  expectNone(fix.apply(1), 'memlock-limit');
  // 5 GiB in powers of 1000, rounded up; no unit is KiB
  assert.equal(fixesFor(guest(limit('2', 'GB'), VF)).apply(0), guest(limit('6', 'GB'), VF));
  assert.equal(fixesFor(guest(limit('2097152'), VF)).apply(0), guest(limit('5242880'), VF));
  const iommu = fixesFor(guest(limit('4096', 'MiB'), VF + VF2 + "<iommu model='intel'/>\n"));
  assert.equal(iommu.titles[0], "Raise hard_limit to 9216 MiB (libvirt's figure for VFIO)");
  expectNone(iommu.apply(0), 'memlock-limit');
});
