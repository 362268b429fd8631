// The one place that quotes a name inside our own sentences: a guest (domain), network, portgroup,
// interface or host name read from a host or a document, in single quotes as libvirt quotes a name in
// its messages ("network 'default' is not active"). A name may hold spaces, ', ', '(' or end in '.',
// which would otherwise read as the sentence's own words, list separator, aside or full stop.
// Commands are quoted by shellQuote; libvirt's own messages are reproduced as libvirt words them.
// Imports nothing: the service, the CLI and the client use it.

/** `'web01'`: one name, quoted for a sentence (never markup: hover text escapes the result) */
export function quotedName(name: string): string {
  return `'${name}'`;
}

/** `'a', 'b', 'c'`: names listed in a sentence, each quoted */
export function quotedNames(names: readonly string[]): string {
  return names.map(quotedName).join(', ');
}
