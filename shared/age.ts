// How old an inventory is, in words ("14 s ago"): the hover, the status item and the SR-IOV view say
// it the same way. Imports nothing, so every layer may use it.

export function formatAge(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return s < 5 ? 'just now' : `${s} s ago`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min ago`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.floor(h / 24)} days ago`;
}

/** "taken 14 s ago" for an ISO time; the text as it is when it does not parse. */
export function takenAgo(takenAt: string, now: Date = new Date()): string {
  const taken = Date.parse(takenAt);
  return Number.isNaN(taken) ? `taken ${takenAt}` : `taken ${formatAge(now.getTime() - taken)}`;
}

/** what formatAge writes, as takenAgo puts it in a message */
const TAKEN_AGO = /\btaken (?:just now|\d+ (?:s|min|h|days) ago)/g;

/** `text` with the ages takenAgo wrote in it left out: the same problem on another day reads the same */
export function withoutAge(text: string): string {
  return text.replace(TAKEN_AGO, 'taken');
}
