// Entry of the `libvirt-hostdev` CLI. `main` is what tests call in-process; the bottom of the file
// is the bin entry (dist/cli.js), which only maps process.argv/stdout/stderr onto it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CHECK_USAGE, runCheck } from './check';
import { runAttachCommand, runInventoryCommand, type CliIO } from './hostCommands';
import { oneLine, UsageError } from './util';

export type { CliIO } from './hostCommands';

export const USAGE = `Usage: libvirt-hostdev <command> [options]

Commands:
  check [--inventory FILE | --host TARGET ...] [--format text|json] FILE...
                  check domain XML / device snippets (see: libvirt-hostdev check --help)
  inventory --host TARGET [--connect URI] [--sysfs-root DIR] [--output FILE]
                  write the host's VF inventory snapshot (JSON)
  attach FILE --guest NAME --host TARGET [--connect URI] [--live] [--force]
  detach FILE --guest NAME --host TARGET [--connect URI] [--live] [--force]
                  virsh attach-device / detach-device --config the device in FILE

Options:
  -h, --help      show this help
  -V, --version   show the version
`;

/** Runs one CLI invocation; `argv` excludes node and the script. Never throws; returns the exit code. */
export async function main(argv: string[], io: CliIO): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
        io.stderr(USAGE);
        return 2;
      case '-h': case '--help': case 'help':
        io.stdout(USAGE);
        return 0;
      case '-V': case '--version':
        io.stdout(`libvirt-hostdev ${version()}\n`);
        return 0;
      case 'check':
        if (rest.includes('--help') || rest.includes('-h')) { io.stdout(CHECK_USAGE); return 0; }
        return await runCheck(rest, io);
      case 'inventory':
        return await runInventoryCommand(rest, io);
      case 'attach':
      case 'detach':
        return await runAttachCommand(command, rest, io);
      default:
        throw new UsageError(`unknown command '${command}'`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      const help = command === 'check' ? 'libvirt-hostdev check --help' : 'libvirt-hostdev --help';
      io.stderr(`libvirt-hostdev: ${e.message}\nTry '${help}'.\n`);
      return 2;
    }
    // Anything else is a bug or an environment failure: one line, exit 2, never a stack dump.
    io.stderr(`libvirt-hostdev: ${oneLine(e)}\n`);
    return 2;
  }
}

/** The version in the package.json next to the bundle (dist/) or the compiled tree (out/). */
function version(): string {
  for (let dir = __dirname, i = 0; i < 6; i++, dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'libvirt-hostdev' && pkg.version) return pkg.version;
    } catch {
      // not here; go up
    }
  }
  return 'unknown';
}

if (require.main === module) {
  const io: CliIO = {
    stdout: (text) => { process.stdout.write(text); },
    stderr: (text) => { process.stderr.write(text); },
  };
  // A closed pipe (`| head`) is not an error worth a stack trace.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => { if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0); });
  void main(process.argv.slice(2), io).then((code) => { process.exitCode = code; });
}
