// `libvirt-hostdev readiness`: the guide's steps 1-8 (and the VF pools) against a live host (one
// exec), printed like virt-host-validate. Exit 0: no check failed (warnings allowed); 1: a check failed; 2: usage or host error.
import { shellJoin } from '../../../shared/shellQuote';
import { readinessChecks, type NetworkFixCommand } from '../service/readinessChecks';
import { readinessReport } from '../service/readinessReport';
import type { ReadinessCheck } from '../../../shared/readiness';
import { READINESS_COMMAND } from './commandSpecs';
import { fetchLive, hostFailureLine, withTransport } from './hostCommands';
import type { CliIO } from './io';
import { hostOptionsFrom, parseCommand, stringOption, type HostCliOptions } from './options';
import { UsageError } from './util';

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
  io.stdout(format === 'json' ? JSON.stringify({ host: options.host, checks }, null, 2) + '\n' : readinessReport(options.host, checks));
  return checks.some((c) => c.status === 'fail') ? 1 : 0;
}
