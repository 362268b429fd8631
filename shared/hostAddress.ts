// A host's address as every message shows it to users (the host layer's errors and logs, the CLI,
// the unknown-host-key prompt): `kvm1` on SSH's port 22, `127.0.0.1:2222` on another port, and an
// IPv6 address in brackets before its port (`[::1]:2222`) so the port cannot be read as part of it.
// known_hosts files write `[127.0.0.1]:2222` (host/knownHosts.ts knownHostName): that form is for
// the files and the lines of them, not for sentences.

export function hostAddress(host: string, port: number): string {
  if (port === 22) return host;
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}
