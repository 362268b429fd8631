// `virsh attach-device` / `detach-device` on a host. The device XML goes to a private temp file that
// the host removes by itself (stdinFileScript), virsh runs with every argument quoted by shellJoin, in
// one exec. --config is always
// given (persistent definition, works on a shut-off guest); --live adds the running guest, which
// is virsh's "--persistent" meaning for a running domain (tools/virsh-domain.c cmdAttachDevice).
// runVirshChange runs every virsh command that changes a host (define and the network commands too).
import type { AttachDeviceResult } from '../../../shared/protocol';
import { DEFAULT_LIBVIRT_URI } from '../../../shared/settings';
import { quotedName } from '../../../shared/quotedName';
import { shellJoin, shellQuote } from '../../../shared/shellQuote';
import { readUuid } from '../../../shared/uuid';
import { HostError, type Transport } from './transport';

export interface AttachDeviceOptions {
  /** libvirt URI; default qemu:///system */
  uri?: string;
  guest: string;
  deviceXml: string;
  operation: 'attach' | 'detach';
  live: boolean;
  timeoutMs: number;
}

/** The argv virsh gets (the temp file path filled in). `--` ends options, so a guest named '-x' stays a name. */
export function attachArgv(options: Pick<AttachDeviceOptions, 'uri' | 'guest' | 'operation' | 'live'>, file: string): string[] {
  const argv = ['virsh', '-c', options.uri ?? DEFAULT_LIBVIRT_URI, `${options.operation}-device`, '--config'];
  if (options.live) argv.push('--live');
  argv.push('--domain', domainByName(options.guest), '--file', file);
  return argv;
}

/** a number virsh's virStrToLong_i takes whole (blanks before it, a sign): an ID, when it is 0 or more */
const DOMAIN_ID = /^[ \t\n\v\f\r]*[+-]?[0-9]+$/;
const INT_MAX = 2 ** 31 - 1;

/**
 * `name` for virsh's --domain, which looks a guest up by ID first, then by UUID, then by name: a guest
 * named `1` would be the running guest of ID 1, one named like another guest's UUID that guest. Such a
 * name cannot be given safely, so it is refused (HostError 'config') before anything runs.
 */
export function domainByName(name: string): string {
  const id = DOMAIN_ID.test(name) ? Number(name.trim()) : NaN;
  const asId = Number.isInteger(id) && id >= 0 && id <= INT_MAX;
  const asUuid = name.length === 36 && readUuid(name) !== null;
  if (asId || asUuid)
    throw new HostError(
      'config',
      `virsh reads the guest name ${quotedName(name)} as a domain ${asId ? 'ID' : 'UUID'} before it reads it as a name, ` +
        'so it could act on another guest: rename the guest (virsh domrename) to use it here',
    );
  return name;
}

/**
 * The whole remote side of a virsh command that reads an XML file (`argv` names ATTACH_FILE) in one
 * shell, so the host cleans up whatever happens to the client: the XML (on stdin) goes to a mktemp file
 * (0600 under umask 077), the file is opened as virsh's stdin and removed BEFORE virsh runs, and virsh
 * reads it through /dev/stdin. Only the few milliseconds of `cat` see the file on disk, and the traps
 * remove it if the shell is stopped then (HUP, INT, TERM, PIPE, or the connection closing stdin early).
 * Nothing is left after a kill, a timeout or a drop.
 */
export function stdinFileScript(argv: readonly string[]): string {
  return (
    'umask 077; f=$(mktemp "${TMPDIR:-/tmp}/libvirt-hostdev.XXXXXXXXXX") || exit 1; ' +
    'trap \'rm -f "$f"\' EXIT; trap "exit 129" HUP; trap "exit 130" INT; trap "exit 143" TERM; trap "exit 141" PIPE; ' +
    'cat > "$f" || exit 1; exec < "$f"; rm -f "$f"; trap - EXIT; ' +
    // LC_ALL=C: libvirt's message is shown to the user; C keeps it identical to the documentation and bug reports
    `LC_ALL=C exec ${shellJoin(argv)}`
  );
}

/** what virsh reads: the removed temp file, open as its stdin */
export const ATTACH_FILE = '/dev/stdin';

export async function attachDevice(transport: Transport, options: AttachDeviceOptions): Promise<AttachDeviceResult> {
  return runVirshChange(transport, attachArgv(options, ATTACH_FILE), {
    xml: options.deviceXml,
    timeoutMs: options.timeoutMs,
    success: `Device ${options.operation === 'attach' ? 'attached' : 'detached'} successfully`,
  });
}

/**
 * A virsh command that changes the host (attach, detach, define, the network commands), in one exec: with
 * `xml`, through stdinFileScript (`argv` names ATTACH_FILE); without, as it is, every argument quoted.
 * libvirt's own answer, `success` when virsh printed nothing; a failure of the connection throws.
 */
export async function runVirshChange(
  transport: Transport,
  argv: readonly string[],
  options: { xml?: string; timeoutMs: number; success: string },
): Promise<AttachDeviceResult> {
  const commandLine = shellJoin(argv);
  try {
    const result =
      options.xml !== undefined
        ? await transport.exec(`sh -c ${shellQuote(stdinFileScript(argv))}`, { stdin: options.xml, timeoutMs: options.timeoutMs })
        : await transport.exec(`LC_ALL=C ${commandLine}`, { timeoutMs: options.timeoutMs });
    const ok = result.code === 0;
    const message =
      (ok ? result.stdout : result.stderr || result.stdout).trim() ||
      (ok ? options.success : `virsh exited with ${result.code ?? 'a signal'}`);
    return { ok, message, commandLine };
  } catch (e) {
    if (e instanceof HostError && e.kind !== 'command') throw e;
    return { ok: false, message: e instanceof Error ? e.message : String(e), commandLine };
  }
}
