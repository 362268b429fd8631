// Entry of the `libvirt-hostdev` CLI. `main` is what tests call in-process; the bottom of the file
// is the bin entry (dist/cli.js), which only maps process.argv/stdin/stdout/stderr onto it.
import {
  ATTACH_COMMAND,
  CHECK_COMMAND,
  COMPLETION_COMMAND,
  DETACH_COMMAND,
  INVENTORY_COMMAND,
  NET_AUTOSTART_COMMAND,
  DEFINE_COMMAND,
  NET_DEFINE_COMMAND,
  NET_START_COMMAND,
  NEW_INTERFACE_COMMAND,
  READINESS_COMMAND,
  RULES_COMMAND,
  VFS_COMMAND,
} from './commandSpecs';
import { cannotWrite, readStandardInput, type CliIO } from './io';
import { DescriptorOutput, isTerminal } from './stdio';
import { hostCommandsLoaded, loadCheckCommand, loadCompletion, loadHostCommands, loadRulesCommand } from './lazy';
import { commandHelp, wantsHelp, type CommandSpec } from './options';
import { cliVersion } from './version';
import { oneLine, UsageError } from './util';
import { didYouMeanNote, nearestWord } from '../../../shared/nearestWord';
import { applyProcessSettings } from '../runtime/v8Settings';

export type { CliIO } from './io';

interface Command {
  spec: CommandSpec;
  run(args: string[], io: CliIO): Promise<number>;
  /** it checks documents (then it starts with runtime/v8Settings.ts's settings, which cost the others a few ms for nothing) */
  checks?: true;
}

/**
 * Every subcommand, in the order `--help` lists them. A new command is one entry here; its module is
 * loaded only when it runs (lazy.ts).
 */
export const COMMANDS: readonly Command[] = [
  { spec: CHECK_COMMAND, run: (args, io) => loadCheckCommand().runCheck(args, io), checks: true },
  { spec: RULES_COMMAND, run: (args, io) => loadRulesCommand().runRulesCommand(args, io) },
  { spec: INVENTORY_COMMAND, run: (args, io) => loadHostCommands().runInventoryCommand(args, io) },
  { spec: VFS_COMMAND, run: (args, io) => loadHostCommands().runVfsCommand(args, io) },
  { spec: READINESS_COMMAND, run: (args, io) => loadHostCommands().runReadinessCommand(args, io) },
  { spec: ATTACH_COMMAND, run: (args, io) => loadHostCommands().runAttachCommand('attach', args, io), checks: true },
  { spec: DETACH_COMMAND, run: (args, io) => loadHostCommands().runAttachCommand('detach', args, io), checks: true },
  { spec: NEW_INTERFACE_COMMAND, run: (args, io) => loadHostCommands().runNewInterfaceCommand(args, io) },
  { spec: DEFINE_COMMAND, run: (args, io) => loadHostCommands().runDefineCli(args, io), checks: true },
  { spec: NET_DEFINE_COMMAND, run: (args, io) => loadHostCommands().runNetworkCli('define', args, io), checks: true },
  { spec: NET_START_COMMAND, run: (args, io) => loadHostCommands().runNetworkCli('start', args, io) },
  { spec: NET_AUTOSTART_COMMAND, run: (args, io) => loadHostCommands().runNetworkCli('autostart', args, io) },
  { spec: COMPLETION_COMMAND, run: async (args, io) => loadCompletion().runCompletionCommand(args, io) },
];

/** What the completion scripts run on each TAB (completion.ts); not listed in the help. */
const COMPLETE_COMMAND = '__complete';

export function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.spec.name.length)) + 4;
  const lines = COMMANDS.map((c) => `  ${c.spec.name.padEnd(width)}${c.spec.summary}`);
  return `Usage: libvirt-hostdev <command> [options]

Commands:
${lines.join('\n')}

Run 'libvirt-hostdev <command> --help' (or 'libvirt-hostdev help <command>') for the options of a command.

Options:
  -h, --help      show this help
  -V, --version   show the version
`;
}

/** Runs one CLI invocation; `argv` excludes node and the script. Never throws; returns the exit code. */
export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  const command = COMMANDS.find((c) => c.spec.name === name);
  try {
    if (name === undefined) {
      io.stderr(usage());
      return 2;
    }
    if (name === '-h' || name === '--help') {
      io.stdout(usage());
      return 0;
    }
    if (name === 'help') {
      const about = COMMANDS.find((c) => c.spec.name === rest[0]);
      if (rest.length > 0 && !about) throw unknownCommand(rest[0]);
      io.stdout(about ? commandHelp(about.spec) : usage());
      return 0;
    }
    if (name === '-V' || name === '--version') {
      io.stdout(`libvirt-hostdev ${cliVersion()}\n`);
      return 0;
    }
    if (name === COMPLETE_COMMAND)
      return loadCompletion().runCompleteCommand(
        rest,
        COMMANDS.map((c) => c.spec),
        io,
      );
    if (!command) throw unknownCommand(name);
    if (wantsHelp(rest)) {
      io.stdout(commandHelp(command.spec));
      return 0;
    }
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      const help = command ? `libvirt-hostdev ${command.spec.name} --help` : 'libvirt-hostdev --help';
      io.stderr(`libvirt-hostdev: ${oneLine(e)}\nTry '${help}'.\n`);
      return 2;
    }
    // Anything else is a bug or an environment failure: one line, exit 2, never a stack dump.
    io.stderr(`libvirt-hostdev: ${oneLine(e)}\n`);
    return 2;
  }
}

/** `unknown command 'chek' (did you mean 'check'?)` */
function unknownCommand(name: string): UsageError {
  const near = nearestWord(
    name,
    COMMANDS.map((c) => c.spec.name),
  );
  return new UsageError(`unknown command '${name}'${didYouMeanNote(near)}`);
}

/** FORCE_COLOR's values that turn colour on, as node's tty.getColorDepth() and chalk read them; any other value turns it off. */
const FORCE_COLOR_ON = new Set(['', '1', 'true', '2', '3']);

/**
 * Colour only for a person at a terminal; NO_COLOR (https://no-color.org) wins, then FORCE_COLOR
 * decides when it is set (FORCE_COLOR=0 is off, as for node and chalk).
 */
export function wantsColour(env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return FORCE_COLOR_ON.has(env.FORCE_COLOR);
  return isTTY && env.TERM !== 'dumb';
}

if (require.main === module) {
  // the optimizing compiler held back until the command has checked its first document (runtime/v8Settings.ts)
  if (COMMANDS.find((c) => c.spec.name === process.argv[2])?.checks) applyProcessSettings('command line');
  // Set when standard output failed (a full disk): whatever the command returns, the run exits 2.
  let outputFailed = false;
  const exitCode = (code: number): number => (outputFailed ? 2 : code);
  // A closed pipe (`| head`) is not an error worth a stack trace: leave with the run's status.
  const leave = (): never => process.exit(process.exitCode ?? 0);
  const stderr = new DescriptorOutput(2, () => process.stderr, hostCommandsLoaded);
  // A run that may reach a host writes through node's streams: asynchronous on a pipe, so a slow
  // reader never stalls the connection. A failed write is heard of here once, whether a direct write
  // met it at once or the stream reported it later. A closed pipe: leave on the next tick, once the
  // command has set the status. Any other failure is the command's report lost: one line, and the
  // run goes on to its end (a host's connection closes as usual) and exits 2.
  const stdout = new DescriptorOutput(
    1,
    () => process.stdout,
    hostCommandsLoaded,
    (e) => {
      if (e.code === 'EPIPE') {
        process.nextTick(leave);
        return;
      }
      outputFailed = true;
      process.exitCode = 2;
      stderr.write(`libvirt-hostdev: ${cannotWrite('standard output', e)}\n`);
    },
  );
  let colour: boolean | undefined;
  const io: CliIO = {
    stdout: (text) => stdout.write(text),
    stderr: (text) => stderr.write(text),
    readStdin: (limit) => readStandardInput(process.stdin, limit),
    // asked only by the text format
    get colour() {
      return (colour ??= wantsColour(process.env, isTerminal(1)));
    },
  };
  void main(process.argv.slice(2), io).then((code) => {
    process.exitCode = exitCode(code);
    // A run that reached no host is over once its output is written: leave then, instead of idling
    // through the collector's pending work and the heap's teardown (10-35 ms of CPU after checking a
    // large file). A run that used a host lets its connection or process close in its own time.
    if (!hostCommandsLoaded()) stdout.flush(() => stderr.flush(() => process.exit(exitCode(code))));
  });
}
