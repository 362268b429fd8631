// The inventory snapshot, format "libvirt-hostdev-inventory/1" (README, "Inventory snapshots"): what
// the server reads from a host or a file and what GetInventoryRequest returns to the client.
// Addresses are canonical "DDDD:BB:SS.F", lower-case hex. Imports nothing, so every layer may use it.

export const INVENTORY_FORMAT = 'libvirt-hostdev-inventory/1';

export interface VfAdminSettings {
  mac?: string;
  vlan?: number;
  spoofchk?: boolean;
  trust?: boolean;
}

export interface InventoryDevice {
  address: string;
  kind: 'pf' | 'vf' | 'pci';
  vendor: string;
  product: string;
  name?: string;
  driver: string | null;
  iommuGroup: number | null;
  numaNode: number | null;
  netdev: string | null;
  mac: string | null;
  /** pf only */
  totalVfs?: number;
  numVfs?: number;
  /** vf only */
  pf?: string;
  vfIndex?: number;
  /** vf only: admin settings the PF reports for this VF (ip link vfinfo_list) */
  vf?: VfAdminSettings;
}

export interface InventoryGuestDevice {
  address: string;
  element: 'interface' | 'hostdev';
  /** present in the persistent (inactive) definition */
  config: boolean;
  /** present in the running definition */
  live: boolean;
  mac: string | null;
}

export interface InventoryGuest {
  name: string;
  /** as virsh prints it (36 characters with dashes); optional (older snapshots) */
  uuid?: string;
  state: string;
  persistent: boolean;
  devices: InventoryGuestDevice[];
  /** every interface MAC of the guest (any interface type), for uniqueness checks; optional */
  macs?: string[];
  /**
   * the networks its persistent definition's <interface type='network'> entries name, each once;
   * optional. (A running guest's live XML shows a pool's VF as <interface type='hostdev'>: its
   * `devices` entry, live only.)
   */
  networks?: string[];
  /**
   * how many <interface type='network'> entries of its persistent definition are on each of
   * `networks` (a hostdev pool hands out one VF per interface at the guest's start); optional.
   * Snapshots written before it list `networks` only: a network without a count here counts as one
   * at least. Every name is one of `networks`; counts are 1..2,147,483,647. Names are host data (a network
   * may be called 'constructor'): look them up as own properties.
   */
  interfacesPerNetwork?: Record<string, number>;
  /**
   * the portgroups (`<source portgroup>`) its persistent definition's <interface type='network'>
   * entries name on each of `networks`, each once; a network none of them names a portgroup on is
   * absent; optional (older snapshots: unknown). Names are host data: look networks up as own properties.
   */
  portgroupsPerNetwork?: Record<string, string[]>;
  /**
   * the networks among `networks` on which one of those entries names no portgroup, and so takes the
   * network's default portgroup (virPortGroupFindByName with no name); optional (older snapshots: unknown)
   */
  defaultPortgroupOn?: string[];
}

export interface InventoryPortgroup {
  name: string;
  default?: boolean;
  /** <vlan><tag id> of the portgroup */
  vlan?: number[];
  /** the type of the portgroup's own <virtualport> (`802.1Qbh`; `''` for one without a type); absent without one */
  virtualport?: string;
}

export interface InventoryNetwork {
  name: string;
  /** as virsh prints it (36 characters with dashes); optional (older snapshots) */
  uuid?: string;
  active: boolean;
  /** for a hostdev pool: its VFs (explicit <address> entries and every VF of each <pf dev>) */
  addresses: string[];
  /** <forward mode>; absent for an isolated network (no <forward>) and in older snapshots */
  forwardMode?: string;
  autostart?: boolean;
  /** <forward managed='yes'> (hostdev pools) */
  managed?: boolean;
  /** <forward><pf dev> names */
  pfDevs?: string[];
  /** <forward connections='N'>: guests holding a port now (active networks) */
  connections?: number;
  portgroups?: InventoryPortgroup[];
  /** the network's own <vlan> tags */
  vlan?: number[];
  /** the type of the network's own <virtualport> (`802.1Qbh`; `''` for one without a type); absent without one */
  virtualport?: string;
}

/** Where a PF's VFs come from at boot (what survives a host reboot). */
export const VF_PERSISTENCE_MECHANISMS = [
  'modprobe',
  'kernel-cmdline',
  'udev',
  'systemd',
  'networkmanager',
  'netplan',
  'ifupdown',
  'systemd-networkd',
  'rc-local',
] as const;
export type VfPersistenceMechanism = (typeof VF_PERSISTENCE_MECHANISMS)[number];

export interface VfPersistenceSource {
  mechanism: VfPersistenceMechanism;
  /** host path relative to / (etc/modprobe.d/igb.conf, proc/cmdline) */
  file: string;
  /** the line or setting that creates the VFs */
  detail: string;
  /** the VF count it sets, when the line says it plainly (max_vfs=7, ATTR{sriov_numvfs}="7", echo 7 > …); absent when not read */
  count?: number;
}

/**
 * Why a line that reads like a boot-time VF source creates no VF: a module option its driver does not
 * have (the kernel ignores it: "unknown parameter … ignored"); a NetworkManager keyfile NetworkManager
 * will not load (not owned by root, or open to group or others); a udev rule on a PCI device's add
 * event, which comes before its driver binds (the kernel refuses sriov_numvfs without one); a systemd-networkd
 * .link file that sets a VF count after an earlier .link file that also fits the PF (udev applies the first only),
 * or one systemd does not load (a bad section header, a line over 1 MiB, a [Match] without a valid key); a
 * count written to sriov_numvfs (a rule, a unit, a profile, a stanza, a .link file) over the PF's sriov_totalvfs,
 * which the kernel refuses.
 */
export const VF_IGNORED_REASONS = [
  'no-such-parameter',
  'insecure-keyfile',
  'before-driver',
  'earlier-link-file',
  'link-file-refused',
  'over-total-vfs',
  /** a systemd unit masked in /etc or /run (a link to /dev/null, or empty): systemd never starts it */
  'masked-unit',
  /** a unit's Exec line that redirects or pipes without a shell: systemd passes `>` and `|` to the program as words */
  'no-shell',
  /** modprobe.d `blacklist DRIVER` for the PF's driver: udev does not load it by its alias at boot */
  'driver-blacklisted',
  /** modprobe.d `install DRIVER COMMAND` whose command loads nothing of that name: the driver never loads */
  'driver-not-loaded',
  /** a VF count option for the VFs' own driver (igbvf, ixgbevf, iavf): only the PF's driver makes VFs */
  'vf-driver-option',
  /** a file in /etc/modprobe.d or /etc/udev/rules.d whose name lacks the .conf or .rules that kmod and udev read */
  'file-not-read',
] as const;
export type VfIgnoredReason = (typeof VF_IGNORED_REASONS)[number];

export interface VfIgnoredSource extends VfPersistenceSource {
  reason: VfIgnoredReason;
  /** insecure-keyfile: the file's permission bits in octal ("644") and its owner's uid */
  mode?: string;
  owner?: number;
  /** earlier-link-file: the .link file (relative to /) udev applies to the PF instead */
  appliedInstead?: string;
  /** no-such-parameter, vf-driver-option: the parameter's name as the line writes it (`maxvfs`, `max-vfs`) */
  param?: string;
  /** no-such-parameter: the VF count parameter the driver has, when the line's reads like a misspelling of it */
  meant?: 'max_vfs' | 'num_vfs';
}

/** Host readiness for VF assignment (the guide's steps 1-5), read in the same exec as the devices. */
export interface HostReadiness {
  iommu: {
    /** number of /sys/kernel/iommu_groups: 0 means no IOMMU is active, and no PCI device can be assigned */
    groups: number;
    /** /sys/class/iommu entries (dmar0, ivhd0, …) */
    units: string[];
    /** IOMMU switches on the kernel command line (intel_iommu=on, amd_iommu=…, iommu=pt) */
    cmdline: string[];
    /** 'supported' when an IOMMU unit reports it (Intel ecap IR bit), 'disabled' by the command line */
    interruptRemapping: 'supported' | 'disabled' | 'unknown';
    /** vfio_iommu_type1 allow_unsafe_interrupts, when the module is loaded */
    unsafeInterrupts?: boolean;
  };
  /** /proc/cmdline, null when unreadable */
  kernelCmdline: string | null;
  /** the vfio-pci driver: bound/loaded now, installed as a module, or not found */
  vfioPci: 'loaded' | 'available' | 'missing' | 'unknown';
  /** drivers loaded with a max_vfs / num_vfs module parameter (take `options DRIVER max_vfs=N`) */
  maxVfsDrivers: string[];
  /** PF address → what creates its VFs at boot; a PF with an empty list has VFs made at runtime only */
  vfPersistence: Record<string, VfPersistenceSource[]>;
  /** PF address → udev rules, enabled units, modprobe.d install lines, ifupdown stanzas and NetworkManager profiles ([sriov] with total-vfs=0 or none) that set its sriov_numvfs to 0 at boot (they remove its VFs); absent when none */
  vfRemovals?: Record<string, VfPersistenceSource[]>;
  /** PF address → module options and kernel command line words its driver refuses (a max_vfs list for igb/ixgbe); absent when none */
  vfRefused?: Record<string, VfPersistenceSource[]>;
  /** PF address → NetworkManager profiles (autoconnect=false) and ifupdown stanzas (no auto/allow-hotplug line) for it that set a VF count but a boot does not bring up; absent when none */
  vfNotAtBoot?: Record<string, VfPersistenceSource[]>;
  /** PF address → lines that read like a boot-time source of its VFs but create none (see VfIgnoredReason); absent when none */
  vfIgnored?: Record<string, VfIgnoredSource[]>;
  /**
   * PF address → the module option its driver loads with when that is max_vfs=0 (or num_vfs=0): the last such
   * modprobe.d line kmod reads, or a kernel command line word. It makes no VF, and a new `options` line meets it:
   * the fix changes it. Absent when none
   */
  vfZeroOptions?: Record<string, VfPersistenceSource[]>;
  /** modprobe.d files (relative to /) that mask their name: empty, or a link to /dev/null or to nothing; absent when none */
  maskedModprobe?: string[];
  /** of `unreadable`, the NetworkManager keyfiles with their permission bits ("600") and owner uid; absent when none */
  unreadableKeyfiles?: Record<string, { mode: string; owner: number }>;
  /** configuration files that exist but could not be read (e.g. NetworkManager profiles as non-root) */
  unreadable: string[];
}

export interface Inventory {
  format: typeof INVENTORY_FORMAT;
  host: string;
  takenAt: string;
  devices: InventoryDevice[];
  guests: InventoryGuest[];
  networks: InventoryNetwork[];
  /** absent in snapshots written before readiness was read: then nothing is assumed */
  readiness?: HostReadiness;
}
