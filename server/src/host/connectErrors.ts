// One-line HostErrors for a failed SSH connect (no secrets: ssh2's messages carry none).
import { HostError } from './transport';

/** One-line HostError for a failed connect (no secrets: ssh2's messages carry none). */
export function connectError(
  err: Error & { level?: string; code?: string },
  where: string,
  tried: string[],
  skipped: readonly string[] = [],
): HostError {
  const code = err.code ?? '';
  if (['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ECONNRESET', 'EPIPE'].includes(code)) {
    const why: Record<string, string> = {
      ECONNREFUSED: 'connection refused',
      ENOTFOUND: 'host name not found',
      EAI_AGAIN: 'host name lookup failed',
      EHOSTUNREACH: 'no route to host',
      ENETUNREACH: 'network unreachable',
    };
    return new HostError('unreachable', `cannot reach ${where}: ${why[code] ?? err.message}`);
  }
  if (code === 'ETIMEDOUT' || err.level === 'client-timeout') return new HostError('timeout', `connecting to ${where} timed out`);
  if (err.level === 'client-authentication') {
    // a key that was not offered says why (encrypted without a prompt, unreadable): else "nothing to try" misleads
    const methods =
      tried.length > 0
        ? `tried ${tried.join(', ')}${skipped.length > 0 ? `; skipped ${skipped.join('; ')}` : ''}`
        : skipped.length > 0
          ? `no key tried; skipped ${skipped.join('; ')}`
          : 'no ssh-agent and no identity file to try';
    return new HostError('auth', `authentication to ${where} failed (${methods})`);
  }
  // ssh2: TCP connected, then closed before the server's identification line (an HTTP server, a proxy)
  if (err.level === 'protocol' && err.message === 'Connection lost before handshake')
    return new HostError(
      'unreachable',
      `cannot reach ${where}: the connection closed before an SSH greeting (no SSH server on that port, or a firewall closed it)`,
    );
  return new HostError('unreachable', `SSH connection to ${where} failed: ${err.message}`);
}
