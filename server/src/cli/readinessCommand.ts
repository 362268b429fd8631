// `libvirt-hostdev readiness`: the guide's steps 1-8 (and the VF pools) against a live host (one
// exec), printed like virt-host-validate. Exit 0: no check failed (warnings allowed); 1: a check failed; 2: usage or host error.
import { quotedName } from '../../../shared/quotedName';
import { shellJoin } from '../../../shared/shellQuote';
import { readinessChecks, type NetworkFixCommand, type ReadinessCheck } from '../service/readinessChecks';
import { READINESS_COMMAND } from './commandSpecs';
import { fetchLive, hostFailureLine, withTransport } from './hostCommands';
import type { CliIO } from './io';
import { hostOptionsFrom, parseCommand, stringOption, type HostCliOptions } from './options';
import { inertControls, UsageError } from './util';

/**
 * One line of the report as the terminal shows it: names read from the host (interfaces, drivers,
 * files) may hold terminal controls or a line feed, which would repaint the screen or forge a line.
 */
function oneLine(text: string): string {
  return inertControls(text).replace(/\n/g, '\\n');
}

function formatText(host: string, checks: readonly ReadinessCheck[]): string {
  const width = Math.max(...checks.map((c) => c.title.length)) + 8;
  const lines = [`Readiness of ${oneLine(quotedName(host))} for SR-IOV VF assignment:`];
  for (const c of checks) {
    lines.push(`${`  ${c.step}. ${c.title}`.padEnd(width)}: ${c.status.toUpperCase()}`);
    for (const d of c.details) lines.push(`       ${oneLine(d)}`);
  }
  return lines.join('\n') + '\n';
}

/** `libvirt-hostdev net-start|net-autostart --network NAME` on the host this run read, quoted for a shell. */
function networkFixFor(o: HostCliOptions): NetworkFixCommand {
  const reach = [
    ...['--host', o.host],
    ...(o.connect !== undefined ? ['--connect', o.connect] : []),
    ...(o.identityFile !== undefined ? ['--identity', o.identityFile] : []),
    ...(o.sshConfigFile !== undefined ? ['--ssh-config', o.sshConfigFile] : []),
    ...(o.transport !== undefined ? ['--transport', o.transport] : []),
  ];
  return (verb, network) => shellJoin(['libvirt-hostdev', verb, '--network', network, ...reach]);
}

export async function runReadinessCommand(args: string[], io: CliIO): Promise<number> {
  const { values: v, positionals } = parseCommand(READINESS_COMMAND, args);
  if (positionals.length > 0) throw new UsageError(`readiness takes no FILE ('${positionals[0]}')`);
  const format = stringOption(v, 'format') ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, not '${format}'`);
  const options = hostOptionsFrom(v, 'readiness', true)!;
  let checks: ReadinessCheck[];
  try {
    checks = await withTransport(options, io, async (t) => {
      const result = await fetchLive(options, t);
      return readinessChecks(result.inventory, result.warnings, networkFixFor(options));
    });
  } catch (e) {
    io.stderr(`libvirt-hostdev: ${hostFailureLine(e)}\n`);
    return 2;
  }
  io.stdout(format === 'json' ? JSON.stringify({ host: options.host, checks }, null, 2) + '\n' : formatText(options.host, checks));
  return checks.some((c) => c.status === 'fail') ? 1 : 0;
}
