// The keywords ssh(1) reads in ssh_config, as Debian 12's OpenSSH 9.2 classes them: each name below
// was written into a config and read with `ssh -G -F FILE host` on that build (upstream 9.2 plus
// Debian's GSSAPI key exchange and keepalive names). ssh stops at a keyword it does not know
// ("Bad configuration option"), wherever the line is (also in a Host or Match block that does not
// apply, and in an Include read from one), unless the IgnoreUnknown in force lists it; it warns
// about an unsupported one and goes on, and says nothing about a deprecated one (only under -v).
import { didYouMeanNote, nearestWord } from '../../../shared/nearestWord';
import { sshPatternListMatches } from './sshPattern';

/** Keywords OpenSSH 9.2 reads (lower case, as ssh compares them); aliases included. */
export const KNOWN: ReadonlySet<string> = new Set(
  (
    'addkeystoagent addressfamily batchmode bindaddress bindinterface canonicaldomains canonicalizefallbacklocal ' +
    'canonicalizehostname canonicalizemaxdots canonicalizepermittedcnames casignaturealgorithms certificatefile ' +
    'challengeresponseauthentication checkhostip ciphers clearallforwardings compression connectionattempts ' +
    'connecttimeout controlmaster controlpath controlpersist dsaauthentication dynamicforward enableescapecommandline ' +
    'enablesshkeysign escapechar exitonforwardfailure fingerprinthash forkafterauthentication forwardagent forwardx11 ' +
    'forwardx11timeout forwardx11trusted gatewayports globalknownhostsfile gssapiauthentication gssapiclientidentity ' +
    'gssapidelegatecredentials gssapikexalgorithms gssapikeyexchange gssapirenewalforcesrekey gssapiserveridentity ' +
    'gssapitrustdns hashknownhosts host hostbasedacceptedalgorithms hostbasedauthentication hostbasedkeytypes ' +
    'hostkeyalgorithms hostkeyalias hostname identitiesonly identityagent identityfile identityfile2 ignoreunknown ' +
    'include ipqos kbdinteractiveauthentication kbdinteractivedevices keepalive kexalgorithms knownhostscommand ' +
    'localcommand localforward loglevel logverbose macs match nohostauthenticationforlocalhost numberofpasswordprompts ' +
    'passwordauthentication permitlocalcommand permitremoteopen pkcs11provider port preferredauthentications protocol ' +
    'protocolkeepalives proxycommand proxyjump proxyusefdpass pubkeyacceptedalgorithms pubkeyacceptedkeytypes ' +
    'pubkeyauthentication rekeylimit remotecommand remoteforward requesttty requiredrsasize revokedhostkeys ' +
    'securitykeyprovider sendenv serveralivecountmax serveraliveinterval sessiontype setenv setuptimeout ' +
    'skeyauthentication smartcarddevice stdinnull streamlocalbindmask streamlocalbindunlink stricthostkeychecking ' +
    'syslogfacility tcpkeepalive tisauthentication tunnel tunneldevice updatehostkeys user userknownhostsfile ' +
    'verifyhostkeydns visualhostkey xauthlocation'
  ).split(' '),
);

/** Read and passed over in silence ("Deprecated option" only under ssh -v). */
export const DEPRECATED: ReadonlySet<string> = new Set(
  'cipher fallbacktorsh globalknownhostsfile2 rhostsauthentication useblacklistedkeys useprivilegedport userknownhostsfile2 useroaming usersh'.split(
    ' ',
  ),
);

/** Read with a warning (`FILE line N: Unsupported option "X"`) and passed over, even where IgnoreUnknown lists them. */
export const UNSUPPORTED: ReadonlySet<string> = new Set(
  'afstokenpassing compressionlevel kerberosauthentication kerberostgtpassing rhostsrsaauthentication rsaauthentication'.split(' '),
);

/**
 * Keywords of later OpenSSH releases (Tag 9.4, ObscureKeystrokeTiming 9.5, ChannelTimeout 9.6,
 * VersionAddendum 10.0, RefuseConnection and WarnWeakCrypto 10.1) and of Apple's build (UseKeychain).
 * OpenSSH 9.2 refuses them, but the user's own ssh may well be one that reads them: refusing them here
 * would stop a config that `ssh HOST` accepts, so they are passed over like the keywords the
 * built-in client does not use.
 */
export const OTHER_BUILDS: ReadonlySet<string> = new Set(
  'tag obscurekeystroketiming channeltimeout versionaddendum refuseconnection warnweakcrypto usekeychain'.split(' '),
);

export type KeywordKind = 'known' | 'deprecated' | 'unsupported' | 'unknown';

/** How ssh(1) takes a keyword (lower case). */
export function keywordKind(keyword: string): KeywordKind {
  if (KNOWN.has(keyword) || OTHER_BUILDS.has(keyword)) return 'known';
  if (DEPRECATED.has(keyword)) return 'deprecated';
  if (UNSUPPORTED.has(keyword)) return 'unsupported';
  return 'unknown';
}

/**
 * Whether ssh(1) stops at a line with this keyword (lower case), given the IgnoreUnknown pattern list in
 * force (the first one read in a block that applied; its patterns are compared case-insensitively).
 */
export function refusesKeyword(keyword: string, ignoreUnknown: string | undefined): boolean {
  return keywordKind(keyword) === 'unknown' && !(ignoreUnknown !== undefined && sshPatternListMatches(keyword, ignoreUnknown, true));
}

/** ssh's reason for a keyword it refuses, as it prints it, with the keyword it may have meant and the ways out. */
export function badOption(keyword: string): string {
  const meant = nearestWord(keyword, KNOWN);
  return `Bad configuration option: ${keyword}${didYouMeanNote(meant)}; ssh stops there too: correct the line, or list the keyword in IgnoreUnknown`;
}

/** ssh's warning for an unsupported keyword, as it prints it. */
export function unsupportedOption(keyword: string): string {
  return `Unsupported option "${keyword}"`;
}
