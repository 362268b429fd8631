// A guest with VFIO devices whose <memtune><hard_limit> is smaller than the memory VFIO locks.
// Mirrors libvirt's (9.0) qemuDomainGetMemLockLimitBytes (src/qemu/qemu_domain.c), the RLIMIT_MEMLOCK that
// qemuProcessLaunch (src/qemu/qemu_process.c) gives QEMU at start and qemuDomainAdjustMaxMemLockHostdev
// (src/qemu/qemu_domain.c) asks for on a live hostdev attach:
//  - a hard_limit (virMemoryLimitIsSet) IS the lock limit, whatever the devices and even with
//    <memoryBacking><locked/>; without one, <locked/> lifts the limit, and otherwise a guest with VFIO
//    or vDPA devices gets factor × virDomainDefGetMemoryTotal + 1 GiB (for MMIO), where factor is the
//    vDPA interfaces plus, with VFIO devices, their number when the guest has an <iommu> (each device
//    then maps all guest memory in a container of its own), else 1;
//  - the VFIO devices as qemuDomainGetNumVFIODevices counts them: PCI host devices with the VFIO
//    backend (virHostdevIsVFIODevice: <hostdev type='pci'> and <interface type='hostdev'> without
//    driver kvm/xen, and an <interface type='network'> on a hostdev pool, which networkAllocatePort
//    makes one at start), mediated devices and NVMe disks; vDPA interfaces as
//    qemuDomainGetNumVDPANetDevices;
//  - virDomainDefGetMemoryTotal: <memory>, or the sum of the NUMA cells plus the memory devices when
//    the guest has cells (virDomainDefPostParseMemory, with the ABI update that define asks for).
// `virsh define` and `attach-device --config` accept any hard_limit. Below factor × memory the pinning
// cannot fit and QEMU exits (an error); between that and libvirt's figure QEMU's video RAM, ROMs and
// its own memory (hard_limit is also the memory cgroup's limit) may not fit (a warning). ppc64 KVM
// guests (getPPC64MemLockLimitBytes: PHB windows, NVLink2 GPUs only the host knows) and other
// hypervisors' guests are left alone.
import { KIB_PER_GIB, formatKiB, memoryKiB, memoryLimitKiB, sizeText } from '../memorySize';
import { textSpanOf } from '../xml/query';
import type { XmlElement } from '../xml/types';
import { attributeValue, children, failsAtStart, firstChild, type Report } from './common';
import { archOf, isQemuGuest, type Guest } from './guests';

/** What libvirt locks for a guest's VFIO and vDPA devices, in KiB. */
export interface MemlockNeed {
  /** virDomainDefGetMemoryTotal */
  memoryKiB: bigint;
  vfio: number;
  vdpa: number;
  iommu: boolean;
  /** how many times the guest memory is pinned */
  factor: number;
  /** factor × memory: what the pinning alone takes */
  pinnedKiB: bigint;
  /** libvirt's figure: pinned + 1 GiB */
  limitKiB: bigint;
}

/** The guest's <memtune><hard_limit>, when it sets a limit libvirt reads. */
export function hardLimitOf(domain: XmlElement, text: string): { element: XmlElement; kib: bigint } | null {
  const memtune = firstChild(domain, 'memtune');
  const element = memtune ? firstChild(memtune, 'hard_limit') : null;
  if (!element) return null;
  const kib = memoryLimitKiB(sizeText(text, element), attributeValue(element, 'unit'));
  return typeof kib === 'bigint' ? { element, kib } : null;
}

/**
 * libvirt's lock limit for the guest's devices as if no hard_limit were set; null when nothing is
 * locked for devices, the guest's memory cannot be read, or the guest is not one this rule checks.
 * `pools`: the host's hostdev pools (null without an inventory: no <interface type='network'> counts).
 */
export function memlockNeed(guest: Guest, text: string, pools: ReadonlySet<string> | null): MemlockNeed | null {
  const domain = guest.domain;
  if (!domain || !isQemuGuest(guest)) return null;
  const arch = archOf(guest);
  if ((arch === 'ppc64' || arch === 'ppc64le') && attributeValue(domain, 'type') === 'kvm') return null;
  let vfio = 0;
  let vdpa = 0;
  let iommu = false;
  const devices = guest.devices;
  // indexed: a for-of over a thousand devices makes an object per step until V8 optimizes it
  for (let i = 0; i < devices.length; i++) {
    const device = devices[i];
    const kind = deviceKind(device, pools);
    if (kind === 'vfio') vfio++;
    else if (kind === 'vdpa') vdpa++;
    else if (device.name === 'iommu') iommu = true;
  }
  const factor = vdpa + (vfio === 0 ? 0 : iommu ? vfio : 1);
  if (factor === 0) return null;
  const memory = memoryTotalKiB(domain, guest.devices, text);
  if (memory === null || memory === 0n) return null;
  const pinnedKiB = BigInt(factor) * memory;
  return { memoryKiB: memory, vfio, vdpa, iommu, factor, pinnedKiB, limitKiB: pinnedKiB + KIB_PER_GIB };
}

function deviceKind(device: XmlElement, pools: ReadonlySet<string> | null): 'vfio' | 'vdpa' | null {
  const type = attributeValue(device, 'type');
  if (device.name === 'hostdev') {
    if ((attributeValue(device, 'mode') ?? 'subsystem') !== 'subsystem') return null;
    if (type === 'mdev') return 'vfio';
    return type === 'pci' && vfioBackend(device) ? 'vfio' : null;
  }
  if (device.name === 'interface') {
    if (type === 'vdpa') return 'vdpa';
    const source = firstChild(device, 'source');
    if (type === 'hostdev') {
      const address = source ? firstChild(source, 'address') : null;
      return address && attributeValue(address, 'type') === 'pci' && vfioBackend(device) ? 'vfio' : null;
    }
    const network = type === 'network' && source ? attributeValue(source, 'network') : null;
    return network !== null && pools?.has(network) ? 'vfio' : null;
  }
  return device.name === 'disk' && type === 'nvme' ? 'vfio' : null;
}

/** The default backend becomes VFIO at start (qemuHostdevPreparePCIDevicesCheckSupport); kvm and xen do not. */
function vfioBackend(device: XmlElement): boolean {
  const driver = firstChild(device, 'driver');
  const name = driver ? attributeValue(driver, 'name') : null;
  return name !== 'kvm' && name !== 'xen';
}

/** virDomainDefGetMemoryTotal after virDomainDefPostParseMemory; null when libvirt would refuse a size. */
function memoryTotalKiB(domain: XmlElement, devices: readonly XmlElement[], text: string): bigint | null {
  const cpu = firstChild(domain, 'cpu');
  const numa = cpu ? firstChild(cpu, 'numa') : null;
  let cells = 0n;
  for (const cell of numa ? children(numa, 'cell') : []) {
    const kib = memoryKiB(attributeValue(cell, 'memory') ?? '', attributeValue(cell, 'unit'));
    if (kib === null) return null;
    cells += kib;
  }
  if (cells > 0n) {
    let modules = 0n;
    for (const device of devices) {
      const target = device.name === 'memory' ? firstChild(device, 'target') : null;
      const size = target ? firstChild(target, 'size') : null;
      if (!size) continue;
      const kib = memoryKiB(sizeText(text, size), attributeValue(size, 'unit'));
      if (kib === null) return null;
      modules += kib;
    }
    return cells + modules;
  }
  const memory = firstChild(domain, 'memory');
  return memory ? memoryKiB(sizeText(text, memory), attributeValue(memory, 'unit')) : null;
}

/** QEMU's words when VFIO cannot pin guest memory, as libvirt 9.0 passes them on at start. */
const VFIO_MAP_FAILED = 'internal error: qemu unexpectedly closed the monitor: … VFIO_MAP_DMA failed: Cannot allocate memory';

export function checkMemlockLimits(guests: readonly Guest[], text: string, pools: ReadonlySet<string> | null, report: Report): void {
  for (const guest of guests) {
    const hardLimit = guest.domain ? hardLimitOf(guest.domain, text) : null;
    if (!hardLimit) continue;
    const need = memlockNeed(guest, text, pools);
    if (!need || hardLimit.kib >= need.limitKiB) continue;
    const span = textSpanOf(text, hardLimit.element);
    if (!span) continue;
    const limit = formatKiB(hardLimit.kib);
    const advice =
      `With <hard_limit> set, libvirt makes it QEMU's locked-memory limit (RLIMIT_MEMLOCK), and ${pinning(need)}. ` +
      `Raise hard_limit to at least ${need.limitKiB} KiB (${formatKiB(need.limitKiB)}: ${formatKiB(need.pinnedKiB)} + 1 GiB ` +
      `for MMIO, what libvirt locks without a hard limit), or remove it and libvirt sets the lock limit itself. ` +
      'A live attach of a VF fails the same way.';
    if (hardLimit.kib < need.pinnedKiB) {
      report.add(
        'memlock-limit',
        'error',
        span,
        failsAtStart(`Memory hard limit ${limit} is below the ${formatKiB(need.pinnedKiB)} VFIO pins`, VFIO_MAP_FAILED, advice),
      );
    } else {
      report.add(
        'memlock-limit',
        'warning',
        span,
        `Memory hard limit ${limit} is under libvirt's ${formatKiB(need.limitKiB)} for VFIO — the guest may fail to start: ` +
          `it holds the ${formatKiB(need.pinnedKiB)} VFIO pins, but QEMU also locks video RAM and ROMs, and the hard limit ` +
          `caps QEMU's own memory too; QEMU: "VFIO_MAP_DMA failed: Cannot allocate memory". ${advice}`,
      );
    }
  }
}

/** How the pinned amount comes about, in the user's terms. */
function pinning(need: MemlockNeed): string {
  const memory = formatKiB(need.memoryKiB);
  if (need.factor === 1) return `${need.vdpa ? 'vDPA' : 'VFIO'} pins all ${memory} of guest memory for DMA`;
  const parts: string[] = [];
  const each = (n: number, what: string) => (n === 1 ? `the ${what}` : `each of the ${n} ${what}s`);
  if (need.vfio > 0) parts.push(need.iommu ? `${each(need.vfio, 'VFIO device')} behind the <iommu>` : 'the VFIO devices');
  if (need.vdpa > 0) parts.push(each(need.vdpa, 'vDPA interface'));
  return `the ${memory} of guest memory is pinned ${need.factor} times: once for ${parts.join(' and once for ')}`;
}
