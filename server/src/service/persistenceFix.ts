// The fix for VFs that a host reboot loses: the runtime write that creates them, and the boot-time line
// that recreates them (a modprobe.d options line where the driver takes a count and every PF of it keeps
// the same one, a udev rule otherwise), placed where it applies.
import { addressKey, compareAddresses } from './pci';
import { shellQuote } from '../../../shared/shellQuote';
import type { HostReadiness, Inventory, InventoryDevice } from './types';

/** Drivers known to take a VF count at load, when the host's /sys/module does not say (mlx4 names it num_vfs). */
export const MAX_VFS_PARAM: Readonly<Record<string, string>> = { igb: 'max_vfs', ixgbe: 'max_vfs', mlx4_core: 'num_vfs' };

/**
 * The VF counts of the host's PFs that `driver` serves, in address order, when they differ: a module
 * option is one setting for all of them (see ONE_COUNT_DRIVERS: igb and ixgbe refuse a list), so
 * per-port counts need the per-PF sysfs way.
 */
function differingCounts(pf: InventoryDevice, count: number, driver: string, devices: readonly InventoryDevice[]): number[] | null {
  const counts = devices
    .filter((d) => d.kind === 'pf' && d.driver !== null && d.driver.replace(/-/g, '_') === driver)
    .sort((a, b) => compareAddresses(a.address, b.address))
    .map((d) => (addressKey(d.address) === addressKey(pf.address) ? count : (d.numVfs ?? 0)));
  return new Set(counts).size > 1 ? counts : null;
}

/**
 * The VF count our advice creates and keeps: the PF's VFs now, or for a PF without VFs its
 * sriov_totalvfs (the most it can have: a pool hands out every VF of its PF). The write that creates
 * them and the line that recreates them at boot both use it: a boot line with fewer would lose the
 * VFs past its count at the next reboot.
 */
function adviceVfCount(pf: InventoryDevice): number {
  return pf.numVfs || pf.totalVfs || 1;
}

/** The line that makes `pf`'s VFs persistent (its current ones, or those createVfsCommand makes), and where it goes. */
export function persistenceFix(pf: InventoryDevice, inventory: Pick<Inventory, 'devices' | 'readiness'>): string {
  const count = adviceVfCount(pf);
  const driver = pf.driver ? pf.driver.replace(/-/g, '_') : null;
  let notModprobe = '';
  // a driver name is host data: 'constructor' is no inherited property
  const known = driver !== null && Object.hasOwn(MAX_VFS_PARAM, driver) ? MAX_VFS_PARAM[driver] : null;
  if (driver !== null && (known !== null || inventory.readiness?.maxVfsDrivers.includes(driver))) {
    const param = known ?? 'max_vfs';
    const counts = differingCounts(pf, count, driver, inventory.devices);
    if (counts === null) return modprobeFix(pf, driver, param, count, inventory.readiness);
    const listed = `${counts.slice(0, -1).join(', ')} and ${counts[counts.length - 1]}`;
    notModprobe = ` (not "options ${driver} ${param}=…": ${driver} takes one count for all its PFs, and this host's have ${listed} VFs)`;
  }
  // On the PF's net device, found by its PCI address (KERNELS matches a parent's name): at a net device's
  // "add" the kernel's name (eth0) is still the one KERNEL sees, udev renames it only after its rules
  // (80-net-setup-link), so a rule on the predictable name would not run at boot. Without a net device:
  // a PCI device's "add" comes before its driver binds, and the kernel refuses sriov_numvfs without one
  // ("no driver bound to device; cannot configure SR-IOV"); "bind" (Linux 4.14+) comes after.
  const rule = pf.netdev
    ? `ACTION=="add", SUBSYSTEM=="net", KERNELS=="${pf.address}", ATTR{device/sriov_numvfs}="${count}"`
    : `ACTION=="bind", SUBSYSTEM=="pci", KERNEL=="${pf.address}", ATTR{sriov_numvfs}="${count}"`;
  return `add the udev rule '${rule}' to /etc/udev/rules.d/70-sriov.rules${notModprobe}`;
}

/**
 * The modprobe.d change that gives `driver` `param`=`count` at load. kmod passes the driver every options
 * line in the order of file names and the kernel keeps a parameter's last value, so a max_vfs=0 that would
 * come after a new line is changed where it is; a kernel command line word is removed (kmod adds those to
 * the files' lines); and an /etc/modprobe.d/DRIVER.conf that masks its name (a link to /dev/null takes no
 * line) leaves the line to a file of another name.
 */
function modprobeFix(pf: InventoryDevice, driver: string, param: string, count: number, readiness: HostReadiness | undefined): string {
  const zeros = readiness?.vfZeroOptions?.[pf.address] ?? [];
  const words = zeros.filter((z) => z.mechanism === 'kernel-cmdline').map((z) => z.detail);
  const removeWords = words.length > 0 ? `remove ${words.join(' ')} from the kernel command line and ` : '';
  const initramfs = ` (and rebuild the initramfs if ${driver} loads from it)`;
  const inFile = zeros.find((z) => z.mechanism === 'modprobe');
  if (inFile !== undefined) {
    const zeroParam = /\b(max_vfs|num_vfs)=\S*/.exec(inFile.detail)?.[0] ?? `${param}=0`;
    return (
      `${removeWords}change ${zeroParam} to ${param}=${count} in /${inFile.file} ("${inFile.detail}": the last ${param} kmod gives ${driver}, ` +
      `which the kernel keeps)${initramfs}`
    );
  }
  const named = `etc/modprobe.d/${driver}.conf`;
  const file = readiness?.maskedModprobe?.includes(named)
    ? `/etc/modprobe.d/${driver}-sriov.conf (/${named} masks its name: a line there may never be read)`
    : `/${named}`;
  return `${removeWords}add "options ${driver} ${param}=${count}" to ${file}${initramfs}`;
}

/** The runtime write that creates `pf`'s VFs (gone at reboot: persistenceFix keeps them). */
export function createVfsCommand(pf: InventoryDevice): string {
  return `echo ${adviceVfCount(pf)} > ${shellQuote(`/sys/bus/pci/devices/${pf.address}/sriov_numvfs`)}`;
}
