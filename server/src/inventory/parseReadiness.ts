// Readiness blocks of the inventory script (inventory/script.ts `readiness`) → HostReadiness.
// What the guide's steps 1-5 need: an active IOMMU (libvirt refuses every PCI assignment without
// one: qemuHostdevPreparePCIDevicesCheckSupport "host doesn't support passthrough of host PCI
// devices"), vfio-pci, and a boot-time source for each PF's VFs (vfPersistence.ts).
import type { HostReadiness } from '../service/types';
import { MAX_VFS_PARAM } from '../service/persistenceFix';
import { findVfPersistence, maskedModprobeFiles, type PersistenceInput } from './vfPersistence';
import { decodePath, type SysfsDevice } from './parseSysfs';

export interface ReadinessBlocks {
  iommuUnits: string;
  sysfsModules: string;
  cmdline: string;
  vfioModule: string;
  persist: string;
  enabledUnits: string;
  unreadable: string;
  keyfileModes: string;
}

export const EMPTY_READINESS_BLOCKS: ReadinessBlocks = {
  iommuUnits: '',
  sysfsModules: '',
  cmdline: '',
  vfioModule: '',
  persist: '',
  enabledUnits: '',
  unreadable: '',
  keyfileModes: '',
};

/** Block names as the script prints them (`begin iommu-units`) → field. */
export const READINESS_BLOCK_NAMES: Record<string, keyof ReadinessBlocks> = {
  'iommu-units': 'iommuUnits',
  'sysfs-modules': 'sysfsModules',
  cmdline: 'cmdline',
  'vfio-module': 'vfioModule',
  persist: 'persist',
  'enabled-units': 'enabledUnits',
  unreadable: 'unreadable',
  'keyfile-modes': 'keyfileModes',
};

/** `keepCr`: a line's own carriage return is kept (a backslash before it continues nothing: continuedLines.ts) */
function lines(text: string, keepCr = false): string[] {
  return text
    .split('\n')
    .map((l) => (keepCr ? l : l.replace(/\r$/, '')))
    .filter((l) => l.trim() !== '');
}

/** Kernel command-line words that decide the IOMMU (Documentation/admin-guide/kernel-parameters.txt). */
const IOMMU_WORD = /^(intel_iommu|amd_iommu|iommu|iommu\.passthrough|iommu\.strict)=/;
const INTREMAP_OFF = /^(intremap=off|nointremap)$/;

/** VT-d extended capability register: bit 3 = Interrupt Remapping supported. */
const ECAP_IR_BIT = 3n;

/** `ls -n`'s mode field ("-rw-r--r--.") as permission bits in octal ("644"); null for anything else. */
function octalMode(field: string): string | null {
  const m = /^[-dlcbps]([r-][w-][xsS-])([r-][w-][xsS-])([r-][w-][xtT-])/.exec(field);
  if (!m) return null;
  return [m[1], m[2], m[3]].map((t) => (t[0] === 'r' ? 4 : 0) + (t[1] === 'w' ? 2 : 0) + (/[xst]/.test(t[2]) ? 1 : 0)).join('');
}

/** The keyfile-modes block ("DIR NAME MODE UID") → relative path → mode and owner. */
function keyfileModes(block: string): Map<string, { mode: string; owner: number }> {
  const modes = new Map<string, { mode: string; owner: number }>();
  for (const line of lines(block)) {
    const m = /^(\S+) (\S+) (\S+) (\d+)$/.exec(line);
    const mode = m ? octalMode(m[3]) : null;
    if (m && mode !== null) modes.set(decodePath(m[1], m[2]), { mode, owner: parseInt(m[4], 10) });
  }
  return modes;
}

/** `hostFilesRead`: the script read the host root (etc/, proc/cmdline), not only a sysfs copy. */
export function parseReadiness(
  blocks: ReadinessBlocks,
  iommuGroups: number,
  devices: readonly SysfsDevice[],
  hostFilesRead: boolean,
): HostReadiness {
  const cmdlineText = blocks.cmdline.trim();
  const words = cmdlineText === '' ? [] : cmdlineText.split(/\s+/);
  const units = lines(blocks.iommuUnits)
    .map((l) => l.trim())
    .filter((l) => /^[\w.:-]+$/.test(l));

  let irSupported = false;
  let unsafeInterrupts: boolean | undefined;
  let vfioLoaded = false;
  const maxVfsDrivers = new Set<string>();
  /** module → its VF count parameters, for every module /sys/module lists with parameters */
  const vfParams = new Map<string, Set<string>>();
  for (const line of lines(blocks.sysfsModules)) {
    const ecap = /^class\/iommu\/[^/]+\/intel-iommu\/ecap:\s*(?:0x)?([0-9a-fA-F]+)\s*$/.exec(line);
    if (ecap) {
      if ((BigInt('0x' + ecap[1]) >> ECAP_IR_BIT) & 1n) irSupported = true;
      continue;
    }
    const unsafe = /^module\/vfio_iommu_type1\/parameters\/allow_unsafe_interrupts:\s*(\S+)/.exec(line);
    if (unsafe) {
      unsafeInterrupts = /^[Y1]/i.test(unsafe[1]);
      continue;
    }
    if (line === 'module/vfio_pci' || line === 'bus/pci/drivers/vfio-pci') {
      vfioLoaded = true;
      continue;
    }
    const params = /^module\/([^/]+)\/parameters$/.exec(line);
    if (params && !vfParams.has(params[1])) vfParams.set(params[1], new Set());
    const param = /^module\/([^/]+)\/parameters\/(max_vfs|num_vfs)$/.exec(line);
    if (param) {
      maxVfsDrivers.add(param[1]);
      vfParams.set(param[1], (vfParams.get(param[1]) ?? new Set()).add(param[2]));
    }
  }
  const interruptRemapping = words.some((w) => INTREMAP_OFF.test(w)) ? 'disabled' : irSupported ? 'supported' : 'unknown';

  // vfio-module: modinfo's file name or 'not-found' (this host), or the copied host's module
  // directories and any vfio-pci module file / modules.builtin line in them.
  const moduleLines = lines(blocks.vfioModule);
  let vfioPci: HostReadiness['vfioPci'] = 'unknown';
  if (vfioLoaded || devices.some((d) => d.driver === 'vfio-pci')) vfioPci = 'loaded';
  else if (moduleLines.some((l) => l.includes('vfio-pci') || l.includes('vfio_pci') || l === '(builtin)')) vfioPci = 'available';
  else if (moduleLines.length > 0) vfioPci = 'missing';

  const modes = keyfileModes(blocks.keyfileModes);
  const input: PersistenceInput = {
    persistLines: lines(blocks.persist, true),
    cmdlineWords: words,
    enabledUnits: new Set(lines(blocks.enabledUnits).map((l) => l.split('/').pop() ?? '')),
    vfParams: (module) => vfParams.get(module) ?? (Object.hasOwn(MAX_VFS_PARAM, module) ? new Set([MAX_VFS_PARAM[module]]) : null),
    keyfileModes: modes,
  };
  // Without the host's files (a sysfs copy alone) persistence is unknown: no PF entry, no warning.
  const vfPersistence: HostReadiness['vfPersistence'] = {};
  const vfRemovals: NonNullable<HostReadiness['vfRemovals']> = {};
  const vfRefused: NonNullable<HostReadiness['vfRefused']> = {};
  const vfNotAtBoot: NonNullable<HostReadiness['vfNotAtBoot']> = {};
  const vfIgnored: NonNullable<HostReadiness['vfIgnored']> = {};
  const vfZeroOptions: NonNullable<HostReadiness['vfZeroOptions']> = {};
  for (const pf of devices) {
    if (pf.kind !== 'pf' || !hostFilesRead) continue;
    const found = findVfPersistence(pf, input);
    vfPersistence[pf.address] = found.sources;
    if (found.removals.length > 0) vfRemovals[pf.address] = found.removals;
    if (found.refused.length > 0) vfRefused[pf.address] = found.refused;
    if (found.notAtBoot.length > 0) vfNotAtBoot[pf.address] = found.notAtBoot;
    if (found.ignored.length > 0) vfIgnored[pf.address] = found.ignored;
    if (found.zeroOptions.length > 0) vfZeroOptions[pf.address] = found.zeroOptions;
  }
  const maskedModprobe = hostFilesRead ? maskedModprobeFiles(input.persistLines) : [];

  const unreadable = lines(blocks.unreadable).flatMap((line) => {
    const m = /^(\S+) (\S+)$/.exec(line);
    return m ? [decodePath(m[1], m[2])] : [];
  });
  const unreadableKeyfiles: NonNullable<HostReadiness['unreadableKeyfiles']> = {};
  for (const file of unreadable) {
    const stat = modes.get(file);
    if (stat) unreadableKeyfiles[file] = stat;
  }

  const iommu: HostReadiness['iommu'] = {
    groups: iommuGroups,
    units,
    cmdline: words.filter((w) => IOMMU_WORD.test(w) || INTREMAP_OFF.test(w)),
    interruptRemapping,
  };
  if (unsafeInterrupts !== undefined) iommu.unsafeInterrupts = unsafeInterrupts;
  return {
    iommu,
    kernelCmdline: cmdlineText === '' ? null : cmdlineText,
    vfioPci,
    maxVfsDrivers: [...maxVfsDrivers].sort(),
    vfPersistence,
    ...(Object.keys(vfRemovals).length > 0 ? { vfRemovals } : {}),
    ...(Object.keys(vfRefused).length > 0 ? { vfRefused } : {}),
    ...(Object.keys(vfNotAtBoot).length > 0 ? { vfNotAtBoot } : {}),
    ...(Object.keys(vfIgnored).length > 0 ? { vfIgnored } : {}),
    ...(Object.keys(vfZeroOptions).length > 0 ? { vfZeroOptions } : {}),
    ...(maskedModprobe.length > 0 ? { maskedModprobe } : {}),
    unreadable,
    ...(Object.keys(unreadableKeyfiles).length > 0 ? { unreadableKeyfiles } : {}),
  };
}
