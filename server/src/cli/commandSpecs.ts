// What each subcommand accepts: its options (parsed by options.ts from this table), its help text and
// the line `--help` lists it with. Kept apart from what the commands do so that `--help`, `--version`
// and the dispatch in main.ts load none of the commands (each is loaded when it runs).
import type { NetworkOperation } from '../host/network';
import { DISABLE_NEXT_LINE } from '../service/suppressions';
import { HOST_OPTIONS, TEXT_OR_JSON, TEXT_OR_JSON_MEANINGS, type CommandSpec, type OptionSpec } from './options';
import { CONFIG_FILE_NAME } from '../project/projectConfig';

/** `check --format` */
export const CHECK_FORMATS = ['text', 'json', 'sarif', 'github', 'gitlab'] as const;

/** `--format text|json` */
const TEXT_OR_JSON_FORMAT: OptionSpec = {
  name: 'format',
  short: 'f',
  type: 'string',
  value: 'FORMAT',
  completes: { words: TEXT_OR_JSON, meanings: TEXT_OR_JSON_MEANINGS },
  help: 'text (default) or json',
};

export const CHECK_COMMAND: CommandSpec = {
  name: 'check',
  synopsis: '[--inventory FILE | --host TARGET [host options] [--guests]] [--format text|json|sarif|github|gitlab] [FILE|DIR|-...]',
  summary: 'check domain XML / device snippets',
  description: `Checks libvirt domain XML (or bare <interface type='hostdev'> / <hostdev> snippets) against
libvirt's rules and, with --inventory or --host, against the host's SR-IOV VFs, guests and networks.
A DIR is searched for *.xml recursively; - reads standard input; a quoted pattern ('guests/**/*.xml')
is expanded without the shell. A file of another vocabulary (a pom.xml, a <config> root) is skipped and
named on stderr. --host with --guests also checks every guest defined on that host as its
next start will read it (its persistent definition): after a reboot or a change of sriov_numvfs, the
guests whose VF is gone, taken by another guest or a PF.`,
  options: [
    {
      name: 'inventory',
      type: 'string',
      value: 'FILE',
      completes: 'file',
      help: 'an inventory snapshot (libvirt-hostdev-inventory/1 JSON)',
    },
    ...HOST_OPTIONS,
    {
      name: 'format',
      short: 'f',
      type: 'string',
      value: 'FORMAT',
      completes: {
        words: CHECK_FORMATS,
        meanings: {
          ...TEXT_OR_JSON_MEANINGS,
          sarif: 'SARIF 2.1.0, for code scanning',
          github: 'workflow commands: annotations in GitHub Actions',
          gitlab: 'Code Quality report: the merge request widget in GitLab CI',
        },
      },
      help: 'text (default), json, sarif (SARIF 2.1.0), github (workflow commands) or gitlab (Code Quality report)',
    },
    {
      name: 'stdin-filename',
      type: 'string',
      value: 'NAME',
      completes: 'file',
      help: "check standard input (a FILE of '-') as the file NAME: its name in output, its config file (default <stdin>, config of the working directory)",
    },
    {
      name: 'guests',
      type: 'boolean',
      help: "with --host: also check every guest's persistent definition there (what its next start reads), as HOST/NAME.xml",
    },
    { name: 'max-warnings', type: 'string', value: 'N', help: 'exit 1 when there are more than N warnings (-1: no limit)' },
    {
      name: 'quiet',
      short: 'q',
      type: 'boolean',
      help: 'report errors only, in every format (--max-warnings still counts the warnings)',
    },
    {
      name: 'disable',
      type: 'string',
      multiple: true,
      value: 'CODE[,CODE]',
      completes: 'code',
      help: 'do not report these codes (listed as suppressed in json/sarif)',
    },
    {
      name: 'config',
      type: 'string',
      value: 'FILE',
      completes: 'file',
      help: `use FILE instead of the nearest ${CONFIG_FILE_NAME} above each file`,
    },
    { name: 'no-config', type: 'boolean', help: `do not read any ${CONFIG_FILE_NAME}` },
  ],
  operands: 'file',
  epilogue: `Policy: ${CONFIG_FILE_NAME} (the nearest above each file) holds
  { "disable": ["mac-missing"], "severity": { "pci-decimal": "off", "vf-driver": "error" } };
<!-- ${DISABLE_NEXT_LINE} CODE[, CODE] - reason --> in the XML takes those codes off the next line.

Exit status: 0 no errors (and no more warnings than --max-warnings), 1 errors found or too many warnings,
2 usage error, unreadable file or directory, a pattern or directory that gives no file, bad config, bad inventory,
host failure, or output that cannot be written.`,
};

export const RULES_COMMAND: CommandSpec = {
  name: 'rules',
  synopsis: '[CODE...] [--format text|json] [--config FILE | --no-config]',
  summary: 'list the diagnostic codes, or explain CODE: what it means, the libvirt code it follows, how to turn it off',
  description: `Without CODE, lists every code that check and the editor report, with its severity and what it means:
first those checked from the text, then those that need a host's inventory (--inventory or --host).
With CODE, explains each: what it reports, the libvirt functions whose checks it follows, whether the
editor has a quick fix for it, and how to turn it off. Severities are those of the nearest
${CONFIG_FILE_NAME} above the working directory (as check applies it to a file there); the default is
named where the config changes it.`,
  options: [
    TEXT_OR_JSON_FORMAT,
    {
      name: 'config',
      type: 'string',
      value: 'FILE',
      completes: 'file',
      help: `use FILE instead of the nearest ${CONFIG_FILE_NAME} above the working directory`,
    },
    { name: 'no-config', type: 'boolean', help: `do not read any ${CONFIG_FILE_NAME}: the default severities` },
  ],
  operands: 'code',
  epilogue: 'Exit status: 0 listed, 2 usage error, unknown CODE or bad config.',
};

export const INVENTORY_COMMAND: CommandSpec = {
  name: 'inventory',
  synopsis: '--host TARGET [host options] [--output FILE]',
  summary: "write the host's VF inventory snapshot (JSON)",
  description: `Reads the host's SR-IOV devices, guests and networks (one SSH exec, or local) and writes the
snapshot (libvirt-hostdev-inventory/1 JSON) for offline checks: libvirt-hostdev check --inventory FILE.`,
  options: [
    ...HOST_OPTIONS,
    {
      name: 'output',
      short: 'o',
      type: 'string',
      value: 'FILE',
      completes: 'file',
      help: 'write the snapshot to FILE (default: standard output)',
    },
  ],
  epilogue: 'Exit status: 0 written, 2 usage error or host failure.',
};

export const READINESS_COMMAND: CommandSpec = {
  name: 'readiness',
  synopsis: '(--host TARGET [host options] | --inventory FILE) [--format text|json]',
  summary: "check the host's readiness for VF assignment (IOMMU, driver, VFs, persistence, VF pools, vfio-pci)",
  description: `Checks the SR-IOV guide's steps 1-8 on a host, the way virt-host-validate checks its own: the IOMMU,
the SR-IOV card and its driver, VFs created and recreated at boot, VFs visible to libvirt, free VFs, libvirt's
VF pools (<forward mode='hostdev'> networks: active, autostart, free VFs, their PF or addresses), and
vfio-pci. Each check prints PASS, WARN or FAIL with what it found and how to fix it. With --inventory, the
checks read a snapshot (libvirt-hostdev inventory --output FILE) instead of the host: when it was taken is
printed under the title.`,
  options: [
    ...HOST_OPTIONS,
    { name: 'inventory', type: 'string', value: 'FILE', completes: 'file', help: 'an inventory snapshot instead of --host' },
    TEXT_OR_JSON_FORMAT,
  ],
  epilogue: 'Exit status: 0 no check failed (warnings allowed), 1 a check failed, 2 usage error, bad inventory or host failure.',
};

export const NEW_INTERFACE_COMMAND: CommandSpec = {
  name: 'new-interface',
  synopsis: '(--host TARGET [host options] | --inventory FILE) [--pf NAME] [--vlan N] [--avoid-macs-of FILE]',
  summary: "print an <interface type='hostdev'> for a free VF with a fresh MAC",
  description: `Prints a ready <interface type='hostdev' managed='yes'> for the first free VF of the host (no guest
uses it, no active network pools it), with a MAC that no guest of the host uses. Paste it into a domain
XML or give it to: libvirt-hostdev attach FILE --guest NAME --host TARGET.`,
  options: [
    ...HOST_OPTIONS,
    { name: 'inventory', type: 'string', value: 'FILE', completes: 'file', help: 'an inventory snapshot instead of --host' },
    { name: 'pf', type: 'string', value: 'NAME', completes: 'pf', help: 'a VF of this PF (netdev such as enp11s0f0, or PCI address)' },
    { name: 'vlan', type: 'string', value: 'N', help: 'add <vlan><tag id=N/></vlan> (0-4095)' },
    { name: 'avoid-macs-of', type: 'string', value: 'FILE', completes: 'file', help: 'also avoid the MACs in this domain XML' },
  ],
  epilogue: 'Exit status: 0 printed, 1 no free VF, 2 usage error (a --pf the host does not have too), bad inventory or host failure.',
};

export const VFS_COMMAND: CommandSpec = {
  name: 'vfs',
  synopsis: '(--host TARGET [host options] | --inventory FILE) [--pf NAME] [--free] [--format text|json]',
  summary: "list the host's PFs and VFs: driver, what the PF sets on each, who uses it, the free ones",
  description: `Lists each PF of the host with its VFs, as the editor's SR-IOV view shows them: the VF's index and
address, its driver, the MAC and VLAN the PF programs on it, and who uses it (a guest's running or
persistent definition, an active network's VF pool) or that it is free. --free lists the free VFs only,
--pf one PF; --format json gives the same for scripts (libvirt-hostdev vfs --free --format json | jq …).`,
  options: [
    ...HOST_OPTIONS,
    { name: 'inventory', type: 'string', value: 'FILE', completes: 'file', help: 'an inventory snapshot instead of --host' },
    { name: 'pf', type: 'string', value: 'NAME', completes: 'pf', help: 'the VFs of this PF (netdev such as enp11s0f0, or PCI address)' },
    { name: 'free', type: 'boolean', help: 'only the free VFs (no guest uses them, no active network pools them)' },
    TEXT_OR_JSON_FORMAT,
  ],
  epilogue: 'Exit status: 0 listed, 1 no VF to list (none, or none free with --free), 2 usage error, bad inventory or host failure.',
};

/** the shells `completion` writes a script for */
export const COMPLETION_SHELLS = ['bash', 'zsh', 'fish'] as const;
export type CompletionShell = (typeof COMPLETION_SHELLS)[number];

export const COMPLETION_COMMAND: CommandSpec = {
  name: 'completion',
  synopsis: COMPLETION_SHELLS.join('|'),
  summary: 'print the TAB completion script for bash, zsh or fish',
  description: `Prints a script for the shell that completes, on TAB, the commands, their options, the values an
option takes (formats, transports, libvirt URIs), diagnostic codes (rules, --disable), hosts (local and the
Host aliases of ~/.ssh/config, or of --ssh-config FILE), the PFs of the snapshot --inventory FILE names (--pf)
and file names. Load it once per shell:
  bash   eval "$(libvirt-hostdev completion bash)"    in ~/.bashrc
  zsh    eval "$(libvirt-hostdev completion zsh)"     in ~/.zshrc, after compinit
  fish   libvirt-hostdev completion fish | source     in ~/.config/fish/config.fish
Nothing is read from a host on TAB.`,
  options: [],
  operands: { words: COMPLETION_SHELLS },
  epilogue: 'Exit status: 0 printed, 2 usage error.',
};

export type AttachOperation = 'attach' | 'detach';

function attachSpec(operation: AttachOperation): CommandSpec {
  const verb = operation === 'attach' ? 'attaches' : 'detaches';
  return {
    name: operation,
    synopsis: 'FILE --guest NAME --host TARGET [host options] [--live] [--force] [--dry-run] [--print-diff]',
    summary: `virsh ${operation}-device --config the device in FILE`,
    description: `${operation === 'attach' ? 'Attaches the device in FILE to' : 'Detaches the device in FILE from'} the guest's persistent definition
(virsh ${operation}-device --config; --live also ${verb} it on the running guest). FILE holds one
<interface type='hostdev'> or <hostdev type='pci'> (alone or in a domain XML).

Before anything changes, the device is checked as the editor checks it, and against the live inventory
of the host: ${
      operation === 'attach'
        ? 'an address the host does not have, a PF, or a VF a running guest holds is refused'
        : "a device that is not in the guest's persistent definition is refused"
    } unless --force.`,
    options: [
      { name: 'guest', type: 'string', value: 'NAME', help: 'the guest (libvirt domain name)' },
      ...HOST_OPTIONS,
      { name: 'live', type: 'boolean', help: 'also change the running guest (--config --live)' },
      { name: 'force', type: 'boolean', help: `${operation} even when the device has errors or the host disagrees` },
      { name: 'dry-run', short: 'n', type: 'boolean', help: 'check, then print the device XML and the virsh command; change nothing' },
      {
        name: 'print-diff',
        type: 'boolean',
        help: "print the guest's persistent definition before/after as a unified diff (with --dry-run: the predicted one)",
      },
    ],
    operands: 'file',
    epilogue: 'Exit status: 0 done (or would be done), 1 refused or libvirt failed, 2 usage error, unreadable FILE or host failure.',
  };
}

export const ATTACH_COMMAND = attachSpec('attach');
export const DETACH_COMMAND = attachSpec('detach');

function networkSpec(operation: NetworkOperation): CommandSpec {
  const what = {
    define: 'defines the network in FILE (virsh net-define): persistent, not started',
    start: 'starts the network (virsh net-start)',
    autostart: 'marks the network to start with libvirt (virsh net-autostart; --disable unmarks it)',
  }[operation];
  return {
    name: `net-${operation}`,
    synopsis:
      operation === 'define'
        ? 'FILE --host TARGET [host options] [--force] [--dry-run]'
        : `FILE|--network NAME --host TARGET [host options]${operation === 'autostart' ? ' [--disable]' : ''} [--dry-run]`,
    summary: `virsh net-${operation} the network in FILE`,
    description:
      operation === 'define'
        ? `Checks FILE (one <network> document, e.g. a VF pool with <forward mode='hostdev'>) as the editor
checks it and against the live inventory of the host (a <pf dev> without VFs, pool addresses that are not
VFs or that guests hold), then ${what}. Errors are refused unless --force.`
        : `The network is named by FILE's <name> or by --network; ${what}.`,
    options: [
      ...(operation === 'define'
        ? []
        : [{ name: 'network', type: 'string' as const, value: 'NAME', help: "the network (instead of FILE's <name>)" }]),
      ...HOST_OPTIONS,
      ...(operation === 'autostart' ? [{ name: 'disable', type: 'boolean' as const, help: 'no longer start it with libvirt' }] : []),
      ...(operation === 'define' ? [{ name: 'force', type: 'boolean' as const, help: 'define even when the document has errors' }] : []),
      {
        name: 'dry-run',
        short: 'n',
        type: 'boolean',
        help:
          operation === 'define'
            ? 'check, then print the XML and the virsh command; change nothing'
            : operation === 'start'
              ? 'check that the host has the network, stopped and with usable VFs, then print the virsh command; change nothing'
              : 'check that the host has the network, then print the virsh command; change nothing',
      },
    ],
    operands: 'file',
    epilogue: 'Exit status: 0 done (or would be done), 1 refused or libvirt failed, 2 usage error, unreadable FILE or host failure.',
  };
}

export const NET_DEFINE_COMMAND = networkSpec('define');
export const NET_START_COMMAND = networkSpec('start');
export const NET_AUTOSTART_COMMAND = networkSpec('autostart');

export const DEFINE_COMMAND: CommandSpec = {
  name: 'define',
  synopsis: 'FILE --host TARGET [host options] [--force] [--dry-run] [--print-diff]',
  summary: 'virsh define the guest in FILE (its whole persistent definition)',
  description: `Checks FILE (one <domain> document) as the editor checks it and against the live inventory of the
host, then defines it there with virsh define --validate (libvirt's schema refuses a misspelt element
instead of dropping it). Refused unless --force: a document with errors, and one that lacks a VF or PCI
device the host's definition of that guest holds (attached with attach --config since FILE was written),
which virsh define would drop without a word.`,
  options: [
    ...HOST_OPTIONS,
    { name: 'force', type: 'boolean', help: 'define even when the document has errors or drops host devices' },
    { name: 'dry-run', short: 'n', type: 'boolean', help: 'check, then print the XML and the virsh command; change nothing' },
    {
      name: 'print-diff',
      type: 'boolean',
      help: "print the guest's persistent definition before/after as a unified diff (with --dry-run: against FILE as written)",
    },
  ],
  operands: 'file',
  epilogue: 'Exit status: 0 done (or would be done), 1 refused or libvirt failed, 2 usage error, unreadable FILE or host failure.',
};
