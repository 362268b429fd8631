// The private temp file on a remote host, for any transport that runs commands through the host's
// login shell (ssh2 or the system ssh): the same script, the same quoting, the same cleanup.
import { shellQuote } from './quote';
import { HostError, type Transport } from './transport';

/** mktemp makes the file 0600 atomically under umask 077; the content comes on stdin. */
const WRITE_TEMP_SCRIPT =
  'umask 077; f=$(mktemp "${TMPDIR:-/tmp}/libvirt-hostdev.XXXXXXXXXX") || exit 1; ' +
  'cat > "$f" || { rm -f "$f"; exit 1; }; printf "%s\\n" "$f"';

/**
 * Writes through `sh -c` with the content on stdin instead of SFTP: one round trip instead of
 * two (mktemp, then SFTP), it works on hosts where the sftp subsystem is disabled, and mktemp
 * creates the file 0600 under umask 077 before a byte is written. The script has no single
 * quote, so `sh -c '…'` survives any login shell (bash, zsh, fish, csh).
 */
export async function writeRemoteTempFile(
  transport: Pick<Transport, 'exec' | 'description'>,
  content: string,
  options: { timeoutMs: number },
): Promise<string> {
  const result = await transport.exec(`sh -c ${shellQuote(WRITE_TEMP_SCRIPT)}`, { stdin: content, timeoutMs: options.timeoutMs });
  const file = result.stdout.replace(/\n$/, '');
  if (result.code !== 0 || !file.startsWith('/') || file.includes('\n')) {
    throw new HostError(
      'command',
      `cannot write a temporary file on ${transport.description}: ${firstLine(result.stderr) || `exit ${result.code}`}`,
    );
  }
  return file;
}

export async function removeRemoteFile(
  transport: Pick<Transport, 'exec' | 'description'>,
  file: string,
  options: { timeoutMs: number },
): Promise<void> {
  const result = await transport.exec(`rm -f -- ${shellQuote(file)}`, { timeoutMs: options.timeoutMs });
  if (result.code !== 0) throw new HostError('command', `cannot remove ${file} on ${transport.description}: ${firstLine(result.stderr)}`);
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? '';
}
