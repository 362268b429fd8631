// FNV-1a over a string's UTF-16 code units, 32 bits as 8 hex digits. A name or a fingerprint, never a
// check of integrity: the CLI names its code caches with it and fingerprints GitLab's Code Quality
// issues, where loading node:crypto for a hash would cost a run its stream modules (about 7 ms).

/** FNV-1a of `text` from `seed` (the offset basis: a different seed gives an independent-looking hash) */
export function fnv1a(text: string, seed: number): string {
  let hash = seed;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, '0');
}
