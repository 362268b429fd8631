// OpenSSH's host patterns (match.c), one definition for ssh_config and known_hosts: `*` is any run
// of characters, `?` exactly one, everything else literal (no bracket expressions). Matched through
// the backtracking-free table of shared/wildcard.ts, so a pattern from a config file costs at most
// pattern length × name length.
import { wildcardMatches, type WildcardToken } from '../../../shared/wildcard';

function patternTokens(pattern: string): WildcardToken[] {
  return [...pattern].map((c): WildcardToken =>
    c === '*' ? { kind: 'star', slash: true } : c === '?' ? { kind: 'one', slash: true } : { kind: 'char', char: c },
  );
}

/** match_pattern: the whole of `text` against one pattern, case-sensitively. */
export function sshPatternMatches(text: string, pattern: string): boolean {
  return wildcardMatches(patternTokens(pattern), text);
}

/**
 * match_pattern_list: a comma-separated list where `!pattern` excludes. A negated match makes the
 * whole list fail; otherwise it matches when one plain pattern does. `lower`: compare lower-cased
 * (ssh's match_hostname, used for host names).
 */
export function sshPatternListMatches(text: string, list: string, lower = false): boolean {
  const subject = lower ? text.toLowerCase() : text;
  let matched = false;
  for (const item of list.split(',')) {
    const negated = item.startsWith('!');
    const pattern = lower ? item.slice(negated ? 1 : 0).toLowerCase() : item.slice(negated ? 1 : 0);
    if (!sshPatternMatches(subject, pattern)) continue;
    if (negated) return false;
    matched = true;
  }
  return matched;
}
