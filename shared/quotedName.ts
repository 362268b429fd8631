// The one place that quotes a name inside our own sentences: a guest (domain), network, portgroup,
// interface or host name read from a host or a document, in single quotes as libvirt quotes a name in
// its messages ("network 'default' is not active"). A name may hold spaces, ', ', '(' or end in '.',
// which would otherwise read as the sentence's own words, list separator, aside or full stop.
// Commands are quoted by shellQuote; libvirt's own messages are reproduced as libvirt words them.
//
// Names are shown shortened and lists of them cut: one name can be repeated in a message for every
// device of a document (the host's name, a guest's name, a network's), so a name of megabytes would
// make the output grow with the square of the input. Never for text that must round-trip (inserted
// XML, a command's argument): that takes the name itself.
// Imports nothing: the service, the CLI and the client use it.

/** Characters of a name shown; a longer one is cut after them and marked with '…'. */
export const NAME_SHOWN_CHARS = 100;

/** Names a list shows by default before "and N more". */
export const NAMES_SHOWN = 10;

/**
 * The name as written, or its first NAME_SHOWN_CHARS characters and '…' when it is longer: for
 * libvirt's own message text, which names it bare or in quotes of its own.
 */
export function shortName(name: string): string {
  if (name.length <= NAME_SHOWN_CHARS) return name;
  // never half of a surrogate pair: a lone surrogate is no character and breaks JSON readers
  const high = name.charCodeAt(NAME_SHOWN_CHARS - 1);
  const cut = high >= 0xd800 && high <= 0xdbff ? NAME_SHOWN_CHARS - 1 : NAME_SHOWN_CHARS;
  return `${name.slice(0, cut)}…`;
}

/**
 * `'web01'`: one name, quoted for a sentence (never markup: hover text escapes the result). A name over
 * NAME_SHOWN_CHARS is shortened (shortName) and followed by its length, so a '…' of its own is told apart.
 */
export function quotedName(name: string): string {
  return name.length <= NAME_SHOWN_CHARS ? `'${name}'` : `'${shortName(name)}' (${name.length} characters)`;
}

/** `'a', 'b', 'c'`: names listed in a sentence, each quoted; past `shown` of them, "and N more". */
export function quotedNames(names: readonly string[], shown = NAMES_SHOWN): string {
  return listed(names.slice(0, shown).map(quotedName), names.length, ', ');
}

/**
 * "'db02', 'db03' and 4 more": items (each written by the caller, names quoted) for a message, at most
 * `shown` of them. `total`: the length of the whole list when `items` are only its first ones.
 */
export function nameList(items: readonly string[], shown = 6, total = items.length): string {
  return listed(items.slice(0, shown), total, ' and ');
}

/** `shown` (the first items of a list of `total`) joined by ', ', the last by `last`, or followed by "and N more". */
function listed(shown: readonly string[], total: number, last: string): string {
  if (total > shown.length) return `${shown.join(', ')} and ${total - shown.length} more`;
  return shown.length > 1 ? `${shown.slice(0, -1).join(', ')}${last}${shown[shown.length - 1]}` : (shown[0] ?? '');
}
