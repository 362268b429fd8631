// The one script that reads a host's inventory in ONE exec.
//
// It runs under any POSIX sh and prints a tagged, line-oriented stream (tests run it with dash
// and bash; busybox 1.35 sh/grep/ls gave the same inventory when tried by hand).
// A line that starts with the per-run boundary token followed by a space is a RECORD:
//   <B> begin NAME                  raw text of NAME follows, up to the next record
//   <B> rc NAME CODE / missing NAME / error CODE / end
// Raw blocks (parsed by parseSysfs.ts, parseIpLink.ts, parseLspci.ts, parseVirsh.ts):
//   attrs   `grep -sH ''` of class, vendor, device, numa_node, sriov_totalvfs and sriov_numvfs of
//           EVERY device: "0000:0b:10.0/class:0x020000"
//   links   `ls -ld` of every iommu_group, physfn and virtfnN link: "… 0000:0b:10.0/physfn -> ../0000:0b:00.0"
//   names   one line per network interface and per driver link, the name encoded by enc() (plain
//           after "=", else "x" + hex bytes, "?" unreadable): "net 0000:0b:10.0 =enp11s16 52:54:…",
//           "driver 0000:0b:10.0 x69676276660a31" (a name with a newline)
//   groups  `ls -d` of kernel/iommu_groups/*/devices/*: "21/devices/0000:0b:10.6"
//   iplink  `ip -j link show`; lspci `lspci -D -mm`; virsh1 (guest/network UUID lists, stdout+stderr);
//   virsh2-stderr. virsh's own `echo` prints the records around each dumpxml, so its XML arrives
//   as raw blocks `<B> live|config UUID`, `<B> state UUID`, `<B> netxml UUID`.
// The token is random per run, so no guest name, XML text or file content can forge a record.
//
// Speed: sysfs costs three processes whatever the number of devices (one grep, two ls over
// globs) plus a loop of shell builtins over interfaces and driver links (no subshell: one per
// device would cost ~1 ms each, about 1 s for 1,024 VFs); which devices matter (SR-IOV PF, VF,
// class 0x02xxxx, and their IOMMU group members) is decided on the TypeScript side.

// virsh runs every command of a batch even when one fails: a guest or network undefined after
// pass 1 costs only its own dump (parseOutput.ts leaves it out), never the rest of the batch.

// Safety: guest and network NAMES never reach a shell or virsh's parser. The first virsh lists
// UUIDs; only lines made of [0-9a-f-] become arguments of the second virsh (dumpxml UUID …).
// Every value from TypeScript (sysfs root, URI, token) goes through shellQuote.
//
// Test/support hook: when the sysfs root holds `.ip-link.json` (or `.lspci-mm.txt`), that file
// is printed instead of running `ip -j link show` (or `lspci -D -mm`). A real /sys can never hold
// such a file (sysfs is made by the kernel); a copied tree for a support case may ship both
// alongside, and tests use it because they cannot change the kernel's `ip link`.
import { randomBytes } from 'node:crypto';
import { DEFAULT_LIBVIRT_URI } from '../../../shared/settings';
import { shellQuote } from '../../../shared/shellQuote';
import { splitRecords } from './records';

export const DEFAULT_SYSFS_ROOT = '/sys';

/** virsh takes one argument per process; Linux caps a single argument at 128 KiB (MAX_ARG_STRLEN). */
const VIRSH_BATCH_CHARS = 60000;

export interface InventoryScriptOptions {
  sysfsRoot?: string;
  /** a copied host (holding sys/, etc/, proc/cmdline); '' or absent = this host's / */
  hostRoot?: string;
  uri?: string;
  /** record token; random when omitted (tests pass one to get stable output) */
  boundary?: string;
  /** size of one virsh batch of ';'-joined commands (tests make it small to exercise batching) */
  virshBatchChars?: number;
}

export interface InventoryScript {
  script: string;
  boundary: string;
  sysfsRoot: string;
  hostRoot: string;
  uri: string;
}

/** The sysfs root to read: explicit, else the copied host's sys/, else /sys. */
export function effectiveSysfsRoot(sysfsRoot: string | undefined, hostRoot: string | undefined): string {
  if (sysfsRoot) return sysfsRoot;
  return hostRoot ? hostRoot.replace(/\/+$/, '') + '/sys' : DEFAULT_SYSFS_ROOT;
}

/** What the script does after each record (the last one printed tells where a run that timed out was). */
const STEP_AFTER: Record<string, string> = {
  'begin-inventory': 'reading the PCI devices in sysfs',
  attrs: "reading the PCI devices' attributes in sysfs",
  links: 'reading the IOMMU group and VF links in sysfs',
  names: 'reading the interface and driver names in sysfs',
  groups: 'listing the IOMMU groups in sysfs',
  'begin-readiness': 'reading the IOMMU units and kernel modules in sysfs',
  'iommu-units': 'reading the IOMMU units and kernel modules in sysfs',
  'sysfs-modules': 'reading the IOMMU units and kernel modules in sysfs',
  cmdline: 'reading the kernel command line',
  'vfio-module': 'looking for the vfio-pci module',
  persist:
    'reading the configuration files that create VFs at boot (modprobe.d, udev, systemd, NetworkManager, netplan, ifupdown, systemd-networkd .link files)',
  'enabled-units': 'listing the enabled systemd units',
  unreadable: 'looking for configuration files it cannot read',
  'keyfile-modes': "reading the NetworkManager keyfiles' modes and owners",
  iplink: 'running ip -j link show',
  lspci: 'running lspci',
  'virsh-list': 'listing the guests and networks (virsh list, net-list)',
  virsh: "reading the guests' and networks' XML (virsh dumpxml, net-dumpxml)",
};

/** Where the script was when its output stopped: "while …", from the last record it printed. */
export function scriptStepAt(stdout: string, boundary: string): string {
  let step: string | null = null;
  for (const rec of splitRecords(stdout, boundary)) {
    const key = rec.tag === 'begin' || rec.tag === 'step' ? rec.args[0] : rec.tag;
    // every record after virsh1's (its own lines, the dumps' echoes, each batch's rc) comes from the dumps
    if (key === 'virsh1' || step === STEP_AFTER.virsh) step = STEP_AFTER.virsh;
    else if (key !== undefined && Object.hasOwn(STEP_AFTER, key)) step = STEP_AFTER[key];
  }
  return step === null ? 'before the inventory script printed anything' : `while ${step}`;
}

export function newBoundary(): string {
  return 'LHD' + randomBytes(9).toString('hex');
}

/** Builds the script; run it with `sh -s` and the script on stdin (it never reads stdin itself). */
export function buildInventoryScript(options: InventoryScriptOptions = {}): InventoryScript {
  const boundary = options.boundary ?? newBoundary();
  if (!/^[A-Za-z0-9]{8,}$/.test(boundary)) throw new Error('boundary must be 8+ letters/digits');
  const hostRoot = options.hostRoot ?? '';
  const sysfsRoot = effectiveSysfsRoot(options.sysfsRoot, hostRoot);
  const uri = options.uri ?? DEFAULT_LIBVIRT_URI;
  const script = `# libvirt-hostdev inventory (one round trip). Records start with the token in B.
B=${shellQuote(boundary)}
ROOT=${shellQuote(sysfsRoot)}
H=${shellQuote(hostRoot)}
E=${options.sysfsRoot && !hostRoot ? 0 : 1}
URI=${shellQuote(uri)}
${BODY.replace('@BATCH@', String(Math.max(1, Math.floor(options.virshBatchChars ?? VIRSH_BATCH_CHARS))))}`;
  return { script, boundary, sysfsRoot, hostRoot, uri };
}

// The body is constant: every variable part comes from the quoted assignments above.
const BODY = `LC_ALL=C; export LC_ALL
# ls and grep read these from the environment the login shell exported (bash reads ~/.bashrc under
# sshd): QUOTING_STYLE makes ls quote names, GREP_OPTIONS/GREP_COLOR (grep < 3.6) colour them.
unset CDPATH QUOTING_STYLE GREP_OPTIONS GREP_COLOR GREP_COLORS
# bash as sh takes the functions the login shell exported (export -f ls in ~/.bashrc would colour the
# listing), and SHELLOPTS=errexit would stop at the first tool that finds nothing: the tools as they are
unset -f ls grep od tr cat printf cd command virsh lspci ip modinfo echo test 2>/dev/null
set +eu
PATH=$PATH:/usr/sbin:/sbin; export PATH

r() { printf '%s %s\\n' "$B" "$*"; }
NL='
'
# enc STRING: sets N to "=STRING" when STRING is only [A-Za-z0-9_.@+-] (the names udev and drivers
# give), else to "x" and its bytes in hex (od runs only for such unusual names), or "?" when od failed.
# No command substitution on the common path: a subshell per device would cost ~1 ms each.
enc() {
  case $1 in
    ''|*[!A-Za-z0-9_.@+-]*)
      N=$(printf '%s' "$1" | od -An -v -tx1 2>/dev/null | tr -d ' \\n')
      case $N in ''|*[!0-9a-f]*) N='?' ;; *) N=x$N ;; esac ;;
    *) N==$1 ;;
  esac
}

# root_error WHICH DIR: why cd into DIR failed, as the record "error WHICH not-dir|missing"
root_error() {
  if [ -e "$2" ] && [ ! -d "$2" ]; then r error "$1" not-dir; else r error "$1" missing; fi
}

sysfs() {
  if ! cd -P -- "$ROOT" 2>/dev/null; then root_error sysfs-root "$ROOT"; return; fi
  R=$PWD
  if ! cd bus/pci/devices 2>/dev/null; then r error sysfs-pci; return; fi
  for t in grep ls; do command -v $t >/dev/null 2>&1 || r missing $t; done
  # Globs relative to bus/pci/devices keep every path short and free of the root's own name.
  # Unmatched globs stay literal and are silently skipped (grep -s, ls 2>/dev/null).
  r begin attrs
  grep -sH '' -- */class */vendor */device */numa_node */sriov_totalvfs */sriov_numvfs </dev/null
  echo
  r begin links
  ls -ld -- */iommu_group */physfn */virtfn* </dev/null 2>/dev/null
  echo
  D=$PWD
  r begin names
  # Interface and driver names may hold any byte but '/' and NUL (a newline too) and may start with
  # a dot: one line each, the name as enc() writes it, so no name can split or hide a line.
  for p in */net/* */net/.*; do
    case \${p##*/} in .|..) continue ;; esac
    [ -d "$p" ] || continue
    m=; if [ -f "$p/address" ]; then { read -r m <"$p/address"; } 2>/dev/null; fi
    enc "\${p##*/}"; printf 'net %s %s %s\\n' "\${p%%/*}" "$N" "$m"
  done
  for p in */driver; do
    [ -L "$p" ] || continue
    # As libvirt reads it (virPCIDeviceGetDriverPathAndName): the resolved link's last component.
    if cd -P -- "$p" 2>/dev/null; then n=\${PWD##*/}; cd -- "$D" || return
    else
      # a dangling link in a copied tree: the link's own text, as ls prints it
      n=$(ls -ld -- "$p" 2>/dev/null; echo .); n=\${n%.}; n=\${n%"$NL"}; n=\${n#* -> }; n=\${n%/}; n=\${n##*/}
    fi
    enc "$n"; printf 'driver %s %s\\n' "\${p%%/*}" "$N"
  done
  echo
  if cd "$R/kernel/iommu_groups" 2>/dev/null; then
    r begin groups
    ls -d -- */devices/* </dev/null 2>/dev/null
    echo
  fi
  cd /
}

iplink() {
  if [ -n "\${R:-}" ] && [ -f "$R/.ip-link.json" ]; then
    r begin iplink; cat -- "$R/.ip-link.json" </dev/null; x=$?; echo; r rc iplink $x
  elif command -v ip >/dev/null 2>&1; then
    r begin iplink; ip -j link show </dev/null; x=$?; echo; r rc iplink $x
  else
    r missing ip
  fi
}

lspcinames() {
  if [ -n "\${R:-}" ] && [ -f "$R/.lspci-mm.txt" ]; then
    r begin lspci; cat -- "$R/.lspci-mm.txt" </dev/null; echo
  elif [ "\${R:-}" = /sys ] && command -v lspci >/dev/null 2>&1; then
    # Only for the real /sys: lspci reads the kernel's devices, not a copied tree.
    r begin lspci; lspci -D -mm </dev/null 2>/dev/null; echo
  fi
}

# run2 CMDS: one virsh for a batch of ';'-joined commands; XML goes straight to stdout, errors are
# kept apart (they would interleave unpredictably with buffered stdout).
run2() {
  { e=$(virsh -c "$URI" "$1" 2>&1 >&3 3>&-); x=$?; } 3>&1
  echo; r rc virsh2 $x
  if [ -n "$e" ]; then r begin virsh2-stderr; printf '%s\\n' "$e"; fi
}

libvirt() {
  if ! command -v virsh >/dev/null 2>&1; then r missing virsh; return; fi
  # Pass 1: UUIDs only (hex), so pass 2 can name every domain and network without quoting. Its record
  # comes after it: this one says, should the run time out, that virsh was listing.
  r step virsh-list
  p1=$(virsh -c "$URI" "echo $B list-active; list --uuid; echo $B list-persistent; list --all --uuid --persistent; echo $B net-active; net-list --uuid; echo $B net-all; net-list --all --uuid; echo $B net-autostart; net-list --all --autostart --uuid" </dev/null 2>&1; echo "$B rc virsh1 $?")
  r begin virsh1
  printf '%s\\n' "$p1"
  cmds=; sec=; active=' '
  while IFS= read -r line; do
    case $line in
      "$B "*) sec=\${line#"$B "}; continue ;;
      ''|-*|*[!0-9a-f-]*) continue ;;
    esac
    case $sec in
      list-active)
        active="$active$line "
        cmds="$cmds echo $B state $line; domstate $line; echo $B live $line; dumpxml $line;" ;;
      list-persistent)
        case $active in *" $line "*) ;; *) cmds="$cmds echo $B state $line; domstate $line;" ;; esac
        cmds="$cmds echo $B config $line; dumpxml --inactive $line;" ;;
      net-all)
        cmds="$cmds echo $B netxml $line; net-dumpxml $line;" ;;
      *) continue ;;
    esac
    if [ \${#cmds} -gt @BATCH@ ]; then run2 "$cmds" </dev/null; cmds=; fi
  done <<EOF
$p1
EOF
  if [ -n "$cmds" ]; then run2 "$cmds" </dev/null; fi
}

# greph basic|extended PATTERN FILE...: grep -H over the FILEs that are regular files. A configuration
# file may be a FIFO or a device (a copied host, a stray mkfifo in /etc): grep would block on it, or read
# forever, and the one exec would end only at its timeout. Sysfs is made by the kernel and read as is.
# A FILE whose name enc() does not keep plain (a ':', a blank or a newline in a NetworkManager profile's
# name) would split or forge a FILE:LINE line: its lines come as "DIR NAME:LINE", NAME as enc() writes
# it, from a grep of its own (such names are rare: the common ones cost no process).
# numbered: extended, each line with its number ("FILE:N:LINE"), for files whose lines continue with a
# trailing backslash (modprobe.d, ifupdown): the reader joins only lines whose numbers follow.
greph() {
  case $1 in extended) x=E ;; numbered) x=En ;; *) x= ;; esac
  e=$2; shift 2; n=$#
  while [ "$n" -gt 0 ]; do
    if [ -f "$1" ]; then
      enc "\${1##*/}"
      case $N in
        =*) set -- "$@" "$1" ;;
        *) d=\${1%/*}; grep -sh$x -e "$e" -- "$1" </dev/null | while IFS= read -r l; do printf '%s %s:%s\\n' "$d" "$N" "$l"; done ;;
      esac
    fi
    shift; n=$((n - 1))
  done
  if [ $# -gt 0 ]; then grep -sH$x -e "$e" -- "$@" </dev/null; fi
}

# masked DIR FILE: "FILE:masked" when FILE (under DIR) is there and has no line to send: empty, a link to
# /dev/null (how a packaged file is masked) or a link to nothing. kmod and udev find it, and it hides the
# files of its name in the directories after DIR. A FILE whose path under DIR enc() does not keep plain
# comes as "DIR PATH:masked".
masked() {
  if { [ -e "$2" ] || [ -L "$2" ]; } && [ ! -s "$2" ]; then
    enc "\${2#"$1"/}"
    case $N in =*) printf '%s:masked\\n' "$2" ;; *) printf '%s %s:masked\\n' "$1" "$N" ;; esac
  fi
}

# Host readiness (inventory/parseReadiness.ts): the IOMMU, vfio-pci, and what creates VFs at boot.
# Paths are printed relative to the host root H ('' = /), so a copied host reads like the real one.
readiness() {
  r begin-readiness
  if [ -n "\${R:-}" ] && cd "$R" 2>/dev/null; then
    r begin iommu-units
    ls -- class/iommu </dev/null 2>/dev/null
    echo
    r begin sysfs-modules
    ls -d -- module/vfio_pci bus/pci/drivers/vfio-pci module/*/parameters module/*/parameters/max_vfs module/*/parameters/num_vfs </dev/null 2>/dev/null
    grep -sH '' -- class/iommu/*/intel-iommu/ecap module/vfio_iommu_type1/parameters/allow_unsafe_interrupts </dev/null
    echo
  fi
  # E=0: only a sysfs copy was given (--sysfs-root): this host's /etc says nothing about it
  if [ "$E" != 1 ]; then return; fi
  if ! cd -P -- "\${H:-/}" 2>/dev/null; then root_error host-root "\${H:-/}"; return; fi
  r begin cmdline
  if [ -f proc/cmdline ]; then cat -- proc/cmdline </dev/null 2>/dev/null; fi
  echo
  r begin vfio-module
  if [ -z "$H" ] && command -v modinfo >/dev/null 2>&1; then
    modinfo -F filename vfio-pci </dev/null 2>/dev/null || echo not-found
  else
    ls -d -- lib/modules/* usr/lib/modules/* lib/modules/*/kernel/drivers/vfio/pci/vfio-pci.ko* usr/lib/modules/*/kernel/drivers/vfio/pci/vfio-pci.ko* </dev/null 2>/dev/null
    greph basic vfio-pci lib/modules/*/modules.builtin usr/lib/modules/*/modules.builtin
  fi
  echo
  r begin persist
  # every line, numbered: a line ending in a backslash continues into the next whatever it says (kmod
  # joins them), and a file hides the files of its name further down, a masked one too (these files are
  # small); kmod reads *.alias files as it reads *.conf
  greph numbered '' etc/modprobe.d/*.conf run/modprobe.d/*.conf usr/local/lib/modprobe.d/*.conf lib/modprobe.d/*.conf usr/lib/modprobe.d/*.conf \\
    etc/modprobe.d/*.alias run/modprobe.d/*.alias usr/local/lib/modprobe.d/*.alias lib/modprobe.d/*.alias usr/lib/modprobe.d/*.alias
  for d in etc/modprobe.d run/modprobe.d usr/local/lib/modprobe.d lib/modprobe.d usr/lib/modprobe.d; do
    for f in "$d"/*.conf "$d"/*.alias; do masked "$d" "$f"; done
  done
  # files of /etc/modprobe.d and /etc/udev/rules.d that kmod and udev never read, their names lacking
  # .conf (.alias) or .rules: the lines that may give a VF count, numbered, so that one meant to make VFs
  # is named with its file
  set --
  for f in etc/modprobe.d/*; do case $f in *.conf | *.alias) ;; *) set -- "$@" "$f" ;; esac; done
  for f in etc/udev/rules.d/*; do case $f in *.rules) ;; *) set -- "$@" "$f" ;; esac; done
  if [ $# -gt 0 ]; then greph numbered '[Vv][Ff]' "$@"; fi
  greph basic sriov_numvfs etc/udev/rules.d/*.rules run/udev/rules.d/*.rules lib/udev/rules.d/*.rules usr/lib/udev/rules.d/*.rules \
    etc/systemd/system/*.service lib/systemd/system/*.service usr/lib/systemd/system/*.service
  # systemd runs /etc/rc.local at boot (rc-local.service, from systemd-rc-local-generator) when it is executable
  if [ -x etc/rc.local ]; then greph basic sriov_numvfs etc/rc.local; fi
  # a unit masked in /etc or /run ("FILE:masked"): systemd never starts it, whatever enables it
  for d in etc/systemd/system run/systemd/system; do
    for f in "$d"/*.service; do masked "$d" "$f"; done
  done
  greph extended '^[[:space:]]*((interface-name|mac-address|total-vfs|autoconnect)[[:space:]]*=|\\[sriov\\])' etc/NetworkManager/system-connections/* run/NetworkManager/system-connections/*
  greph extended '^[[:space:]]*(DEVICE|HWADDR|SRIOV_TOTAL_VFS|ONBOOT)=' etc/sysconfig/network-scripts/ifcfg-*
  greph basic '' etc/netplan/*.yaml run/netplan/*.yaml lib/netplan/*.yaml
  # ifupdown: every line, numbered (a continued line ends wherever its last backslash says)
  greph numbered '' etc/network/interfaces etc/network/interfaces.d/*
  # systemd-networkd .link files and their drop-ins NAME.link.d/*.conf: every line, numbered (a line ending
  # in a backslash goes on with the next), and "FILE:masked" for an empty one or a symlink to /dev/null (it
  # masks the files of its name). A drop-in whose path enc() would not keep plain comes as "DIR PATH:LINE",
  # PATH its path under the network directory DIR as enc() writes it.
  L=
  for d in etc/systemd/network run/systemd/network usr/local/lib/systemd/network usr/lib/systemd/network lib/systemd/network; do
    for f in "$d"/*.link "$d"/*.link.d/*.conf; do
      masked "$d" "$f"
      case $f in *.link) continue ;; esac
      [ -f "$f" ] || continue
      case $f in
        *[!A-Za-z0-9_.@+/-]*)
          enc "\${f#"$d"/}"
          grep -shEn -e '' -- "$f" </dev/null | while IFS= read -r l; do printf '%s %s:%s\\n' "$d" "$N" "$l"; done ;;
        *) L="$L $f" ;;
      esac
    done
  done
  greph numbered '' etc/systemd/network/*.link run/systemd/network/*.link usr/local/lib/systemd/network/*.link \\
    usr/lib/systemd/network/*.link lib/systemd/network/*.link $L
  echo
  r begin enabled-units
  ls -d -- etc/systemd/system/*.wants/* </dev/null 2>/dev/null
  echo
  r begin unreadable
  # "DIR NAME", the file's NAME as enc() writes it (a profile's name may hold blanks or a newline)
  for f in etc/modprobe.d/*.conf etc/modprobe.d/*.alias etc/udev/rules.d/*.rules etc/systemd/system/*.service etc/NetworkManager/system-connections/* etc/sysconfig/network-scripts/ifcfg-* etc/netplan/*.yaml etc/network/interfaces etc/network/interfaces.d/* etc/systemd/network/*.link etc/systemd/network/*.link.d/*.conf; do
    if [ -e "$f" ] && [ ! -r "$f" ]; then enc "\${f##*/}"; printf '%s %s\n' "\${f%/*}" "$N"; fi
  done
  echo
  r begin keyfile-modes
  # "DIR NAME MODE UID" of each NetworkManager keyfile (NetworkManager loads one only when root owns it
  # and group and others have no access), read or not: \`ls -n\`'s first and third fields
  for f in etc/NetworkManager/system-connections/* run/NetworkManager/system-connections/*; do
    if [ -f "$f" ]; then
      enc "\${f##*/}"
      ls -dLn -- "$f" </dev/null 2>/dev/null | { read -r m _ u _; printf '%s %s %s %s\n' "\${f%/*}" "$N" "$m" "$u"; }
    fi
  done
  echo
  cd /
}

main() {
  r begin-inventory
  # A relative host root names a directory where the script starts (the current directory for
  # \`local\`, the login directory over SSH), as a relative sysfs root does: sysfs() and readiness()
  # change directory before they read it.
  case $H in ''|/*) ;; *) H=$PWD/$H ;; esac
  sysfs
  readiness
  iplink
  lspcinames
  libvirt
  r end
}
# main is parsed in full before it runs, and reads /dev/null: the rest of the script on stdin
# (sh -s) can never be eaten by a command inside it.
main </dev/null
`;
