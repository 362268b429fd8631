// modprobe.d as kmod 30 reads it for a PF's driver: `options DRIVER max_vfs=N` (or num_vfs), and an
// `install DRIVER COMMAND` that loads it with such a parameter or writes the PF's sriov_numvfs. The
// kernel command line's DRIVER.max_vfs=N is read by the same rules (moduleOption).
import { ONE_COUNT_DRIVERS, VF_DRIVERS } from '../service/readiness';
import type { VfIgnoredSource, VfPersistenceSource } from '../service/types';
import type { SysfsDevice } from './parseSysfs';
import { moduleName } from './pfIdentity';
import { joinContinued, shownLine, type NumberedLine } from './continuedLines';
import { mentionsPf, numVfsWrites, withCount } from './numVfsWrites';
import { baseName, byName, firstOfEachName } from './rankedDirs';

/** the VF count parameters (max_vfs, num_vfs) a module has; null when the host does not say */
export type VfParams = ((module: string) => ReadonlySet<string> | null) | undefined;

/** `zero`: an option that loads the driver with no VF (max_vfs=0); nothing to say unless a fix meets it */
export type OptionFound = {
  source?: VfPersistenceSource;
  refused?: VfPersistenceSource;
  ignored?: VfIgnoredSource;
  zero?: VfPersistenceSource;
};

/**
 * A module option's VF source; the line itself when the driver refuses its value (a list for one count),
 * or when the driver has no such parameter (the kernel loads it and ignores the option). `param` is the
 * name as the kernel matches it (max_vfs, num_vfs); `written`, its value.
 */
export function moduleOption(driver: string, param: string, written: string, source: VfPersistenceSource, vfParams: VfParams): OptionFound {
  const params = vfParams?.(driver) ?? null;
  if (params !== null && !params.has(param)) return { ignored: { ...source, reason: 'no-such-parameter', param } };
  // the kernel takes a parameter's value without the double quotes around it (max_vfs="7" is 7)
  const value = written.length >= 2 && written.startsWith('"') && written.endsWith('"') ? written.slice(1, -1) : written;
  if (param === 'max_vfs' && ONE_COUNT_DRIVERS.has(driver) && value.includes(',')) return { refused: source };
  if (/^0(,0)*$/.test(value)) return { zero: source };
  return { source: withCount(source, plainCount(value)) };
}

/** A module parameter's VF count name as the kernel matches it (parameq: '-' and '_' are one character); null for any other name. */
export function vfCountParam(name: string): 'max_vfs' | 'num_vfs' | null {
  const kernel = name.replace(/-/g, '_');
  return kernel === 'max_vfs' || kernel === 'num_vfs' ? kernel : null;
}

/** Names that read like a VF count parameter and that no driver has: what a slip of the hand writes for max_vfs. */
const VF_PARAM_LOOKALIKES: ReadonlySet<string> = new Set([
  'maxvfs',
  'maxvf',
  'numvfs',
  'numvf',
  'nrvfs',
  'numofvfs',
  'vfs',
  'vfcount',
  'vfnum',
  'totalvfs',
  'sriovnumvfs',
  'sriovtotalvfs',
]);

/** A VF count parameter of a module's words (`max_vfs=7 debug=1`): the first one the kernel knows by that name, else the first lookalike. */
function vfParamWord(words: string): { name: string; value: string; param: 'max_vfs' | 'num_vfs' | null } | null {
  let lookalike: { name: string; value: string; param: null } | null = null;
  for (const word of words.trim().split(/\s+/)) {
    const eq = word.indexOf('=');
    if (eq <= 0) continue;
    const name = word.slice(0, eq);
    const param = vfCountParam(name);
    if (param) return { name, value: word.slice(eq + 1), param };
    if (!lookalike && VF_PARAM_LOOKALIKES.has(name.toLowerCase().replace(/[-_]/g, '')))
      lookalike = { name, value: word.slice(eq + 1), param: null };
  }
  return lookalike;
}

/**
 * What the module parameters `words` given to module `module` (an options line, `module.param=N` on the
 * kernel command line) do for the PF's VFs: a source (or a refusal, a zero) for the PF's driver; an
 * ignored line for a parameter its driver lacks, which includes a misspelt one (`maxvfs`) when the host
 * lists the driver's parameters, and for a VF count given to the VFs' own driver (igbvf), which makes none.
 */
export function vfCountOption(
  pf: SysfsDevice,
  module: string,
  words: string,
  source: VfPersistenceSource,
  vfParams: VfParams,
): OptionFound & { param?: string } {
  if (!pf.driver) return {};
  const driver = moduleName(pf.driver);
  const target = moduleName(module);
  if (target !== driver && target !== VF_DRIVERS.get(driver)) return {};
  const word = vfParamWord(words);
  if (!word) return {};
  if (target !== driver) return { ignored: { ...source, reason: 'vf-driver-option', param: word.name } };
  if (word.param) return { ...moduleOption(driver, word.param, word.value, source, vfParams), param: word.param };
  const params = vfParams?.(driver) ?? null;
  // a name no driver has, but whether this one has any VF count parameter is the host's to say
  if (params === null) return {};
  const meant = params.has('max_vfs') ? 'max_vfs' : params.has('num_vfs') ? 'num_vfs' : undefined;
  return { ignored: { ...source, reason: 'no-such-parameter', param: word.name, ...(meant && { meant }) } };
}

/** A module parameter's value as one VF count; null for anything else (a list, a word). */
function plainCount(value: string): number | null {
  return /^\d{1,5}$/.test(value) ? parseInt(value, 10) : null;
}

/** A logical modprobe.d line's `options` for the PF's driver (or its VFs'): the VF count parameter it gives, and what that makes. */
function modprobeOption(pf: SysfsDevice, line: NumberedLine, vfParams: VfParams): OptionFound & { param?: string } {
  const m = /^\s*options\s+(\S+)\s+(.*)$/s.exec(line.text);
  if (!m) return {};
  return vfCountOption(pf, m[1], m[2], { mechanism: 'modprobe', file: line.file, detail: shownLine(line.text) }, vfParams);
}

/**
 * A logical modprobe.d line `install DRIVER COMMAND` for the PF's driver. modprobe (and udev's, which
 * loads drivers at boot through the same libkmod) runs COMMAND instead of loading DRIVER, so the VF
 * count is what COMMAND gives: a `modprobe --ignore-install DRIVER max_vfs=N` in it loads DRIVER with
 * the `options` lines' parameters first and its own after (kmod 30, `modprobe -n -v`: "insmod ice.ko
 * foo=1 max_vfs=8"), and the kernel keeps a parameter's last value, so N wins over an `options` line's;
 * a write to the PF's sriov_numvfs after the load sets the count itself. An install line for another
 * module runs only when that module loads, which nothing says a boot does: it is not read.
 */
function modprobeInstall(
  pf: SysfsDevice,
  line: NumberedLine,
  vfParams: VfParams,
): { option: OptionFound & { param?: string }; write?: { source: VfPersistenceSource; zero: boolean } } {
  const m = /^\s*install\s+(\S+)\s+(.*)$/s.exec(line.text);
  if (!m || !pf.driver || moduleName(m[1]) !== moduleName(pf.driver)) return { option: {} };
  const driver = moduleName(pf.driver);
  const source: VfPersistenceSource = { mechanism: 'modprobe', file: line.file, detail: shownLine(line.text) };
  let option: OptionFound & { param?: string } = {};
  // each simple command of the shell line, as words (split, never a regex that backtracks over a long line)
  for (const simple of m[2].split(/[;&|()\n]/)) {
    const words = simple.trim().split(/\s+/);
    const at = words.findIndex((w) => w === 'modprobe' || w.endsWith('/modprobe'));
    if (at < 0) continue;
    let i = at + 1;
    while (i < words.length && words[i].startsWith('-')) i++;
    if (i >= words.length || moduleName(words[i]) !== driver) continue;
    const param = words
      .slice(i + 1)
      .map((w) => /^((?:max|num)[-_]vfs)=(.*)$/s.exec(w))
      .find((p) => p !== null);
    const name = param && vfCountParam(param[1]);
    if (param && name) option = { ...moduleOption(driver, name, param[2], source, vfParams), param: name };
  }
  if (!m[2].includes('sriov_numvfs') || !mentionsPf(pf, m[2])) return { option };
  const writes = numVfsWrites(pf, m[2]);
  // as in a unit: the last write is the count kept; a write not read here (a script) is taken to set it
  return {
    option,
    write: { source: withCount(source, writes[writes.length - 1]), zero: writes.length > 0 && writes.every((n) => n === 0) },
  };
}

/** modprobe.d's directories as kmod ranks them (modprobe.d(5)): a file hides those of its name further down. */
const MODPROBE_DIRS = ['etc/modprobe.d/', 'run/modprobe.d/', 'usr/local/lib/modprobe.d/', 'usr/lib/modprobe.d/', 'lib/modprobe.d/'];

/**
 * The lines of the modprobe.d files kmod reads: of the files of one name, only the first directory's
 * (an /etc/modprobe.d/igb.conf that comments out the distribution's options line hides
 * /usr/lib/modprobe.d/igb.conf; on merged-/usr systems /lib and /usr/lib are one directory, read once),
 * and none of a masked name; in the order kmod reads them, by file name whatever the directory.
 */
function visibleModprobeLines(lines: readonly NumberedLine[], masked: readonly string[]): NumberedLine[] {
  const read = new Set(firstOfEachName([...lines.map((l) => l.file), ...masked], MODPROBE_DIRS, baseName).values());
  return lines.filter((l) => read.has(l.file)).sort((a, b) => byName(baseName(a.file), baseName(b.file)));
}

/**
 * modprobe.d lines that keep the PF's driver from loading at boot, where udev loads it through libkmod by
 * its alias: `blacklist DRIVER` (kmod skips a blacklisted module's aliases), and `install DRIVER COMMAND`
 * whose COMMAND loads nothing of that name (`/bin/false`, `/bin/true`: modprobe runs it instead).
 */
function driverBlockers(pf: SysfsDevice, logical: readonly NumberedLine[]): VfIgnoredSource[] {
  if (!pf.driver) return [];
  const driver = moduleName(pf.driver);
  const found: VfIgnoredSource[] = [];
  for (const line of logical) {
    const words = line.text.trim().split(/\s+/);
    if (words.length < 2 || moduleName(words[1]) !== driver) continue;
    const source = { mechanism: 'modprobe' as const, file: line.file, detail: shownLine(line.text) };
    if (words[0] === 'blacklist') found.push({ ...source, reason: 'driver-blacklisted' });
    else if (words[0] === 'install' && !installLoads(words.slice(2).join(' '), driver))
      found.push({ ...source, reason: 'driver-not-loaded' });
  }
  return found;
}

/** Whether an install line's command loads `driver`: a simple command that runs modprobe or insmod and names it. */
function installLoads(command: string, driver: string): boolean {
  return command.split(/[;&|()\n]/).some((simple) => {
    const words = simple.trim().split(/\s+/);
    const loader = words.some((w) => /(^|\/)(modprobe|insmod)$/.test(w));
    return loader && words.some((w) => moduleName(w.replace(/^.*\//, '').replace(/\.ko(\.\w+)?$/, '')) === driver);
  });
}

/** The PF driver's module options, sources and removals in modprobe.d's lines (`masked`: the files sent as MASKED). */
export function modprobeFindings(pf: SysfsDevice, lines: readonly NumberedLine[], masked: readonly string[], vfParams: VfParams) {
  // kmod joins before it looks for '#': an indented '#' line is refused as a bad line, which also applies nothing
  const logical = joinContinued(visibleModprobeLines(lines, masked), 'kmod').filter((l) => !/^\s*#/.test(l.text));
  const installs = logical.map((l) => modprobeInstall(pf, l, vfParams));
  const installParams = new Set(installs.flatMap((i) => (i.option.param !== undefined ? [i.option.param] : [])));
  const options: OptionFound[] = installs.map((i) => i.option);
  const lineOptions = logical.map((line) => modprobeOption(pf, line, vfParams));
  // kmod passes the module every options line it read, in order, and the kernel keeps a parameter's last
  // value: an earlier line's count is overridden (its max_vfs=7 makes nothing when a later line says 2)
  const last = new Map<string, number>();
  lineOptions.forEach((o, i) => o.param !== undefined && last.set(o.param, i));
  lineOptions.forEach((option, i) => {
    // the install line's value comes after them all; a value the kernel refuses still stops the load
    const overridden = option.param !== undefined && (installParams.has(option.param) || last.get(option.param) !== i);
    options.push(overridden ? { ...option, source: undefined, zero: undefined } : option);
  });
  return { options, writes: installs.flatMap((i) => (i.write ? [i.write] : [])), blockers: driverBlockers(pf, logical) };
}
