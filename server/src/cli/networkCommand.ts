// `libvirt-hostdev net-define|net-start|net-autostart FILE --host TARGET …`: a network XML document
// (above all a VF pool, <forward mode='hostdev'>) defined, started or marked autostart with virsh on
// the host, with attach's discipline (temp file removed by the host, quoted argv). net-define checks
// the document as `check --host` does, in one pass: its own errors and those against the live
// inventory of THAT host (a <pf dev> without VFs, pool addresses that are not VFs or that guests
// hold) together, and refuses errors unless --force; --dry-run stops before the change and prints
// the XML and the command.
import { networkArgv, runNetworkCommand, type NetworkOperation } from '../host/network';
import { ATTACH_FILE } from '../host/attach';
import { DEFAULT_LIBVIRT_URI } from '../../../shared/settings';
import { networkDocumentName, validate, type Problem } from '../service/index';
import {
  DEFAULT_COMMAND_TIMEOUT_MS,
  dryRunLines,
  printBeforeChange,
  hostFailureLine,
  printChange,
  projectPolicyFor,
  readLive,
  withTransport,
} from './hostCommands';
import { NET_AUTOSTART_COMMAND, NET_DEFINE_COMMAND, NET_START_COMMAND } from './commandSpecs';
import type { CliIO } from './io';
import { readDocumentFile } from './documentFile';
import { flagOption, hostOptionsFrom, parseCommand, stringOption, type CommandSpec } from './options';
import { UsageError } from './util';
import { inertControls } from '../../../shared/inertControls';
import { quotedName, shortName } from '../../../shared/quotedName';
import { buildIndex } from '../service/inventoryIndex';
import { poolPfFindings } from '../service/rules/networkHost';
import type { Inventory } from '../service/types';
import { firstCheckDone } from '../runtime/v8Settings';

const SPECS: Record<NetworkOperation, CommandSpec> = {
  define: NET_DEFINE_COMMAND,
  start: NET_START_COMMAND,
  autostart: NET_AUTOSTART_COMMAND,
};

/**
 * What virsh net-start or net-autostart would refuse on the host, in its words: a network the host does not
 * have, one already running (net-start), a pool whose <pf dev> has no usable VF (networkCreateInterfacePool).
 */
function hostNetworkRefusal(operation: Exclude<NetworkOperation, 'define'>, name: string, inventory: Inventory): string | null {
  const host = quotedName(inventory.host);
  const network = inventory.networks.find((n) => n.name === name);
  if (!network)
    return `network ${quotedName(name)} is not defined on ${host}: net-${operation} would fail ("Network not found: no network with matching name '${shortName(name)}'")`;
  if (operation !== 'start') return null;
  if (network.active)
    return `network ${quotedName(name)} is already active on ${host}: net-start would fail ("Requested operation is not valid: Network '${shortName(name)}' is already running")`;
  const index = buildIndex(inventory);
  const failures = (network.pfDevs ?? []).flatMap((dev) => poolPfFindings(dev, name, index).filter((f) => f.code === 'network-pf'));
  return failures.length > 0 ? `network ${quotedName(name)} on ${host}: ${failures[0].message}` : null;
}

export async function runNetworkCli(operation: NetworkOperation, args: string[], io: CliIO): Promise<number> {
  const command = `net-${operation}`;
  const { values: v, positionals } = parseCommand(SPECS[operation], args);
  const named = operation === 'define' ? undefined : stringOption(v, 'network');
  if (named === '') throw new UsageError('--network needs a NAME (it is empty)');
  if (named !== undefined && positionals.length > 0) throw new UsageError(`${command} takes FILE or --network NAME, not both`);
  if (named === undefined && positionals.length !== 1)
    throw new UsageError(`${command} takes exactly one FILE${operation === 'define' ? '' : ' (or --network NAME)'}`);
  const options = hostOptionsFrom(v, command, true)!;
  const dryRun = flagOption(v, 'dry-run');
  let text: string | null = null;
  let file = '';
  if (named === undefined) {
    file = positionals[0];
    const read = readDocumentFile(file, io);
    if ('exitCode' in read) return read.exitCode;
    text = read.text;
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
  // net-define checks the document as `check --host` would, under its project's config
  const policy = text !== null && operation === 'define' ? projectPolicyFor(file, io) : (problems: Problem[]): Problem[] => problems;
  if (typeof policy === 'number') return policy;
  const uri = options.connect ?? DEFAULT_LIBVIRT_URI;
  const call = { uri, operation, network: network ?? '', disable: flagOption(v, 'disable') };
  try {
    return await withTransport(options, io, async (t) => {
      if (operation === 'define' && text !== null) {
        const problems = policy(validate(text, { inventory: await readLive(options, io, t) }));
        firstCheckDone();
        const errors = printBeforeChange(io, file, text, problems);
        if (errors.length > 0 && !force) {
          io.stderr(`libvirt-hostdev: ${file} has ${errors.length} error(s); not sent to libvirt (use --force to define it anyway)\n`);
          return 1;
        }
      }
      if (dryRun && operation !== 'define') {
        // a dry run says what the real one would meet: virsh starts or marks the host's network, not FILE's
        const refusal = hostNetworkRefusal(operation, call.network, await readLive(options, io, t));
        if (refusal !== null) {
          // names from FILE, --network and the host: no terminal control of them reaches the terminal
          io.stderr(`libvirt-hostdev: ${inertControls(refusal)}\n`);
          return 1;
        }
      }
      if (dryRun) {
        if (operation === 'define') io.stdout(`${text}${text!.endsWith('\n') ? '' : '\n'}`);
        io.stderr(dryRunLines(networkArgv(call, ATTACH_FILE), options.host, operation === 'define'));
        return 0;
      }
      const result = await runNetworkCommand(t, {
        ...call,
        networkXml: text ?? undefined,
        timeoutMs: options.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
      });
      printChange(io, result);
      return result.ok ? 0 : 1;
    });
  } catch (e) {
    io.stderr(`libvirt-hostdev: ${hostFailureLine(e)}\n`);
    return 2;
  }
}
