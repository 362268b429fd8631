// `libvirt-hostdev net-define|net-start|net-autostart FILE --host TARGET …`: a network XML document
// (above all a VF pool, <forward mode='hostdev'>) defined, started or marked autostart with virsh on
// the host, with attach's discipline (temp file removed by the host, quoted argv). net-define checks
// the document first, as the editor does and against the live inventory of THAT host (a <pf dev>
// without VFs, pool addresses that are not VFs or that guests hold), and refuses errors unless
// --force; --dry-run stops before the change and prints the XML and the command.
import * as fs from 'node:fs';
import { networkArgv, runNetworkCommand, type NetworkOperation } from '../host/network';
import { shellJoin } from '../host/quote';
import { DEFAULT_LIBVIRT_URI } from '../../../shared/settings';
import { networkDocumentName, validate } from '../service/index';
import {
  DEFAULT_COMMAND_TIMEOUT_MS,
  formatProblem,
  hostFailureLine,
  hostOptionsFrom,
  readLive,
  withTransport,
  type CliIO,
} from './hostCommands';
import { flagOption, HOST_OPTIONS, parseCommand, stringOption, type CommandSpec } from './options';
import { decodeText, oneLine, UsageError } from './util';

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
      { name: 'dry-run', short: 'n', type: 'boolean', help: 'check, then print the virsh command (and the XML); change nothing' },
    ],
    epilogue: 'Exit status: 0 done (or would be done), 1 refused or libvirt failed, 2 usage error, unreadable FILE or host failure.',
  };
}

export const NET_DEFINE_COMMAND = networkSpec('define');
export const NET_START_COMMAND = networkSpec('start');
export const NET_AUTOSTART_COMMAND = networkSpec('autostart');

const SPECS: Record<NetworkOperation, CommandSpec> = {
  define: NET_DEFINE_COMMAND,
  start: NET_START_COMMAND,
  autostart: NET_AUTOSTART_COMMAND,
};

export async function runNetworkCli(operation: NetworkOperation, args: string[], io: CliIO): Promise<number> {
  const command = `net-${operation}`;
  const { values: v, positionals } = parseCommand(SPECS[operation], args);
  const named = operation === 'define' ? undefined : stringOption(v, 'network');
  if (named !== undefined && (named === '' || positionals.length > 0))
    throw new UsageError(`${command} takes FILE or --network NAME, not both`);
  if (named === undefined && positionals.length !== 1)
    throw new UsageError(`${command} takes exactly one FILE${operation === 'define' ? '' : ' (or --network NAME)'}`);
  const options = hostOptionsFrom(v, command, true)!;
  const dryRun = flagOption(v, 'dry-run');
  let text: string | null = null;
  let file = '';
  if (named === undefined) {
    file = positionals[0];
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(file);
    } catch (e) {
      io.stderr(`libvirt-hostdev: cannot read ${file}: ${oneLine(e)}\n`);
      return 2;
    }
    const decoded = decodeText(bytes);
    if (decoded.binaryAt !== null) {
      io.stderr(`libvirt-hostdev: ${file} is not a text file (NUL byte at offset ${decoded.binaryAt})\n`);
      return 2;
    }
    text = decoded.text;
  }
  const document = text === null ? null : networkDocumentName(text);
  if (text !== null && !document) {
    io.stderr(`libvirt-hostdev: ${file}: not a network XML document (its root element is not <network>)\n`);
    return 2;
  }
  const network = named ?? document?.name ?? null;
  if ((network === null || network === '') && operation !== 'define') {
    io.stderr(`libvirt-hostdev: ${file}: the network has no <name>\n`);
    return 2;
  }
  const force = flagOption(v, 'force');
  if (operation === 'define' && text !== null) {
    const errors = validate(text, {}).filter((p) => p.severity === 'error');
    for (const p of errors) io.stderr(formatProblem(file, text, p));
    if (errors.length > 0 && !force) {
      io.stderr(`libvirt-hostdev: ${file} has ${errors.length} error(s); not sent to libvirt (use --force to define it anyway)\n`);
      return 1;
    }
  }
  const uri = options.connect ?? DEFAULT_LIBVIRT_URI;
  const call = { uri, operation, network: network ?? '', disable: flagOption(v, 'disable') };
  try {
    return await withTransport(options, io, async (t) => {
      if (operation === 'define' && text !== null) {
        const inventory = await readLive(options, io, t);
        const problems = validate(text, { inventory }).filter((p) => p.severity !== 'hint' && p.severity !== 'information');
        const hostErrors = problems.filter((p) => p.severity === 'error');
        for (const p of problems)
          if (p.code.startsWith('network-') || p.code === 'vf-not-persistent') io.stderr(formatProblem(file, text, p));
        if (hostErrors.length > 0 && !force) {
          io.stderr(`libvirt-hostdev: ${options.host} disagrees; nothing changed (use --force to define it anyway)\n`);
          return 1;
        }
      }
      if (dryRun) {
        if (operation === 'define') io.stdout(`${text}${text!.endsWith('\n') ? '' : '\n'}`);
        io.stderr(
          `would run: ${shellJoin(networkArgv(call, '<temp file>'))}\n(${operation === 'define' ? `with the XML above in a private temp file on ${options.host}; ` : ''}nothing changed)\n`,
        );
        return 0;
      }
      const result = await runNetworkCommand(t, {
        ...call,
        networkXml: text ?? undefined,
        timeoutMs: options.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
      });
      io.stderr(`$ ${result.commandLine}\n`);
      (result.ok ? io.stdout : io.stderr)(result.message + '\n');
      return result.ok ? 0 : 1;
    });
  } catch (e) {
    io.stderr(`libvirt-hostdev: ${hostFailureLine(e)}\n`);
    return 2;
  }
}
