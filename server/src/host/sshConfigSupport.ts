// What the built-in SSH client (ssh2) does NOT do of what ssh(1) would do with a host's config:
// directives that change how ssh connects or authenticates, and Match blocks that cannot be
// evaluated without running commands. Each becomes one line for the user, so nothing in
// ~/.ssh/config is ignored without a word; the OpenSSH transport is the way out.
// ssh-config ships CommonJS for require, its types come from the ESM build (see sshConfig.ts).
import type { parse as ParseSshConfig } from 'ssh-config' with { 'resolution-mode': 'import' };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parse: parseSshConfig } = require('ssh-config') as { parse: typeof ParseSshConfig };

/** How the advice ends: the setting in the editor, the flag in the CLI. */
export const OPENSSH_ADVICE = 'use "transport": "openssh" (CLI: --transport openssh)';

const isYes = (v: string): boolean => /^(yes|true|always)$/i.test(v);
const isNo = (v: string): boolean => /^(no|false)$/i.test(v);
const isSet = (v: string): boolean => v !== '' && !/^none$/i.test(v);

/**
 * Directive (lower case) → its ssh_config(5) spelling and when its value makes ssh(1) connect
 * differently from us. Directives that only matter to an interactive session (forwarding, TTY,
 * escape char, LocalCommand) are not listed: they do not change whether or where we connect.
 */
const UNSUPPORTED: Record<string, { name: string; matters(value: string): boolean }> = {
  certificatefile: { name: 'CertificateFile', matters: isSet },
  pkcs11provider: { name: 'PKCS11Provider', matters: isSet },
  securitykeyprovider: { name: 'SecurityKeyProvider', matters: isSet },
  gssapiauthentication: { name: 'GSSAPIAuthentication', matters: isYes },
  gssapidelegatecredentials: { name: 'GSSAPIDelegateCredentials', matters: isYes },
  hostbasedauthentication: { name: 'HostbasedAuthentication', matters: isYes },
  canonicalizehostname: { name: 'CanonicalizeHostname', matters: isYes },
  controlmaster: { name: 'ControlMaster', matters: (v) => !isNo(v) },
  controlpath: { name: 'ControlPath', matters: isSet },
  knownhostscommand: { name: 'KnownHostsCommand', matters: isSet },
  verifyhostkeydns: { name: 'VerifyHostKeyDNS', matters: (v) => !isNo(v) },
  addressfamily: { name: 'AddressFamily', matters: (v) => !/^any$/i.test(v) },
  bindaddress: { name: 'BindAddress', matters: isSet },
  bindinterface: { name: 'BindInterface', matters: isSet },
  proxyusefdpass: { name: 'ProxyUseFdpass', matters: isYes },
  preferredauthentications: { name: 'PreferredAuthentications', matters: isSet },
  pubkeyauthentication: { name: 'PubkeyAuthentication', matters: isNo },
  passwordauthentication: { name: 'PasswordAuthentication', matters: isNo },
  kbdinteractiveauthentication: { name: 'KbdInteractiveAuthentication', matters: isNo },
  ciphers: { name: 'Ciphers', matters: isSet },
  macs: { name: 'MACs', matters: isSet },
  kexalgorithms: { name: 'KexAlgorithms', matters: isSet },
  hostkeyalgorithms: { name: 'HostKeyAlgorithms', matters: isSet },
  pubkeyacceptedalgorithms: { name: 'PubkeyAcceptedAlgorithms', matters: isSet },
  pubkeyacceptedkeytypes: { name: 'PubkeyAcceptedKeyTypes', matters: isSet },
  setenv: { name: 'SetEnv', matters: isSet },
};

/** The unsupported directives (ssh_config spelling) in a computed config whose value matters. */
export function unsupportedDirectives(computed: Record<string, string | string[]>): string[] {
  const names: string[] = [];
  for (const [key, raw] of Object.entries(computed)) {
    const rule = UNSUPPORTED[key];
    if (!rule) continue;
    const values = (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === 'string');
    if (values.some((v) => rule.matters(v.trim()))) names.push(rule.name);
  }
  return names;
}

/** Match criteria the config library cannot evaluate: `exec` would run a command, the others need ssh's own state. */
const UNEVALUATED_CRITERIA = new Set(['exec', 'canonical', 'localnetwork', 'tagged']);

/**
 * The Match lines (as written, e.g. `Match host kvm* exec "vpn-up"`) that were skipped for every
 * host: a block with one criterion we cannot evaluate never applies here, though ssh(1) may apply it.
 */
export function skippedMatchBlocks(configText: string): string[] {
  let lines: ReturnType<typeof ParseSshConfig>;
  try {
    lines = parseSshConfig(configText);
  } catch {
    return [];
  }
  const skipped: string[] = [];
  for (const line of lines) {
    if (line.type !== 1 || !/^match$/i.test(line.param) || !('criteria' in line)) continue;
    const criteria = line.criteria as Record<string, unknown>;
    if (Object.keys(criteria).some((k) => UNEVALUATED_CRITERIA.has(k.toLowerCase()))) {
      const text = Array.isArray(line.value)
        ? line.value
            .map((v) => {
              const { val, quoted } = v as { val: string; quoted?: boolean };
              return quoted ? `"${val}"` : val;
            })
            .join(' ')
        : String(line.value);
      skipped.push(`Match ${text}`.slice(0, 200));
    }
  }
  return skipped;
}

/** The one-line notices for a host, in the wording the user sees in the log, the tooltip and the CLI. */
export function configNotices(configLabel: string, alias: string, unsupported: string[], skippedMatches: string[]): string[] {
  return [
    ...unsupported.map((name) => `${configLabel}: ${name} for ${alias} is not supported by the built-in SSH client; ${OPENSSH_ADVICE}`),
    ...skippedMatches.map(
      (match) =>
        `${configLabel}: '${match}' was not evaluated for ${alias} (the built-in SSH client runs no commands from the config); ${OPENSSH_ADVICE}`,
    ),
  ];
}
