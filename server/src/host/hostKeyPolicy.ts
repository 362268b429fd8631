// Host-key policy for SSH connections (OpenSSH StrictHostKeyChecking=ask, with the answer
// coming from a callback): a key in known_hosts connects, a changed or @revoked key is refused,
// an unknown key is shown to confirmHostKey. 'remember' appends to the PROJECT's own file;
// 'once' is kept in memory for the life of this policy (one transport), so reconnects do not ask.
import * as os from 'node:os';
import * as path from 'node:path';
import { hostAddress } from '../../../shared/hostAddress';
import type { ConfirmHostKeyParams, HostKeyDecision } from '../../../shared/protocol';
import {
  appendKnownHost,
  type KnownHostEntry,
  keyTypeOfBlob,
  knownHostName,
  knownKeyTypes,
  loadKnownHosts,
  removeKnownHostCommand,
  verifyHostKey,
} from './knownHosts';
import { OPENSSH_ADVICE } from './sshConfigSupport';
import type { ConnectSpec } from './target';
import { HostError } from './transport';

export interface HostKeyCallbacks {
  /** an unknown host key: 'once' (this session), 'remember' (project known-hosts file), 'cancel' */
  confirmHostKey?(params: ConfirmHostKeyParams): Promise<HostKeyDecision>;
  log?(message: string): void;
}

export interface HostKeyFiles {
  /** the project's known-hosts file: read, and where 'remember' writes; never ~/.ssh/known_hosts */
  projectKnownHostsFile?: string;
  /** the user's known_hosts files; default: the config's UserKnownHostsFile or ~/.ssh/known_hosts(2) */
  userKnownHostsFiles?: string[];
  /** the system-wide files; default: the config's GlobalKnownHostsFile or /etc/ssh/ssh_known_hosts(2) */
  globalKnownHostsFiles?: string[];
}

const DEFAULT_GLOBAL_KNOWN_HOSTS = ['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2'];

/** The name and port a host's key is filed under: HostKeyAlias replaces both (ssh(1) adds no port to an alias). */
function keyName(spec: ConnectSpec): { host: string; port: number } {
  return spec.hostKeyAlias ? { host: spec.hostKeyAlias, port: 22 } : { host: spec.host, port: spec.port };
}

/** ssh2 host key algorithm names per known_hosts key type, to ask for a key we already know first. */
const HOST_KEY_ALGORITHMS: Record<string, string[]> = {
  'ssh-ed25519': ['ssh-ed25519'],
  'ecdsa-sha2-nistp256': ['ecdsa-sha2-nistp256'],
  'ecdsa-sha2-nistp384': ['ecdsa-sha2-nistp384'],
  'ecdsa-sha2-nistp521': ['ecdsa-sha2-nistp521'],
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
};

/** An unknown key the server presented, as accept() files it. */
interface SeenKey {
  name: string;
  host: string;
  port: number;
  key: Buffer;
  keyType: string;
  fingerprint: string;
  /** the key of acceptedKeys: `[host]:port SHA256:…` */
  remembered: string;
  /** HashKnownHosts yes in the ssh config: the file gets the name hashed, as ssh(1) writes it */
  hashed: boolean;
}

export class HostKeyPolicy {
  /** keys accepted 'once' (or 'remember' without a project file) */
  private readonly acceptedKeys = new Set<string>();

  constructor(
    private readonly callbacks: HostKeyCallbacks,
    private readonly options: HostKeyFiles,
  ) {}

  /** ssh2 host key algorithms to ask for first: the types known_hosts has for this host (like ssh(1)). */
  preferredAlgorithms(spec: ConnectSpec): string[] {
    const { host, port } = keyName(spec);
    return knownKeyTypes(this.knownHostEntries(spec), host, port).flatMap((t) => HOST_KEY_ALGORITHMS[t] ?? []);
  }

  private userKnownHostsFiles(spec: ConnectSpec): string[] {
    if (this.options.userKnownHostsFiles) return this.options.userKnownHostsFiles;
    if (spec.userKnownHostsFiles) return spec.userKnownHostsFiles;
    const dir = path.join(os.homedir(), '.ssh');
    return [path.join(dir, 'known_hosts'), path.join(dir, 'known_hosts2')];
  }

  private knownHostEntries(spec: ConnectSpec): KnownHostEntry[] {
    const project = this.options.projectKnownHostsFile;
    const global = this.options.globalKnownHostsFiles ?? spec.globalKnownHostsFiles ?? DEFAULT_GLOBAL_KNOWN_HOSTS;
    return loadKnownHosts([...this.userKnownHostsFiles(spec), ...global, ...(project ? [project] : [])]);
  }

  /** Resolves when the key may be used; throws HostError('host-key') when it must not. */
  async check(spec: ConnectSpec, key: Buffer): Promise<void> {
    const { host, port } = keyName(spec);
    const name = hostAddress(host, port);
    const verdict = verifyHostKey(this.knownHostEntries(spec), host, port, key);
    const keyType = keyTypeOfBlob(key) ?? 'unknown';
    switch (verdict.status) {
      case 'match':
        return;
      case 'revoked':
        throw new HostError(
          'host-key',
          `host key ${keyType} ${verdict.actual} of ${name} is marked @revoked (${verdict.source}); refusing to connect`,
        );
      case 'mismatch':
        throw new HostError(
          'host-key',
          `host key of ${name} has CHANGED: known_hosts has ${verdict.expected.join(' or ')} (${verdict.sources.join(', ')}), ` +
            `the server sent ${keyType} ${verdict.actual}. Refusing to connect (possible man-in-the-middle); ` +
            `if the host was reinstalled, remove the old key with: ${verdict.files.map((f) => removeKnownHostCommand(host, port, f)).join('; ')}`,
        );
      case 'unknown':
        break;
    }
    const fingerprint = verdict.actual;
    const remembered = `${knownHostName(host, port)} ${fingerprint}`;
    if (this.acceptedKeys.has(remembered)) return;
    const seen: SeenKey = { name, host, port, key, keyType, fingerprint, remembered, hashed: spec.hashKnownHosts === true };
    const other = verdict.otherKnownTypes.length > 0 ? ` (known_hosts has only ${verdict.otherKnownTypes.join(', ')} keys for it)` : '';
    // ssh(1) trusts such a host through its certificate; accepting the plain key instead is not what the user set up
    const authority = verdict.certAuthorities?.[0];
    if (authority && spec.strictHostKeyChecking !== 'no' && spec.strictHostKeyChecking !== 'accept-new') {
      throw new HostError(
        'host-key',
        `host key ${keyType} ${fingerprint} of ${name} is not in known_hosts, but a @cert-authority line covers the host (${authority}): ` +
          `ssh trusts its host certificate, which the built-in SSH client cannot check; ${OPENSSH_ADVICE}`,
      );
    }
    // StrictHostKeyChecking from the config decides without asking; a CHANGED key was refused above whatever it says.
    switch (spec.strictHostKeyChecking) {
      case 'yes':
        throw new HostError(
          'host-key',
          `unknown host key for ${name}: ${keyType} ${fingerprint}${other}; refused because StrictHostKeyChecking is yes in the ssh config (connect once with "${spec.terminalCommand}" to add it to known_hosts)`,
        );
      case 'no':
        this.acceptedKeys.add(remembered);
        this.callbacks.log?.(
          `host key ${keyType} ${fingerprint} of ${name} is unknown; accepted for this session because StrictHostKeyChecking is no in the ssh config`,
        );
        return;
      case 'accept-new':
        // a key of a type known_hosts has none of, for a host it has other keys of, is no new host: ssh
        // refuses it as a changed key ("REMOTE HOST IDENTIFICATION HAS CHANGED"), and so does this
        if (verdict.otherKnownTypes.length > 0)
          throw new HostError(
            'host-key',
            `host key ${keyType} ${fingerprint} of ${name} is not in known_hosts, which has ${verdict.otherKnownTypes.join(', ')} keys for it: ` +
              `refused as a changed key, whatever StrictHostKeyChecking accept-new says (the host may have been replaced; check the key, then add it with "${spec.terminalCommand}")`,
          );
        await this.accept(seen, 'remember', 'StrictHostKeyChecking accept-new');
        return;
      default:
        break;
    }
    if (!this.callbacks.confirmHostKey) {
      throw new HostError('host-key', `unknown host key for ${name}: ${keyType} ${fingerprint}${other}; not accepted`, true);
    }
    const decision = await this.callbacks.confirmHostKey({
      host,
      port,
      keyType,
      fingerprint,
      ...(verdict.otherKnownTypes.length > 0 ? { otherKnownTypes: verdict.otherKnownTypes } : {}),
    });
    if (decision === 'once' || decision === 'remember') {
      await this.accept(seen, decision, 'the user');
      return;
    }
    throw new HostError('host-key', `unknown host key for ${name}: ${keyType} ${fingerprint}${other}; not accepted`, true);
  }

  private async accept(seen: SeenKey, decision: 'once' | 'remember', by: string): Promise<void> {
    const { name, host, port, key, keyType, fingerprint, remembered, hashed } = seen;
    if (decision === 'remember' && this.options.projectKnownHostsFile) {
      try {
        await appendKnownHost(this.options.projectKnownHostsFile, host, port, key, hashed);
        this.callbacks.log?.(
          `host key ${keyType} ${fingerprint} of ${name} accepted by ${by}, added to ${this.options.projectKnownHostsFile}`,
        );
        return;
      } catch (e) {
        // The key was accepted: connect now, and say why it will be asked again next time.
        this.callbacks.log?.(
          `host key of ${name} accepted for this session only: cannot write ${this.options.projectKnownHostsFile} (${(e as NodeJS.ErrnoException).code ?? String(e)})`,
        );
      }
    }
    this.acceptedKeys.add(remembered);
  }
}
