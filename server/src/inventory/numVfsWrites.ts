// The VF count a boot-time command gives a PF: the writes to its sriov_numvfs (units, udev rules,
// modprobe.d install lines and ifupdown stanzas run them), and a source with the count it sets.
import type { VfPersistenceSource } from '../service/types';
import type { SysfsDevice } from './parseSysfs';
import { identities } from './pfIdentity';

/** `source` with the VF count it sets, when that count is read. */
export function withCount(source: VfPersistenceSource, count: number | null | undefined): VfPersistenceSource {
  return count === null || count === undefined ? source : { ...source, count };
}

/** A unit's command names the PF's sysfs directory: …/0000:0b:00.0/sriov_numvfs or …/net/enp11s0f0/device/sriov_numvfs. */
export function mentionsPf(pf: SysfsDevice, content: string): boolean {
  return identities(pf).names.some((n) => content.includes(`/${n}/`));
}

/** The counts a command writes to this PF's sriov_numvfs: `echo N > …/sriov_numvfs` (or >>), `echo N | tee …/sriov_numvfs`. */
export function numVfsWrites(pf: SysfsDevice, content: string): number[] {
  const { names } = identities(pf);
  const writes: number[] = [];
  for (const m of content.matchAll(
    /\becho\s+(?:-n\s+)?["']?(\d+)["']?\s*(?:>>?|\|\s*tee\s+(?:-a\s+)?)\s*["']?([^\s"';&|]{0,512}sriov_numvfs)/g,
  )) {
    if (names.some((n) => m[2].includes(`/${n}/`))) writes.push(parseInt(m[1], 10));
  }
  return writes;
}
