// Which boot-time setting recreates a PF's VFs. VFs made by a runtime write to sriov_numvfs
// vanish at the next host reboot, and every guest using one then fails to start. Recognised
// (the ways distributions and the RHEL guide make them persistent):
//  - modprobe.d `options DRIVER max_vfs=N` (or num_vfs), and DRIVER.max_vfs=N on the kernel command line;
//  - a modprobe.d `install DRIVER` command that loads it with max_vfs=N or writes the PF's sriov_numvfs;
//  - a udev rule writing sriov_numvfs, for this PF (address, netdev, driver or vendor/device ids);
//  - an enabled systemd unit whose command writes this PF's sriov_numvfs, or an executable /etc/rc.local that does;
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
import type { VfIgnoredSource, VfPersistenceSource } from '../service/types';
import { VF_PERSISTENCE_MECHANISMS } from '../../../shared/snapshot';
import { decodePath, type SysfsDevice } from './parseSysfs';
import { udevBeforeDriver, udevMatches, udevNumVfs, udevSetsNumVfs } from './udevRules';
import { keyfileRefused, netplanEntries, netplanIsPf, nmIgnores, type NmProfile } from './networkProfiles';
import { numberedLine, shownLine, type NumberedLine } from './continuedLines';
import { ifupdownCommands, isIfupdownFile } from './ifupdown';
import { modprobeFindings, vfCountOption, type OptionFound, type VfParams } from './modprobeConf';
import { mentionsPf, numVfsWrites, withCount } from './numVfsWrites';
import { baseName, MASKED } from './rankedDirs';
import { isNetworkdLinkFile, loadLinkFiles, networkdLinkFindings, type LinkLine } from './networkdLinks';
import type { LinkFile } from './networkdLinkFile';

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
  vfParams?: VfParams;
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

/** The .link files of a host's persist lines, read once for all its PFs. */
const linkFilesRead = new WeakMap<readonly string[], LinkFile[]>();

function linkFilesOf(persistLines: readonly string[]): LinkFile[] {
  let links = linkFilesRead.get(persistLines);
  if (links === undefined) {
    const sent = persistLines.map(splitGrepLine).filter((p): p is LinkLine => p !== null && isNetworkdLinkFile(p.file));
    linkFilesRead.set(persistLines, (links = loadLinkFiles(sent)));
  }
  return links;
}

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
  /** the kernel command line words and the last modprobe.d options line that load its driver with max_vfs=0 */
  zeroOptions: VfPersistenceSource[];
}

/** The masked modprobe.d files of a host's persist lines, found once for all its PFs and its readiness. */
const maskedRead = new WeakMap<readonly string[], string[]>();

/** The modprobe.d files among the host's persist lines that mask their name (sent as MASKED), relative to /. */
export function maskedModprobeFiles(persistLines: readonly string[]): string[] {
  let masked = maskedRead.get(persistLines);
  if (masked === undefined) {
    masked = persistLines.flatMap((line) => {
      const parsed = splitGrepLine(line);
      return parsed !== null && parsed.content === MASKED && /modprobe\.d\//.test(parsed.file) ? [parsed.file] : [];
    });
    maskedRead.set(persistLines, masked);
  }
  return masked;
}

/** The unit names (`sriov.service`) masked in /etc/systemd/system or /run/systemd/system: systemd starts none of them. */
function maskedUnits(persistLines: readonly string[]): ReadonlySet<string> {
  let masked = maskedUnitsRead.get(persistLines);
  if (masked === undefined) {
    masked = new Set(
      persistLines.flatMap((line) => {
        const parsed = splitGrepLine(line);
        return parsed !== null && parsed.content === MASKED && /^(etc|run)\/systemd\/system\/[^/]+$/.test(parsed.file)
          ? [baseName(parsed.file)]
          : [];
      }),
    );
    maskedUnitsRead.set(persistLines, masked);
  }
  return masked;
}
const maskedUnitsRead = new WeakMap<readonly string[], ReadonlySet<string>>();

/**
 * An Exec line that redirects (`>`) or pipes (`|`) with a program other than a shell: systemd splits the
 * line into words itself and runs the program with `>` and the path as arguments (`echo` prints them), so
 * sriov_numvfs is never written.
 */
function redirectsWithoutShell(line: string): boolean {
  const exec = /^\s*Exec(?:Start|StartPre|StartPost)\s*=\s*[-@:+!]*\s*(\S+)(.*)$/.exec(line);
  if (!exec) return false;
  const program = exec[1].slice(exec[1].lastIndexOf('/') + 1);
  if (SHELLS.has(program) || program === 'env') return false;
  return /[>|]/.test(exec[2]);
}
const SHELLS: ReadonlySet<string> = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh', 'busybox']);

/** Every boot-time source of `pf`'s VFs found in the host's files and kernel command line, and what removes them. */
export function findVfPersistence(pf: SysfsDevice, input: PersistenceInput): VfPersistenceFound {
  const sources: VfPersistenceSource[] = [];
  const zeroWrites: VfPersistenceSource[] = [];
  const refused: VfPersistenceSource[] = [];
  const ignored: VfIgnoredSource[] = [];
  const notAtBoot: VfPersistenceSource[] = [];
  const zeroOptions: VfPersistenceSource[] = [];
  const addOption = (option: OptionFound) => {
    add(option.source ?? null);
    if (option.refused) refused.push(option.refused);
    if (option.ignored) ignored.push(option.ignored);
    if (option.zero) zeroOptions.push(option.zero);
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
  for (const word of input.cmdlineWords) {
    const m = /^([^.=\s]+)\.([^=\s]+=\S*)$/.exec(word);
    if (m) addOption(vfCountOption(pf, m[1], m[2], { mechanism: 'kernel-cmdline', file: 'proc/cmdline', detail: word }, input.vfParams));
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
    const unread = unreadConfigFile(file);
    if (unread) {
      const numbered = unread !== 'off' && numberedLine(file, parsed.content);
      const wouldBe = numbered && unreadSource(pf, unread, numbered, input.vfParams);
      if (wouldBe) ignored.push({ ...wouldBe, reason: 'file-not-read' });
      continue;
    }
    if (isIfupdownFile(file) || /modprobe\.d\//.test(file)) {
      const content = parsed.content;
      const numbered = numberedLine(file, content);
      if (numbered) (isIfupdownFile(file) ? ifupdown : modprobe).push(numbered);
      continue;
    }
    const content = parsed.content.replace(/\r$/, '');
    if (/^\s*#/.test(content)) continue;
    if (/udev\/rules\.d\//.test(file)) {
      if (udevSetsNumVfs(content) && udevMatches(pf, content)) {
        const source = withCount({ mechanism: 'udev', file, detail: content.trim() }, udevNumVfs(content));
        if (source.count === 0) zeroWrites.push(source);
        else if (udevBeforeDriver(content)) ignored.push({ ...source, reason: 'before-driver' });
        else add(source);
      }
    } else if (/systemd\/system\//.test(file)) {
      for (const line of enabledUnitLines(baseName(file), content, input.enabledUnits)) {
        if (!mentionsPf(pf, line) || STOP_COMMAND.test(line)) continue;
        const writes = numVfsWrites(pf, line);
        // the last write is the count the PF keeps (a 0 first resets it: the kernel refuses a new count over VFs)
        const source = withCount({ mechanism: 'systemd', file, detail: line.trim() }, writes[writes.length - 1]);
        if (maskedUnits(input.persistLines).has(baseName(file))) {
          ignored.push({ ...source, reason: 'masked-unit' });
          continue;
        }
        if (redirectsWithoutShell(line)) {
          ignored.push({ ...source, reason: 'no-shell' });
          continue;
        }
        // a command whose every write is 0 creates nothing; one whose writes are not read here (a script,
        // printf) names the PF's sriov_numvfs, and is taken to set it
        if (writes.length === 0 || writes.some((n) => n > 0)) add(source);
        else zeroWrites.push(source);
      }
    } else if (file === 'etc/rc.local') {
      if (!mentionsPf(pf, content)) continue;
      const writes = numVfsWrites(pf, content);
      const source = withCount({ mechanism: 'rc-local', file, detail: content.trim() }, writes[writes.length - 1]);
      if (writes.length === 0 || writes.some((n) => n > 0)) add(source);
      else zeroWrites.push(source);
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
  const fromModprobe = modprobeFindings(pf, modprobe, maskedModprobeFiles(input.persistLines), input.vfParams);
  // an install line's write comes after its load: its count is the one kept (add keeps a line's first)
  for (const w of fromModprobe.writes)
    if (w.zero) zeroWrites.push(w.source);
    else add(w.source);
  fromModprobe.options.forEach(addOption);
  for (const b of fromModprobe.blockers) ignored.push(b);
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
  const fromNetworkd = networkdLinkFindings(pf, linkFilesOf(input.persistLines));
  fromNetworkd.sources.forEach(add);
  zeroWrites.push(...fromNetworkd.removals);
  ignored.push(...fromNetworkd.ignored);
  const removals = zeroWrites.filter((z) => !sources.some((s) => s.file === z.file));
  const overTotal = (s: VfPersistenceSource): boolean =>
    WRITES_SRIOV_NUMVFS.has(s.mechanism) && s.count !== undefined && pf.totalVfs !== undefined && s.count > pf.totalVfs;
  for (const s of sources) if (overTotal(s)) ignored.push({ ...s, reason: 'over-total-vfs' });
  return { sources: sources.filter((s) => !overTotal(s)), removals, refused, notAtBoot, ignored, zeroOptions };
}

/**
 * What reads a file of /etc/modprobe.d or /etc/udev/rules.d whose name lacks the suffix its reader
 * wants (kmod reads *.conf and *.alias, udev *.rules): nothing. 'off' for a name that says it was put
 * out of use on purpose (a backup, a package manager's leftover, `.disabled`), which is not named;
 * null for a file that is read, or of another directory.
 */
function unreadConfigFile(file: string): 'modprobe' | 'udev' | 'off' | null {
  const name = baseName(file);
  let reader: 'modprobe' | 'udev';
  if (file === `etc/modprobe.d/${name}`) {
    if (name.endsWith('.conf') || name.endsWith('.alias')) return null;
    reader = 'modprobe';
  } else if (file === `etc/udev/rules.d/${name}`) {
    if (name.endsWith('.rules')) return null;
    reader = 'udev';
  } else return null;
  return PUT_AWAY.test(name) || name.startsWith('.') ? 'off' : reader;
}
const PUT_AWAY =
  /(~|#|\.(bak|backup|old|orig|save|sav|swp|tmp|disabled?|off|dist|example|sample|dpkg-[a-z]+|rpm(new|save|orig)|ucf-[a-z]+))$/i;

/** The source a line of an unread file would be if its file were read: a VF count for the PF that makes VFs; null otherwise. */
function unreadSource(pf: SysfsDevice, reader: 'modprobe' | 'udev', line: NumberedLine, vfParams: VfParams): VfPersistenceSource | null {
  const text = line.text.replace(/\r$/, '');
  if (/^\s*#/.test(text)) return null;
  if (reader === 'udev') {
    const count = udevNumVfs(text);
    return count !== 0 && text.includes('sriov_numvfs') && udevSetsNumVfs(text) && udevMatches(pf, text)
      ? withCount({ mechanism: 'udev', file: line.file, detail: text.trim() }, count)
      : null;
  }
  const m = /^\s*options\s+(\S+)\s+(.*)$/s.exec(text);
  return (m && vfCountOption(pf, m[1], m[2], { mechanism: 'modprobe', file: line.file, detail: shownLine(text) }, vfParams).source) || null;
}

/**
 * The mechanisms that write their count to the PF's sriov_numvfs, which the kernel refuses over
 * sriov_totalvfs (sriov_numvfs_store: "Numerical result out of range"), as systemd refuses such a .link
 * file: no VF is made. A module option is the driver's to read (igb takes 8 or more as its most, 7).
 */
const WRITES_SRIOV_NUMVFS: ReadonlySet<VfPersistenceSource['mechanism']> = new Set(
  VF_PERSISTENCE_MECHANISMS.filter((m) => m !== 'modprobe' && m !== 'kernel-cmdline'),
);
