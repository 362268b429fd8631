// `libvirt-hostdev attach|detach FILE --guest NAME --host TARGET …`: virsh attach-device /
// detach-device --config with the editor's discipline (temp file, quoted argv, removal).
import * as fs from 'node:fs';
import { attachDevice } from '../host/attach';
import { validate } from '../service/index';
import { DEFAULT_COMMAND_TIMEOUT_MS, formatProblem, hostOptionsFrom, singleDevice, withTransport, hostFailureLine, type CliIO } from './hostCommands';
import { flagOption, HOST_OPTIONS, parseCommand, stringOption, type CommandSpec } from './options';
import { decodeText, oneLine, UsageError } from './util';

function attachSpec(operation: 'attach' | 'detach'): CommandSpec {
  const verb = operation === 'attach' ? 'attaches' : 'detaches';
  return {
    name: operation,
    synopsis: 'FILE --guest NAME --host TARGET [host options] [--live] [--force]',
    summary: `virsh ${operation}-device --config the device in FILE`,
    description: `${operation === 'attach' ? 'Attaches the device in FILE to' : 'Detaches the device in FILE from'} the guest's persistent definition
(virsh ${operation}-device --config; --live also ${verb} it on the running guest). FILE holds one
<interface type='hostdev'> or <hostdev type='pci'> (alone or in a domain XML). A device with errors is
refused unless --force.`,
    options: [
      { name: 'guest', type: 'string', value: 'NAME', help: 'the guest (libvirt domain name)' },
      ...HOST_OPTIONS,
      { name: 'live', type: 'boolean', help: 'also change the running guest (--config --live)' },
      { name: 'force', type: 'boolean', help: `${operation} even when the device has errors` },
    ],
    epilogue: 'Exit status: 0 done, 1 refused (errors) or libvirt failed, 2 usage error, unreadable FILE or host failure.',
  };
}

export const ATTACH_COMMAND = attachSpec('attach');
export const DETACH_COMMAND = attachSpec('detach');

export async function runAttachCommand(operation: 'attach' | 'detach', args: string[], io: CliIO): Promise<number> {
  const { values: v, positionals } = parseCommand(operation === 'attach' ? ATTACH_COMMAND : DETACH_COMMAND, args);
  if (positionals.length !== 1) throw new UsageError(`${operation} takes exactly one FILE`);
  const guest = stringOption(v, 'guest');
  if (guest === undefined || guest === '') throw new UsageError(`${operation} needs --guest NAME`);
  const options = hostOptionsFrom(v, operation, true)!;
  const file = positionals[0];
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    io.stderr(`libvirt-hostdev: cannot read ${file}: ${oneLine(e)}\n`);
    return 2;
  }
  const { text, binaryAt } = decodeText(bytes);
  if (binaryAt !== null) {
    io.stderr(`libvirt-hostdev: ${file} is not a text file (NUL byte at offset ${binaryAt})\n`);
    return 2;
  }
  const device = singleDevice(text);
  if ('error' in device) {
    io.stderr(`libvirt-hostdev: ${file}: ${device.error}\n`);
    return 2;
  }
  const errors = validate(text, {}).filter((p) => p.severity === 'error');
  if (errors.length > 0) {
    for (const p of errors) io.stderr(formatProblem(file, text, p));
    if (!flagOption(v, 'force')) {
      io.stderr(`libvirt-hostdev: ${file} has ${errors.length} error(s); not sent to libvirt (use --force to ${operation} anyway)\n`);
      return 1;
    }
  }
  try {
    const result = await withTransport(options, io, (t) => attachDevice(t, {
      uri: options.connect, guest, deviceXml: device.xml, operation, live: flagOption(v, 'live'),
      timeoutMs: options.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
    }));
    io.stderr(`$ ${result.commandLine}\n`);
    (result.ok ? io.stdout : io.stderr)(result.message + '\n');
    return result.ok ? 0 : 1;
  } catch (e) {
    io.stderr(`libvirt-hostdev: ${hostFailureLine(e)}\n`);
    return 2;
  }
}
