// What `libvirt-hostdev-language-server` does with its command line before a connection exists: an
// editor starts it with a transport (vscode-languageserver reads it), a person typing the command
// gets the usage or the version instead of the library's "Connection input stream is not set" trace.

import { didYouMeanNote, nearestWord } from '../../../shared/nearestWord';

/** The transports vscode-languageserver's createConnection() reads from the command line. */
const TRANSPORTS = ['--stdio', '--node-ipc', '--socket', '--pipe'];
/** The other argument vscode-languageserver reads (VS Code's client passes it): the editor's process, watched to exit with it. */
const CLIENT_PROCESS_ID = '--clientProcessId';

export const USAGE =
  'usage: libvirt-hostdev-language-server --stdio (or --node-ipc, --socket=PORT, --pipe=NAME): the LSP server for libvirt XML, started by an editor; --version prints its version';

export type Launch = { serve: true } | { serve: false; exitCode: number; stream: 'stdout' | 'stderr'; text: string };

/**
 * Serve, or print (usage, version, or why the command line cannot serve) and exit. `hasIpcChannel`: the
 * process has a parent's IPC channel (process.send), which --node-ipc talks over.
 */
export function launchFromArgs(args: readonly string[], version: string, hasIpcChannel: boolean): Launch {
  if (args.includes('--help') || args.includes('-h')) return { serve: false, exitCode: 0, stream: 'stdout', text: USAGE };
  if (args.includes('--version'))
    return { serve: false, exitCode: 0, stream: 'stdout', text: `libvirt-hostdev-language-server ${version}` };
  const name = (a: string): string => a.split('=')[0];
  if (args.includes('--node-ipc') && !hasIpcChannel)
    return {
      serve: false,
      exitCode: 2,
      stream: 'stderr',
      text: "--node-ipc: no IPC channel to a parent process (an editor starts the server so, with node's fork()); from a shell, use --stdio",
    };
  if (args.some((a) => TRANSPORTS.includes(name(a)))) return { serve: true };
  const unknown = args.filter((a) => name(a) !== CLIENT_PROCESS_ID);
  const meant = unknown.length === 1 ? nearestWord(name(unknown[0]), [...TRANSPORTS, '--version', '--help']) : null;
  const reason =
    unknown.length > 0
      ? `unknown argument${unknown.length > 1 ? 's' : ''} ${unknown.map((a) => `'${a}'`).join(', ')}${didYouMeanNote(meant)}: `
      : '';
  return { serve: false, exitCode: 2, stream: 'stderr', text: `${reason}no transport given\n${USAGE}` };
}
