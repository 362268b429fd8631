// Counts in messages, with the noun in the number they need. Imports nothing, so every layer may use it.

/** `1 guest`, `2 guests`, `0 VFs`: a count with its noun (plural by adding "s"). */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
