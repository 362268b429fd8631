// SSH client authentication in ssh(1)'s order: the agent (SSH_AUTH_SOCK), then identity files
// (settings / ssh config, or the default ~/.ssh/id_ed25519, id_ecdsa, id_rsa), asking for a key's
// passphrase through a callback; then keyboard-interactive and password, ONLY through the callback.
// Secrets (passphrases, passwords, key contents) stay in local variables: they are never logged
// and never put into messages; `tried` records only method names and key file paths.
import { BaseAgent, createAgent, utils } from 'ssh2';
import type { IdentityCallback, SignCallback, SigningRequestOptions } from 'ssh2';
import type { AnyAuthMethod, AuthHandlerMiddleware, AuthenticationType, NextAuthHandler, ParsedKey } from 'ssh2';
import * as fs from 'node:fs';
import { readBoundedFile, fileErrorReason } from '../../../shared/boundedFile';
import type { AskSecretParams } from '../../../shared/protocol';
import { OPENSSH_ADVICE } from './sshConfigSupport';

export interface AuthCallbacks {
  /** asks the user for a key passphrase or a password; null/undefined = the user declined */
  askSecret?(params: AskSecretParams): Promise<string | null | undefined>;
  log?(message: string): void;
}

export interface AuthPlan {
  username: string;
  /** "user@host:port", for prompts */
  description: string;
  /** ssh-agent socket, or null for none */
  agentSocket: string | null;
  /** private key files to try, in order (missing ones are skipped) */
  identityFiles: string[];
  /** IdentitiesOnly: the agent may offer only the keys of identityFiles (a server's MaxAuthTries counts every key offered) */
  identitiesOnly?: boolean;
  /** the files were named (settings, --identity, ssh config): one that cannot be read is a reason worth telling */
  identitiesNamed?: boolean;
}

/** How many times a wrong passphrase is asked again before the key is skipped (ssh(1) asks 3 times). */
const PASSPHRASE_ATTEMPTS = 3;

type Step = (methodsLeft: AuthenticationType[] | null) => Promise<AnyAuthMethod | null>;

/**
 * Builds ssh2's authHandler. `tried` collects what was attempted and `skipped` the keys not offered and
 * why ("FILE: reason"), for the auth error message; `pauseTimer` is called around user prompts so the
 * connect timeout does not run while a person types.
 */
export function createAuthHandler(
  plan: AuthPlan,
  callbacks: AuthCallbacks,
  tried: string[],
  pauseTimer: <T>(work: () => Promise<T>) => Promise<T>,
  skipped: string[] = [],
): AuthHandlerMiddleware {
  const allows = (methodsLeft: AuthenticationType[] | null, method: AuthenticationType): boolean =>
    methodsLeft === null || methodsLeft.includes(method);
  const username = plan.username;
  // Like ssh(1), start with "none": the server's answer lists the methods it allows, so a key
  // is not unlocked (passphrase prompt) for a server that only takes passwords, and password /
  // keyboard-interactive are only offered when the server really asks for them.
  const steps: Step[] = [async () => ({ type: 'none', username })];

  if (plan.agentSocket) {
    const socket = plan.agentSocket;
    steps.push(async (left) => {
      if (!allows(left, 'publickey')) return null;
      let agent: string | BaseAgent = socket;
      if (plan.identitiesOnly) {
        const allowed = await publicKeysOf(plan.identityFiles);
        if (allowed.length === 0) return null;
        agent = new OnlyTheseKeysAgent(createAgent(socket), allowed);
        tried.push('ssh-agent (IdentitiesOnly)');
      } else {
        tried.push('ssh-agent');
      }
      return { type: 'agent', username, agent };
    });
  }
  for (const file of plan.identityFiles) {
    steps.push(async (left) => {
      if (!allows(left, 'publickey')) return null;
      // ssh(1) offers FILE-cert.pub with FILE by itself; ssh2 cannot, and a login that needs it fails
      const certificate = `${file}-cert.pub`;
      if (await isFile(certificate))
        skipped.push(`${certificate}: a certificate, which the built-in SSH client cannot offer (${OPENSSH_ADVICE})`);
      const key = await loadPrivateKey(file, plan, callbacks, pauseTimer, skipped);
      if (!key) return null;
      tried.push(`publickey ${file}`);
      return { type: 'publickey', username, key };
    });
  }
  const ask = callbacks.askSecret;
  if (ask) {
    steps.push(async (left) => {
      if (left === null || !left.includes('keyboard-interactive')) return null;
      tried.push('keyboard-interactive');
      return {
        type: 'keyboard-interactive',
        username,
        prompt: (name, instructions, _lang, prompts, finish) => {
          void pauseTimer(async () => {
            const answers: string[] = [];
            for (const p of prompts) {
              const header = [name, instructions].filter((t) => t && t.trim() !== '').join(' — ');
              const answer = await ask({
                kind: 'password',
                prompt: `${plan.description}: ${header ? header + ': ' : ''}${p.prompt.trim()}`,
              });
              if (answer === null || answer === undefined) break;
              answers.push(answer);
            }
            finish(answers.length === prompts.length ? answers : []);
          });
        },
      };
    });
    steps.push(async (left) => {
      if (left === null || !left.includes('password')) return null;
      // No `retry`: a wrong password shows only when the whole authentication fails.
      const password = await pauseTimer(() =>
        ask({ kind: 'password', prompt: `Password for ${plan.description}`, key: `password:${plan.description}` }),
      );
      if (password === null || password === undefined) return null;
      tried.push('password');
      return { type: 'password', username, password };
    });
  }

  let next = 0;
  return (methodsLeft, _partialSuccess, callback: NextAuthHandler) => {
    // ssh2 passes null on the first call; the types say an array
    const left = (methodsLeft as AuthenticationType[] | null) ?? null;
    void (async () => {
      while (next < steps.length) {
        const attempt = await steps[next++](left).catch(() => null);
        if (attempt) return attempt;
      }
      return false as const;
    })().then((attempt) => callback(attempt as AnyAuthMethod));
  };
}

/** Key files are a few kB (an RSA-16384 key is 13 kB); a FIFO or a device named as one is not read. */
const MAX_KEY_BYTES = 1024 * 1024;

/** Reads and parses a private key, asking for its passphrase when it is encrypted; null = skip it (said in `skipped`). */
async function loadPrivateKey(
  file: string,
  plan: AuthPlan,
  callbacks: AuthCallbacks,
  pauseTimer: <T>(work: () => Promise<T>) => Promise<T>,
  skipped: string[],
): Promise<ParsedKey | null> {
  const skip = (reason: string, told = true): null => {
    callbacks.log?.(`identity file ${file}: ${reason}; skipped`);
    if (told) skipped.push(`${file}: ${reason}`);
    return null;
  };
  let data: Buffer;
  try {
    data = await readBoundedFile(file, MAX_KEY_BYTES);
  } catch (err) {
    // ~/.ssh/id_* that do not exist are the usual case, not a reason
    return skip(fileErrorReason(err), plan.identitiesNamed === true || (err as NodeJS.ErrnoException).code !== 'ENOENT');
  }
  const tooOpen = await permissionsTooOpen(file);
  if (tooOpen) return skip(`permissions ${tooOpen} are too open, so ssh ignores this key too (chmod 600 it)`);
  let parsed = firstKey(utils.parseKey(data));
  if (parsed instanceof Error) {
    if (!/encrypted|passphrase/i.test(parsed.message)) return skip('not a private key ssh2 can read');
    if (!callbacks.askSecret) return skip('encrypted, and no passphrase can be asked here: add it to ssh-agent');
    for (let attempt = 1; parsed instanceof Error && attempt <= PASSPHRASE_ATTEMPTS; attempt++) {
      const prompt =
        attempt === 1
          ? `Passphrase for key ${file} (${plan.description})`
          : `Wrong passphrase. Passphrase for key ${file} (${plan.description})`;
      const passphrase = await pauseTimer(() =>
        callbacks.askSecret!({ kind: 'passphrase', prompt, key: `passphrase:${file}`, retry: attempt > 1 }),
      );
      if (passphrase === null || passphrase === undefined) return skip('encrypted, and no passphrase was given (add it to ssh-agent)');
      parsed = firstKey(utils.parseKey(data, passphrase));
    }
    if (parsed instanceof Error) return skip('passphrase not accepted');
  }
  if (!parsed.isPrivateKey()) return skip('holds no private key');
  return parsed;
}

async function isFile(file: string): Promise<boolean> {
  return fs.promises.stat(file).then(
    (st) => st.isFile(),
    () => false,
  );
}

/**
 * ssh(1)'s sshkey_perm_ok: a key file of the user's own that group or others may access is ignored
 * ("UNPROTECTED PRIVATE KEY FILE!"). The mode (`0644`) when so, else null; POSIX only.
 */
async function permissionsTooOpen(file: string): Promise<string | null> {
  if (process.platform === 'win32' || typeof process.getuid !== 'function') return null;
  const st = await fs.promises.stat(file).catch(() => null);
  if (!st || st.uid !== process.getuid() || (st.mode & 0o077) === 0) return null;
  return `0${(st.mode & 0o777).toString(8)}`;
}

function firstKey(result: ParsedKey | ParsedKey[] | Error): ParsedKey | Error {
  if (Array.isArray(result)) return result[0] ?? new Error('no key in file');
  return result;
}

/**
 * The public keys of identity files, as ssh(1) finds them for IdentitiesOnly: FILE.pub, else the
 * private key itself (its public half is stored unencrypted in the OpenSSH format, even when the
 * private half is encrypted). A key we cannot read is simply not allowed.
 */
async function publicKeysOf(files: string[]): Promise<Buffer[]> {
  const keys: Buffer[] = [];
  for (const file of files) {
    for (const candidate of [`${file}.pub`, file]) {
      const data = await readBoundedFile(candidate, MAX_KEY_BYTES).catch(() => null);
      if (!data) continue;
      const parsed = firstKey(utils.parseKey(data));
      const blob = parsed instanceof Error ? openSshPublicBlob(data) : parsed.getPublicSSH();
      if (!blob) continue;
      keys.push(blob);
      break;
    }
  }
  return keys;
}

/**
 * The first public key blob of an `openssh-key-v1` private key file (PROTOCOL.key: magic, cipher,
 * kdf, kdf options, key count, then the public keys, all unencrypted); null for any other file.
 */
export function openSshPublicBlob(data: Buffer): Buffer | null {
  const m = /-----BEGIN OPENSSH PRIVATE KEY-----([A-Za-z0-9+/=\s]+)-----END OPENSSH PRIVATE KEY-----/.exec(data.toString('latin1'));
  if (!m) return null;
  const raw = Buffer.from(m[1].replace(/\s+/g, ''), 'base64');
  const magic = Buffer.from('openssh-key-v1\0', 'latin1');
  if (raw.length < magic.length || !raw.subarray(0, magic.length).equals(magic)) return null;
  let at = magic.length;
  const string = (): Buffer | null => {
    if (at + 4 > raw.length) return null;
    const length = raw.readUInt32BE(at);
    if (at + 4 + length > raw.length) return null;
    at += 4 + length;
    return raw.subarray(at - length, at);
  };
  if (!string() || !string() || !string() || at + 4 > raw.length) return null; // cipher, kdf, kdf options
  const count = raw.readUInt32BE(at);
  at += 4;
  return count >= 1 ? string() : null;
}

/** An agent that lists only some of the real agent's keys (signing goes to the real agent). */
class OnlyTheseKeysAgent extends BaseAgent {
  constructor(
    private readonly inner: BaseAgent,
    private readonly allowed: Buffer[],
  ) {
    super();
  }

  getIdentities(callback: IdentityCallback): void {
    this.inner.getIdentities((err, keys) => {
      if (err || !keys) return callback(err ?? new Error('no keys'));
      callback(
        undefined,
        keys.filter((key) => {
          const blob = typeof key === 'object' && 'getPublicSSH' in key ? key.getPublicSSH() : Buffer.isBuffer(key) ? key : null;
          return blob !== null && this.allowed.some((a) => a.equals(blob));
        }),
      );
    });
  }

  sign(pubKey: ParsedKey | Buffer | string, data: Buffer, options: SigningRequestOptions | SignCallback, callback?: SignCallback): void {
    if (typeof options === 'function') this.inner.sign(pubKey, data, options);
    else this.inner.sign(pubKey, data, options, callback);
  }
}
