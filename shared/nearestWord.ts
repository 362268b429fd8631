// "Did you mean": the known word a misspelling most likely meant, for a diagnostic code, a command, an
// option or a setting. Imports no package, so every layer may use it.

/**
 * The word of `known` a misspelling most likely meant: the fewest edits (case aside), at most a third of
 * the misspelling's length; null when none is that near or two are equally near.
 */
export function nearestWord(word: string, known: Iterable<string>): string | null {
  const most = Math.max(1, Math.floor(word.length / 3));
  const lower = word.toLowerCase();
  let best: string | null = null;
  let bestDistance = most + 1;
  let tied = false;
  for (const candidate of known) {
    if (Math.abs(candidate.length - word.length) > most) continue;
    const d = editDistance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
      tied = false;
    } else if (d === bestDistance) tied = true;
  }
  return best !== null && !tied ? best : null;
}

/** ` (did you mean 'WORD'?)` after an unknown word; '' when `near` is null. */
export function didYouMeanNote(near: string | null): string {
  return near ? ` (did you mean '${near}'?)` : '';
}

/** Levenshtein distance (insertions, deletions, substitutions) */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row.push(Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
    previous = row;
  }
  return previous[b.length];
}
