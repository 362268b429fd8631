// How a host's configuration files name a PF: its PCI address, interface names, driver (module) name, and
// udev's fnmatch-style patterns over them.
import type { SysfsDevice } from './parseSysfs';
import { fnmatchTokens, wildcardMatches } from '../../../shared/wildcard';

/** Module names use '-' and '_' interchangeably (modprobe treats them alike). */
export function moduleName(name: string): string {
  return name.replace(/-/g, '_');
}

/** udev's fnmatch-style patterns (`enp11s0f*`, `0000:0b:00.[01]`, `a|b`), matched without backtracking. */
export function globMatches(pattern: string, value: string): boolean {
  return pattern.split('|').some((alternative) => wildcardMatches(fnmatchTokens(alternative, true), value));
}

/** The names a file may give `pf` (its address and interfaces) and its driver as a module name. */
export function identities(pf: SysfsDevice): { names: string[]; driver: string | null } {
  return { names: [pf.address, ...pf.netdevs], driver: pf.driver ? moduleName(pf.driver) : null };
}
