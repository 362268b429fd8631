// `libvirt-hostdev readiness`: the guide's steps 1-8 against a live host (one exec), printed like
// virt-host-validate. Exit 0: no check failed (warnings allowed); 1: a check failed; 2: usage or host error.
import { readinessChecks, type ReadinessCheck } from '../service/readinessChecks';
import { fetchLive, hostFailureLine, hostOptionsFrom, withTransport, type CliIO } from './hostCommands';
import { HOST_OPTIONS, parseCommand, stringOption, type CommandSpec } from './options';
import { UsageError } from './util';

export const READINESS_COMMAND: CommandSpec = {
  name: 'readiness',
  synopsis: '--host TARGET [host options] [--format text|json]',
  summary: "check the host's readiness for VF assignment (IOMMU, driver, VFs, persistence, vfio-pci)",
  description: `Checks the SR-IOV guide's steps 1-8 on a host, the way virt-host-validate checks its own: the IOMMU,
the SR-IOV card and its driver, VFs created and recreated at boot, VFs visible to libvirt, free VFs, and
vfio-pci. Each check prints PASS, WARN or FAIL with what it found and how to fix it.`,
  options: [...HOST_OPTIONS, { name: 'format', short: 'f', type: 'string', value: 'FORMAT', help: 'text (default) or json' }],
  epilogue: 'Exit status: 0 no check failed (warnings allowed), 1 a check failed, 2 usage error or host failure.',
};

function formatText(host: string, checks: readonly ReadinessCheck[]): string {
  const width = Math.max(...checks.map((c) => c.title.length)) + 8;
  const lines = [`Readiness of ${host} for SR-IOV VF assignment:`];
  for (const c of checks) {
    lines.push(`${`  ${c.step}. ${c.title}`.padEnd(width)}: ${c.status.toUpperCase()}`);
    for (const d of c.details) lines.push(`       ${d}`);
  }
  return lines.join('\n') + '\n';
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
      return readinessChecks(result.inventory, result.warnings);
    });
  } catch (e) {
    io.stderr(`libvirt-hostdev: ${hostFailureLine(e)}\n`);
    return 2;
  }
  io.stdout(format === 'json' ? JSON.stringify({ host: options.host, checks }, null, 2) + '\n' : formatText(options.host, checks));
  return checks.some((c) => c.status === 'fail') ? 1 : 0;
}
