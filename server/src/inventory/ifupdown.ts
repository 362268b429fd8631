// Debian's ifupdown (/etc/network/interfaces, interfaces(5)): the commands a stanza runs when its
// interface comes up, and whether a boot brings it up. networking.service runs `ifup -a`, which brings up
// the interfaces of `auto` (and its synonym `allow-auto`) lines; udev runs ifup --allow=hotplug for
// those of `allow-hotplug` lines as their devices appear, at boot too. Any other `allow-CLASS` line, or
// none, leaves the interface down until someone runs ifup: its commands then make no VF at boot (Open
// vSwitch's service brings up `allow-ovs` bridges, and their ports, when it is installed, which the
// inventory does not know).
// Only files that /etc/network/interfaces pulls in (`source`, `source-directory`, nested) count, as
// for ifupdown: a file left in interfaces.d without a line sourcing it is never read.
import * as posixPath from 'node:path/posix';
import { fnmatchTokens, wildcardMatches } from '../../../shared/wildcard';
import { joinContinued, shownLine, type NumberedLine } from './continuedLines';
import type { SysfsDevice } from './parseSysfs';
import { globMatches } from './pfIdentity';

/** ifupdown's top file; the script also sends the files of interfaces.d, the one directory it sources by default. */
export const IFUPDOWN_FILE = 'etc/network/interfaces';

export function isIfupdownFile(file: string): boolean {
  return file === IFUPDOWN_FILE || file.startsWith('etc/network/interfaces.d/');
}

/** A command an `iface` stanza runs as its interface comes up. */
export interface IfupdownCommand {
  file: string;
  line: number;
  /** "iface ens1f0 inet manual: pre-up echo 8 > …": the stanza and the command, as the messages name them */
  detail: string;
  /** the command with $IFACE and ${IFACE} replaced by the interface ifup brings up */
  command: string;
  /** the stanza's interface (its logical name) */
  iface: string;
  /** a boot brings the interface up (an auto, allow-auto or allow-hotplug line names it) */
  atBoot: boolean;
}

/** `up` is `post-up`'s other name (ifquery prints both as "up"); the down commands run at shutdown. */
const UP_OPTION = /^\s*(pre-up|up|post-up)\s+(.*)$/s;
/** Lines that end an iface stanza: the options after them belong to no interface. */
const STANZA = /^\s*(iface|mapping|auto|allow-\S+|rename|source|source-directory|no-auto-down|no-scripts)(\s|$)/;
/** source-directory reads only files with such names (interfaces(5)). */
const SOURCED_NAME = /^[a-zA-Z0-9_-]+$/;

interface Stanza {
  iface: string;
  header: string;
  commands: NumberedLine[];
}

/** The lines whose words name the interfaces a boot brings up. */
const BOOT_CLASSES = new Set(['auto', 'allow-auto', 'allow-hotplug']);

/**
 * The stanzas the `auto`/`allow-…` words bring up, each with the interface ifup then brings up (the first
 * word that names a stanza decides it). A word is a name, or a pattern `[VARIABLE]/VALUE[/N]` over the
 * kernel's interfaces (here `pf`'s, by name or MAC), either with `=LOGICAL` naming the stanza (else the
 * interface's own name does). One pass over the words, whatever the number of stanzas.
 */
function bootStanzas(words: readonly string[], pf: SysfsDevice): Map<string, string> {
  const brought = new Map<string, string>();
  for (const word of words) {
    const eq = word.indexOf('=');
    const target = eq < 0 ? word : word.slice(0, eq);
    const slash = target.indexOf('/');
    let physical: string[] = [target];
    if (slash >= 0) {
      const variable = target.slice(0, slash);
      // the n-th match (/N) is taken as this PF: which interface the kernel lists n-th is not known here
      const value = target.slice(slash + 1).replace(/\/\d*$/, '');
      if (variable === '') physical = pf.netdevs.filter((n) => globMatches(value, n));
      // against sysfs's address as it is, in lower case: `mac/3C:FD:…` matches nothing (ifquery -l); any
      // other sysfs attribute of the interface is not read here
      else physical = variable === 'mac' && pf.mac !== null && globMatches(value, pf.mac) ? pf.netdevs : [];
    }
    if (eq >= 0) {
      const logical = word.slice(eq + 1);
      if (physical.length > 0 && !brought.has(logical)) brought.set(logical, physical[0]);
    } else for (const name of physical) if (!brought.has(name)) brought.set(name, name);
  }
  return brought;
}

/** The files a `source`/`source-directory` pattern in `from` names, of those sent. */
function sourced(keyword: string, pattern: string, from: string, files: readonly string[]): string[] {
  const absolute = pattern.startsWith('/') ? pattern.slice(1) : posixPath.join(posixPath.dirname(from), pattern);
  const tokens = fnmatchTokens(posixPath.normalize(absolute), false);
  return files
    .filter((f) => {
      const name = posixPath.basename(f);
      if (keyword === 'source-directory') return SOURCED_NAME.test(name) && wildcardMatches(tokens, posixPath.dirname(f));
      // a shell wildcard does not match a leading '.' (wordexp, glob)
      return wildcardMatches(tokens, f) && (!name.startsWith('.') || posixPath.basename(absolute).startsWith('.'));
    })
    .sort();
}

/** The up commands of every iface stanza ifupdown reads, for `pf` (whose names the boot patterns match). */
export function ifupdownCommands(lines: readonly NumberedLine[], pf: SysfsDevice): IfupdownCommand[] {
  const byFile = new Map<string, NumberedLine[]>();
  for (const l of joinContinued(lines, 'ifupdown')) {
    const list = byFile.get(l.file);
    if (list) list.push(l);
    else byFile.set(l.file, [l]);
  }
  const files = [...byFile.keys()];
  const bootWords: string[] = [];
  const stanzas: Stanza[] = [];
  const visited = new Set<string>();
  // a pattern is matched against the files once, however many lines repeat it
  const sourcedBy = new Map<string, string[]>();
  const sourcedFiles = (keyword: string, pattern: string, from: string): string[] => {
    const key = `${keyword} ${posixPath.dirname(from)} ${pattern}`;
    let found = sourcedBy.get(key);
    if (!found) sourcedBy.set(key, (found = sourced(keyword, pattern, from, files)));
    return found;
  };
  const read = (file: string) => {
    if (visited.has(file)) return;
    visited.add(file);
    let current: Stanza | null = null;
    for (const l of byFile.get(file) ?? []) {
      if (/^\s*#/.test(l.text)) continue;
      const words = l.text.trim().split(/\s+/);
      if (STANZA.test(l.text)) {
        current = null;
        if (BOOT_CLASSES.has(words[0])) for (let i = 1; i < words.length; i++) bootWords.push(words[i]);
        else if (words[0] === 'iface' && words.length > 1) {
          current = { iface: words[1], header: shownLine(l.text), commands: [] };
          stanzas.push(current);
        } else if (words[0] === 'source' || words[0] === 'source-directory')
          // each word is a pattern of its own (ifquery reads both files of `source A B`)
          for (let i = 1; i < words.length; i++) for (const f of sourcedFiles(words[0], words[i], file)) read(f);
      } else if (current !== null && UP_OPTION.test(l.text)) current.commands.push(l);
    }
  };
  read(IFUPDOWN_FILE);
  const commands: IfupdownCommand[] = [];
  const brought = bootStanzas(bootWords, pf);
  for (const s of stanzas) {
    const boot = brought.get(s.iface) ?? null;
    const physical = boot ?? s.iface;
    for (const c of s.commands) {
      const [, option, command] = UP_OPTION.exec(c.text)!;
      commands.push({
        file: c.file,
        line: c.line,
        detail: `${s.header}: ${option} ${shownLine(command)}`,
        // ifup passes the interface in the environment (IFACE); a command written with it names this one
        command: command.replace(/\$\{IFACE\}|\$IFACE\b/g, physical),
        iface: s.iface,
        atBoot: boot !== null,
      });
    }
  }
  return commands;
}
