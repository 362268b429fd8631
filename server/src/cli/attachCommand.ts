// `libvirt-hostdev attach|detach FILE --guest NAME --host TARGET …`: virsh attach-device /
// detach-device --config with the editor's discipline (temp file, quoted argv, removal). Before the
// host is changed, the device is checked against the live inventory of THAT host: an address the
// host does not have, a VF a running guest holds, or (detach) a device the guest does not have is
// refused unless --force. --dry-run stops before the change and prints the XML and the command;
// --print-diff shows the guest's persistent definition before and after.
import { ATTACH_FILE, attachArgv, attachDevice } from '../host/attach';
import { readGuestDefinition } from '../host/guestDefinition';
import { quotedName, quotedNames } from '../../../shared/quotedName';
import { DEFAULT_LIBVIRT_URI } from '../../../shared/settings';
import { checkDeviceForGuest, documentSymbols, validate, type Inventory, type Problem } from '../service/index';
import {
  DEFAULT_COMMAND_TIMEOUT_MS,
  dryRunLines,
  formatProblem,
  hostFailureLine,
  printChange,
  projectPolicyFor,
  readLive,
  singleDevice,
  withTransport,
} from './hostCommands';
import { ATTACH_COMMAND, DETACH_COMMAND, type AttachOperation } from './commandSpecs';
import type { CliIO } from './io';
import { flagOption, hostOptionsFrom, parseCommand, stringOption, type HostCliOptions } from './options';
import { UsageError } from './util';
import { readDocumentFile } from './documentFile';
import { definitionDiff } from './definitionDiff';
import { firstCheckDone } from '../runtime/v8Settings';

export async function runAttachCommand(operation: AttachOperation, args: string[], io: CliIO): Promise<number> {
  const { values: v, positionals } = parseCommand(operation === 'attach' ? ATTACH_COMMAND : DETACH_COMMAND, args);
  if (positionals.length !== 1) throw new UsageError(`${operation} takes exactly one FILE`);
  const guest = stringOption(v, 'guest');
  if (guest === undefined || guest === '') throw new UsageError(`${operation} needs --guest NAME`);
  const options = hostOptionsFrom(v, operation, true)!;
  const force = flagOption(v, 'force');
  const dryRun = flagOption(v, 'dry-run');
  const printDiff = flagOption(v, 'print-diff');
  const file = positionals[0];
  const read = readDocumentFile(file, io);
  if ('exitCode' in read) return read.exitCode;
  const { text } = read;
  const device = singleDevice(text);
  if ('error' in device) {
    io.stderr(`libvirt-hostdev: ${file}: ${device.error}\n`);
    return 2;
  }
  // The text alone first, under its project's config as `check` has it: a device with errors (or a bad
  // config) never costs a connection.
  const policy = projectPolicyFor(file, io);
  if (typeof policy === 'number') return policy;
  const errors = policy(validate(text, {})).filter((p) => p.severity === 'error');
  firstCheckDone();
  if (errors.length > 0) {
    for (const p of errors) io.stderr(formatProblem(file, text, p));
    if (!force) {
      io.stderr(`libvirt-hostdev: ${file} has ${errors.length} error(s); not sent to libvirt (use --force to ${operation} anyway)\n`);
      return 1;
    }
  }
  const live = flagOption(v, 'live');
  const timeoutMs = options.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
  const uri = options.connect ?? DEFAULT_LIBVIRT_URI;
  try {
    return await withTransport(options, io, async (t) => {
      const inventory = await readLive(options, io, t);
      const refusals = hostRefusals(operation, guest, device.xml, inventory, options);
      for (const p of refusals.problems)
        io.stderr(formatProblem(file, text, { ...p, span: { start: p.span.start + device.start, end: p.span.end + device.start } }));
      for (const reason of refusals.reasons) io.stderr(`libvirt-hostdev: ${reason}\n`);
      const refused = refusals.reasons.length > 0 || refusals.problems.some((p) => p.severity === 'error');
      if (refused && !force) {
        io.stderr(`libvirt-hostdev: ${quotedName(options.host)} disagrees; nothing changed (use --force to ${operation} anyway)\n`);
        return 1;
      }
      const before = printDiff ? await readGuestDefinition(t, { uri, guest, timeoutMs }) : null;
      if (dryRun) {
        io.stdout(`${device.xml}\n`);
        io.stderr(dryRunLines(attachArgv({ uri, guest, operation, live }, ATTACH_FILE), options.host, true));
        if (before !== null)
          io.stdout(
            definitionDiff(guest, before, operation === 'attach' ? predictAttach(before, device.xml) : predictDetach(before, device.xml)),
          );
        return 0;
      }
      const result = await attachDevice(t, { uri, guest, deviceXml: device.xml, operation, live, timeoutMs });
      printChange(io, result);
      if (before !== null && result.ok) io.stdout(definitionDiff(guest, before, await readGuestDefinition(t, { uri, guest, timeoutMs })));
      return result.ok ? 0 : 1;
    });
  } catch (e) {
    io.stderr(`libvirt-hostdev: ${hostFailureLine(e)}\n`);
    return 2;
  }
}

/** Why the host's inventory says no: problems at the device (attach) and reasons without a place. */
export function hostRefusals(
  operation: AttachOperation,
  guest: string,
  deviceXml: string,
  inventory: Inventory,
  options: HostCliOptions,
): { problems: Problem[]; reasons: string[] } {
  const target = inventory.guests.find((g) => g.name === guest);
  if (!target) {
    const names = inventory.guests.map((g) => g.name);
    return {
      problems: [],
      reasons: [
        `no guest named ${quotedName(guest)} on ${quotedName(options.host)} (${options.connect ?? DEFAULT_LIBVIRT_URI}${names.length ? `; guests: ${quotedNames(names.slice(0, 10))}${names.length > 10 ? ', …' : ''}` : ''})`,
      ],
    };
  }
  if (operation === 'attach') return { problems: checkDeviceForGuest(deviceXml, guest, { inventory }), reasons: [] };
  const address = deviceAddress(deviceXml);
  const has = target.devices.some((d) => d.config && d.address.toLowerCase() === address.toLowerCase());
  return { problems: [], reasons: has ? [] : [`the persistent definition of ${quotedName(guest)} has no device at ${address}`] };
}

/** The host address of the one device of `deviceXml` ("0000:0b:10.0"), as detach looks it up. */
function deviceAddress(deviceXml: string): string {
  return documentSymbols(deviceXml)[0]?.name.split(' ').pop() ?? '';
}

/**
 * What --dry-run --print-diff shows for detach: the definition without the lines of its first device at
 * the address of `deviceXml` (the one hostRefusals found); the definition as it is when it has none.
 */
function predictDetach(before: string, deviceXml: string): string {
  const address = deviceAddress(deviceXml).toLowerCase();
  const found = documentSymbols(before).find((s) => s.name.split(' ').pop()?.toLowerCase() === address);
  if (!found) return before;
  const start = before.lastIndexOf('\n', found.span.start - 1) + 1;
  const lineEnd = before.indexOf('\n', found.span.end);
  const end = lineEnd < 0 ? before.length : lineEnd + 1;
  // only whole lines go: text beside the device on its first or last line stays
  const whole = before.slice(start, found.span.start).trim() === '' && before.slice(found.span.end, end).trim() === '';
  return whole ? before.slice(0, start) + before.slice(end) : before.slice(0, found.span.start) + before.slice(found.span.end);
}

/** What --dry-run --print-diff shows for attach: the device as the last one in <devices>, as libvirt appends it. */
function predictAttach(before: string, deviceXml: string): string {
  const end = before.lastIndexOf('</devices>');
  if (end < 0) return before;
  const lineStart = before.lastIndexOf('\n', end) + 1;
  const indent = before.slice(lineStart, end);
  const inner = `${indent}  `;
  const device = deviceXml
    .trim()
    .split(/\r?\n/)
    .map((l) => inner + l)
    .join('\n');
  return `${before.slice(0, lineStart)}${device}\n${before.slice(lineStart)}`;
}
