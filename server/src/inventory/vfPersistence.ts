// Which boot-time setting recreates a PF's VFs. VFs made by a runtime write to sriov_numvfs
// vanish at the next host reboot, and every guest using one then fails to start. Recognised
// (the ways distributions and the RHEL guide make them persistent):
//  - modprobe.d `options DRIVER max_vfs=N` (or num_vfs), and DRIVER.max_vfs=N on the kernel command line;
//  - a modprobe.d `install DRIVER` command that loads it with max_vfs=N or writes the PF's sriov_numvfs;
//  - a udev rule writing sriov_numvfs, for this PF (address, netdev, driver or vendor/device ids);
//  - an enabled systemd unit whose command writes this PF's sriov_numvfs;
//  - a NetworkManager keyfile with [sriov] total-vfs for the PF's interface name or MAC;
//  - a netplan ethernets entry for the PF with virtual-function-count, or VFs that `link:` to it;
//  - an ifupdown stanza (/etc/network/interfaces) whose up command writes the PF's sriov_numvfs;
//  - the systemd-networkd .link file udev applies to the PF's interface, with SR-IOVVirtualFunctions= (networkdLinks.ts).
// Scripts called from units or rules are not followed (only what the files themselves say).
// A rule or unit that writes 0 to sriov_numvfs removes the VFs (the kernel disables SR-IOV for 0): it
// is no source, and is reported apart, unless the same file also writes a count (the kernel refuses a
// new count while VFs exist, "Disable before enabling", so a reset to 0 often comes first). So is a
// NetworkManager profile with total-vfs=0: NetworkManager enforces the count when the profile activates,
// "also when it is zero" (nm-settings), and so is a [sriov] section without total-vfs, whose default is 0.
// A profile with autoconnect=false is not activated at boot: its count neither makes nor removes VFs
// then, and one that sets a count is reported apart (it reads like persistence and is none). So is an
// ifupdown stanza that no auto or allow-hotplug line brings up.
// A max_vfs list for a driver that takes one count (igb, ixgbe) is no source either: the kernel
// refuses it and the module does not load; it is reported apart.
import { ONE_COUNT_DRIVERS } from '../service/readiness';
import type { VfIgnoredSource, VfPersistenceSource } from '../service/types';
import { decodePath, type SysfsDevice } from './parseSysfs';
import { identities, moduleName } from './pfIdentity';
import { udevBeforeDriver, udevMatches, udevNumVfs } from './udevRules';
import { keyfileRefused, netplanEntries, netplanIsPf, nmIgnores, type NmProfile } from './networkProfiles';
import { joinContinued, numberedLine, shownLine, type NumberedLine } from './continuedLines';
import { ifupdownCommands, isIfupdownFile } from './ifupdown';
import { isNetworkdLinkFile, networkdLinkFindings, type LinkLine } from './networkdLinks';

export interface PersistenceInput {
  /**
   * lines "relative/path:content" of modprobe.d, udev, systemd, NetworkManager, netplan, ifupdown and .link files
   * (see splitGrepLine); modprobe.d's, ifupdown's and .link files' content is "N:LINE", N its line number
   */
  persistLines: string[];
  cmdlineWords: string[];
  /** unit file names enabled through a *.wants directory */
  enabledUnits: ReadonlySet<string>;
  /** the VF count parameters (max_vfs, num_vfs) a module has; null when the host does not say (absent: never says) */
  vfParams?: (module: string) => ReadonlySet<string> | null;
  /** NetworkManager keyfiles (relative paths) with their permission bits ("644") and owner uid */
  keyfileModes?: ReadonlyMap<string, { mode: string; owner: number }>;
}

/**
 * A persist line: `grep -H`'s FILE:LINE for a file whose name enc() keeps plain (no ':', blank or line
 * feed: the name ends at the first ':'), else "DIR NAME:LINE" with NAME as enc() writes it (the script's
 * greph). The directories (our globs', relative to the host root) hold neither ':' nor a blank.
 */
const ENCODED_LINE = /^([^\s:]+) (x(?:[0-9a-f]{2})+|\?):(.*)$/s;

function splitGrepLine(line: string): { file: string; content: string } | null {
  const m = ENCODED_LINE.exec(line);
  if (m) return { file: decodePath(m[1], m[2]), content: m[3] };
  const i = line.indexOf(':');
  return i > 0 ? { file: line.slice(0, i), content: line.slice(i + 1) } : null;
}

type OptionFound = { source?: VfPersistenceSource; refused?: VfPersistenceSource; ignored?: VfIgnoredSource };

/**
 * A module option's VF source; the line itself when the driver refuses its value (a list for one count),
 * or when the driver has no such parameter (the kernel loads it and ignores the option).
 */
function moduleOption(
  driver: string,
  param: string,
  written: string,
  source: VfPersistenceSource,
  vfParams: PersistenceInput['vfParams'],
): OptionFound {
  const params = vfParams?.(driver) ?? null;
  if (params !== null && !params.has(param)) return { ignored: { ...source, reason: 'no-such-parameter' } };
  // the kernel takes a parameter's value without the double quotes around it (max_vfs="7" is 7)
  const value = written.length >= 2 && written.startsWith('"') && written.endsWith('"') ? written.slice(1, -1) : written;
  if (param === 'max_vfs' && ONE_COUNT_DRIVERS.has(driver) && value.includes(',')) return { refused: source };
  if (/^0(,0)*$/.test(value)) return {};
  return { source: withCount(source, plainCount(value)) };
}

/** A logical modprobe.d line's `options` for the PF's driver: the VF count parameter it gives, and what that makes. */
function modprobeOption(pf: SysfsDevice, line: NumberedLine, vfParams: PersistenceInput['vfParams']): OptionFound & { param?: string } {
  const m = /^\s*options\s+(\S+)\s+(.*)$/s.exec(line.text);
  if (!m || !pf.driver || moduleName(m[1]) !== moduleName(pf.driver)) return {};
  const param = /(?:^|\s)(max_vfs|num_vfs)=(\S+)/.exec(m[2]);
  if (!param) return {};
  const source: VfPersistenceSource = { mechanism: 'modprobe', file: line.file, detail: shownLine(line.text) };
  return { ...moduleOption(moduleName(pf.driver), param[1], param[2], source, vfParams), param: param[1] };
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
  vfParams: PersistenceInput['vfParams'],
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
      .map((w) => /^(max_vfs|num_vfs)=(.*)$/s.exec(w))
      .find((p) => p !== null);
    if (param) option = { ...moduleOption(driver, param[1], param[2], source, vfParams), param: param[1] };
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
 * /usr/lib/modprobe.d/igb.conf; on merged-/usr systems /lib and /usr/lib are one directory, read once).
 * An empty file hides too, but sends no line: it is not seen here.
 */
function visibleModprobeLines(lines: readonly NumberedLine[]): NumberedLine[] {
  const rank = (file: string): number => {
    const i = MODPROBE_DIRS.findIndex((d) => file.startsWith(d));
    return i < 0 ? MODPROBE_DIRS.length : i;
  };
  const best = new Map<string, number>();
  for (const l of lines) {
    const name = l.file.slice(l.file.lastIndexOf('/') + 1);
    best.set(name, Math.min(best.get(name) ?? Infinity, rank(l.file)));
  }
  return lines.filter((l) => rank(l.file) === best.get(l.file.slice(l.file.lastIndexOf('/') + 1)));
}

/** The PF driver's module options, sources and removals in modprobe.d's logical lines. */
function modprobeFindings(pf: SysfsDevice, lines: readonly NumberedLine[], vfParams: PersistenceInput['vfParams']) {
  // kmod joins before it looks for '#': an indented '#' line is refused as a bad line, which also applies nothing
  const logical = joinContinued(visibleModprobeLines(lines), 'kmod').filter((l) => !/^\s*#/.test(l.text));
  const installs = logical.map((l) => modprobeInstall(pf, l, vfParams));
  const installParams = new Set(installs.flatMap((i) => (i.option.param !== undefined ? [i.option.param] : [])));
  const options: OptionFound[] = installs.map((i) => i.option);
  for (const line of logical) {
    const option = modprobeOption(pf, line, vfParams);
    // the install line's value comes last and wins; a value the kernel refuses still stops the load
    options.push(option.param !== undefined && installParams.has(option.param) ? { ...option, source: undefined } : option);
  }
  return { options, writes: installs.flatMap((i) => (i.write ? [i.write] : [])) };
}

/** A module parameter's value as one VF count; null for anything else (a list, a word). */
function plainCount(value: string): number | null {
  return /^\d{1,5}$/.test(value) ? parseInt(value, 10) : null;
}

function withCount(source: VfPersistenceSource, count: number | null | undefined): VfPersistenceSource {
  return count === null || count === undefined ? source : { ...source, count };
}

/** A unit's command names the PF's sysfs directory: …/0000:0b:00.0/sriov_numvfs or …/net/enp11s0f0/device/sriov_numvfs. */
function mentionsPf(pf: SysfsDevice, content: string): boolean {
  return identities(pf).names.some((n) => content.includes(`/${n}/`));
}

/** The counts a command writes to this PF's sriov_numvfs: `echo N > …/sriov_numvfs` (or >>), `echo N | tee …/sriov_numvfs`. */
function numVfsWrites(pf: SysfsDevice, content: string): number[] {
  const { names } = identities(pf);
  const writes: number[] = [];
  for (const m of content.matchAll(
    /\becho\s+(?:-n\s+)?["']?(\d+)["']?\s*(?:>>?|\|\s*tee\s+(?:-a\s+)?)\s*["']?([^\s"';&|]{0,512}sriov_numvfs)/g,
  )) {
    if (names.some((n) => m[2].includes(`/${n}/`))) writes.push(parseInt(m[1], 10));
  }
  return writes;
}

/**
 * A unit file's line as each enabled unit runs it: the line itself for an enabled unit; for a template
 * (`sriov@.service`) once per enabled instance (`sriov@enp11s0f0.service`), `%i` and `%I` the instance.
 */
function enabledUnitLines(unit: string, line: string, enabled: ReadonlySet<string>): string[] {
  const at = unit.indexOf('@.');
  if (at < 0) return enabled.has(unit) ? [line] : [];
  const prefix = unit.slice(0, at + 1);
  const suffix = unit.slice(at + 1);
  const lines: string[] = [];
  for (const name of enabled) {
    if (name.length > unit.length && name.startsWith(prefix) && name.endsWith(suffix))
      lines.push(line.replace(/%[iI]/g, name.slice(prefix.length, name.length - suffix.length)));
  }
  return lines;
}

/** systemd runs these when the unit stops (shutdown): they create no VF at boot, and a 0 there removes none the boot made. */
const STOP_COMMAND = /^\s*(ExecStop|ExecStopPost)\s*=/;

export interface VfPersistenceFound {
  /** what recreates the PF's VFs at boot */
  sources: VfPersistenceSource[];
  /** udev rules, enabled units and NetworkManager profiles that set its sriov_numvfs to 0 at boot (removing the VFs), in a file that sets no count */
  removals: VfPersistenceSource[];
  /** module options and kernel command line words that its driver refuses (a max_vfs list for igb/ixgbe) */
  refused: VfPersistenceSource[];
  /** lines that read like a source and create no VF: an option the driver lacks, a keyfile NetworkManager refuses, a udev rule before the driver */
  ignored: VfIgnoredSource[];
  /** NetworkManager profiles (autoconnect=false) and ifupdown stanzas (no auto line) for the PF that set a VF count but a boot does not bring up */
  notAtBoot: VfPersistenceSource[];
}

/** Every boot-time source of `pf`'s VFs found in the host's files and kernel command line, and what removes them. */
export function findVfPersistence(pf: SysfsDevice, input: PersistenceInput): VfPersistenceFound {
  const sources: VfPersistenceSource[] = [];
  const zeroWrites: VfPersistenceSource[] = [];
  const refused: VfPersistenceSource[] = [];
  const ignored: VfIgnoredSource[] = [];
  const notAtBoot: VfPersistenceSource[] = [];
  const addOption = (option: OptionFound) => {
    add(option.source ?? null);
    if (option.refused) refused.push(option.refused);
    if (option.ignored) ignored.push(option.ignored);
  };
  const seen = new Set<string>();
  const add = (s: VfPersistenceSource | null) => {
    if (!s) return;
    const key = `${s.mechanism} ${s.detail}`;
    if (!seen.has(key)) {
      seen.add(key);
      sources.push(s);
    }
  };
  const driver = pf.driver ? moduleName(pf.driver) : null;
  for (const word of input.cmdlineWords) {
    const m = /^([^.=\s]+)\.(max_vfs|num_vfs)=(\S+)$/.exec(word);
    if (m && driver !== null && moduleName(m[1]) === driver)
      addOption(moduleOption(driver, m[2], m[3], { mechanism: 'kernel-cmdline', file: 'proc/cmdline', detail: word }, input.vfParams));
  }
  const nm = new Map<string, NmProfile>();
  const netplan = new Map<string, string[]>();
  // lines that may continue into the next: read once every line is in
  const modprobe: NumberedLine[] = [];
  const ifupdown: NumberedLine[] = [];
  for (const line of input.persistLines) {
    const parsed = splitGrepLine(line);
    if (!parsed) continue;
    const file = parsed.file;
    if (isIfupdownFile(file) || /modprobe\.d\//.test(file)) {
      const content = parsed.content;
      const numbered = numberedLine(file, content);
      if (numbered) (isIfupdownFile(file) ? ifupdown : modprobe).push(numbered);
      continue;
    }
    const content = parsed.content.replace(/\r$/, '');
    if (/^\s*#/.test(content)) continue;
    if (/udev\/rules\.d\//.test(file)) {
      // a rule that only tests sriov_numvfs sets nothing; one that tests it before setting it (a guard
      // against a second event) sets it, as one that writes it from a RUN+= command does
      const setsIt = !/sriov_numvfs}\s*==/.test(content) || udevNumVfs(content) !== null;
      if (setsIt && udevMatches(pf, content)) {
        const source = withCount({ mechanism: 'udev', file, detail: content.trim() }, udevNumVfs(content));
        if (source.count === 0) zeroWrites.push(source);
        else if (udevBeforeDriver(content)) ignored.push({ ...source, reason: 'before-driver' });
        else add(source);
      }
    } else if (/systemd\/system\//.test(file)) {
      for (const line of enabledUnitLines(file.split('/').pop() ?? '', content, input.enabledUnits)) {
        if (!mentionsPf(pf, line) || STOP_COMMAND.test(line)) continue;
        const writes = numVfsWrites(pf, line);
        // the last write is the count the PF keeps (a 0 first resets it: the kernel refuses a new count over VFs)
        const source = withCount({ mechanism: 'systemd', file, detail: line.trim() }, writes[writes.length - 1]);
        // a command whose every write is 0 creates nothing; one whose writes are not read here (a script,
        // printf) names the PF's sriov_numvfs, and is taken to set it
        if (writes.length === 0 || writes.some((n) => n > 0)) add(source);
        else zeroWrites.push(source);
      }
    } else if (/sysconfig\/network-scripts\/ifcfg-/.test(file)) {
      if (nmIgnores(file)) continue;
      // ifcfg-rh's spelling of the same profile: DEVICE, HWADDR, SRIOV_TOTAL_VFS, ONBOOT (shell-style, quotes optional)
      const kv = /^\s*([A-Z_]+)=(["']?)(.*?)\2\s*$/.exec(content);
      if (!kv) continue;
      const profile = nm.get(file) ?? { ifcfg: true };
      const [, key, , value] = kv;
      if (key === 'DEVICE') profile.interfaceName = value;
      else if (key === 'HWADDR') profile.mac = value.toLowerCase();
      else if (key === 'ONBOOT') profile.manualOnly = /^(no|false|0)$/i.test(value);
      else if (key === 'SRIOV_TOTAL_VFS' && /^\d+$/.test(value)) {
        profile.sriov = true;
        profile.totalVfs = parseInt(value, 10);
        profile.detail = `SRIOV_TOTAL_VFS=${value}`;
      }
      nm.set(file, profile);
    } else if (/NetworkManager\/system-connections\//.test(file)) {
      if (nmIgnores(file)) continue;
      const profile = nm.get(file) ?? {};
      const kv = /^\s*([\w-]+)\s*=\s*(.*?)\s*$/.exec(content);
      if (/^\s*\[sriov\]\s*$/.test(content)) profile.sriov = true;
      else if (kv?.[1] === 'interface-name') profile.interfaceName = kv[2];
      else if (kv?.[1] === 'mac-address') profile.mac = kv[2].toLowerCase();
      // NetworkManager reads a keyfile's booleans in any case, as true/false, yes/no, on/off or 1/0 (nm_key_file_get_boolean)
      else if (kv?.[1] === 'autoconnect') profile.manualOnly = /^(false|no|off|0)$/i.test(kv[2]);
      else if (kv?.[1] === 'total-vfs' && /^\d+$/.test(kv[2])) {
        profile.totalVfs = parseInt(kv[2], 10);
        profile.detail = `total-vfs=${kv[2]}`;
      }
      nm.set(file, profile);
    } else if (/netplan\//.test(file)) {
      const list = netplan.get(file) ?? [];
      list.push(content);
      netplan.set(file, list);
    }
  }
  const fromModprobe = modprobeFindings(pf, modprobe, input.vfParams);
  // an install line's write comes after its load: its count is the one kept (add keeps a line's first)
  for (const w of fromModprobe.writes)
    if (w.zero) zeroWrites.push(w.source);
    else add(w.source);
  fromModprobe.options.forEach(addOption);
  for (const c of ifupdownCommands(ifupdown, pf)) {
    if (!c.command.includes('sriov_numvfs') || !mentionsPf(pf, c.command)) continue;
    const writes = numVfsWrites(pf, c.command);
    const source = withCount({ mechanism: 'ifupdown', file: c.file, detail: c.detail }, writes[writes.length - 1]);
    const zero = writes.length > 0 && writes.every((n) => n === 0);
    // a stanza no boot brings up neither makes nor removes VFs then; one that sets a count reads like persistence
    if (!c.atBoot) {
      if (!zero) notAtBoot.push(source);
    } else if (zero) zeroWrites.push(source);
    else add(source);
  }
  for (const [file, p] of nm) {
    // a total-vfs line outside [sriov] is read as its own: the grep keeps no other section header to tell
    if (p.totalVfs === undefined && p.sriov !== true) continue;
    const totalVfs = p.totalVfs ?? 0;
    const forPf = (p.interfaceName !== undefined && pf.netdevs.includes(p.interfaceName)) || (p.mac !== undefined && p.mac === pf.mac);
    if (!forPf) continue;
    const source = withCount(
      {
        mechanism: 'networkmanager',
        file,
        detail: p.ifcfg
          ? `${p.detail}${p.interfaceName ? ` (DEVICE=${p.interfaceName})` : ''}${p.manualOnly ? ' (ONBOOT=no)' : ''}`
          : `[sriov] ${p.detail ?? 'without total-vfs (its default: 0)'}` +
            (p.interfaceName ? ` (interface-name=${p.interfaceName})` : '') +
            (p.manualOnly ? ' (autoconnect=false)' : ''),
      },
      totalVfs,
    );
    const stat = p.ifcfg ? undefined : input.keyfileModes?.get(file);
    if (stat !== undefined && keyfileRefused(stat.mode, stat.owner)) {
      if (totalVfs > 0) ignored.push({ ...source, reason: 'insecure-keyfile', mode: stat.mode, owner: stat.owner });
    } else if (p.manualOnly) {
      if (totalVfs > 0) notAtBoot.push(source);
    } else if (totalVfs === 0) zeroWrites.push(source);
    else add(source);
  }
  for (const [file, contents] of netplan) {
    const entries = netplanEntries(contents);
    for (const entry of entries) {
      if (!netplanIsPf(entry, pf)) continue;
      const vfs = entries.filter((e) => e.link === entry.key);
      if (entry.vfCount) add(withCount({ mechanism: 'netplan', file, detail: entry.detail! }, Math.max(entry.vfCount, vfs.length)));
      // without virtual-function-count netplan creates as many VFs as entries link to the PF
      else if (vfs.length > 0)
        add(
          withCount(
            { mechanism: 'netplan', file, detail: `${vfs.length} VF entr${vfs.length === 1 ? 'y' : 'ies'} with link: ${entry.key}` },
            vfs.length,
          ),
        );
    }
  }
  const linkLines = input.persistLines.map(splitGrepLine).filter((p): p is LinkLine => p !== null && isNetworkdLinkFile(p.file));
  const fromNetworkd = networkdLinkFindings(pf, linkLines);
  fromNetworkd.sources.forEach(add);
  zeroWrites.push(...fromNetworkd.removals);
  ignored.push(...fromNetworkd.ignored);
  const removals = zeroWrites.filter((z) => !sources.some((s) => s.file === z.file));
  return { sources, removals, refused, notAtBoot, ignored };
}
