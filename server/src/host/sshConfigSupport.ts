// What the built-in SSH client (ssh2) does NOT do of what ssh(1) would do with a host's config:
// directives that change how ssh connects or authenticates, and Match blocks that cannot be
// evaluated without running commands. Each becomes one line for the user, so nothing in
// ~/.ssh/config is ignored without a word; the OpenSSH transport is the way out.
import type { ConfigValue, UnsupportedOption } from './sshConfigEval';
import { unsupportedOption } from './sshConfigKeywords';

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

export interface UnsupportedDirective {
  /** ssh_config spelling */
  name: string;
  /** the file that sets it */
  file: string;
}

/**
 * Distributions turn these on for every host in the system-wide file (Debian, Fedora: GSSAPIAuthentication
 * yes); they only matter with a Kerberos ticket, so there they are not named.
 */
const SYSTEM_DEFAULTS = new Set(['gssapiauthentication']);

/** The unsupported directives whose value for a host matters (the first value; every CertificateFile). */
export function unsupportedDirectives(values: ReadonlyMap<string, readonly ConfigValue[]>): UnsupportedDirective[] {
  const found: UnsupportedDirective[] = [];
  for (const [key, list] of values) {
    const rule = UNSUPPORTED[key];
    if (!rule) continue;
    const considered = key === 'certificatefile' ? list : list.slice(0, 1);
    const value = considered.find((v) => rule.matters(v.args.join(' ').trim()));
    if (value && !(value.system && SYSTEM_DEFAULTS.has(key))) found.push({ name: rule.name, file: value.file });
  }
  return found;
}

/** The one-line notices for a host, in the wording the user sees in the log, the tooltip and the CLI. */
export function configNotices(
  label: (file: string) => string,
  alias: string,
  unsupported: readonly UnsupportedDirective[],
  skippedMatches: ReadonlyArray<{ text: string; file: string }>,
  unsupportedOptions: readonly UnsupportedOption[] = [],
): string[] {
  return [
    // ssh(1) prints the same warning for the line on every run, whichever host it is for
    ...unsupportedOptions.map(({ keyword, file, line, later }) =>
      later
        ? `${label(file)} line ${line}: ${keyword} is a keyword of a later OpenSSH than 9.2 (or of Apple's), which the built-in SSH client passes over; OpenSSH 9.2 stops at it`
        : `${label(file)} line ${line}: ${unsupportedOption(keyword)} (ssh passes over it too)`,
    ),
    ...unsupported.map(
      ({ name, file }) => `${label(file)}: ${name} for ${alias} is not supported by the built-in SSH client; ${OPENSSH_ADVICE}`,
    ),
    ...skippedMatches.map(
      ({ text, file }) =>
        `${label(file)}: '${text}' was not evaluated for ${alias} (${/\bexec\b/i.test(text) ? 'the built-in SSH client runs no commands from the config' : 'the built-in SSH client does not evaluate its criteria'}); ${OPENSSH_ADVICE}`,
    ),
  ];
}
