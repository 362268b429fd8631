// OpenSSH known_hosts files: parsing, host-key verification and remembering an accepted key.
// Mirrors OpenSSH's hostfile.c (check_key_in_hostkeys / host_hash / match_hostname): host names
// are `host` for port 22 and `[host]:port` otherwise; hashed names are `|1|salt|HMAC-SHA1(salt, name)`.
// Accepted keys go to the PROJECT's own file (path from the caller), never to ~/.ssh/known_hosts.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readBoundedFileSync } from '../../../shared/boundedFile';
import { shellJoin } from '../../../shared/shellQuote';
import { sshPatternListMatches } from './sshPattern';

export interface KnownHostEntry {
  /** '@revoked' keys are refused; '@cert-authority' lines name CAs, which we do not use for trust */
  marker: '@revoked' | '@cert-authority' | null;
  /** plain patterns (comma list, may contain `*`, `?`, `!negation`); empty for a hashed entry */
  patterns: string[];
  hashed: { salt: Buffer; hash: Buffer } | null;
  keyType: string;
  /** the key blob, decoded from base64 */
  key: Buffer;
  /** where it came from, for messages */
  source: string;
  line: number;
}

export type HostKeyVerdict =
  | { status: 'match' }
  /** the host is known with a different key of the same type: refuse */
  | { status: 'mismatch'; expected: string[]; actual: string; sources: string[]; files: string[] }
  /** the presented key is listed as @revoked: refuse */
  | { status: 'revoked'; actual: string; source: string }
  /**
   * no entry for this host and key type; `otherKnownTypes` lists key types known for the host;
   * `certAuthorities` the @cert-authority lines (file:line) that name it: ssh(1) would trust a host
   * certificate signed by one, which the built-in client cannot check
   */
  | { status: 'unknown'; actual: string; otherKnownTypes: string[]; certAuthorities?: string[] };

/** `host` for port 22, `[host]:port` otherwise (OpenSSH put_host_port). */
export function knownHostName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/**
 * The command that removes a host's keys from one known_hosts file. ssh-keygen -R takes the name as
 * the file has it (`[host]:port`, bare for 22) and hashes it as given to find a hashed entry, so the
 * name is lower-cased as ssh(1) does before it files or looks up a key.
 */
export function removeKnownHostCommand(host: string, port: number, file: string): string {
  return removeKnownNameCommand(knownHostName(host.toLowerCase(), port), file);
}

/** removeKnownHostCommand for a name already in the file's form (as ssh(1) prints it). */
export function removeKnownNameCommand(name: string, file: string): string {
  return shellJoin(['ssh-keygen', '-R', name, '-f', file]);
}

/** SHA256 fingerprint as `ssh-keygen -l` prints it: `SHA256:` + unpadded base64. */
export function fingerprintSha256(keyBlob: Buffer): string {
  return 'SHA256:' + crypto.createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '');
}

/** The key type named inside an SSH public key blob (its first string), or null if malformed. */
export function keyTypeOfBlob(keyBlob: Buffer): string | null {
  if (keyBlob.length < 4) return null;
  const length = keyBlob.readUInt32BE(0);
  if (length === 0 || length > 64 || 4 + length > keyBlob.length) return null;
  return keyBlob.subarray(4, 4 + length).toString('latin1');
}

/** Parses known_hosts text; malformed lines are skipped, never thrown on. */
export function parseKnownHosts(text: string, source = 'known_hosts'): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const trimmed = lines[i].trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const fields = trimmed.split(/\s+/);
    let marker: KnownHostEntry['marker'] = null;
    if (fields[0].startsWith('@')) {
      if (fields[0] !== '@revoked' && fields[0] !== '@cert-authority') continue; // unknown marker: ignore the line
      marker = fields.shift() as '@revoked' | '@cert-authority';
    }
    if (fields.length < 3) continue;
    const [hostField, keyType, keyBase64] = fields;
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(keyBase64)) continue;
    const key = Buffer.from(keyBase64, 'base64');
    // the blob names its own type; a line whose type field disagrees is corrupt
    if (keyTypeOfBlob(key) !== keyType) continue;
    let hashed: KnownHostEntry['hashed'] = null;
    let patterns: string[] = [];
    if (hostField.startsWith('|1|')) {
      const parts = hostField.split('|');
      if (parts.length !== 4) continue;
      const salt = Buffer.from(parts[2], 'base64');
      const hash = Buffer.from(parts[3], 'base64');
      if (salt.length !== 20 || hash.length !== 20) continue;
      hashed = { salt, hash };
    } else if (hostField.startsWith('|')) {
      continue; // another hash scheme: OpenSSH knows only |1|
    } else {
      patterns = hostField.split(',').filter((p) => p !== '');
    }
    entries.push({ marker, patterns, hashed, keyType, key, source, line: i + 1 });
  }
  return entries;
}

/** A known_hosts file larger than this counts as unreadable (a line is ~100 bytes: 600,000 hosts). */
const MAX_KNOWN_HOSTS_BYTES = 64 * 1024 * 1024;

/** Reads and parses several known_hosts files; a missing, unreadable or oversized file counts as empty (unknown keys are asked about, never accepted). */
export function loadKnownHosts(files: readonly string[]): KnownHostEntry[] {
  return files.flatMap((file) => {
    let text: string;
    try {
      text = readBoundedFileSync(file, MAX_KNOWN_HOSTS_BYTES).toString('utf8');
    } catch {
      return [];
    }
    return parseKnownHosts(text, file);
  });
}

/** Does this entry name `host` on `port`? (OpenSSH match_hostname: a negated match wins.) */
export function entryMatchesHost(entry: KnownHostEntry, host: string, port: number): boolean {
  // ssh(1) lowercases the host name (also one from HostName) before it looks it up or hashes it,
  // so `ssh HV1` checks the hash of "hv1"; plain patterns below compare case-insensitively too.
  const name = knownHostName(host.toLowerCase(), port);
  if (entry.hashed) {
    const digest = crypto.createHmac('sha1', entry.hashed.salt).update(name).digest();
    return crypto.timingSafeEqual(digest, entry.hashed.hash);
  }
  return sshPatternListMatches(name, entry.patterns.join(','), true);
}

/**
 * Checks the key a server presented (check_key_in_hostkeys): a @revoked key is refused, an
 * identical key for the host matches, a different key of the same type is a mismatch, and
 * anything else (no entry, or only other key types) is unknown.
 */
export function verifyHostKey(entries: readonly KnownHostEntry[], host: string, port: number, keyBlob: Buffer): HostKeyVerdict {
  const actual = fingerprintSha256(keyBlob);
  const keyType = keyTypeOfBlob(keyBlob) ?? '';
  const forHost = entries.filter((e) => e.marker !== '@cert-authority' && entryMatchesHost(e, host, port));
  const revoked = forHost.find((e) => e.marker === '@revoked' && e.key.equals(keyBlob));
  if (revoked) return { status: 'revoked', actual, source: `${revoked.source}:${revoked.line}` };
  const plain = forHost.filter((e) => e.marker === null);
  if (plain.some((e) => e.key.equals(keyBlob))) return { status: 'match' };
  const sameType = plain.filter((e) => e.keyType === keyType);
  if (sameType.length > 0) {
    return {
      status: 'mismatch',
      expected: [...new Set(sameType.map((e) => fingerprintSha256(e.key)))],
      actual,
      sources: sameType.map((e) => `${e.source}:${e.line}`),
      files: [...new Set(sameType.map((e) => e.source))],
    };
  }
  const authorities = entries
    .filter((e) => e.marker === '@cert-authority' && entryMatchesHost(e, host, port))
    .map((e) => `${e.source}:${e.line}`);
  return {
    status: 'unknown',
    actual,
    otherKnownTypes: [...new Set(plain.map((e) => e.keyType))],
    ...(authorities.length > 0 ? { certAuthorities: authorities } : {}),
  };
}

/** Key types already known for a host, so the client can ask for those first (like OpenSSH). */
export function knownKeyTypes(entries: readonly KnownHostEntry[], host: string, port: number): string[] {
  return [...new Set(entries.filter((e) => e.marker === null && entryMatchesHost(e, host, port)).map((e) => e.keyType))];
}

/**
 * The line remembering a key: `[host]:port type base64`, readable in the project's file, or with the name
 * hashed as ssh(1) writes it under HashKnownHosts yes (`|1|salt|HMAC-SHA1(salt, name)`, a fresh salt each).
 */
export function knownHostsLine(host: string, port: number, keyBlob: Buffer, hashed = false): string {
  const keyType = keyTypeOfBlob(keyBlob);
  if (!keyType) throw new Error('not an SSH public key blob');
  const name = knownHostName(host.toLowerCase(), port); // as ssh writes it, and as verifyHostKey looks it up
  return `${hashed ? hashedHostName(name, crypto.randomBytes(20)) : name} ${keyType} ${keyBlob.toString('base64')}`;
}

/** OpenSSH's host_hash: `|1|` base64(salt) `|` base64(HMAC-SHA1 keyed with the salt, of the name). */
export function hashedHostName(name: string, salt: Buffer): string {
  const hash = crypto.createHmac('sha1', salt).update(name).digest();
  return `|1|${salt.toString('base64')}|${hash.toString('base64')}`;
}

/** Appends an accepted key to `file` (the project's known-hosts file), creating it with mode 0600. */
export async function appendKnownHost(file: string, host: string, port: number, keyBlob: Buffer, hashed = false): Promise<void> {
  const line = knownHostsLine(host, port, keyBlob, hashed);
  await fs.promises.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  let prefix = '';
  try {
    const existing = await fs.promises.readFile(file, 'utf8');
    if (existing.length > 0 && !existing.endsWith('\n')) prefix = '\n';
  } catch {
    // new file
  }
  await fs.promises.appendFile(file, prefix + line + '\n', { mode: 0o600 });
}
