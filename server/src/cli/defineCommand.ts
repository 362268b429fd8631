// `libvirt-hostdev define FILE --host TARGET …`: a guest's whole persistent definition from FILE, with
// `virsh define --validate` on the host and attach's discipline (temp file removed by the host, quoted
// argv), as the editor's Define lens does. FILE is checked as `check --host` checks it, against THAT
// host's live inventory, and refused unless --force when it has errors or lacks a host device the host's
// definition of the guest holds: virsh define would drop it without a word. --dry-run stops before the
// change and prints the XML and the command; --print-diff shows the guest's definition before and after.
import { defineArgv, defineGuest, readGuestDefinition } from '../host/guestDefinition';
import { ATTACH_FILE } from '../host/attach';
import { inertControls } from '../../../shared/inertControls';
import { DEFAULT_LIBVIRT_URI } from '../../../shared/settings';
import { activeGuestNote, createLanguageService, leftOutMessage } from '../service/index';
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
import { DEFINE_COMMAND } from './commandSpecs';
import type { CliIO } from './io';
import { readDocumentFile } from './documentFile';
import { definitionDiff } from './definitionDiff';
import { flagOption, hostOptionsFrom, parseCommand } from './options';
import { UsageError } from './util';
import { firstCheckDone } from '../runtime/v8Settings';

export async function runDefineCli(args: string[], io: CliIO): Promise<number> {
  const { values: v, positionals } = parseCommand(DEFINE_COMMAND, args);
  if (positionals.length !== 1) throw new UsageError('define takes exactly one FILE');
  const options = hostOptionsFrom(v, 'define', true)!;
  const file = positionals[0];
  const read = readDocumentFile(file, io);
  if ('exitCode' in read) return read.exitCode;
  const text = read.text;
  const service = createLanguageService();
  const document = service.parseDocument(text);
  const named = service.guestDocumentName(document);
  if (!named) {
    io.stderr(`libvirt-hostdev: ${file}: not a domain XML document (virsh define reads one <domain> and nothing else)\n`);
    return 2;
  }
  const guest = named.name;
  if (!guest) {
    io.stderr(`libvirt-hostdev: ${file}: the domain has no <name>\n`);
    return 2;
  }
  const policy = projectPolicyFor(file, io);
  if (typeof policy === 'number') return policy;
  const force = flagOption(v, 'force');
  const uri = options.connect ?? DEFAULT_LIBVIRT_URI;
  try {
    return await withTransport(options, io, async (t) => {
      const inventory = await readLive(options, io, t);
      const problems = policy(service.validate(document, { inventory }));
      firstCheckDone();
      const errors = printBeforeChange(io, file, text, problems);
      const dropped = service.devicesLeftOut(document, guest, { inventory });
      // the host's name as its snapshot has it: no terminal control of it reaches the terminal
      if (dropped.length > 0) io.stderr(`libvirt-hostdev: ${file}: ${inertControls(leftOutMessage(guest, inventory.host, dropped))}\n`);
      if ((errors.length > 0 || dropped.length > 0) && !force) {
        const why = [errors.length > 0 ? `${errors.length} error(s)` : '', dropped.length > 0 ? 'host devices it would drop' : '']
          .filter((w) => w !== '')
          .join(' and ');
        io.stderr(`libvirt-hostdev: ${file} has ${why}; not sent to libvirt (use --force to define it anyway)\n`);
        return 1;
      }
      const timeoutMs = options.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
      // a guest the host has no persistent definition of starts from nothing
      const persistent = inventory.guests.some((g) => g.name === guest && g.persistent);
      const before = !flagOption(v, 'print-diff') ? null : persistent ? await readGuestDefinition(t, { uri, guest, timeoutMs }) : '';
      if (flagOption(v, 'dry-run')) {
        io.stdout(`${text}${text.endsWith('\n') ? '' : '\n'}`);
        io.stderr(dryRunLines(defineArgv(uri, ATTACH_FILE), options.host, true));
        if (before !== null) io.stdout(definitionDiff(guest, before, text, `${file} as written`));
        return 0;
      }
      const result = await defineGuest(t, { uri, domainXml: text, timeoutMs });
      printChange(io, result);
      const note = result.ok ? activeGuestNote(guest, { inventory }) : null;
      if (note) io.stderr(`libvirt-hostdev: ${inertControls(note)}\n`);
      if (before !== null && result.ok) io.stdout(definitionDiff(guest, before, await readGuestDefinition(t, { uri, guest, timeoutMs })));
      return result.ok ? 0 : 1;
    });
  } catch (e) {
    io.stderr(`libvirt-hostdev: ${hostFailureLine(e)}\n`);
    return 2;
  }
}
