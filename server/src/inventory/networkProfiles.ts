// NetworkManager profiles (keyfiles and ifcfg-rh files) and netplan entries that set a PF's VF count.
import { baseName } from './rankedDirs';
import type { SysfsDevice } from './parseSysfs';
import { globMatches, identities } from './pfIdentity';

export interface NmProfile {
  /** an ifcfg-rh file (/etc/sysconfig/network-scripts/ifcfg-*, where RHEL 8 NetworkManager keeps profiles), not a keyfile */
  ifcfg?: boolean;
  interfaceName?: string;
  mac?: string;
  /** the profile has a [sriov] section: NetworkManager sets the PF's VF count when it activates */
  sriov?: boolean;
  /** autoconnect=false: NetworkManager does not activate the profile at boot (it activates only when asked) */
  manualOnly?: boolean;
  totalVfs?: number;
  detail?: string;
}

export interface NetplanEntry {
  key: string;
  name?: string;
  mac?: string;
  /** match: driver (a glob, or a list of globs any of which may match) */
  drivers?: string[];
  setName?: string;
  vfCount?: number;
  link?: string;
  detail?: string;
}

/** The `ethernets:` entries of one netplan file (indentation-based; enough for the keys read here). */
export function netplanEntries(contents: string[]): NetplanEntry[] {
  const entries: NetplanEntry[] = [];
  let ethernetsIndent = -1;
  let entryIndent = -1;
  let current: NetplanEntry | null = null;
  let matchIndent = -1;
  // `driver:` with its globs on the lines after it, as a block list ("- igb")
  let driverList = -1;
  for (const raw of contents) {
    const line = raw.replace(/#.*$/, '');
    if (line.trim() === '') continue;
    const indent = line.length - line.trimStart().length;
    const item = /^\s*-\s*(.*?)\s*$/.exec(line);
    if (item && current && driverList >= 0 && indent > driverList) {
      (current.drivers ??= []).push(item[1].replace(/^["']|["']$/g, ''));
      continue;
    }
    driverList = -1;
    const kv = /^\s*([^:\s][^:]*?)\s*:\s*(.*?)\s*$/.exec(line);
    if (!kv) continue;
    const key = kv[1].replace(/^["']|["']$/g, '');
    const value = kv[2].replace(/^["']|["']$/g, '');
    if (key === 'ethernets' && value === '') {
      ethernetsIndent = indent;
      entryIndent = -1;
      current = null;
      continue;
    }
    if (ethernetsIndent < 0) continue;
    if (indent <= ethernetsIndent) {
      ethernetsIndent = -1;
      current = null;
      continue;
    }
    if (entryIndent < 0) entryIndent = indent;
    if (indent === entryIndent) {
      current = { key };
      entries.push(current);
      matchIndent = -1;
      continue;
    }
    if (!current) continue;
    if (key === 'match' && value === '') {
      matchIndent = indent;
      continue;
    }
    if (matchIndent >= 0 && indent > matchIndent) {
      if (key === 'name') current.name = value;
      else if (key === 'macaddress') current.mac = value.toLowerCase();
      else if (key === 'driver' && value === '') {
        current.drivers = [];
        driverList = indent;
      } else if (key === 'driver')
        current.drivers = /^\[.*\]$/.test(value)
          ? value
              .slice(1, -1)
              .split(',')
              .map((d) => d.trim().replace(/^["']|["']$/g, ''))
              .filter((d) => d !== '')
          : [value];
      continue;
    }
    matchIndent = -1;
    if (key === 'set-name') current.setName = value;
    else if (key === 'link') current.link = value;
    else if (key === 'virtual-function-count' && /^\d+$/.test(value)) {
      current.vfCount = parseInt(value, 10);
      current.detail = `${current.key}: virtual-function-count: ${value}`;
    }
  }
  return entries;
}

/**
 * A profile file NetworkManager does not load (keyfiles in system-connections, ifcfg-rh files alike): a hidden
 * file, an editor's or a package manager's leftover (`~`, .bak, .orig, .rej, .swp, .tmp, .rpmnew, .rpmsave,
 * .dpkg-*, .pacnew, …), and in /run anything that is not a .nmconnection (nm_keyfile_utils_ignore_filename).
 */
export function nmIgnores(file: string): boolean {
  const name = baseName(file);
  if (file.startsWith('run/')) return !name.endsWith('.nmconnection') || name.startsWith('.');
  return (
    name.startsWith('.') ||
    name.endsWith('~') ||
    /\.(bak|orig|rej|swpx?|tmp|rpmnew|rpmsave|rpmorig|pacnew|pacsave|dpkg-[a-z]+)$/i.test(name)
  );
}

export function netplanIsPf(entry: NetplanEntry, pf: SysfsDevice): boolean {
  const { names } = identities(pf);
  // without `match:` the entry's ID is the interface's name
  if (entry.mac === undefined && entry.name === undefined && entry.drivers === undefined) return names.includes(entry.setName ?? entry.key);
  // with it, every property it gives must hold (netplan: "all specified properties must match")
  if (entry.mac !== undefined && !(pf.mac !== null && entry.mac === pf.mac)) return false;
  if (entry.name !== undefined && !names.some((n) => globMatches(entry.name!, n))) return false;
  const driver = pf.driver;
  if (entry.drivers !== undefined && !(driver && entry.drivers.some((d) => globMatches(d, driver)))) return false;
  return true;
}

/**
 * NetworkManager refuses a keyfile that root does not own or that group or others may access ("File
 * permissions (644) are insecure", nms_keyfile_utils_check_file_permissions): its profile never loads.
 * `mode` is the permission bits in octal ("600").
 */
export function keyfileRefused(mode: string, owner: number): boolean {
  return owner !== 0 || !/^[0-7]*[0-7]00$/.test(mode);
}
