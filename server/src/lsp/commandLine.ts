// What `libvirt-hostdev-language-server` does with its command line before a connection exists: an
// editor starts it with a transport (vscode-languageserver reads it), a person typing the command
// gets the usage or the version instead of the library's "Connection input stream is not set" trace.

/** The transports vscode-languageserver's createConnection() reads from the command line. */
const TRANSPORTS = ['--stdio', '--node-ipc', '--socket', '--pipe'];

export const USAGE =
  'usage: libvirt-hostdev-language-server --stdio (or --node-ipc, --socket=PORT, --pipe=NAME): the LSP server for libvirt XML, started by an editor; --version prints its version';

export type Launch = { serve: true } | { serve: false; exitCode: number; stream: 'stdout' | 'stderr'; text: string };

/** Serve, or print (usage, version, or usage for a command line without a transport) and exit. */
export function launchFromArgs(args: readonly string[], version: string): Launch {
  if (args.includes('--help') || args.includes('-h')) return { serve: false, exitCode: 0, stream: 'stdout', text: USAGE };
  if (args.includes('--version'))
    return { serve: false, exitCode: 0, stream: 'stdout', text: `libvirt-hostdev-language-server ${version}` };
  if (args.some((a) => TRANSPORTS.includes(a.split('=')[0]))) return { serve: true };
  return { serve: false, exitCode: 2, stream: 'stderr', text: `no transport given\n${USAGE}` };
}
