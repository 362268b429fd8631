// Host readiness facts shared by the rules, hover and the CLI's readiness report: is an IOMMU
// active, where a PF's VFs come from at boot, and the line that would make them persistent.
import { addressKey } from './pci';
import { persistenceFix } from './persistenceFix';
import { plural } from '../../../shared/plural';
import { shellQuote } from '../../../shared/shellQuote';
import { pfLabel } from '../../../shared/vfUse';
import { shortName } from '../../../shared/quotedName';
import type { HostReadiness, Inventory, InventoryDevice, VfIgnoredSource, VfPersistenceSource, VfPersistenceMechanism } from './types';

/** libvirt's start-time refusal without an IOMMU (qemuHostdevPreparePCIDevicesCheckSupport). */
export const NO_IOMMU_ERROR = "unsupported configuration: host doesn't support passthrough of host PCI devices";

/** false only when the snapshot says so; unknown (old snapshot, no readiness read) is not a problem. */
export function iommuMissing(inventory: Inventory): boolean {
  return inventory.readiness !== undefined && inventory.readiness.iommu.groups === 0;
}

function entryOf<S extends VfPersistenceSource>(perPf: Record<string, S[]>, pfAddress: string): S[] | null {
  const key = addressKey(pfAddress);
  for (const [pf, sources] of Object.entries(perPf)) {
    if (addressKey(pf) === key) return sources;
  }
  return null;
}

/** The PF's boot-time VF sources; null when the snapshot does not know (no readiness). */
export function persistenceOf(readiness: HostReadiness | undefined, pfAddress: string): VfPersistenceSource[] | null {
  return readiness ? entryOf(readiness.vfPersistence, pfAddress) : null;
}

/** Module options and kernel command line words the PF's driver refuses at boot (a max_vfs list for igb/ixgbe). */
export function refusedOf(readiness: HostReadiness | undefined, pfAddress: string): VfPersistenceSource[] {
  return (readiness?.vfRefused && entryOf(readiness.vfRefused, pfAddress)) ?? [];
}

/** NetworkManager profiles that would set the PF's VF count but are not activated at boot (autoconnect=false). */
export function notAtBootOf(readiness: HostReadiness | undefined, pfAddress: string): VfPersistenceSource[] {
  return (readiness?.vfNotAtBoot && entryOf(readiness.vfNotAtBoot, pfAddress)) ?? [];
}

/** Lines that read like a boot-time source of the PF's VFs but create none (an option its driver lacks, a refused keyfile, a rule before the driver). */
export function ignoredOf(readiness: HostReadiness | undefined, pfAddress: string): VfIgnoredSource[] {
  return (readiness?.vfIgnored && entryOf(readiness.vfIgnored, pfAddress)) ?? [];
}

/** NetworkManager's own refusal of a keyfile with this owner and mode (nms_keyfile_utils_check_file_permissions). */
export function keyfileRefusal(mode: string, owner: number): string | null {
  if (owner !== 0) return `File owner (${owner}) is insecure`;
  return /[1-7]/.test(mode.slice(-2)) ? `File permissions (${mode.padStart(3, '0').slice(-3)}) are insecure` : null;
}

/** The other ways to keep VFs when a module option or a rule does not. */
const OTHER_WAYS =
  "or write sriov_numvfs from an enabled systemd unit, NetworkManager's [sriov] total-vfs or netplan's virtual-function-count";

/** A line of ignoredOf: why it creates no VF at boot, and what does. */
export function ignoredAdvice(s: VfIgnoredSource, pf: InventoryDevice, inventory: Pick<Inventory, 'devices' | 'readiness'>): string {
  if (s.reason === 'insecure-keyfile') {
    const file = shellQuote(`/${s.file}`);
    return (
      `${describeSource(s)}: NetworkManager does not load this keyfile ("${keyfileRefusal(s.mode ?? '644', s.owner ?? 0)}"), ` +
      `so its profile never activates and makes no VF: chown root:root ${file} && chmod 600 ${file}`
    );
  }
  if (s.reason === 'earlier-link-file') {
    const applied = `/${s.appliedInstead ?? 'etc/systemd/network/?.link'}`;
    const name = applied.slice(applied.lastIndexOf('/') + 1);
    return (
      `${describeSource(s)} never applies to this PF: udev applies only the first .link file, in the order of file names, ` +
      `whose [Match] fits the interface, and ${applied} comes first and fits it, so no VF is made at boot: ` +
      `give the file a name that sorts before ${name} and copy into its [Link] section the settings of ` +
      `${applied} that the interface still needs (NamePolicy=, for its name)`
    );
  }
  if (s.reason === 'over-total-vfs')
    return (
      `${describeSource(s)} asks for ${s.count} VFs, more than the PF can have (its sriov_totalvfs is ${pf.totalVfs}): ` +
      `${s.mechanism === 'systemd-networkd' ? 'systemd refuses the count ("Specified number of virtual functions is out of range")' : 'the kernel refuses the write ("Numerical result out of range")'}, ` +
      `so no VF is made at boot: set ${pf.totalVfs} or fewer`
    );
  if (s.reason === 'link-file-refused')
    return (
      `${describeSource(s)}: systemd does not load this file, so udev applies another .link file (or none) to the PF's ` +
      `interface and no VF is made at boot: correct the file (udevadm test-builtin net_setup_link /sys/class/net/${pf.netdev ?? 'IFACE'} ` +
      `shows what udev makes of it), or ${persistenceFix(pf, inventory)}`
    );
  if (s.reason === 'driver-blacklisted') {
    const driver = pf.driver ?? 'the driver';
    return (
      `${describeSource(s)}: udev loads ${driver} at boot by its alias, which kmod skips for a blacklisted module, so unless ` +
      `something loads it by name the PF has no driver after a reboot and no VF comes back: remove the line (to keep ` +
      `the host off the VFs, blacklist the VF driver${VF_DRIVERS.has(driver) ? ` ${VF_DRIVERS.get(driver)}` : ''} instead)`
    );
  }
  if (s.reason === 'driver-not-loaded') {
    const driver = pf.driver ?? 'the driver';
    return (
      `${describeSource(s)}: modprobe runs this command instead of loading ${driver}, at boot too, and it loads nothing of ` +
      `that name: the PF has no driver after a reboot and no VF comes back: remove the line`
    );
  }
  if (s.reason === 'masked-unit') {
    const unit = shellQuote(s.file.slice(s.file.lastIndexOf('/') + 1));
    return (
      `${describeSource(s)}: the unit is masked (a link to /dev/null in /etc/systemd/system or /run/systemd/system), ` +
      `so systemd never starts it and it makes no VF at boot: systemctl unmask ${unit}`
    );
  }
  if (s.reason === 'no-shell')
    return (
      `${describeSource(s)}: systemd runs the command without a shell, so its ">" or "|" is a word passed to the program ` +
      `(echo prints it) and sriov_numvfs is never written: run it through a shell, ExecStart=/bin/sh -c "echo N > /sys/class/net/IFACE/device/sriov_numvfs"`
    );
  if (s.reason === 'before-driver')
    return (
      `${describeSource(s)} runs on the PCI device's add event, before its driver binds: the kernel refuses sriov_numvfs then ` +
      `("no driver bound to device; cannot configure SR-IOV"), so it makes no VF at boot: write ACTION=="bind" in it, or ${persistenceFix(pf, inventory)}`
    );
  if (s.reason === 'file-not-read') {
    const [reader, suffix] = s.mechanism === 'udev' ? ['udev', '.rules'] : ['modprobe', '.conf'];
    const dir = s.file.slice(0, s.file.lastIndexOf('/') + 1);
    const name = s.file.slice(dir.length);
    return (
      `${describeSource(s)}: ${reader} reads only the files of /${dir} whose names end in ${suffix}, so this line is never ` +
      `read and makes no VF at boot: mv -i ${shellQuote(`/${s.file}`)} ${shellQuote(`/${dir}${readName(name, suffix)}`)}`
    );
  }
  const param = s.param ?? /\b(max_vfs|num_vfs)=/.exec(s.detail)?.[1] ?? 'max_vfs';
  const driver = pf.driver ?? 'the driver';
  if (s.reason === 'vf-driver-option') {
    const vfDriver = /^(?:options\s+)?([^\s.]+)/.exec(s.detail)?.[1] ?? 'the VF driver';
    return (
      `${describeSource(s)}: ${vfDriver} drives the VFs once they exist and has no ${param} parameter ("${vfDriver}: unknown ` +
      `parameter '${param}' ignored"); the PF's driver, ${driver}, makes them, so this makes no VF: remove it and ${persistenceFix(pf, inventory)}`
    );
  }
  return (
    `${describeSource(s)}: ${driver} has no ${param} parameter, so the kernel loads it and ignores the option ` +
    `("${driver}: unknown parameter '${param}' ignored"): it makes no VF: ` +
    (s.meant ? `spell it ${s.meant} (${driver}'s VF count parameter)` : `remove it and ${persistenceFix(pf, inventory)} (${OTHER_WAYS})`)
  );
}

/** The name kmod or udev reads for a file meant to be read: `igb` and `igb.cfg` become `igb.conf`, `70-sriov.rule` `70-sriov.rules`. */
function readName(name: string, suffix: string): string {
  const at = name.indexOf(suffix);
  if (at > 0) return name.slice(0, at + suffix.length);
  const dot = name.lastIndexOf('.');
  return `${dot > 0 ? name.slice(0, dot) : name}${suffix}`;
}

/** The VF driver of a PF driver whose VFs have another one: the one to blacklist so the host leaves the VFs to guests. */
export const VF_DRIVERS: ReadonlyMap<string, string> = new Map([
  ['igb', 'igbvf'],
  ['ixgbe', 'ixgbevf'],
  ['i40e', 'iavf'],
  ['ice', 'iavf'],
]);

/**
 * Drivers whose max_vfs is one unsigned number (module_param(max_vfs, uint, …) in the in-tree igb and
 * ixgbe) that every port they probe gets. The kernel refuses a list for it ("`7,7' invalid for
 * parameter `max_vfs'"), and a module given a value it refuses does not load (load_module fails
 * when parse_args does).
 */
export const ONE_COUNT_DRIVERS: ReadonlySet<string> = new Set(['igb', 'ixgbe']);

/** The udev rules, units and NetworkManager profiles that set the PF's sriov_numvfs to 0 at boot: they remove its VFs. */
export function removalsOf(readiness: HostReadiness | undefined, pfAddress: string): VfPersistenceSource[] {
  return (readiness?.vfRemovals && entryOf(readiness.vfRemovals, pfAddress)) ?? [];
}

/**
 * The VF count the PF comes back with after a reboot, when every source says its count; null when
 * nothing recreates them or a source's count is not read (taken to keep them all). With several
 * sources the first to write makes the VFs (the kernel refuses a later count while they exist), and
 * which one that is depends on boot order: the largest is taken, so only a loss every order has is reported.
 */
export function restoredCount(sources: readonly VfPersistenceSource[]): number | null {
  if (sources.length === 0 || sources.some((s) => s.count === undefined)) return null;
  return Math.max(...sources.map((s) => s.count!));
}

/** "VFs 2..6" (or "VF 6"): the VF indexes from `from` up to `numVfs` that a boot with `from` VFs does not recreate. */
export function lostVfs(from: number, numVfs: number): string {
  return from === numVfs - 1 ? `VF ${from}` : `VFs ${from}..${numVfs - 1}`;
}

const MECHANISM_NAMES: Record<VfPersistenceMechanism, string> = {
  modprobe: 'modprobe.d',
  'kernel-cmdline': 'kernel command line',
  udev: 'udev rule',
  systemd: 'systemd unit',
  networkmanager: 'NetworkManager',
  netplan: 'netplan',
  ifupdown: 'ifupdown',
  'systemd-networkd': 'systemd-networkd .link file',
  'rc-local': 'rc.local',
};

export function describeSource(s: VfPersistenceSource): string {
  return `${MECHANISM_NAMES[s.mechanism]} (/${s.file}: ${s.detail})`;
}

/** A NetworkManager profile or an ifupdown stanza of notAtBootOf: what it would do, why it does not, and the fix. */
export function notAtBootAdvice(s: VfPersistenceSource): string {
  if (s.mechanism === 'ifupdown') {
    // the detail starts with the stanza's own line, "iface NAME …"
    const iface = shortName(/^iface (\S+)/.exec(s.detail)?.[1] ?? 'IFACE');
    return (
      `${describeSource(s)} sets ${s.count ?? 'the'} VFs, but no "auto" or "allow-hotplug" line names that interface, ` +
      `so a boot does not bring it up and it creates none: add "auto ${iface}" to /etc/network/interfaces`
    );
  }
  return (
    `${describeSource(s)} sets ${s.count ?? 'the'} VFs, but NetworkManager does not activate that profile at boot, ` +
    `so it creates none: set autoconnect=true in it`
  );
}

/** vfio_iommu_type1's way out when the IOMMU does not remap interrupts (insecure: a device can forge them). */
const UNSAFE_INTERRUPTS_LINE = 'options vfio_iommu_type1 allow_unsafe_interrupts=1';

/**
 * An AMD IOMMU in /sys/class/iommu. Its driver turns interrupt remapping on whenever the IOMMU is on
 * (amd_iommu_prepare → irq_remapping_prepare), unless intremap=off or nointremap says not to;
 * amd_iommu_intr=legacy or vapic picks the remapping table's format, and remaps either way.
 */
const AMD_IOMMU_UNIT = /^ivhd\d+$/;

/**
 * vfio_iommu_type1 refuses a device when its IOMMU does not remap interrupts, unless
 * allow_unsafe_interrupts is set (the kernel logs "No interrupt remapping support. Use the module
 * param "allow_unsafe_interrupts" to enable VFIO IOMMU support on this platform").
 */
export function interruptRemappingCheck(iommu: HostReadiness['iommu']): { status: 'pass' | 'warn' | 'fail'; detail: string } {
  if (iommu.interruptRemapping === 'supported') return { status: 'pass', detail: 'supported by the IOMMU' };
  const amd = iommu.units.filter((u) => AMD_IOMMU_UNIT.test(u));
  if (iommu.interruptRemapping === 'unknown' && amd.length > 0)
    return {
      status: 'pass',
      detail:
        `AMD-Vi (${amd.join(', ')}) remaps interrupts unless the kernel command line turns it off (intremap=off/nointremap), and it does not; ` +
        '`dmesg | grep -i remapping` says "Interrupt remapping enabled"',
    };
  const cause =
    iommu.interruptRemapping === 'disabled'
      ? 'disabled on the kernel command line (intremap=off/nointremap)'
      : 'unknown: sysfs does not show it (no VT-d ecap); `dmesg | grep -i remapping` should say ' +
        '"Enabled IRQ remapping" (Intel) or "Interrupt remapping enabled" (AMD)';
  if (iommu.unsafeInterrupts === true)
    return {
      status: 'warn',
      detail: `${cause}; vfio_iommu_type1 allow_unsafe_interrupts=Y lets vfio assign devices anyway, without protection against interrupts a guest's device forges`,
    };
  const fix = `remove intremap=off/nointremap from the kernel command line, or (insecure) add "${UNSAFE_INTERRUPTS_LINE}" to /etc/modprobe.d/vfio.conf`;
  return iommu.interruptRemapping === 'disabled'
    ? { status: 'fail', detail: `${cause}: vfio refuses every device (allow_unsafe_interrupts is off): ${fix}` }
    : {
        status: 'warn',
        detail: `${cause}; without remapping vfio refuses devices unless allow_unsafe_interrupts is on ("${UNSAFE_INTERRUPTS_LINE}" in /etc/modprobe.d/vfio.conf, insecure)`,
      };
}

/** One line about the IOMMU for hover, the view and the status tooltip. */
export function iommuSummary(readiness: HostReadiness): string {
  const { iommu } = readiness;
  if (iommu.groups === 0) {
    const hint =
      iommu.cmdline.length > 0
        ? `kernel command line has ${iommu.cmdline.join(' ')}`
        : 'no intel_iommu=on / amd_iommu on the kernel command line';
    return `No IOMMU: no device can be assigned (${hint}; enable VT-d/AMD-Vi in the firmware too)`;
  }
  const units = iommu.units.length > 0 ? ` (${iommu.units.join(', ')})` : '';
  return `IOMMU on${units}, ${plural(iommu.groups, 'group')}`;
}

/** Where a PF's VFs come from at boot, as hover and the view say it. */
export interface PersistencePhrase {
  text: string;
  /** the text quotes host files (modprobe lines, udev rules): shown as text, never as markup */
  quotesHost: boolean;
  /** not every VF the PF has now comes back after a reboot, or may not */
  concern: boolean;
}

/** " (a boot does not activate …)" for the NetworkManager profiles and ifupdown stanzas of notAtBootOf; '' when there are none. */
function notAtBootNote(profiles: readonly VfPersistenceSource[]): string {
  const said = profiles.map((s) => `${s.mechanism === 'ifupdown' ? 'bring up' : 'activate'} ${describeSource(s)}`);
  return said.length > 0 ? ` (a boot does not ${said.join('; ')})` : '';
}

/**
 * The PF's lines that make no VF at boot though they read like it, each with why and its fix
 * (ignoredAdvice), joined with '; ', and how many there are; null when it has none.
 */
export function ignoredAdvices(
  pf: InventoryDevice,
  inventory: Pick<Inventory, 'devices' | 'readiness'>,
): { text: string; count: number } | null {
  const ignored = ignoredOf(inventory.readiness, pf.address);
  if (ignored.length === 0) return null;
  return { text: ignored.map((s) => ignoredAdvice(s, pf, inventory)).join('; '), count: ignored.length };
}

/** ignoredAdvices as a note after a phrase: ` (…)`; '' when there are none. */
function ignoredNote(pf: InventoryDevice, inventory: Pick<Inventory, 'devices' | 'readiness'>): string {
  const ignored = ignoredAdvices(pf, inventory);
  return ignored ? ` (${ignored.text})` : '';
}

/**
 * Where the VFs of the PF at `pfAddress` (with `numVfs` now) come from at boot, with the lines that
 * remove them, the profiles a boot does not activate and (given the `host` PF) the lines that make
 * none, as one phrase; null when unknown.
 */
export function persistencePhrase(
  readiness: HostReadiness,
  pfAddress: string,
  numVfs?: number | null,
  host?: { pf: InventoryDevice; inventory: Pick<Inventory, 'devices' | 'readiness'> },
): PersistencePhrase | null {
  const sources = persistenceOf(readiness, pfAddress);
  if (sources === null) return null;
  const removals = removalsOf(readiness, pfAddress);
  if (sources.length === 0) {
    const notes = notAtBootNote(notAtBootOf(readiness, pfAddress)) + (host ? ignoredNote(host.pf, host.inventory) : '');
    return { text: `VFs created at runtime only: gone after a host reboot${notes}`, quotesHost: notes !== '', concern: true };
  }
  const short = shortBoot(sources, numVfs);
  const created = sources.map(describeSource).join('; ');
  if (removals.length > 0)
    return {
      text:
        `VFs created at boot by ${created}, but removed by ${removals.map(describeSource).join('; ')} (0 to sriov_numvfs): ` +
        `the one that runs last decides` +
        (short ? `; ${short}` : ''),
      quotesHost: true,
      concern: true,
    };
  return { text: (short ? `${short}: ` : 'VFs persistent via ') + created, quotesHost: true, concern: short !== null };
}

/** "a boot restores 2 of the 7 VFs (VFs 2..6 will not come back)" when the sources set fewer VFs than the PF has now. */
export function shortBoot(sources: readonly VfPersistenceSource[], numVfs: number | null | undefined): string | null {
  const restored = restoredCount(sources);
  if (restored === null || !numVfs || restored >= numVfs) return null;
  return `a boot restores ${restored} of the ${numVfs} VFs (${lostVfs(restored, numVfs)} will not come back)`;
}

/** Host-level readiness lines for the status tooltip and the SR-IOV view; empty without readiness. */
export function readinessNotes(inventory: Inventory | null): string[] {
  const readiness = inventory?.readiness;
  if (!inventory || !readiness) return [];
  const notes = [iommuSummary(readiness)];
  const remapping = interruptRemappingCheck(readiness.iommu);
  if (readiness.iommu.groups > 0 && remapping.status === 'fail') notes.push(`Interrupt remapping ${remapping.detail}`);
  if (readiness.vfioPci === 'missing') notes.push("vfio-pci not found on the host: managed='yes' cannot bind VFs for a guest");
  for (const pf of inventory.devices) {
    if (pf.kind !== 'pf' || !pf.numVfs) continue;
    const sources = persistenceOf(readiness, pf.address);
    if (sources !== null && sources.length === 0) {
      notes.push(
        `${pfLabel(pf)}: ${pf.numVfs} VFs created at runtime only, gone after a host reboot${notAtBootNote(notAtBootOf(readiness, pf.address))}${ignoredNote(pf, inventory)}`,
      );
    } else if (sources !== null) {
      const short = shortBoot(sources, pf.numVfs);
      if (short) notes.push(`${pfLabel(pf)}: ${short}`);
      if (removalsOf(readiness, pf.address).length > 0)
        notes.push(`${pfLabel(pf)}: a boot line removes the VFs another creates (0 to sriov_numvfs): they may not come back`);
    }
  }
  return notes;
}
